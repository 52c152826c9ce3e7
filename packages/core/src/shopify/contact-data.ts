import { INBOX_RECORDS } from '../inbox/records.js';
import type { ContactData, ContactDataContext } from '../platform/area.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { shopEmailIndex } from './apply.js';
import { SHOPIFY_STORE_RECORDS } from './store-records.js';
import { suppressCustomer } from './suppression.js';

/**
 * What the local copy of the Shopify store holds about one inbox contact, for the privacy
 * engine's export and erasure: the Shopify customers matched to them (same phone number, by the
 * blind index the inbox keeps, or same email, when the team recorded one), those customers'
 * orders and checkouts. Erasure order: orders and checkouts first, the customer records (which
 * lead to them) after, and the inbox contact (which leads to the customers) last of all, so a
 * rerun of a stopped erasure still finds everything left.
 */

const storeOf = (ctx: ContactDataContext) =>
  ctx.storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS });
type ContactStore = ReturnType<typeof storeOf>;

/**
 * A section only when there is something in it: most contacts never bought from the store, and
 * their archive need not carry three empty files about it.
 */
const sectionOf = (name: string, rows: Record<string, unknown>[]) => (rows.length > 0 ? { [name]: rows } : {});

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** Opens a sealed field for the export; a value that does not open is reported, not guessed. */
function opened(ctx: ContactDataContext, entity: string, field: string, itemKey: string, sealed: string | undefined) {
  if (sealed === undefined) return null;
  try {
    return ctx.keys.open(entity, field, itemKey, sealed);
  } catch {
    return '(unreadable)';
  }
}

/** The ids of the Shopify customers matched to the contact (also the inbox's Orders panel: store-views.ts). */
export async function customerIdsOf(store: ContactStore, ctx: ContactDataContext): Promise<string[]> {
  const { tenantId } = ctx;
  const contact = (await store.entities.contact.get({ tenantId, contactId: ctx.contactId }).go()).data;
  if (!contact) return [];
  const ids = new Set<string>();
  if (contact.phoneIndex) {
    const { data } = await store.entities.shopCustomer.query
      .byPhone({ tenantId, phoneIndex: contact.phoneIndex })
      .go({ pages: 'all', attributes: ['customerId'] });
    for (const item of data) ids.add(item.customerId);
  }
  const email = opened(ctx, 'contact', 'email', ctx.contactId, contact.email);
  if (email && email !== '(unreadable)') {
    const { data } = await store.entities.shopCustomer.query
      .byEmail({ tenantId, emailIndex: shopEmailIndex(ctx.keys, email) })
      .go({ pages: 'all', attributes: ['customerId'] });
    for (const item of data) ids.add(item.customerId);
  }
  return [...ids].sort();
}

async function ordersOf(store: ContactStore, ctx: ContactDataContext) {
  const orders = [];
  for (const customerId of await customerIdsOf(store, ctx)) {
    const { data } = await store.entities.shopOrder.query
      .byCustomer({ tenantId: ctx.tenantId, customerRef: customerId })
      .go({ pages: 'all' });
    orders.push(...data);
  }
  return orders;
}

async function checkoutsOf(store: ContactStore, ctx: ContactDataContext) {
  const checkouts = [];
  for (const customerId of await customerIdsOf(store, ctx)) {
    const { data } = await store.entities.shopCheckout.query
      .byCustomer({ tenantId: ctx.tenantId, customerRef: customerId })
      .go({ pages: 'all' });
    checkouts.push(...data);
  }
  return checkouts;
}

