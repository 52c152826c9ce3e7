import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { LedgerDeps, LedgerEntryItem, StockLevelItem, StockSlot } from './stock-ledger.js';

/**
 * Low-stock alerts: a variant's stock at a location falling to its threshold or below raises one
 * alert, in the app and mailed to the owners and admins; it stays quiet while stock stays low,
 * and re-arms once stock rises above the threshold again. So: once per crossing. The level holds
 * whether it is low, and every change of that is folded with the entry that made it (ledger.ts),
 * so two writers never raise the same crossing twice: the alert's key is derived from the entry.
 */

export interface LowStockRaise {
  alertKey: string;
  threshold: number;
  available: number;
  at: number;
}

export interface LowStockChange {
  /** At or below the threshold after the entry. */
  low: boolean;
  /** The open alert's key after the entry. */
  alertKey?: string;
  /** A new crossing: the alert to raise. */
  raise?: LowStockRaise;
  /** Stock rose above the threshold: the open alert is cleared. */
  clear?: boolean;
}

/** `<15-digit ms>#<item>#<location>#<crossing>`: alerts list newest first, one key per crossing. */
export const alertKeyOf = (at: number, slot: StockSlot, crossing: string) =>
  `${String(Math.max(0, Math.floor(at))).padStart(15, '0')}#${slot.inventoryItemId}#${slot.locationId}#${crossing}`;

/** What an entry does to the low-stock state of the level it lands on. */
export function lowStockAfter(before: StockLevelItem | undefined, entry: LedgerEntryItem): LowStockChange {
  const threshold = before?.threshold;
  const wasLow = before?.low === true;
  const low = threshold !== undefined && entry.balanceAfter <= threshold;
  if (low && !wasLow && threshold !== undefined) {
    const alertKey = alertKeyOf(entry.at, entry, `m${entry.seq}`);
    return { low, alertKey, raise: { alertKey, threshold, available: entry.balanceAfter, at: entry.at } };
  }
  if (!low && wasLow) return { low, clear: true };
  return { low, ...(low && before?.alertKey && { alertKey: before.alertKey }) };
}

/** An alert to mail: its key only; the worker reads the rest. */
export const LowStockMailMessage = z.object({
  tenantId: z.string().min(1),
  alertKey: z.string().regex(/^[0-9]{15}#[0-9a-z-]{1,30}#[0-9a-z-]{1,30}#[a-z0-9]{1,24}$/),
});
export type LowStockMailMessage = z.infer<typeof LowStockMailMessage>;

export const STOCK_ALERTS_QUEUE = {
  name: 'stock-alerts',
  description: 'Low-stock alerts waiting to be mailed to the business’s owners and admins',
  message: LowStockMailMessage,
  visibilityTimeoutSeconds: 180,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description: 'Mails each low-stock alert to the owners and admins, each in their language, once',
    handler: 'functions/workers/stock-alerts.handler',
    timeoutSeconds: 30,
    // Reads the alert, the product's name and the members; queues the sealed mails.
    access: { table: ['GetItem', 'Query'], tenantKeys: ['Decrypt'], sends: ['mail'] },
  },
} as const satisfies QueueDeclaration;

/** Writes the alert (once: its key is the crossing's) and queues its mail (the mail's key is the alert's). */
export async function raiseLowStock(deps: LedgerDeps, slot: StockSlot, raise: LowStockRaise) {
  try {
    await deps.store.entities.stockAlert.create({ ...slot, ...raise }).go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  // Sent again by whoever folds the same entry again: the mail worker sends one mail per key.
  await deps.producer?.send(STOCK_ALERTS_QUEUE, { tenantId: slot.tenantId, alertKey: raise.alertKey });
}

/** Marks the open alert cleared: stock rose above the threshold (or the threshold was removed). */
export async function clearLowStock(deps: LedgerDeps, tenantId: string, alertKey: string, at: number) {
  try {
    await deps.store.entities.stockAlert
      .patch({ tenantId, alertKey })
      .set({ clearedAt: at })
      .where((attr, op) => op.notExists(attr.clearedAt))
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
