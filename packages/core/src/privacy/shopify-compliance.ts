import { randomUUID } from 'node:crypto';
import type { ErasureReceipt } from '@asistone/contract/contacts';
import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { contactIdOf } from '../inbox/inbound.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import type { ApplyStore } from '../shopify/apply.js';
import type { SHOPIFY_CONNECTION_RECORDS } from '../shopify/connection-records.js';
import { SHOPIFY_DATA_CLASSES } from '../shopify/data-classes.js';
import type { COMPLIANCE_TOPICS, ComplianceOutcome } from '../shopify/events.js';
import { erasedCustomerKey, SHOPIFY_SUPPRESSION_DATA_CLASSES, suppressCustomer } from '../shopify/suppression.js';
import type { Requester } from './contact-rights.js';
import {
  completePrivacyRequest,
  getPrivacyRequest,
  notePrivacyRequestProgress,
  openPrivacyRequest,
  type PRIVACY_REQUEST_RECORDS,
  progressOfPrivacyRequest,
} from './privacy-requests.js';
import type { PurgeReport } from './purge.js';

/**
 * Shopify's mandatory compliance webhooks, handed to the privacy engine (here, in the privacy
 * area, which builds on the Shopify area: the `shopify-events` worker injects this into
 * shopify/events.ts, so the Shopify area never imports the privacy one):
 *
 * - `customers/redact`: the store's customer asked the merchant to erase them. Their customer
 *   record, orders (those Shopify names and those we hold under the customer) and checkouts go;
 *   the inbox contact with the same phone number is erased through the same `eraseContact` the
 *   app uses; one `contact-erasure` request (source `shopify`) records it, with its deadline,
 *   and is completed with the receipt. The customer is suppressed first (suppression.ts), so a
 *   webhook or reconcile racing the erasure cannot store them again.
 * - `shop/redact` (48 hours after an uninstall): every Shopify data class of the business is
 *   purged (purge.ts purgeClasses, the per-class deletion of the business purge), the shop's
 *   directory entry with them, so a late delivery finds no business; the business stays. Its
 *   proof is the purge receipt. The erased-customer suppressions are kept.
 * - `customers/data_request`: recorded as a `contact-export` request with its 30-day deadline
 *   (and the matched contact, if any): the merchant answers it from the contact's page, which
 *   completes it; Shopify itself only forwards the request to the merchant.
 *
 * Each runs once per `X-Shopify-Webhook-Id` (events.ts); a run stopped halfway and retried picks
 * up its open request (kept on the suppression record) instead of opening another.
 */

type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];

/** Who asks, on requests, receipts and audit entries. */
export const SHOPIFY_REQUESTER = 'shopify';

export type ComplianceStore = ApplyStore &
  AuditStore &
  Store<typeof SHOPIFY_CONNECTION_RECORDS & typeof PRIVACY_REQUEST_RECORDS>;

export interface ComplianceDeps {
  store: ComplianceStore;
  keyring: TenantKeyring;
  log: Logger;
  /** privacy/contact-rights.ts eraseContact, bound to the app's contact data. */
  eraseContact(requester: Requester, tenantId: string, contactId: string): Promise<ErasureReceipt>;
  /** privacy/purge.ts purgeClasses, bound to the table and the catalog. */
  purgeClasses(tenantId: string, classes: readonly string[], by: string): Promise<PurgeReport>;
}

/** Shopify's REST ids are numbers; read as their digits (see {@link parseExact}). */
const Id = z.union([z.string().regex(/^[0-9]{1,20}$/), z.number().int().nonnegative()]).transform(String);
const Customer = z.object({
  id: Id,
  email: z.string().max(320).nullish(),
  phone: z.string().max(40).nullish(),
});
const CustomersRedact = z.object({
  shop_domain: z.string(),
  customer: Customer,
  orders_to_redact: z.array(Id).max(10_000).default([]),
});
const CustomersDataRequest = z.object({
  shop_domain: z.string(),
  customer: Customer,
  orders_requested: z.array(Id).max(10_000).default([]),
});
const ShopRedact = z.object({ shop_domain: z.string() });

/**
 * The body with every number kept as the digits Shopify sent: order ids pass 2^53, where
 * `JSON.parse` would change them (Node 22's reviver sees each number's source text).
 */
