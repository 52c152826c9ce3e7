import { type ConsentChannel, type ConsentState, recordConsent } from '../inbox/consent.js';
import { contactIdOf } from '../inbox/inbound.js';
import type { InboxStore } from '../inbox/records.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type {
  MarketingConsent,
  ShopifyCheckout,
  ShopifyCustomer,
  ShopifyFulfillment,
  ShopifyInventoryLevel,
  ShopifyOrder,
  ShopifyProduct,
} from './payloads.js';
import { type LedgerStore, recordMove, type StockLevelItem } from './stock-ledger.js';
import { NO_BLIND_INDEX, NO_CUSTOMER, type SHOPIFY_STORE_RECORDS } from './store-records.js';
import { isSuppressed } from './suppression.js';

/**
 * Applies what Shopify says about a customer, order, product, stock level or checkout to the local
 * copy. Each is ONE conditional put: it lands only when nothing is stored yet or what is stored
 * has an older Shopify `updatedAt`. So deliveries in any order end at the newest version, a late
 * webhook (Shopify delays some by up to a day) or a reconcile racing one changes nothing, and the
 * same version applied twice is applied once ('stale' the second time). Equal times count as the
 * same version: Shopify's `updated_at` moves with every change.
 */

/** The Shopify copy, the inbox's contacts (consent) and the stock ledger (levels are its balances). */
export type ApplyStore = Store<typeof SHOPIFY_STORE_RECORDS> & InboxStore & LedgerStore;

export interface ApplyDeps {
  store: ApplyStore;
  keyring: TenantKeyring;
  /** Queues the low-stock mail when Shopify's stock crosses a threshold (ledger.ts). */
  producer?: Pick<Producer, 'send'>;
  /**
   * Told of every order a webhook or the reconcile delivers, newer or not (the backfill leaves
   * it out: history is not news). Called for 'stale' too, so a delivery retried after this call
   * failed still reaches it; the listener decides from the stored order what is due, once.
   */
  orderSeen?: (tenantId: string, orderId: string) => Promise<void>;
  /**
   * Told of every checkout applied, newer or not, and of each one an order completed (cart
   * recovery starts, times and ends its carts from the stored checkout).
   */
  checkoutSeen?: (tenantId: string, checkoutKey: string) => Promise<void>;
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
        ...(customer.email && { email: seal('email', customer.email) }),
        emailIndex: customer.email ? shopEmailIndex(keys, customer.email) : NO_BLIND_INDEX,
        ...(customer.phone && { phone: seal('phone', customer.phone) }),
        phoneIndex: customer.phone ? shopPhoneIndex(keys, customer.phone) : NO_BLIND_INDEX,
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
  if (!contact) {
    // A customer who never wrote on WhatsApp but told Shopify yes or no to WhatsApp offers
    // becomes an inbox contact (their number sealed, as the inbox keeps it), so that decision is
    // in the ledger campaigns read. Without a WhatsApp decision there is nothing to keep.
    const whatsapp = customer.whatsappMarketing;
    if (!whatsapp || !DECISIONS[whatsapp.state]) return;
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ').trim();
    await store.entities.contact
      .create({
        tenantId,
        contactId,
        phone: keys.seal('contact', 'phone', contactId, phone),
        phoneIndex: keys.blindIndex('phone', phone),
        ...(name && { name: keys.seal('contact', 'name', contactId, name) }),
      })
      .go()
      .catch((error: unknown) => {
        // The customer wrote in the meantime: their contact is the same one.
        if (!isConditionFailure(error)) throw error;
      });
  } else if (contact.phoneIndex !== keys.blindIndex('phone', phone)) return;
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
  const outcome = await rereadOnRace(async () => {
    // Fulfillments also arrive on their own topics (applyFulfillment), newer-only each: an
    // order's newer version keeps a fulfillment stored from a newer fulfillment delivery.
    const read = await storedFulfillments(deps.store, keys, tenantId, orderId);
    if (read.updatedAt !== undefined && read.updatedAt >= order.updatedAt) return 'stale';
    const fulfillments = mergeFulfillments(read.list, order.fulfillments);
    await deps.store.entities.shopOrder
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
        ...(fulfillments.length > 0 && {
          fulfillments: seal('fulfillments', JSON.stringify(fulfillments)),
        }),
        subtotal: order.subtotal,
        totalDiscounts: order.totalDiscounts,
        ...(order.totalShipping && { totalShipping: order.totalShipping }),
        totalTax: order.totalTax,
        total: order.total,
        ...(order.checkoutToken && { checkoutKey: checkoutKeyOf(keys, order.checkoutToken) }),
        ...(order.customerLocale && { customerLocale: order.customerLocale }),
        ...(order.sourceName && { sourceName: order.sourceName }),
        ...(order.locationId && { locationId: idOfGid(order.locationId) }),
        createdAt: order.createdAt,
        updatedAt: order.updatedAt,
      })
      .where(
        // biome-ignore lint/suspicious/noExplicitAny: ElectroDB's where-callback types, as olderThan.
        (attr: any, op: any) =>
          `(${olderThan(order.updatedAt)(attr, op)}) AND ${
            read.sealed === undefined ? op.notExists(attr.fulfillments) : op.eq(attr.fulfillments, read.sealed)
          }`,
      )
      .go();
    return 'applied';
  });
  if (order.checkoutToken) await completeCheckout(deps, keys, tenantId, order);
  await deps.orderSeen?.(tenantId, orderId);
  return outcome;
}

