import { can } from '@asistone/contract/roles';
import { MAX_UNITS } from '@asistone/contract/stock';
import * as z from 'zod';
import { ForbiddenError, NotFoundError, PermanentError, ValidationError } from '../platform/errors.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { timeOrderedId } from '../shopify/stock.js';
import { type LedgerDeps, type LedgerStore, readLevel, recordMove } from '../shopify/stock-ledger.js';
import { type StockActor, slotOf } from './moves.js';
import type { STOCK_RECORDS } from './records.js';

/**
 * A transfer moves units of one variant from one location to another: two ledger entries, the
 * leg out and the leg in. It is all or nothing without a transaction:
 * - the API only queues it (with everything it needs) and writes it `pending`;
 * - the `stock-transfers` worker records each leg as a move with its own id
 *   (`<transfer>:out`, `<transfer>:in`), which the ledger applies once however often it is retried
 *   (ledger.ts), then marks the transfer `done`;
 * - a worker that dies between the legs leaves the message to be delivered again: the redelivery
 *   finds the leg out applied and records only the leg in.
 * Legs at Shopify's locations are pushed to Shopify as any move is.
 */

export const TransferMessage = z.object({
  tenantId: z.string().min(1),
  transferId: z.uuid(),
  inventoryItemId: z.string().regex(/^[0-9]{1,20}$/),
  fromLocationId: z.string().regex(/^([0-9]{1,20}|as-[0-9a-z]{10})$/),
  toLocationId: z.string().regex(/^([0-9]{1,20}|as-[0-9a-z]{10})$/),
  quantity: z.number().int().min(1).max(MAX_UNITS),
  note: z.string().max(200).optional(),
  actorId: z.string().min(1),
  createdAt: z.number(),
});
export type TransferMessage = z.infer<typeof TransferMessage>;

export const STOCK_TRANSFERS_QUEUE = {
  name: 'stock-transfers',
  description: 'Stock transfers between locations, waiting for their two legs to be recorded',
  message: TransferMessage,
  visibilityTimeoutSeconds: 180,
  batchSize: 5,
  maxReceiveCount: 8,
  consumer: {
    description: 'Records each transfer’s leg out and leg in (each once), then marks it done',
    handler: 'functions/workers/stock-transfers.handler',
    timeoutSeconds: 30,
    // Writes the ledger and its levels, the transfer's state, the legs' pushes and any low-stock alert.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], sends: ['shopify-stock', 'stock-alerts'] },
  },
} as const satisfies QueueDeclaration;

export type TransferStore = LedgerStore & Store<Pick<typeof STOCK_RECORDS, 'stockTransfer' | 'stockLocation'>>;

export interface TransferDeps extends LedgerDeps {
  store: TransferStore;
}

/** The move ids of a transfer's legs: a retried leg is found applied by them. */
export const transferLegOpId = (transferId: string, leg: 'out' | 'in') => `${transferId}:${leg}`;

export interface TransferInput {
  inventoryItemId: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  note?: string;
}

/**
 * Checks a transfer and queues it. The variant must be stocked where it leaves; where it arrives
 * it must be stocked already or be one of Asistone's own locations (Shopify refuses stock at a
 * location where the item is not stocked).
 */
export async function requestTransfer(
  deps: TransferDeps & { producer: Pick<Producer, 'send'> },
  actor: StockActor,
  tenantId: string,
  input: TransferInput,
) {
  if (!can(actor.role, 'stock.manage')) throw new ForbiddenError();
  const from = slotOf(tenantId, { inventoryItemId: input.inventoryItemId, locationId: input.fromLocationId });
  const to = slotOf(tenantId, { inventoryItemId: input.inventoryItemId, locationId: input.toLocationId });
  if (from.locationId === to.locationId) throw new ValidationError('Choose two different locations');
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_UNITS) {
    throw new ValidationError(`The quantity must be a whole number from 1 to ${MAX_UNITS}`);
  }
  const note = input.note?.trim() || undefined;
  if (note && (note.length > 200 || /\p{Cc}/u.test(note)))
    throw new ValidationError('The note is too long or has a control character');
  const [fromLevel, toLevel] = await Promise.all([readLevel(deps.store, from), readLevel(deps.store, to)]);
  if (!fromLevel) throw new NotFoundError('This item is not stocked where the transfer leaves');
  if (!toLevel) {
    const own = to.locationId.startsWith('as-')
      ? (await deps.store.entities.stockLocation.get({ tenantId, locationId: to.locationId }).go()).data
      : undefined;
    if (!own) throw new NotFoundError('This item is not stocked where the transfer arrives');
  }
  const createdAt = (deps.now ?? Date.now)();
  const message: TransferMessage = {
    tenantId,
    transferId: timeOrderedId(createdAt),
    inventoryItemId: from.inventoryItemId,
    fromLocationId: from.locationId,
    toLocationId: to.locationId,
    quantity: input.quantity,
    ...(note && { note }),
    actorId: actor.userId,
    createdAt,
  };
  // Queued first: a transfer that is not queued is not made (the merchant sees an error and
  // tries again). The message holds all of it, so the worker records it even if the write
  // below fails.
  await deps.producer.send(STOCK_TRANSFERS_QUEUE, message);
  return keepTransfer(deps.store, message);
}

async function keepTransfer(store: TransferStore, message: TransferMessage) {
  const record = { ...message, state: 'pending' as const };
  try {
    await store.entities.stockTransfer.create(record).go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await store.entities.stockTransfer.get(message).go({ consistent: true })).data ?? record;
  }
  return record;
}

/**
 * The worker's job: both legs, each once, then `done`. A leg whose location lost the variant
 * (out) is a permanent failure before anything moved.
 */
export async function completeTransfer(deps: TransferDeps, message: TransferMessage) {
  const transfer = await keepTransfer(deps.store, message);
  if (transfer.state === 'done') return 'done' as const;
  const { tenantId, transferId, inventoryItemId, quantity, actorId } = message;
  const leg = (locationId: string, kind: 'out' | 'in') =>
    recordMove(
      deps,
      { tenantId, inventoryItemId, locationId },
      transferLegOpId(transferId, kind),
      (level) =>
        kind === 'out' && !level
          ? null
          : {
              delta: kind === 'out' ? -quantity : quantity,
              reason: kind === 'out' ? 'transfer-out' : 'transfer-in',
              actorId,
              transferId,
              ...(message.note && { note: message.note }),
            },
      { remember: true },
    );
  const out = await leg(message.fromLocationId, 'out');
  if (out.outcome === 'nothing') throw new PermanentError('The item is no longer stocked where the transfer leaves');
  await leg(message.toLocationId, 'in');
  await deps.store.entities.stockTransfer
    .patch({ tenantId, transferId })
    .set({ state: 'done', doneAt: (deps.now ?? Date.now)() })
    .go();
  return 'done' as const;
}

/** The newest transfers first. */
export async function listTransfers(store: TransferStore, tenantId: string, limit = 50) {
  const { data } = await store.entities.stockTransfer.query.byId({ tenantId }).go({ order: 'desc', limit });
  return data.map(({ tenantId: _tenant, ...transfer }) => transfer);
}
