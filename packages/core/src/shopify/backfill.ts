import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { SHOPIFY_BACKFILL_QUEUE } from './backfill-queue.js';
import { BACKFILL_PHASES, type BackfillPhase, type SHOPIFY_BACKFILL_RECORDS } from './backfill-records.js';
import { type ShopAccess, ShopifyError, type ShopifyGraphql } from './graphql.js';
import type { ApplyOutcome, ReconcileApply } from './reconcile.js';
import {
  BULK_LEVEL_FIELDS,
  customerFromNode,
  levelsOfProductNode,
  orderFromNode,
  productFromNode,
  UnexpectedNodeError,
} from './reconcile-queries.js';

/**
 * A first connect's history through Shopify's bulk operations: one `bulkOperationRunQuery` per
 * resource (customers, products with each variant's stock per location, orders with their line
 * items), polled by `node(id:)` until
 * COMPLETED, its JSONL downloaded and STREAMED line by line (a big store's file is gigabytes; the
 * function's memory must not grow with it). Each object is put back together from its own line
 * and its children's (`__parentId` lines, grouped right after their parent by `groupObjects:
 * true`), normalised by the reconciliation's own functions (reconcile-queries.ts) and applied
 * by the webhooks' own apply functions, a batch at a time with bounded concurrency.
 *
 * Resumable: after each batch the line count reached is committed on the shop's backfill record;
 * a run that dies restarts after it (the same operation's file, while Shopify keeps it for 7
 * days, else a new operation from the start). What is applied twice is 'stale' and changes
 * nothing, since apply keeps only what is newer.
 */

/** The bulk query of each phase. Bulk queries take no `first`: Shopify returns every node. */
const MONEY = 'shopMoney { amount currencyCode }';
export const BACKFILL_QUERIES: Readonly<Record<BackfillPhase, string>> = {
  customers: `{
  customers {
    edges { node {
      id firstName lastName state createdAt updatedAt tags
      defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
      defaultPhoneNumber { phoneNumber marketingState marketingUpdatedAt }
    } }
  }
}`,
  products: `{
  products {
    edges { node {
      id title handle status vendor productType tags createdAt updatedAt
      variants { edges { node {
        __typename id title sku barcode price compareAtPrice position
        inventoryItem { id inventoryLevels { edges { node { ${BULK_LEVEL_FIELDS} } } } }
      } } }
      media { edges { node { __typename ... on MediaImage { id image { url altText } } } } }
    } }
  }
}`,
  orders: `{
  orders {
    edges { node {
      id name email phone createdAt updatedAt cancelledAt cancelReason closedAt currencyCode customerLocale
      sourceName retailLocation { id }
      displayFinancialStatus displayFulfillmentStatus
      customer { id }
      subtotalPriceSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      totalShippingPriceSet { ${MONEY} }
      totalTaxSet { ${MONEY} }
      totalPriceSet { ${MONEY} }
      discountApplications { edges { node { __typename ... on DiscountCodeApplication { code value { ... on MoneyV2 { amount currencyCode } } } } } }
      lineItems { edges { node {
        __typename id title variantTitle sku quantity unfulfilledQuantity variant { id } product { id }
        originalUnitPriceSet { ${MONEY} }
        totalDiscountSet { ${MONEY} }
      } } }
      shippingLines { edges { node { __typename title originalPriceSet { ${MONEY} } } } }
      shippingAddress { name address1 address2 city province zip country countryCodeV2 phone }
      fulfillments { id status displayStatus createdAt updatedAt trackingInfo { company number url } }
    } }
  }
}`,
};

/**
 * Which connection of its parent a child line belongs to, by the `__typename` each query asks
 * for (a discount application has no id to tell it by).
 */
export const BULK_CHILD_FIELDS: Readonly<Record<string, string>> = {
  LineItem: 'lineItems',
  ShippingLine: 'shippingLines',
  DiscountCodeApplication: 'discountApplications',
  AutomaticDiscountApplication: 'discountApplications',
  ManualDiscountApplication: 'discountApplications',
  ScriptDiscountApplication: 'discountApplications',
  ProductVariant: 'variants',
  InventoryLevel: 'inventoryLevels',
  MediaImage: 'media',
  Video: 'media',
  ExternalVideo: 'media',
  Model3d: 'media',
};