/** The order's stored fulfillments, opened, with the sealed value as read (the version the next write expects). */
async function storedFulfillments(store: ApplyStore, keys: TenantKeys, tenantId: string, orderId: string) {
  const { data } = await store.entities.shopOrder
    .get({ tenantId, orderId })
    .go({ attributes: ['fulfillments', 'updatedAt'] });
  const sealed = data?.fulfillments;
  const list: ShopifyFulfillment[] = sealed ? JSON.parse(keys.open('shopOrder', 'fulfillments', orderId, sealed)) : [];
  return { exists: Boolean(data), updatedAt: data?.updatedAt, sealed, list };
}

/**
 * Each fulfillment at its newest: Shopify's versions of one fulfillment are ordered by its own
 * `updatedAt`, whichever delivery (the order's or the fulfillment's) carried it. A fulfillment
 * is never deleted in Shopify (a cancelled one says so in its status), so one stored and absent
 * from the incoming list is kept.
 */
export function mergeFulfillments(
  stored: readonly ShopifyFulfillment[],
  incoming: readonly ShopifyFulfillment[],
): ShopifyFulfillment[] {
  const byId = new Map(stored.map((fulfillment) => [fulfillment.id, fulfillment]));
  for (const fulfillment of incoming) {
    const known = byId.get(fulfillment.id);
    if (!known || known.updatedAt < fulfillment.updatedAt) byId.set(fulfillment.id, fulfillment);
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Runs a read-then-conditional-write until it lands or its read finds a version at least as new:
 * a lost condition means someone wrote in between (a newer order, or a fulfillment), so it reads
 * again and decides again.
 */
async function rereadOnRace<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConditionFailure(error) || tries >= 5) throw error;
    }
  }
}

/** What a fulfillment delivery did: also 'no-order' when its order is not in the copy (yet). */
export type FulfillmentOutcome = ApplyOutcome | 'no-order';

/**
 * `fulfillments/create` and `fulfillments/update`: the fulfillment (carrier, tracking numbers
 * and links, shipment status) into its order's stored fulfillments, newer-only by the
 * fulfillment's own `updatedAt`, one conditional write on the sealed list as read. The order's
 * own fields and version stay: they are the order webhooks' to change. An order not in the copy
 * gets nothing (there is no order to hang it on); Shopify moves the order's `updated_at` with
 * the fulfillment, so the order's own delivery or the next reconcile brings both.
 */
export async function applyFulfillment(
  deps: ApplyDeps,
  tenantId: string,
  orderId: string,
  fulfillment: ShopifyFulfillment,
): Promise<FulfillmentOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  const outcome = await rereadOnRace(async (): Promise<FulfillmentOutcome> => {
    const read = await storedFulfillments(deps.store, keys, tenantId, orderId);
    if (!read.exists) return 'no-order';
    const known = read.list.find((stored) => stored.id === fulfillment.id);
    if (known && known.updatedAt >= fulfillment.updatedAt) return 'stale';
    const fulfillments = mergeFulfillments(read.list, [fulfillment]);
    await deps.store.entities.shopOrder
      .patch({ tenantId, orderId })
      .set({ fulfillments: keys.seal('shopOrder', 'fulfillments', orderId, JSON.stringify(fulfillments)) })
      .where((attr, op) =>
        read.sealed === undefined ? op.notExists(attr.fulfillments) : op.eq(attr.fulfillments, read.sealed),
      )
      .go();
    return 'applied';
  });
  // A shipment is news about the order (a "shipped" notice may now be due), as its webhooks are.
  if (outcome !== 'no-order') await deps.orderSeen?.(tenantId, orderId);
  return outcome;
}

