import type { StoreOrder, StoreOrderSummary } from '@asistone/contract/store';
import { NotFoundError } from '../platform/errors.js';
import { contactOrders, getStoreOrder, type StoreViewDeps } from '../shopify/store-views.js';
import type { Citation, ToolScope } from './tools.js';

/**
 * The customer's own orders for the agent, read exactly as the inbox's Orders panel reads them
 * (store-views.ts contactOrders: the Shopify customers matched to THIS contact by the blind
 * indexes of their phone and email). Nothing here looks an order up by anything the model says
 * first: an order name is compared against the contact's own orders only, so another customer's
 * order is never read, and "not yours" and "does not exist" take the same path and give the same
 * answer. What goes to the model is what the customer may know about their own parcel: status,
 * items, total, carrier and tracking; never the address, email, phone or anyone's name.
 */

/** The newest orders `customer_orders` describes; the panel keeps 50, a reply needs a few. */
export const ORDERS_FOR_MODEL = 5;

/** Lines described per order (a wholesale order may have hundreds; the reply needs a few). */
export const ITEMS_PER_ORDER = 20;

/** The one answer for an order name that is not this customer's, whether it exists or not. */
export const NOT_YOUR_ORDER = 'No order of yours with that number was found.';

export interface OrderForModel {
  name: string;
  placedAt: string | null;
  paymentStatus: string | null;
  fulfillmentStatus: string;
  cancelledAt: string | null;
  total: { amount: string; currencyCode: string } | null;
  items: { title: string; variant: string | null; quantity: number }[];
  /** Lines past {@link ITEMS_PER_ORDER}, not listed. */
  moreItems: number;
  shipments: {
    status: string;
    shipmentStatus: string | null;
    carrier: string | null;
    trackingNumbers: string[];
    trackingUrls: string[];
  }[];
}

/** Only the fields the customer may be told; everything personal in StoreOrder is left behind. */
function forModel(order: StoreOrder): OrderForModel {
  return {
    name: order.name,
    placedAt: order.createdAt,
    paymentStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    cancelledAt: order.cancelledAt,
    total: order.total,
    items: order.lineItems.slice(0, ITEMS_PER_ORDER).map((line) => ({
      title: line.title,
      variant: line.variantTitle,
      quantity: line.quantity,
    })),
    moreItems: Math.max(0, order.lineItems.length - ITEMS_PER_ORDER),
    shipments: order.fulfillments.map((f) => ({
      status: f.status,
      shipmentStatus: f.shipmentStatus,
      carrier: f.company,
      trackingNumbers: f.numbers,
      trackingUrls: f.urls,
    })),
  };
}

/** The contact's order summaries, newest first; none when the contact is gone (erased meanwhile). */
async function ownSummaries(deps: StoreViewDeps, scope: ToolScope): Promise<StoreOrderSummary[]> {
  try {
    return (await contactOrders(deps, scope.tenantId, scope.contactId)).orders;
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
}

const citationOf = (order: { orderId: string; name: string }): Citation => ({
  kind: 'order',
  id: order.orderId,
  label: order.name,
});

export async function customerOrders(
  deps: StoreViewDeps,
  scope: ToolScope,
): Promise<{ orders: OrderForModel[]; citations: Citation[]; more: boolean }> {
  const summaries = await ownSummaries(deps, scope);
  const shown = summaries.slice(0, ORDERS_FOR_MODEL);
  const orders = await Promise.all(shown.map((summary) => getStoreOrder(deps, scope.tenantId, summary.orderId)));
  return { orders: orders.map(forModel), citations: shown.map(citationOf), more: summaries.length > shown.length };
}

/** `#1042`, `1042`, `# 1042`, `no 1042` all name the same order. */
export function orderNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLocaleLowerCase('tr')
    .replace(/^\s*(no|nr|numara|numarali)\b[.:]?/u, '')
    .replace(/[\s#]/g, '');
}

/**
 * One of the contact's own orders by its name, or undefined (the same for every other name).
 * Among the contact's newest 50 (the Orders tab's page): an older one reads as not found, and
 * the agent hands off to a person, who sees them all.
 */
export async function ownOrderByName(
  deps: StoreViewDeps,
  scope: ToolScope,
  orderName: string,
): Promise<{ order: OrderForModel; citation: Citation } | undefined> {
  const wanted = orderNameKey(orderName);
  if (!wanted) return undefined;
  const summary = (await ownSummaries(deps, scope)).find((order) => orderNameKey(order.name) === wanted);
  if (!summary) return undefined;
  const order = await getStoreOrder(deps, scope.tenantId, summary.orderId);
  return { order: forModel(order), citation: citationOf(summary) };
}
