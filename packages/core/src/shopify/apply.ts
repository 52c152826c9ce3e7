import { type ConsentChannel, type ConsentState, recordConsent } from '../inbox/consent.js';
import { contactIdOf } from '../inbox/inbound.js';
import type { InboxStore } from '../inbox/records.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type {
  MarketingConsent,
  ShopifyCheckout,
  ShopifyCustomer,
  ShopifyInventoryLevel,
  ShopifyOrder,
  ShopifyProduct,
} from './payloads.js';
import { NO_CUSTOMER, type SHOPIFY_STORE_RECORDS } from './store-records.js';
import { isSuppressed } from './suppression.js';

/**
 * Applies what Shopify says about a customer, order, product, stock level or checkout to the local
 * copy. Each is ONE conditional put: it lands only when nothing is stored yet or what is stored
 * has an older Shopify `updatedAt`. So deliveries in any order end at the newest version, a late
 * webhook (Shopify delays some by up to a day) or a reconcile racing one changes nothing, and the
 * same version applied twice is applied once ('stale' the second time). Equal times count as the
 * same version: Shopify's `updated_at` moves with every change.
 */

export type ApplyStore = Store<typeof SHOPIFY_STORE_RECORDS> & InboxStore;

export interface ApplyDeps {
  store: ApplyStore;
  keyring: TenantKeyring;
}

export type ApplyOutcome = 'applied' | 'stale';

/**
 * What apply answers for a customer erased before (suppression.ts): 'stale', not an outcome of
 * its own. The erasure is the newest version of that customer there will ever be, so whatever
 * Shopify sends after it is older in the sense that matters, and every caller (the webhook
 * worker, the reconcile's counts, the backfill) already treats 'stale' as "nothing to store":
 * no caller has to learn a new answer for a customer that must stay gone.
 */
const ERASED: ApplyOutcome = 'stale';

/** The numeric id inside a GID: `gid://shopify/Order/123` → `123` (query part dropped). */
export function idOfGid(gid: string): string {
  const id = gid.split('?')[0]?.split('/').pop() ?? '';
  if (!/^[0-9]+$/.test(id)) throw new Error('not a Shopify GID');
  return id;
}

/** The checkout's key: a blind index of its token (the token finishes a purchase, so it is never a key). */
export function checkoutKeyOf(keys: TenantKeys, token: string): string {
  return keys.blindIndex('shopify-checkout', token).slice(0, 32);
}

/** Blind index of a phone as the inbox makes it (E.164), so a contact's `phoneIndex` matches. */
export function shopPhoneIndex(keys: TenantKeys, phone: string): string {
  return keys.blindIndex('phone', phone.replace(/[\s()-]/g, ''));
}

/** Blind index of an email, normalised as accounts/people.ts normalizeEmail does (trimmed, lower case). */
export function shopEmailIndex(keys: TenantKeys, email: string): string {
  return keys.blindIndex('email', email.trim().toLowerCase());
}

/** The customer an order or checkout belongs to, and its reference in the customer's index. */
function customerOf(gid: string | undefined) {
  if (!gid) return { customerRef: NO_CUSTOMER };
  const customerId = idOfGid(gid);
  return { customerId, customerRef: customerId };
}

/** Runs a conditional put: a lost condition means a version at least as new is stored. */
async function newerOnly(put: () => Promise<unknown>): Promise<ApplyOutcome> {
  try {
    await put();
    return 'applied';
  } catch (error) {
    if (isConditionFailure(error)) return 'stale';
    throw error;
  }
}

// ElectroDB's where-callback types differ per entity; they all get the same condition.
// biome-ignore lint/suspicious/noExplicitAny: see above.
const olderThan = (updatedAt: number) => (attr: any, op: any) =>
  `${op.notExists(attr.updatedAt)} OR ${op.lt(attr.updatedAt, updatedAt)}`;