const orders: ContactData = {
  dataClass: 'shopify.orders',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows = (await ordersOf(store, ctx)).map((order) => ({
      order: order.name,
      orderId: order.orderId,
      customerId: order.customerId ?? null,
      createdAt: iso(order.createdAt),
      updatedAt: iso(order.updatedAt),
      financialStatus: order.financialStatus ?? null,
      fulfillmentStatus: order.fulfillmentStatus,
      cancelledAt: iso(order.cancelledAt),
      currency: order.currencyCode,
      total: order.total?.amount ?? null,
      lineItems: JSON.stringify(order.lineItems),
      discountCodes: JSON.stringify(order.discountCodes ?? []),
      email: opened(ctx, 'shopOrder', 'email', order.orderId, order.email),
      phone: opened(ctx, 'shopOrder', 'phone', order.orderId, order.phone),
      shippingAddress: opened(ctx, 'shopOrder', 'shippingAddress', order.orderId, order.shippingAddress),
      fulfillments: opened(ctx, 'shopOrder', 'fulfillments', order.orderId, order.fulfillments),
    }));
    return sectionOf('shopify_orders', rows);
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    // First of the erasure's steps: from here on a webhook or reconcile for these customers
    // stores nothing (suppression.ts), so nothing erased below comes back.
    for (const customerId of await customerIdsOf(store, ctx)) {
      await suppressCustomer(store, ctx.keys, ctx.tenantId, customerId);
    }
    let items = 0;
    for (const order of await ordersOf(store, ctx)) {
      await store.entities.shopOrder.delete({ tenantId: ctx.tenantId, orderId: order.orderId }).go();
      items += 1;
    }
    return { items, objects: 0 };
  },
};

const checkouts: ContactData = {
  dataClass: 'shopify.checkouts',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows = (await checkoutsOf(store, ctx)).map((checkout) => ({
      state: checkout.state,
      customerId: checkout.customerId ?? null,
      createdAt: iso(checkout.createdAt),
      updatedAt: iso(checkout.updatedAt),
      completedAt: iso(checkout.completedAt),
      currency: checkout.currencyCode ?? null,
      total: checkout.total?.amount ?? null,
      lineItems: JSON.stringify(checkout.lineItems),
      email: opened(ctx, 'shopCheckout', 'email', checkout.checkoutKey, checkout.email),
      phone: opened(ctx, 'shopCheckout', 'phone', checkout.checkoutKey, checkout.phone),
      recoveryUrl: opened(ctx, 'shopCheckout', 'recoveryUrl', checkout.checkoutKey, checkout.recoveryUrl),
    }));
    return sectionOf('shopify_checkouts', rows);
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    let items = 0;
    for (const checkout of await checkoutsOf(store, ctx)) {
      await store.entities.shopCheckout.delete({ tenantId: ctx.tenantId, checkoutKey: checkout.checkoutKey }).go();
      items += 1;
    }
    return { items, objects: 0 };
  },
};

/** The customer records themselves: after their orders and checkouts, which they lead to. */
const customers: ContactData = {
  dataClass: 'shopify.customers',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows = [];
    for (const customerId of await customerIdsOf(store, ctx)) {
      const customer = (await store.entities.shopCustomer.get({ tenantId: ctx.tenantId, customerId }).go()).data;
      if (!customer) continue;
      rows.push({
        customerId,
        name: opened(ctx, 'shopCustomer', 'name', customerId, customer.name),
        email: opened(ctx, 'shopCustomer', 'email', customerId, customer.email),
        phone: opened(ctx, 'shopCustomer', 'phone', customerId, customer.phone),
        state: customer.state ?? null,
        tags: (customer.tags ?? []).join(', '),
        emailMarketing: customer.emailMarketing?.state ?? null,
        smsMarketing: customer.smsMarketing?.state ?? null,
        whatsappMarketing: customer.whatsappMarketing?.state ?? null,
        createdAt: iso(customer.createdAt),
        updatedAt: iso(customer.updatedAt),
      });
    }
    return sectionOf('shopify_customers', rows);
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    let items = 0;
    for (const customerId of await customerIdsOf(store, ctx)) {
      await store.entities.shopCustomer.delete({ tenantId: ctx.tenantId, customerId }).go();
      items += 1;
    }
    return { items, objects: 0 };
  },
};

/** In erasure order. */
export const SHOPIFY_CONTACT_DATA: ContactData[] = [orders, checkouts, customers];
