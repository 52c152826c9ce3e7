import type { SalesFigures, SalesReportAnswer } from '@asistone/contract/sales';

/**
 * The sales report as CSV rows: one per day, product, location and channel of each currency,
 * after its total. Written by platform/csv.ts `toCsv`, which neutralises cells a spreadsheet
 * would run as formulas (a product title is the merchant's free text, or an attacker's through
 * a draft order).
 */

export const SALES_CSV_COLUMNS = [
  'section',
  'key',
  'name',
  'currency',
  'orders',
  'units',
  'gross_sales',
  'discounts',
  'net_sales',
  'from',
  'to',
] as const;

export function salesCsvRows(answer: SalesReportAnswer): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const row = (section: string, key: string, name: string, currency: string, f: SalesFigures) =>
    rows.push({
      section,
      key,
      name,
      currency,
      orders: f.orders,
      units: f.units,
      gross_sales: f.gross,
      discounts: f.discounts,
      net_sales: f.net,
      from: answer.from,
      to: answer.to,
    });
  for (const report of answer.currencies) {
    const { currency } = report;
    row('total', '', '', currency, report.totals);
    for (const day of report.days) row('day', day.day, day.day, currency, day);
    for (const product of report.products) row('product', product.productId ?? '', product.title, currency, product);
    for (const location of report.locations) {
      row('location', location.locationId ?? 'online', location.name ?? 'online', currency, location);
    }
    for (const channel of report.channels) {
      const key = [channel.salesChannel, channel.conversationChannel].filter(Boolean).join('+');
      row('channel', key, key, currency, channel);
    }
  }
  return rows;
}
