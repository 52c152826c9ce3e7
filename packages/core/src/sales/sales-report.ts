import {
  type ConversationChannel,
  SALES_TIME_ZONE,
  type SalesChannel,
  type SalesCurrencyReport,
  type SalesFigures,
  type SalesReportAnswer,
  type SalesReportQuery,
} from '@asistone/contract/sales';
import { dayIn } from '../ads/sync.js';
import { currencyDigits, fromMinor } from '../platform/money.js';
import { listStoreLocations, type StoreViewDeps } from '../shopify/store-views.js';
import { salesChannelOf } from './channel-of.js';
import { conversationLeads } from './conversation-lead.js';
import { countedLines, currencyOfOrder } from './order-lines.js';
import { istanbulRange, ordersInRange, placedAt } from './orders-in-range.js';

/**
 * The sales report: units, gross sales, discounts, net sales and orders over a range of Istanbul
 * days, in total and by day, product, location and channel. Sums are integers of the currency's
 * minor unit (never floats) and written back as exact decimals; each currency is its own report,
 * since adding lira to euros means nothing. Cancelled orders are left out of every figure (the
 * answer says how many): a cancelled order was not a sale. Refunds are not subtracted: the copy
 * keeps an order's lines, not its refunds, and the report says "gross" and "net of discounts"
 * for exactly that reason.
 */

interface Sums {
  orders: Set<string>;
  units: number;
  gross: bigint;
  discounts: bigint;
}

const empty = (): Sums => ({ orders: new Set(), units: 0, gross: 0n, discounts: 0n });

function figures(sums: Sums, digits: number): SalesFigures {
  return {
    orders: sums.orders.size,
    units: sums.units,
    gross: fromMinor(sums.gross, digits),
    discounts: fromMinor(sums.discounts, digits),
    net: fromMinor(sums.gross - sums.discounts, digits),
  };
}

/** A map of groups that creates each on first use. */
function groups<K>() {
  const map = new Map<string, { key: K; sums: Sums }>();
  return {
    map,
    of(id: string, key: K): Sums {
      let found = map.get(id);
      if (!found) {
        found = { key, sums: empty() };
        map.set(id, found);
      }
      return found.sums;
    },
  };
}

/** Everything counted in one currency. */
function currencyBook() {
  return {
    totals: empty(),
    days: groups<string>(),
    products: groups<{ productId: string | null; title: string }>(),
    locations: groups<string | null>(),
    channels: groups<{ salesChannel: SalesChannel; conversationChannel: ConversationChannel | null }>(),
  };
}
type Book = ReturnType<typeof currencyBook>;

/** The most net sales first (compared in minor units), then by name. */
const byNetThenName = (a: { sums: Sums; label: string }, b: { sums: Sums; label: string }) => {
  const difference = b.sums.gross - b.sums.discounts - (a.sums.gross - a.sums.discounts);
  return difference > 0n ? 1 : difference < 0n ? -1 : a.label.localeCompare(b.label, 'tr');
};

function reportOf(currency: string, book: Book, locationNames: Map<string, string>): SalesCurrencyReport {
  const digits = currencyDigits(currency);
  const rows = <K, R>(g: ReturnType<typeof groups<K>>, shape: (key: K) => R, label: (key: K) => string) =>
    [...g.map.values()]
      .map(({ key, sums }) => ({ key, sums, label: label(key) }))
      .sort(byNetThenName)
      .map(({ key, sums }) => ({ ...figures(sums, digits), ...shape(key) }));
  return {
    currency,
    totals: figures(book.totals, digits),
    days: [...book.days.map.values()]
      .map(({ key, sums }) => ({ day: key, ...figures(sums, digits) }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    products: rows(
      book.products,
      (key) => key,
      (key) => key.title,
    ),
    locations: rows(
      book.locations,
      (locationId) => ({ locationId, name: locationId === null ? null : (locationNames.get(locationId) ?? null) }),
      (locationId) => locationId ?? '',
    ),
    channels: rows(
      book.channels,
      (key) => key,
      (key) => `${key.salesChannel}${key.conversationChannel ?? ''}`,
    ),
  };
}

export async function salesReport(
  deps: StoreViewDeps,
  tenantId: string,
  query: SalesReportQuery,
): Promise<SalesReportAnswer> {
  const range = istanbulRange(query.from, query.to);
  const orders = await ordersInRange(deps, tenantId, range);
  const sold = orders.filter((order) => order.cancelledAt === undefined);
  const keys = await deps.keyring.forTenant(tenantId);
  const leads = await conversationLeads(deps, keys, tenantId, sold, range);
  const { locations } = await listStoreLocations(deps, tenantId);
  const locationNames = new Map(locations.map((location) => [location.locationId, location.name]));

  const books = new Map<string, Book>();
  for (const order of sold) {
    const currency = currencyOfOrder(order);
    const book = books.get(currency) ?? currencyBook();
    books.set(currency, book);
    const channel = {
      salesChannel: salesChannelOf(order.sourceName),
      conversationChannel: leads.get(order.orderId) ?? null,
    };
    const orderGroups = [
      book.totals,
      book.days.of(dayIn(placedAt(order), SALES_TIME_ZONE), dayIn(placedAt(order), SALES_TIME_ZONE)),
      book.locations.of(order.locationId ?? '', order.locationId ?? null),
      book.channels.of(`${channel.salesChannel}:${channel.conversationChannel ?? ''}`, channel),
    ];
    for (const sums of orderGroups) sums.orders.add(order.orderId);
    for (const line of countedLines(order)) {
      const product = book.products.of(line.productId ?? `title:${line.title}`, {
        productId: line.productId,
        title: line.title,
      });
      product.orders.add(order.orderId);
      for (const sums of [...orderGroups, product]) {
        sums.units += line.units;
        sums.gross += line.gross;
        sums.discounts += line.discount;
      }
    }
  }
  return {
    from: range.from,
    to: range.to,
    timeZone: SALES_TIME_ZONE,
    cancelledExcluded: orders.length - sold.length,
    currencies: [...books.entries()]
      .map(([currency, book]) => reportOf(currency, book, locationNames))
      .sort((a, b) => b.totals.orders - a.totals.orders || a.currency.localeCompare(b.currency)),
  };
}