/**
 * The order placed from a checkout completes it, whether or not `checkouts/update` (with its
 * `completed_at`) ever comes: an abandoned-cart reminder must not go to someone who bought. An
 * open checkout is marked completed; one not stored yet is stored completed, versioned at the
 * order's creation, so a late `checkouts/create` or `checkouts/update` from before the purchase
 * is older and cannot reopen it. A deleted or completed one is left as it is.
 */
async function completeCheckout(deps: ApplyDeps, keys: TenantKeys, tenantId: string, order: ShopifyOrder) {
  const token = order.checkoutToken as string;
  const checkoutKey = checkoutKeyOf(keys, token);
  const checkouts = deps.store.entities.shopCheckout;
  const completedAt = order.createdAt;
  const orderId = idOfGid(order.id);
  await rereadOnRace(async () => {
    const { data } = await checkouts
      .get({ tenantId, checkoutKey })
      .go({ attributes: ['state', 'updatedAt', 'orderId'] });
    if (data?.state === 'deleted' || (data?.state === 'completed' && data.orderId)) return;
    if (data?.state === 'completed') {
      // Completed by `checkouts/update` before its order came: the order is named now.
      await checkouts
        .patch({ tenantId, checkoutKey })
        .set({ orderId })
        .where((attr, op) => `${op.eq(attr.state, 'completed')} AND ${op.notExists(attr.orderId)}`)
        .go();
      return;
    }
    if (data) {
      await checkouts
        .patch({ tenantId, checkoutKey })
        .set({ state: 'completed', completedAt, orderId, updatedAt: Math.max(data.updatedAt, completedAt) })
        .where((attr, op) => `${op.eq(attr.state, 'open')} AND ${op.eq(attr.updatedAt, data.updatedAt)}`)
        .go();
      return;
    }
    await checkouts
      .create({
        tenantId,
        checkoutKey,
        token: keys.seal('shopCheckout', 'token', checkoutKey, token),
        ...customerOf(order.customerId),
        state: 'completed',
        completedAt,
        orderId,
        currencyCode: order.currencyCode,
        lineItems: [],
        total: order.total,
        createdAt: order.createdAt,
        updatedAt: completedAt,
      })
      .go();
  });
  await deps.checkoutSeen?.(tenantId, checkoutKey);
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
  // Shopify's number is absolute: the ledger records the difference to the stock it lands on,
  // and only a newer one than the level last took (the echo of our own push changes nothing).
  const moved = await recordMove(
    { store: deps.store, ...(deps.producer && { producer: deps.producer }) },
    { tenantId, inventoryItemId: idOfGid(level.inventoryItemId), locationId: idOfGid(level.locationId) },
    `shopify-${level.updatedAt}`,
    (stored) => {
      if (stored && stored.updatedAt >= level.updatedAt) return null;
      // A new level is written even at 0: the variant is stocked there.
      if (stored && stored.available === level.available) return null;
      return {
        delta: level.available - (stored?.available ?? 0),
        reason: 'shopify',
        shopifyUpdatedAt: level.updatedAt,
      };
    },
  );
  if (moved.outcome === 'recorded') return 'applied';
  // The same number, newer: only the level's clock moves, so an older delivery stays older.
  if (moved.level && moved.level.updatedAt < level.updatedAt && moved.level.available === level.available) {
    await touchLevel(deps.store, moved.level, level.updatedAt);
    return 'applied';
  }
  return 'stale';
}

async function touchLevel(store: ApplyStore, stored: StockLevelItem, updatedAt: number) {
  try {
    await store.entities.shopInventoryLevel
      .patch({ tenantId: stored.tenantId, inventoryItemId: stored.inventoryItemId, locationId: stored.locationId })
      .set({ updatedAt })
      .where((attr, op) => op.lt(attr.updatedAt, updatedAt))
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
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
  const outcome = await newerOnly(() =>
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
  // Stale too: a delivery retried after this call failed still reaches it.
  await deps.checkoutSeen?.(tenantId, checkoutKey);
  return outcome;
}