export const BULK_RUN_MUTATION = `mutation BackfillRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const BULK_OPERATION_QUERY = `query BackfillOperation($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url partialDataUrl } }
}`;

interface BulkOperation {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
  errorCode?: string | null;
  objectCount?: string | null;
  url?: string | null;
}

export type BackfillStore = Store<typeof SHOPIFY_BACKFILL_RECORDS>;

export interface BackfillDeps {
  store: BackfillStore;
  shopify: ShopifyGraphql;
  /** A valid token for the business's connected shop (shopify/tokens.ts `shopAccess`). */
  shopAccess: (tenantId: string) => Promise<ShopAccess>;
  apply: ReconcileApply;
  /** Downloads the JSONL (its URL is Shopify's storage, signed; no token goes with it). */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Between polls of a running operation (default 2 s). */
  pollIntervalMs?: number;
  /** Objects applied at once (default 8): each is one conditional put, so this bounds the table's load. */
  concurrency?: number;
  /** Objects per committed batch (default 100): a crash re-applies at most this many. */
  batchSize?: number;
  /** Stop after the batch that passes this time (ms), leaving the rest to the next run. */
  until?: number;
  /** How long a run's lease lasts without a commit (default 2 minutes). */
  leaseMs?: number;
  /** Bytes the download stream buffers (default 64 KiB). */
  highWaterMark?: number;
  /** Told of each object that did not fit its payload (its id and failing fields, no values). */
  onSkipped?: (error: UnexpectedNodeError) => void;
}

export interface BackfillView {
  status: 'none' | 'queued' | 'running' | 'done' | 'failed';
  phase?: BackfillPhase | 'done';
  customersDone: number;
  productsDone: number;
  ordersDone: number;
  objectsDone: number;
  failed: number;
  queuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  lastErrorKind?: string;
}

export interface BackfillRunResult extends BackfillView {
  /** True when this run stopped at `until` (or another run holds the shop) and the backfill is not finished. */
  more: boolean;
  /** Another run holds the shop's lease: this one did nothing. */
  busy?: boolean;
}

const DONE_FIELD = {
  customers: 'customersDone',
  products: 'productsDone',
  orders: 'ordersDone',
} as const satisfies Record<BackfillPhase, string>;

type Stored = NonNullable<
  Awaited<ReturnType<ReturnType<BackfillStore['entities']['shopBackfill']['get']>['go']>>['data']
>;

function view(stored: Stored | null | undefined): BackfillView {
  if (!stored) return { status: 'none', customersDone: 0, productsDone: 0, ordersDone: 0, objectsDone: 0, failed: 0 };
  return {
    status: stored.status,
    phase: stored.phase,
    customersDone: stored.customersDone,
    productsDone: stored.productsDone,
    ordersDone: stored.ordersDone,
    objectsDone: stored.customersDone + stored.productsDone + stored.ordersDone,
    failed: stored.failed,
    ...(stored.queuedAt !== undefined && { queuedAt: stored.queuedAt }),
    ...(stored.startedAt !== undefined && { startedAt: stored.startedAt }),
    ...(stored.finishedAt !== undefined && { finishedAt: stored.finishedAt }),
    ...(stored.lastErrorKind && { lastErrorKind: stored.lastErrorKind }),
  };
}

/**
 * What the store page shows about the shop's first import.
 *
 * @example
 * const progress = await backfillStatus(store, tenantId, 'asistone-demo.myshopify.com');
 */
export async function backfillStatus(
  store: BackfillStore,
  tenantId: string,
  shopDomain: string,
): Promise<BackfillView> {
  return view((await store.entities.shopBackfill.get({ tenantId, shopDomain }).go()).data);
}

/**
 * Records that the shop's backfill is due (before its message is queued), unless one already
 * ran or runs: connecting the same shop again does not import it twice (the reconciliation
 * keeps it fresh from then on). `restart` starts a finished or failed one over, by hand.
 */
export async function queueBackfill(
  store: BackfillStore,
  tenantId: string,
  shopDomain: string,
  options: { now?: number; restart?: boolean } = {},
): Promise<boolean> {
  const now = options.now ?? Date.now();
  const fresh = {
    tenantId,
    shopDomain,
    status: 'queued' as const,
    phase: 'customers' as const,
    linesDone: 0,
    customersDone: 0,
    productsDone: 0,
    ordersDone: 0,
    failed: 0,
    queuedAt: now,
  };
  if (options.restart) {
    await store.entities.shopBackfill.put(fresh).go({ response: 'none' });
    return true;
  }
  try {
    await store.entities.shopBackfill.create(fresh).go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Runs `work` over `items` with at most `limit` at once, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** A top-level object of the JSONL with its children, and the line count after its last line. */
interface Assembled {
  node: Record<string, unknown>;
  endLine: number;
}

/**
 * The JSONL's objects, reassembled, from line `skipLines` on: read through readline over the
 * response body, so only the current object and the stream's small buffer are ever in memory.
 * Children not after their parent (never with `groupObjects: true`) are counted as orphans and
 * skipped, not held. Grandchildren (a variant's stock levels) attach to their child.
 */
export async function* bulkObjects(
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array>,
  skipLines: number,
  options: { highWaterMark?: number; onOrphan?: () => void } = {},
): AsyncGenerator<Assembled> {
  const input = Readable.fromWeb(body as WebReadableStream<Uint8Array>, {
    highWaterMark: options.highWaterMark ?? 64 * 1024,
  });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let current: Record<string, unknown> | undefined;
  /**
   * The objects of the current top-level one that a child line can name as its parent: itself,
   * its children, and each child's inventory item. A variant's stock levels (a connection under
   * its `inventoryItem`) name the item or the variant; either way they land under the item, where
   * the GraphQL answer has them.
   */
  let parents = new Map<string, Record<string, unknown>>();
  const known = (object: Record<string, unknown>) => {
    if (typeof object.id === 'string') parents.set(object.id, object);
    const item = object.inventoryItem as Record<string, unknown> | null | undefined;
    if (item && typeof item.id === 'string') parents.set(item.id, item);
  };
  try {
    for await (const line of lines) {
      lineNo += 1;
      if (lineNo <= skipLines || line.trim() === '') continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const parentId = parsed.__parentId;
      if (typeof parentId === 'string') {
        const found = current && parents.get(parentId);
        if (!found) {
          options.onOrphan?.();
          continue;
        }
        const { __parentId: _parent, __typename: type, ...child } = parsed;
        const field = BULK_CHILD_FIELDS[String(type)] ?? 'children';
        const holder =
          field === 'inventoryLevels' && found.inventoryItem && typeof found.inventoryItem === 'object'
            ? (found.inventoryItem as Record<string, unknown>)
            : found;
        if (!holder[field]) holder[field] = { nodes: [] };
        (holder[field] as { nodes: unknown[] }).nodes.push(child);
        known(child);
        continue;
      }
      // A new top-level object: the previous one is complete, ending at the line before this.
      if (current) yield { node: current, endLine: lineNo - 1 };
      current = parsed;
      parents = new Map();
      known(current);
    }
    if (current) yield { node: current, endLine: lineNo };
  } finally {
    lines.close();
    input.destroy();
  }
}

const NORMALISE: Readonly<Record<BackfillPhase, (node: unknown) => unknown>> = {
  customers: customerFromNode,
  products: productFromNode,
  orders: orderFromNode,
};

/** A bulk operation that ended without a file: the backfill stops, saying why. */
export class BackfillOperationError extends Error {
  override name = 'BackfillOperationError';
  constructor(readonly kind: string) {
    super(`Shopify bulk operation ended without results: ${kind}`);
  }
}

/** Another run took the shop's lease over: this one stops without committing. */
class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * Runs (or resumes) one shop's backfill until it is done or `until` passes. A single run per
 * shop at a time: it takes the record's lease first, and every commit is conditional on it.
 *
 * @example
 * await runBackfill({ store, shopify, shopAccess: (id) => shopAccess(tokenDeps, id), apply }, tenantId, shopDomain);
 */
export async function runBackfill(
  deps: BackfillDeps,
  tenantId: string,
  shopDomain: string,
): Promise<BackfillRunResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const fetchFn = deps.fetch ?? fetch;
  const leaseMs = deps.leaseMs ?? 120_000;
  const concurrency = deps.concurrency ?? 8;
  const batchSize = deps.batchSize ?? 100;
  const key = { tenantId, shopDomain };
  const records = deps.store.entities.shopBackfill;
  const runId: string = randomUUID();

  let found = (await records.get(key).go()).data;
  if (!found) {
    await queueBackfill(deps.store, tenantId, shopDomain, { now: now() });
    found = (await records.get(key).go()).data;
  }
  if (!found || found.status === 'done') return { ...view(found), more: false };
  let stored: Stored = found;
  // Shopify failed the last operation: a new run (restarted by hand, or a retry) asks for a new one.
  const failedBefore = found.status === 'failed';

  // The lease: free, expired, or never taken.
  try {
    stored = (
      await records
        .patch(key)
        .set({
          runId,
          leaseUntil: now() + leaseMs,
          status: 'running',
          ...(stored.startedAt === undefined && { startedAt: now() }),
        })
        .where((attr, op) => `${op.notExists(attr.leaseUntil)} OR ${op.lt(attr.leaseUntil, now())}`)
        .go({ response: 'all_new' })
    ).data as Stored;
  } catch (error) {
    if (isConditionFailure(error)) return { ...view(stored), more: true, busy: true };
    throw error;
  }

  /** Writes `fields` only while this run holds the lease, and extends it. */
  const commit = async (fields: Record<string, unknown>, remove: ('operationId' | 'lastErrorKind')[] = []) => {
    try {
      let update = records.patch(key).set({ ...fields, leaseUntil: now() + leaseMs });
      if (remove.length) update = update.remove(remove);
      stored = (await update.where((attr, op) => op.eq(attr.runId, runId)).go({ response: 'all_new' })).data as Stored;
    } catch (error) {
      if (isConditionFailure(error)) throw new LeaseLostError('another run holds the backfill');
      throw error;
    }
  };
  const release = async (fields: Record<string, unknown> = {}) => {
    await commit(fields).catch((error: unknown) => {
      if (!(error instanceof LeaseLostError)) throw error;
    });
    await records
      .update(key)
      .remove(['runId', 'leaseUntil'])
      .where((attr, op) => op.eq(attr.runId, runId))
      .go({ response: 'none' })
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  };

  try {
    const access = await deps.shopAccess(tenantId);
    if (access.shopDomain !== shopDomain) throw new ShopifyError({ kind: 'auth', status: 0, codes: ['SHOP_MISMATCH'] });

    const first = stored.phase === 'done' ? BACKFILL_PHASES.length : BACKFILL_PHASES.indexOf(stored.phase);
    for (const phase of BACKFILL_PHASES.slice(first)) {
      // Start (or, after an expired one, restart) the phase's bulk operation.
      const startOperation = async () => {
        const answer = await deps.shopify.query<{
          bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null };
        }>(access, BULK_RUN_MUTATION, { query: BACKFILL_QUERIES[phase] });
        const operation = answer.data.bulkOperationRunQuery.bulkOperation;
        if (!operation) throw new ShopifyError({ kind: 'invalid', status: 200, codes: ['NO_BULK_OPERATION'] });
        await commit({ operationId: operation.id, linesDone: 0, [DONE_FIELD[phase]]: 0 });
        return operation.id;
      };
      let operationId = (!failedBefore && stored.operationId) || (await startOperation());

      let done = false;
      while (!done) {
        // Poll until the file is ready, keeping the lease alive while Shopify works.
        let operation: BulkOperation | null = null;
        for (;;) {
          const answer = await deps.shopify.query<{ node: BulkOperation | null }>(access, BULK_OPERATION_QUERY, {
            id: operationId,
          });
          operation = answer.data.node;
          if (!operation || operation.status === 'EXPIRED') break;
          if (operation.status === 'COMPLETED') break;
          if (operation.status === 'FAILED' || operation.status === 'CANCELED' || operation.status === 'CANCELING') {
            throw new BackfillOperationError(operation.errorCode?.toLowerCase() ?? operation.status.toLowerCase());
          }
          await commit({});
          await sleep(deps.pollIntervalMs ?? 2_000);
        }
        if (!operation || operation.status === 'EXPIRED') {
          // Shopify no longer has this operation's file: a new one, from the first line.
          operationId = await startOperation();
          continue;
        }
        if (!operation.url) {
          // No objects: Shopify gives no file.
          done = true;
          break;
        }
        const response = await fetchFn(operation.url);
        if (response.status === 403 || response.status === 404 || response.status === 410) {
          await response.body?.cancel();
          operationId = await startOperation();
          continue;
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new ShopifyError({ kind: 'retryable', status: response.status, codes: ['BULK_DOWNLOAD'] });
        }

        let objects = stored[DONE_FIELD[phase]];
        let failed = stored.failed;
        let batch: Assembled[] = [];
        const applyBatch = async () => {
          if (!batch.length) return;
          let skipped = 0;
          /** Stock levels that did not fit: failures of their own, their product still counts. */
          let levelsSkipped = 0;
          await pool(batch, concurrency, async ({ node }) => {
            let item: unknown;
            try {
              item = NORMALISE[phase](node);
            } catch (error) {
              if (!(error instanceof UnexpectedNodeError)) throw error;
              skipped += 1;
              deps.onSkipped?.(error);
              return;
            }
            const apply = deps.apply[
              phase === 'customers' ? 'customer' : phase === 'products' ? 'product' : 'order'
            ] as (tenantId: string, item: unknown) => Promise<ApplyOutcome>;
            await apply(tenantId, item);
            if (phase !== 'products') return;
            // The product's stock at each location, newer-only by each level's own updatedAt, so
            // an `inventory_levels/update` that came during the import is not undone by it.
            for (const level of levelsOfProductNode(node)) {
              if (level instanceof UnexpectedNodeError) {
                levelsSkipped += 1;
                deps.onSkipped?.(level);
                continue;
              }
              await deps.apply.inventoryLevel(tenantId, level);
            }
          });
          objects += batch.length - skipped;
          failed += skipped + levelsSkipped;
          await commit({
            linesDone: (batch.at(-1) as Assembled).endLine,
            [DONE_FIELD[phase]]: objects,
            failed,
          });
          batch = [];
        };

        let stoppedEarly = false;
        for await (const object of bulkObjects(response.body, stored.linesDone, {
          ...(deps.highWaterMark !== undefined && { highWaterMark: deps.highWaterMark }),
          onOrphan: () => {
            failed += 1;
          },
        })) {
          batch.push(object);
          if (batch.length >= batchSize) {
            await applyBatch();
            if (deps.until !== undefined && now() >= deps.until) {
              stoppedEarly = true;
              break;
            }
          }
        }
        if (stoppedEarly) {
          await release();
          return { ...view(stored), more: true };
        }
        await applyBatch();
        done = true;
      }
      const nextPhase = BACKFILL_PHASES[BACKFILL_PHASES.indexOf(phase) + 1] ?? 'done';
      await commit({ phase: nextPhase, linesDone: 0 }, ['operationId']);
    }
    await release({ status: 'done', finishedAt: now() });
    await records.update(key).remove(['lastErrorKind']).go({ response: 'none' });
    return { ...view((await records.get(key).go()).data), more: false };
  } catch (error) {
    if (error instanceof LeaseLostError) return { ...view(stored), more: true, busy: true };
    const kind = error instanceof ShopifyError || error instanceof BackfillOperationError ? error.kind : 'failed';
    // A bulk operation Shopify failed will not succeed by retrying the same message.
    await release({ lastErrorKind: kind, ...(error instanceof BackfillOperationError && { status: 'failed' }) });
    throw error;
  }
}

/**
 * After a connect: records the shop's backfill as queued and queues it, once per shop (a shop
 * connected again is kept fresh by the reconciliation, not imported twice).
 *
 * @example
 * await startShopBackfill({ store, producer }, tenantId, 'asistone-demo.myshopify.com');
 */
export async function startShopBackfill(
  deps: { store: BackfillStore; producer: Pick<Producer, 'send'> },
  tenantId: string,
  shopDomain: string,
): Promise<boolean> {
  const queued = await queueBackfill(deps.store, tenantId, shopDomain);
  if (queued) await deps.producer.send(SHOPIFY_BACKFILL_QUEUE, { tenantId, shopDomain });
  return queued;
}
