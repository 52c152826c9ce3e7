import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import {
  type ApplyDeps,
  type ApplyOutcome,
  type ApplyStore,
  applyCheckout,
  applyCustomer,
  applyFulfillment,
  applyInventoryLevel,
  applyOrder,
  applyProduct,
  type FulfillmentOutcome,
} from './apply.js';
import { SHOP_CREDENTIAL_FIELDS, type SHOPIFY_CONNECTION_RECORDS } from './connection-records.js';
import {
  CheckoutWebhook,
  CustomerWebhook,
  deletedCheckout,
  fulfillmentWebhook,
  InventoryLevelWebhook,
  OrderWebhook,
  ProductWebhook,
  SHOPIFY_TOPICS,
} from './payloads.js';
import { businessOfShop } from './tokens.js';
import { type ShopifyDelivery, shopifyDeliveryText } from './webhook-receive.js';

export type ShopifyEventStore = ApplyStore & Store<typeof SHOPIFY_CONNECTION_RECORDS>;

export interface ShopifyEventDeps {
  store: ShopifyEventStore;
  keyring: TenantKeyring;
  log: Logger;
  /** Queues a low-stock alert's mail when Shopify's stock crosses a threshold (stock/low-stock.ts). */
  producer?: ApplyDeps['producer'];
  /**
   * The privacy engine for the compliance topics (privacy/shopify-compliance.ts handleCompliance,
   * bound by the worker: the privacy area builds on this one, so this one cannot import it).
   * Without it they go to the dead letters, never acknowledged unhandled: a legal request must be
   * acted on.
   */
  compliance?: ComplianceHandler;
}

/** Shopify's mandatory compliance topics (the app's `shopify.app.toml` subscribes to them). */
export const COMPLIANCE_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
/** A customer erased, a shop's copy purged, a data request recorded. */
export type ComplianceOutcome = 'redacted' | 'purged' | 'recorded';
/** Handles one compliance delivery of the business's shop; `text` is the body exactly as signed. */
export type ComplianceHandler = (
  tenantId: string,
  delivery: ShopifyDelivery,
  text: string,
) => Promise<ComplianceOutcome>;

export type ShopifyEventOutcome =
  | ApplyOutcome
  | FulfillmentOutcome
  | ComplianceOutcome
  | 'duplicate'
  | 'unknown-shop'
  | 'ignored'
  | 'uninstalled';

/** How long a delivery's id is remembered: Shopify retries for 4 hours, and delays some by up to a day. */
const DEDUPE_DAYS = 7;
const topicIn = (list: readonly string[], topic: string) => list.includes(topic);

/** A body that does not match its topic's shape: retrying cannot help. */
export class ShopifyPayloadError extends PermanentError {
  override name = 'ShopifyPayloadError';
}

function parsed<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[] }[] } };
  },
  json: unknown,
  topic: string,
): T {
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(json);
  } catch (error) {
    throw new ShopifyPayloadError(`${topic}: ${(error as Error).message}`);
  }
  if (!result.success) {
    // Paths only: values may be personal.
    const where = result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new ShopifyPayloadError(`${topic} body does not match at ${where}`);
  }
  return result.data;
}

/** A fulfillment delivery's body as `parsed` takes it: the zod issues' paths, or the exact order id. */
function safeFulfillment(body: unknown, text: string) {
  try {
    return { success: true as const, data: fulfillmentWebhook(body, text) };
  } catch (error) {
    if (error instanceof z.ZodError) return { success: false as const, error };
    throw error;
  }
}