export async function applyCustomer(
  deps: ApplyDeps,
  tenantId: string,
  customer: ShopifyCustomer,
): Promise<ApplyOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  const customerId = idOfGid(customer.id);
  // An erased customer (suppression.ts) is never stored again: 'stale', see ERASED above.
  if (await isSuppressed(deps.store, keys, tenantId, customerId)) return ERASED;
  const seal = (field: string, value: string) => keys.seal('shopCustomer', field, customerId, value);
  const name =
    customer.firstName || customer.lastName
      ? JSON.stringify({ firstName: customer.firstName, lastName: customer.lastName })
      : undefined;
  const outcome = await newerOnly(() =>
    deps.store.entities.shopCustomer
      .put({
        tenantId,
        customerId,
        ...(customer.email && {
          email: seal('email', customer.email),
          emailIndex: shopEmailIndex(keys, customer.email),
        }),
        ...(customer.phone && {
          phone: seal('phone', customer.phone),
          phoneIndex: shopPhoneIndex(keys, customer.phone),
        }),
        ...(name && { name: seal('name', name) }),
        ...(customer.state && { state: customer.state }),
        tags: customer.tags,
        ...(customer.emailMarketing && { emailMarketing: customer.emailMarketing }),
        ...(customer.smsMarketing && { smsMarketing: customer.smsMarketing }),
        ...(customer.whatsappMarketing && { whatsappMarketing: customer.whatsappMarketing }),
        createdAt: customer.createdAt,
        updatedAt: customer.updatedAt,
      })
      .where(olderThan(customer.updatedAt))
      .go(),
  );
  if (outcome === 'applied') await recordShopifyConsent(deps.store, keys, tenantId, customer);
  return outcome;
}

/** Shopify's consent states that are a decision; `not_subscribed`, `pending` and the rest change nothing. */
const DECISIONS: Readonly<Record<string, ConsentState>> = { subscribed: 'granted', unsubscribed: 'withdrawn' };

/**
 * The customer's WhatsApp, SMS and email marketing consent as Shopify holds it, into the inbox's
 * consent ledger of the contact with the same phone number (WhatsApp contacts' ids derive from
 * their number: inbound.ts contactIdOf). The entry's id derives from the customer, channel, state
 * and time, so a redelivery or a reconcile records nothing twice; the ledger keeps the latest
 * decision whoever made it (a keyword STOP after Shopify's grant wins, being later).
 */
async function recordShopifyConsent(store: ApplyStore, keys: TenantKeys, tenantId: string, customer: ShopifyCustomer) {
  if (!customer.phone) return;
  const phone = customer.phone.replace(/[\s()-]/g, '');
  if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) return;
  const contactId = contactIdOf(keys, 'whatsapp', phone.slice(1));
  const contact = (await store.entities.contact.get({ tenantId, contactId }).go()).data;
  if (!contact || contact.phoneIndex !== keys.blindIndex('phone', phone)) return;
  const decisions: [ConsentChannel, MarketingConsent | undefined][] = [
    ['whatsapp', customer.whatsappMarketing],
    ['sms', customer.smsMarketing],
    ['email', customer.emailMarketing],
  ];
  const customerId = idOfGid(customer.id);
  for (const [channel, given] of decisions) {
    const state = given ? DECISIONS[given.state] : undefined;
    if (!given || !state) continue;
    const at = given.updatedAt ?? customer.updatedAt;
    await recordConsent(
      { store, keys },
      {
        tenantId,
        contactId,
        channel,
        purpose: 'marketing',
        state,
        source: 'shopify',
        at,
        wording: `Shopify ${channel} marketing consent: ${given.state}`,
        actor: 'shopify',
        entryId: `shopify_${customerId}_${channel}_${state}_${String(at).padStart(15, '0')}`,
      },
    );
  }
}