function parseExact(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

function parsed<T>(schema: z.ZodType<T>, text: string, topic: string, shop: string): T {
  let json: unknown;
  try {
    json = parseExact(text);
  } catch {
    throw new PermanentError(`${topic}: body is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    // Paths only: the values are personal.
    const where = result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new PermanentError(`${topic} body does not match at ${where}`);
  }
  const body = result.data as T & { shop_domain: string };
  if (body.shop_domain !== shop) throw new PermanentError(`${topic} body names another shop than its header`);
  return body;
}

/** E.164 as the inbox keeps it, or undefined for what is not a phone number. */
function e164(phone: string | null | undefined): string | undefined {
  const cleaned = phone?.replace(/[\s()-]/g, '');
  return cleaned && /^\+[1-9][0-9]{6,14}$/.test(cleaned) ? cleaned : undefined;
}

/**
 * The inbox contacts with the customer's phone number (given in the body, or the one the copy
 * holds): WhatsApp contacts' ids derive from their number (inbound.ts contactIdOf), and the
 * stored blind index confirms it. Email cannot match a contact here: contacts keep their email
 * sealed, with no index to find them by.
 */
async function contactsOf(
  store: ComplianceStore,
  keys: TenantKeys,
  tenantId: string,
  phones: readonly (string | undefined)[],
): Promise<string[]> {
  const found = new Set<string>();
  for (const phone of new Set(phones.map(e164).filter((p): p is string => p !== undefined))) {
    const contactId = contactIdOf(keys, 'whatsapp', phone.slice(1));
    const contact = (await store.entities.contact.get({ tenantId, contactId }).go({ attributes: ['phoneIndex'] })).data;
    if (contact?.phoneIndex === keys.blindIndex('phone', phone)) found.add(contactId);
  }
  return [...found].sort();
}

function openedPhone(keys: TenantKeys, customerId: string, sealed: string | undefined): string | undefined {
  if (!sealed) return undefined;
  try {
    return keys.open('shopCustomer', 'phone', customerId, sealed);
  } catch {
    return undefined;
  }
}

/** The request this redaction answers: the one a stopped run opened (still open), else a new one. */
async function redactionRequest(
  deps: ComplianceDeps,
  keys: TenantKeys,
  tenantId: string,
  customerId: string,
  receivedAt: number,
): Promise<string> {
  const customerKey = erasedCustomerKey(keys, customerId);
  const earlier = (await deps.store.entities.shopErasedCustomer.get({ tenantId, customerKey }).go()).data;
  if (earlier?.requestId) {
    const request = await getPrivacyRequest(deps.store, tenantId, earlier.requestId);
    if (request?.status === 'open') return request.requestId;
  }
  const request = await openPrivacyRequest(deps.store, {
    tenantId,
    kind: 'contact-erasure',
    source: 'shopify',
    requestedBy: SHOPIFY_REQUESTER,
    receivedAt,
  });
  return request.requestId;
}

/** Removes the customer's records from the copy; counts by data class. */
async function eraseCustomerRecords(
  store: ComplianceStore,
  tenantId: string,
  customerId: string,
  ordersToRedact: readonly string[],
) {
  const orders = new Set(ordersToRedact);
  const byCustomer = await store.entities.shopOrder.query
    .byCustomer({ tenantId, customerRef: customerId })
    .go({ pages: 'all', attributes: ['orderId'] });
  for (const order of byCustomer.data) orders.add(order.orderId);
  let orderCount = 0;
  for (const orderId of orders) {
    const { data } = await store.entities.shopOrder.get({ tenantId, orderId }).go({ attributes: ['orderId'] });
    if (!data) continue;
    await store.entities.shopOrder.delete({ tenantId, orderId }).go();
    orderCount += 1;
  }
  const checkouts = await store.entities.shopCheckout.query
    .byCustomer({ tenantId, customerRef: customerId })
    .go({ pages: 'all', attributes: ['checkoutKey'] });
  for (const checkout of checkouts.data) {
    await store.entities.shopCheckout.delete({ tenantId, checkoutKey: checkout.checkoutKey }).go();
  }
  const customer = (await store.entities.shopCustomer.get({ tenantId, customerId }).go({ attributes: ['customerId'] }))
    .data;
  if (customer) await store.entities.shopCustomer.delete({ tenantId, customerId }).go();
  return [
    { dataClass: 'shopify.orders', count: orderCount },
    { dataClass: 'shopify.checkouts', count: checkouts.data.length },
    { dataClass: 'shopify.customers', count: customer ? 1 : 0 },
  ];
}

async function redactCustomer(
  deps: ComplianceDeps,
  tenantId: string,
  body: z.output<typeof CustomersRedact>,
  receivedAt: number,
): Promise<ComplianceOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  const customerId = body.customer.id;
  const requestId = await redactionRequest(deps, keys, tenantId, customerId, receivedAt);
  // Suppressed before anything is removed: a delivery racing the erasure stores nothing.
  await suppressCustomer(deps.store, keys, tenantId, customerId, requestId);
  // Read before the customer record goes: its phone is how the contact is found.
  const stored = (await deps.store.entities.shopCustomer.get({ tenantId, customerId }).go({ attributes: ['phone'] }))
    .data;
  const contacts = await contactsOf(deps.store, keys, tenantId, [
    body.customer.phone ?? undefined,
    openedPhone(keys, customerId, stored?.phone),
  ]);

  const totals = new Map<string, number>();
  for (const entry of await progressOfPrivacyRequest(deps.store, tenantId, requestId)) {
    totals.set(entry.dataClass, entry.count);
  }
  for (const { dataClass, count } of await eraseCustomerRecords(
    deps.store,
    tenantId,
    customerId,
    body.orders_to_redact,
  )) {
    totals.set(dataClass, (totals.get(dataClass) ?? 0) + count);
  }
  const items = [...totals].map(([dataClass, count]) => ({ dataClass, count }));

  const requester: Requester = { by: SHOPIFY_REQUESTER, source: 'shopify' };
  const [first, ...others] = contacts;
  if (first === undefined) {
    await completePrivacyRequest(deps.store, tenantId, requestId, {
      receiptId: randomUUID(),
      at: new Date().toISOString(),
      by: SHOPIFY_REQUESTER,
      items,
    });
    await recordAuditEvent(deps.store, tenantId, {
      action: 'contact.erased',
      actorId: SHOPIFY_REQUESTER,
      target: { type: 'privacy-request', id: requestId },
      detail: { by: SHOPIFY_REQUESTER },
    });
  } else {
    // The engine carries the counts noted so far into the receipt it completes the request with.
    await notePrivacyRequestProgress(deps.store, tenantId, requestId, items);
    await deps.eraseContact({ ...requester, requestId }, tenantId, first);
    // Rare: two contacts with the customer's number (different channels' ids); each its own request.
    for (const contactId of others) await deps.eraseContact(requester, tenantId, contactId);
  }
  deps.log.info('shopify customer redacted', { tenantId, requestId, contacts: contacts.length });
  return 'redacted';
}

/** The Shopify classes `shop/redact` removes: all but the suppressions, which hold no one and keep erasures erased. */
export const SHOP_REDACT_CLASSES: readonly string[] = SHOPIFY_DATA_CLASSES.map((c) => c.name).filter(
  (name) => !SHOPIFY_SUPPRESSION_DATA_CLASSES.some((c) => c.name === name),
);

async function redactShop(deps: ComplianceDeps, tenantId: string): Promise<ComplianceOutcome> {
  const report = await deps.purgeClasses(tenantId, SHOP_REDACT_CLASSES, `${SHOPIFY_REQUESTER}:shop/redact`);
  const removed = report.classes.reduce((sum, c) => sum + c.items, 0);
  deps.log.info('shopify shop redacted', { tenantId, receiptId: report.receiptId, removed });
  return 'purged';
}

async function recordDataRequest(
  deps: ComplianceDeps,
  tenantId: string,
  body: z.output<typeof CustomersDataRequest>,
  receivedAt: number,
): Promise<ComplianceOutcome> {
  const keys = await deps.keyring.forTenant(tenantId);
  const stored = (
    await deps.store.entities.shopCustomer.get({ tenantId, customerId: body.customer.id }).go({ attributes: ['phone'] })
  ).data;
  const [contactId] = await contactsOf(deps.store, keys, tenantId, [
    body.customer.phone ?? undefined,
    openedPhone(keys, body.customer.id, stored?.phone),
  ]);
  const request = await openPrivacyRequest(deps.store, {
    tenantId,
    kind: 'contact-export',
    source: 'shopify',
    requestedBy: SHOPIFY_REQUESTER,
    receivedAt,
    // The contact's page finds the request and completes it with the export.
    ...(contactId && { contactId }),
  });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'privacy.request_recorded',
    actorId: SHOPIFY_REQUESTER,
    target: { type: 'privacy-request', id: request.requestId },
    detail: { kind: 'contact-export', source: 'shopify', dueAt: request.dueAt, matched: contactId ? 'yes' : 'no' },
  });
  deps.log.info('shopify data request recorded', { tenantId, requestId: request.requestId });
  return 'recorded';
}

/** One compliance delivery of a business's shop (the raw body text, as signed). */
export async function handleCompliance(
  deps: ComplianceDeps,
  tenantId: string,
  delivery: { topic: string; shop: string; receivedAt: number; triggeredAt?: number | undefined },
  text: string,
): Promise<ComplianceOutcome> {
  const { shop } = delivery;
  const topic = delivery.topic as ComplianceTopic;
  const receivedAt = delivery.triggeredAt ?? delivery.receivedAt;
  switch (topic) {
    case 'customers/redact':
      return redactCustomer(deps, tenantId, parsed(CustomersRedact, text, topic, shop), receivedAt);
    case 'customers/data_request':
      return recordDataRequest(deps, tenantId, parsed(CustomersDataRequest, text, topic, shop), receivedAt);
    case 'shop/redact':
      parsed(ShopRedact, text, topic, shop);
      return redactShop(deps, tenantId);
    default:
      throw new PermanentError(`${delivery.topic} is not a compliance topic`);
  }
}