/** Applies one topic's body; undefined for a topic the copy does not keep. */
async function applyTopic(
  deps: ShopifyEventDeps,
  tenantId: string,
  delivery: ShopifyDelivery,
  json: unknown,
  text: string,
): Promise<ShopifyEventOutcome> {
  const { topic } = delivery;
  if (topicIn(SHOPIFY_TOPICS.customer, topic))
    return applyCustomer(deps, tenantId, parsed(CustomerWebhook, json, topic));
  if (topicIn(SHOPIFY_TOPICS.order, topic)) return applyOrder(deps, tenantId, parsed(OrderWebhook, json, topic));
  if (topicIn(SHOPIFY_TOPICS.product, topic)) return applyProduct(deps, tenantId, parsed(ProductWebhook, json, topic));
  if (topicIn(SHOPIFY_TOPICS.inventoryLevel, topic)) {
    return applyInventoryLevel(deps, tenantId, parsed(InventoryLevelWebhook, json, topic));
  }
  if (topicIn(SHOPIFY_TOPICS.checkout, topic))
    return applyCheckout(deps, tenantId, parsed(CheckoutWebhook, json, topic));
  if (topicIn(SHOPIFY_TOPICS.checkoutDelete, topic)) {
    let checkout: ReturnType<typeof deletedCheckout>;
    try {
      checkout = deletedCheckout(json, delivery.triggeredAt ?? delivery.receivedAt);
    } catch {
      throw new ShopifyPayloadError(`${topic} body names no checkout token`);
    }
    return applyCheckout(deps, tenantId, checkout);
  }
  if (topicIn(SHOPIFY_TOPICS.fulfillment, topic)) {
    const { orderId, fulfillment } = parsed({ safeParse: (body) => safeFulfillment(body, text) }, json, topic);
    return applyFulfillment(deps, tenantId, orderId, fulfillment);
  }
  if (topicIn(SHOPIFY_TOPICS.uninstalled, topic)) {
    await markUninstalled(deps.store, tenantId, delivery.shop, delivery.triggeredAt ?? delivery.receivedAt);
    return 'uninstalled';
  }
  return 'ignored';
}

/**
 * The merchant removed the app: syncing stops and the tokens (dead at Shopify now) are dropped,
 * but the copy is kept, as the privacy policy says; `shop/redact` (48 hours later) purges it.
 */
async function markUninstalled(store: ShopifyEventStore, tenantId: string, shopDomain: string, at: number) {
  await store.entities.shopConnection
    .patch({ tenantId, shopDomain })
    .set({ status: 'uninstalled', disconnectedAt: at })
    .remove([...SHOP_CREDENTIAL_FIELDS])
    .go()
    .catch((error: unknown) => {
      // No connection record (never finished, or removed): nothing to mark.
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * One signed delivery: its business from the shop's directory entry (none: acknowledged, counted
 * and dropped, never dead-lettered: a shop that is no one's will not become someone's by
 * retrying), then once per `X-Shopify-Webhook-Id`: a redelivery is acknowledged without applying
 * it. The id is recorded after the apply, so a crash in between applies it again, which the
 * apply's newer-only writes make harmless.
 */
export async function processShopifyDelivery(
  deps: ShopifyEventDeps,
  delivery: ShopifyDelivery,
): Promise<ShopifyEventOutcome> {
  const about = { topic: delivery.topic, webhookId: delivery.webhookId, shop: delivery.shop };
  const tenantId = await businessOfShop(deps.store, delivery.shop);
  if (!tenantId) {
    deps.log.info('shopify delivery for a shop no business connected; dropped', { ...about, outcome: 'unknown-shop' });
    return 'unknown-shop';
  }
  const compliance = (COMPLIANCE_TOPICS as readonly string[]).includes(delivery.topic);
  if (compliance && !deps.compliance) {
    // Kept in the dead-letter queue, never acknowledged unhandled: a legal request must be acted on.
    throw new PermanentError(`${delivery.topic} needs the privacy engine; replay it from a worker wired to it`);
  }
  const { webhookId } = delivery;
  const seen = await deps.store.entities.shopWebhookDelivery.get({ tenantId, webhookId }).go();
  if (seen.data) {
    deps.log.info('shopify delivery already applied', { ...about, outcome: 'duplicate' });
    return 'duplicate';
  }
  let outcome: ShopifyEventOutcome;
  if (compliance && deps.compliance) {
    outcome = await deps.compliance(tenantId, delivery, shopifyDeliveryText(delivery));
  } else {
    const text = shopifyDeliveryText(delivery);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ShopifyPayloadError('body is not JSON');
    }
    outcome = await applyTopic(deps, tenantId, delivery, json, text);
  }
  // After `shop/redact` nothing of the store is kept, not even this id: its shop has no
  // directory entry any more, so a redelivery finds no business and is dropped anyway.
  if (outcome === 'purged') {
    deps.log.info('shopify delivery', { ...about, tenantId, outcome });
    return outcome;
  }
  await deps.store.entities.shopWebhookDelivery
    .create({
      tenantId,
      webhookId,
      topic: delivery.topic,
      expiresAt: Math.floor(Date.now() / 1000) + DEDUPE_DAYS * 86_400,
    })
    .go()
    .catch((error: unknown) => {
      // Another worker applied the same delivery at the same time: both writes were newer-only.
      if (!isConditionFailure(error)) throw error;
    });
  deps.log.info('shopify delivery', { ...about, tenantId, outcome });
  return outcome;
}