export async function applyOrder(deps: ApplyDeps, tenantId: string, order: ShopifyOrder): Promise<ApplyOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  // The whole order is skipped, not only its personal fields: the erasure removed the customer's orders.
  if (order.customerId && (await isSuppressed(deps.store, keys, tenantId, idOfGid(order.customerId)))) return ERASED;
  const orderId = idOfGid(order.id);
  const seal = (field: string, value: string) => keys.seal('shopOrder', field, orderId, value);
  return newerOnly(() =>
    deps.store.entities.shopOrder
      .put({
        tenantId,
        orderId,
        name: order.name,
        ...customerOf(order.customerId),
        ...(order.email && { email: seal('email', order.email) }),
        ...(order.phone && { phone: seal('phone', order.phone) }),
        ...(order.shippingAddress && {
          shippingAddress: seal('shippingAddress', JSON.stringify(order.shippingAddress)),
        }),
        currencyCode: order.currencyCode,
        ...(order.financialStatus && { financialStatus: order.financialStatus }),
        fulfillmentStatus: order.fulfillmentStatus,
        ...(order.cancelledAt !== undefined && { cancelledAt: order.cancelledAt }),
        ...(order.cancelReason && { cancelReason: order.cancelReason }),
        ...(order.closedAt !== undefined && { closedAt: order.closedAt }),
        lineItems: order.lineItems,
        discountCodes: order.discountCodes,
        shippingLines: order.shippingLines,
        ...(order.fulfillments.length > 0 && {
          fulfillments: seal('fulfillments', JSON.stringify(order.fulfillments)),
        }),
        subtotal: order.subtotal,
        totalDiscounts: order.totalDiscounts,
        ...(order.totalShipping && { totalShipping: order.totalShipping }),
        totalTax: order.totalTax,
        total: order.total,
        ...(order.checkoutToken && { checkoutKey: checkoutKeyOf(keys, order.checkoutToken) }),
        createdAt: order.createdAt,
        updatedAt: order.updatedAt,
      })
      .where(olderThan(order.updatedAt))
      .go(),
  );
}

export async function applyProduct(deps: ApplyDeps, tenantId: string, product: ShopifyProduct): Promise<ApplyOutcome> {
  return newerOnly(() =>
    deps.store.entities.shopProduct
      .put({
        tenantId,
        productId: idOfGid(product.id),
        title: product.title,
        ...(product.handle && { handle: product.handle }),
        status: product.status,
        ...(product.vendor && { vendor: product.vendor }),
        ...(product.productType && { productType: product.productType }),
        tags: product.tags,
        variants: product.variants,
        images: product.images,
        createdAt: product.createdAt,
        updatedAt: product.updatedAt,
      })
      .where(olderThan(product.updatedAt))
      .go(),
  );
}

export async function applyInventoryLevel(
  deps: ApplyDeps,
  tenantId: string,
  level: ShopifyInventoryLevel,
): Promise<ApplyOutcome> {
  return newerOnly(() =>
    deps.store.entities.shopInventoryLevel
      .put({
        tenantId,
        inventoryItemId: idOfGid(level.inventoryItemId),
        locationId: idOfGid(level.locationId),
        available: level.available,
        updatedAt: level.updatedAt,
      })
      .where(olderThan(level.updatedAt))
      .go(),
  );
}

/**
 * A checkout: open (an abandoned cart once the business's delay passes), completed (the order was
 * placed) or deleted. A deletion is kept as its state, with the personal fields dropped, so a late
 * `checkouts/update` (older) cannot bring the cart back.
 */
export async function applyCheckout(
  deps: ApplyDeps,
  tenantId: string,
  checkout: ShopifyCheckout,
): Promise<ApplyOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  if (checkout.customerId && (await isSuppressed(deps.store, keys, tenantId, idOfGid(checkout.customerId)))) {
    return ERASED;
  }
  const checkoutKey = checkoutKeyOf(keys, checkout.token);
  const seal = (field: string, value: string) => keys.seal('shopCheckout', field, checkoutKey, value);
  const kept = checkout.state !== 'deleted';
  return newerOnly(() =>
    deps.store.entities.shopCheckout
      .put({
        tenantId,
        checkoutKey,
        token: seal('token', checkout.token),
        ...customerOf(checkout.customerId),
        ...(kept && checkout.email && { email: seal('email', checkout.email) }),
        ...(kept && checkout.phone && { phone: seal('phone', checkout.phone) }),
        ...(kept && checkout.recoveryUrl && { recoveryUrl: seal('recoveryUrl', checkout.recoveryUrl) }),
        state: checkout.state,
        ...(checkout.completedAt !== undefined && { completedAt: checkout.completedAt }),
        ...(checkout.currencyCode && { currencyCode: checkout.currencyCode }),
        lineItems: kept ? checkout.lineItems : [],
        ...(checkout.subtotal && { subtotal: checkout.subtotal }),
        ...(checkout.total && { total: checkout.total }),
        ...(checkout.createdAt !== undefined && { createdAt: checkout.createdAt }),
        updatedAt: checkout.updatedAt,
      })
      .where(olderThan(checkout.updatedAt))
      .go(),
  );
}
