import { PLAN_IDS } from '@asistone/contract/billing';
import { Entity } from 'electrodb';
import { atLocations, type DataClass, type PartitionReader } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Invoices live OUTSIDE the business's partition (`billing#<tenant>`), in plain text: the law
 * keeps them for up to 10 years, while deleting the business purges `t#<tenant>` and destroys
 * its key. They hold what the law asks and nothing of the business's customers: the seller,
 * the buyer (the business's name), the plan, the period, the amounts and iyzico's references.
 * Never card data.
 */

/** The partition of one business's invoices. */
export const invoicePartition = (tenantId: string) => `billing#${tenantId}`;

export const InvoiceRecord = new Entity({
  model: { entity: 'invoice', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true, readOnly: true },
    /** `AS-2026-000123`. */
    number: { type: 'string', required: true, readOnly: true },
    /** Epoch ms; also in the sort key, so the retention purge finds the old ones by Query. */
    issuedAt: { type: 'number', required: true, readOnly: true },
    seller: {
      type: 'map',
      required: true,
      properties: {
        name: { type: 'string', required: true },
        address: { type: 'string', required: true },
        taxOffice: { type: 'string' },
        taxNumber: { type: 'string' },
      },
    },
    /** The business's name as it was when the invoice was issued. */
    buyerName: { type: 'string', required: true },
    planId: { type: PLAN_IDS, required: true },
    periodStart: { type: 'number', required: true },
    periodEnd: { type: 'number', required: true },
    /** Exact decimals, VAT included; and the VAT in it. */
    total: { type: 'string', required: true },
    vat: { type: 'string', required: true },
    vatRate: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    /** iyzico's order reference (the payment). */
    orderRef: { type: 'string', required: true },
    subscriptionRef: { type: 'string', required: true },
    status: { type: ['paid', 'refunded'] as const, required: true },
  },
  indexes: {
    byBusiness: {
      pk: { field: 'pk', composite: ['tenantId'], template: 'billing#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['issuedAt', 'invoiceId'],
        template: 'invoice#${issuedAt}#${invoiceId}',
        casing: 'none',
      },
    },
  },
});

/**
 * One iyzico order → one invoice: the marker is created first (conditionally), then takes its
 * number once, then the invoice is written. A run stopped between the steps is finished by the
 * next redelivery without a second number.
 */
export const InvoiceOrderRecord = new Entity({
  model: { entity: 'invoiceOrder', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    orderRef: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true, readOnly: true },
    issuedAt: { type: 'number', required: true, readOnly: true },
    number: { type: 'string' },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['tenantId'], template: 'billing#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['orderRef'], template: 'order#${orderRef}', casing: 'none' },
    },
  },
});

/** Asistone's own invoice numbers: one counter per year, shared by every business. */
export const INVOICE_NUMBERS = 'billing#numbers';

export const InvoiceCounterRecord = new Entity({
  model: { entity: 'invoiceCounter', version: '1', service: 'asistone' },
  attributes: {
    year: { type: 'string', required: true, readOnly: true },
    last: { type: 'number', required: true, default: 0 },
  },
  indexes: {
    byYear: {
      pk: { field: 'pk', composite: [], template: INVOICE_NUMBERS, casing: 'none' },
      sk: { field: 'sk', composite: ['year'], template: 'year#${year}', casing: 'none' },
    },
  },
});

/**
 * The businesses that have invoices, by id only: the business list forgets a deleted business,
 * and its invoices still have to be removed once their legal period has passed (the retention
 * purge reads this). No tenant owns it, so a business's own purge leaves it.
 */
export const INVOICED_BUSINESSES = 'billing#businesses';

export const InvoicedBusinessRecord = new Entity({
  model: { entity: 'invoicedBusiness', version: '1', service: 'asistone' },
  attributes: {
    business: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byBusiness: {
      pk: { field: 'pk', composite: [], template: INVOICED_BUSINESSES, casing: 'none' },
      sk: { field: 'sk', composite: ['business'], template: '${business}', casing: 'none' },
    },
  },
});

export const INVOICE_RECORDS = {
  invoice: InvoiceRecord,
  invoiceOrder: InvoiceOrderRecord,
  invoiceCounter: InvoiceCounterRecord,
  invoicedBusiness: InvoicedBusinessRecord,
};
export type InvoiceStore = Store<typeof INVOICE_RECORDS>;

const legal = { days: RETENTION_DAYS.billing, basis: 'legal' } as const;

async function* invoicedBusinesses(reader: PartitionReader): AsyncIterable<string> {
  for await (const key of reader.keys({ partition: INVOICED_BUSINESSES, skPrefix: '' })) yield key.sk;
}

/**
 * Kept for the legal period even after the business is deleted (the tenant purge leaves `legal`
 * classes), removed by the retention purge once it has passed (their keys carry their time).
 */
export const INVOICE_DATA_CLASSES: DataClass[] = [
  {
    name: 'billing.invoices',
    description:
      "Asistone's invoices to the business: number, seller, buyer (the business's name, which can name a sole trader), plan, period, amounts with VAT, iyzico's order reference; no card data",
    personal: true,
    retention: legal,
    partitions: atLocations((tenantId) => [{ partition: invoicePartition(tenantId), skPrefix: 'invoice#' }]),
    createdInSortKey: true,
    keptBeyondBusinesses: invoicedBusinesses,
  },
  {
    name: 'billing.invoice-orders',
    description: "Which iyzico order each invoice is for (references and the invoice's number only)",
    personal: false,
    retention: legal,
    partitions: atLocations((tenantId) => [{ partition: invoicePartition(tenantId), skPrefix: 'order#' }]),
  },
];
