import { createHash, randomBytes } from 'node:crypto';
import type { PUSHED_REASONS } from '@asistone/contract/stock';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { NotFoundError, PermanentError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import type { Delivery } from '../platform/queue/worker.js';
import { isConditionFailure } from '../platform/store/service.js';
import { type ApplyStore, applyInventoryLevel } from './apply.js';
import { ShopifyError, type ShopifyGraphql } from './graphql.js';
import { SHOPIFY_STOCK_QUEUE, type StockPushMessage } from './stock-queue.js';
import type { ShopifyStockStore } from './stock-records.js';
import type { ShopAccess } from './tokens.js';

/**
 * Stock both ways. A move made in Asistone at a Shopify location is an entry in the stock ledger
 * (stock/ledger.ts: who, when, why, the stock after it) and an adjustment here, pushed to Shopify
 * off the request by the `shopify-stock` queue. Changes made in Shopify come back through
 * `inventory_levels/update` and the reconciliation (apply.ts), which carry Shopify's absolute
 * quantity, never a delta; the ledger records the difference to it: the echo of our own push
 * finds the number our move already made, so nothing is counted twice.
 *
 * The push is `inventoryAdjustQuantities` with:
 * - `changeFromQuantity`: the quantity we believed Shopify had (the local level when the
 *   adjustment was made). Shopify applies the delta only if it still has that number.
 * - `@idempotent(key:)` derived from the adjustment id: a retried push (a timeout after Shopify
 *   applied it, a redelivered message) gets Shopify's first answer back and applies nothing again.
 *
 * THE STALE RULE. When Shopify answers `CHANGE_FROM_QUANTITY_STALE`, its number moved without us
 * (a sale in the online store, a change in Shopify's admin). Shopify is the truth for what
 * happened there, and the merchant's adjustment is a change ("5 received"), not a count. So:
 * 1. re-read Shopify's available quantity (`found`);
 * 2. re-apply our delta on top of it ONCE, with `changeFromQuantity: found` and a second
 *    idempotency key derived from the adjustment id (so this step too applies at most once);
 * 3. record both numbers on the adjustment (`quantityBefore`: what we expected, `shopifyFound`:
 *    what Shopify had; `shopifyAfter` = found + delta) and mark it `resolved-stale`;
 * 4. store Shopify's resulting number locally (newer-only, as webhooks do).
 * If the second compare-and-set is stale too (Shopify is moving under us), we do not chase it:
 * the adjustment is `failed` with `CHANGE_FROM_QUANTITY_STALE`, the local level takes Shopify's
 * number, and the merchant decides whether to adjust again.
 */

export type StockStore = ApplyStore & ShopifyStockStore;

export interface StockDeps {
  store: StockStore;
  producer: Pick<Producer, 'send'>;
  now?: () => number;
  /** Told when an adjustment's queue send failed (ids only); the sweep queues it again. */
  log?: Pick<Logger, 'warn'>;
}

export interface StockPushDeps {
  store: StockStore;
  keyring: TenantKeyring;
  shopify: ShopifyGraphql;
  shopAccess: (tenantId: string) => Promise<ShopAccess>;
  log: Logger;
  /** Queues the low-stock mail when Shopify's number, stored back, crosses a threshold. */
  producer?: Pick<Producer, 'send'>;
  now?: () => number;
}

/** Shopify's adjustment reasons (its fixed list) for the ledger's. */
const SHOPIFY_REASON: Record<(typeof PUSHED_REASONS)[number], string> = {
  received: 'received',
  damaged: 'damaged',
  correction: 'correction',
  // Shopify has no reason for a sale outside it; `other` is its catch-all.
  'sold-offline': 'other',
  returned: 'restock',
  counted: 'cycle_count_available',
  'transfer-out': 'movement_created',
  'transfer-in': 'movement_received',
};

/** A UUID-shaped key derived from the adjustment id, for the stale rule's second push. */
export function derivedIdempotencyKey(adjustmentId: string, step: string): string {
  const hex = createHash('sha256').update(`${adjustmentId}:${step}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A UUID whose first 48 bits are the time (RFC 9562 version 7): adjustment ids sort by when they
 * were made, so the newest are read first without reading them all.
 */
export function timeOrderedId(now: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How long an adjustment may wait, untouched by the worker, before the sweep queues it again. */
export const STUCK_STOCK_AFTER_MS = 5 * 60_000;
/** How far back the sweep looks: the worker settles or fails anything it received long before. */
const STUCK_STOCK_WINDOW_MS = 7 * 86_400_000;

/** The smallest (or, with `~`, past the largest) time-ordered id made at `ms`: a range bound for the sweep. */
function idsAt(ms: number, end: '' | '~'): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}${end}`;
}

/**
 * The sweep (run by the reconcile schedule): adjustments still `pending` that the worker never
 * touched (no push attempt) 5 minutes after they were made or last re-queued lost their queue
 * message (the send failed after the record was written), so each is queued again. A message
 * that was merely slow is harmless to send twice: the worker skips a settled adjustment, and
 * Shopify's `@idempotent` key (the adjustment id) applies a repeated push once. Each re-queue is
 * claimed by a conditional write first, so two sweeps at once send one message. Ids are time
 * ordered, so only the last week's are read.
 *
 * @example
 * const requeued = await requeueStuckStockAdjustments({ store, producer }, tenantId);
 */
export async function requeueStuckStockAdjustments(deps: StockDeps, tenantId: string): Promise<number> {
  const now = (deps.now ?? Date.now)();
  const due = now - STUCK_STOCK_AFTER_MS;
  const adjustments = deps.store.entities.shopStockAdjustment;
  const { data } = await adjustments.query
    .byId({ tenantId })
    .between({ adjustmentId: idsAt(now - STUCK_STOCK_WINDOW_MS, '') }, { adjustmentId: idsAt(due, '~') })
    .where((attr, op) => `${op.eq(attr.status, 'pending')} AND ${op.eq(attr.pushAttempts, 0)}`)
    .go({ pages: 'all' });
  let requeued = 0;
  for (const adjustment of data) {
    if (adjustment.createdAt > due || (adjustment.requeuedAt ?? 0) > due) continue;
    const { adjustmentId } = adjustment;
    try {
      await adjustments
        .patch({ tenantId, adjustmentId })
        .set({ requeuedAt: now })
        .where(
          (attr, op) =>
            `${op.eq(attr.status, 'pending')} AND ${op.eq(attr.pushAttempts, 0)} AND ${
              adjustment.requeuedAt === undefined
                ? op.notExists(attr.requeuedAt)
                : op.eq(attr.requeuedAt, adjustment.requeuedAt)
            }`,
        )
        .go();
    } catch (error) {
      // Settled, attempted or claimed by another sweep in between: not this one's to send.
      if (isConditionFailure(error)) continue;
      throw error;
    }
    await deps.producer.send(SHOPIFY_STOCK_QUEUE, { tenantId, adjustmentId });
    requeued += 1;
  }
  return requeued;
}

const ADJUST_MUTATION = `mutation AdjustStock($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { createdAt reason changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}`;

const LEVEL_QUERY = `query StockLevel($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) { updatedAt quantities(names: ["available"]) { name quantity } }
  }
}`;

interface AdjustAnswer {
  inventoryAdjustQuantities: {
    inventoryAdjustmentGroup: {
      createdAt: string;
      changes: { name: string; delta: number; quantityAfterChange: number | null }[];
    } | null;
  };
}

interface LevelAnswer {
  inventoryItem: {
    inventoryLevel: { updatedAt: string; quantities: { name: string; quantity: number }[] } | null;
  } | null;
}

const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;

/**
 * Shopify's available quantity of one item at one location now, with Shopify's time of it;
 * undefined when Shopify does not stock the item there.
 */
export async function readShopifyLevel(
  shopify: ShopifyGraphql,
  access: ShopAccess,
  at: { inventoryItemId: string; locationId: string },
): Promise<{ available: number; updatedAt: number } | undefined> {
  const read = await shopify.query<LevelAnswer>(access, LEVEL_QUERY, {
    item: gid('InventoryItem', at.inventoryItemId),
    location: gid('Location', at.locationId),
  });
  const level = read.data.inventoryItem?.inventoryLevel;
  const available = level?.quantities.find((quantity) => quantity.name === 'available')?.quantity;
  if (!level || available === undefined) return undefined;
  return { available, updatedAt: Date.parse(level.updatedAt) };
}
const isStale = (error: unknown) =>
  error instanceof ShopifyError && error.userErrors.some((e) => e.code === 'CHANGE_FROM_QUANTITY_STALE');

type Adjustment = NonNullable<
  Awaited<ReturnType<ReturnType<StockStore['entities']['shopStockAdjustment']['get']>['go']>>['data']
>;

/**
 * Pushes one adjustment (the queue's work). Settled adjustments are skipped, so a redelivered
 * message does nothing; a Shopify outage throws (the queue retries; the adjustment stays
 * `pending`), a refusal marks it `failed`.
 */
export async function pushStockAdjustment(deps: StockPushDeps, message: StockPushMessage, delivery?: Delivery) {
  const { tenantId, adjustmentId } = message;
  const now = deps.now ?? Date.now;
  const adjustments = deps.store.entities.shopStockAdjustment;
  const adjustment = (await adjustments.get({ tenantId, adjustmentId }).go()).data;
  if (!adjustment) throw new NotFoundError('No such stock adjustment');
  if (adjustment.status === 'pushed' || adjustment.status === 'resolved-stale') return adjustment.status;

  const settle = (fields: Partial<Adjustment>) =>
    adjustments
      .patch({ tenantId, adjustmentId })
      .set({ ...fields, settledAt: now() })
      .add({ pushAttempts: 1 })
      .go();

  try {
    const access = await deps.shopAccess(tenantId);
    const push = (changeFromQuantity: number, idempotencyKey: string) =>
      deps.shopify.query<AdjustAnswer>(access, ADJUST_MUTATION, {
        idempotencyKey,
        input: {
          name: 'available',
          reason: SHOPIFY_REASON[adjustment.reason],
          referenceDocumentUri: `gid://asistone/StockAdjustment/${adjustmentId}`,
          changes: [
            {
              inventoryItemId: gid('InventoryItem', adjustment.inventoryItemId),
              locationId: gid('Location', adjustment.locationId),
              delta: adjustment.delta,
              changeFromQuantity,
            },
          ],
        },
      });
    const keepShopifys = (available: number, at: string) =>
      applyInventoryLevel(
        { store: deps.store, keyring: deps.keyring, ...(deps.producer && { producer: deps.producer }) },
        tenantId,
        {
          inventoryItemId: gid('InventoryItem', adjustment.inventoryItemId),
          locationId: gid('Location', adjustment.locationId),
          available,
          updatedAt: Date.parse(at),
        },
      );
    const afterOf = (answer: AdjustAnswer, expected: number) => {
      const group = answer.inventoryAdjustQuantities.inventoryAdjustmentGroup;
      const after = group?.changes.find((change) => change.name === 'available')?.quantityAfterChange ?? expected;
      return { after, at: group?.createdAt ?? new Date(now()).toISOString() };
    };

    try {
      const answer = await push(adjustment.quantityBefore, adjustmentId);
      const { after, at } = afterOf(answer.data, adjustment.quantityBefore + adjustment.delta);
      await settle({ status: 'pushed', shopifyAfter: after });
      await keepShopifys(after, at);
      return 'pushed' as const;
    } catch (error) {
      if (!isStale(error)) throw error;
    }

    // The stale rule (see the top of this file).
    const level = await readShopifyLevel(deps.shopify, access, adjustment);
    const found = level?.available;
    if (!level || found === undefined) {
      await settle({ status: 'failed', failureReason: 'NOT_STOCKED_AT_SHOPIFY' });
      return 'failed' as const;
    }
    try {
      const answer = await push(found, derivedIdempotencyKey(adjustmentId, 'stale-1'));
      const { after, at } = afterOf(answer.data, found + adjustment.delta);
      await settle({ status: 'resolved-stale', shopifyFound: found, shopifyAfter: after });
      await keepShopifys(after, at);
      deps.log.info('stock push was stale; re-applied on top of Shopify', { tenantId, adjustmentId });
      return 'resolved-stale' as const;
    } catch (error) {
      if (!isStale(error)) throw error;
      await settle({ status: 'failed', shopifyFound: found, failureReason: 'CHANGE_FROM_QUANTITY_STALE' });
      await keepShopifys(found, new Date(level.updatedAt).toISOString());
      return 'failed' as const;
    }
  } catch (error) {
    const reason = reasonOf(error);
    // Permanent: no connected shop, a token Shopify refuses, an input Shopify rejects. Anything
    // else (Shopify down or slow, throttled, a storage hiccup) is worth another delivery.
    const permanent = error instanceof PermanentError || (error instanceof ShopifyError && !error.retryable);
    const retryable = !permanent;
    const lastTry = (delivery?.receiveCount ?? 0) >= SHOPIFY_STOCK_QUEUE.maxReceiveCount;
    if (permanent || (retryable && lastTry)) {
      await settle({ status: 'failed', failureReason: reason });
      deps.log.warn('stock push failed', { tenantId, adjustmentId, reason });
      if (permanent) return 'failed' as const;
      throw error;
    }
    // Stays `pending`: the queue delivers it again.
    await adjustments.patch({ tenantId, adjustmentId }).set({ failureReason: reason }).add({ pushAttempts: 1 }).go();
    throw error;
  }
}

/** What a failure was, as codes only: never a token, a body or Shopify's message text. */
function reasonOf(error: unknown): string {
  if (error instanceof ShopifyError) {
    const codes = error.userErrors.map((e) => e.code).filter(Boolean);
    return [error.kind, ...(codes.length ? codes : (error.codes ?? [])), error.status ? `HTTP ${error.status}` : '']
      .filter(Boolean)
      .join(' ');
  }
  if (error instanceof NotFoundError) return 'no connected Shopify store';
  return error instanceof Error ? error.name : 'error';
}
