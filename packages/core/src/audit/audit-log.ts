import { randomBytes } from 'node:crypto';
import type { AuditAction } from '@asistone/contract/audit';
import { ValidationError } from '../platform/errors.js';
import type { AuditStore } from './records.js';
import { maskSourceAddress } from './source-address.js';

const RETENTION_SECONDS = 3 * 365 * 24 * 3600;
const PAGE_SIZE = 50;

export interface AuditEvent {
  action: AuditAction;
  actorId: string;
  target?: { type: string; id: string };
  /** The raw address; only its network part is stored. */
  sourceAddress?: string | undefined;
  detail?: Record<string, string>;
}

/** An event as the log shows it. */
export interface AuditEntry {
  eventId: string;
  at: string;
  action: AuditAction;
  actorId: string;
  target?: { type: string; id: string };
  sourceAddress?: string;
  detail?: Record<string, string>;
}

/**
 * Appends an event to one business's audit log.
 *
 * @example
 * await recordAuditEvent(store, tenantId, { action: 'team.role_changed', actorId, target: { type: 'user', id } });
 */
export async function recordAuditEvent(
  store: AuditStore,
  tenantId: string,
  event: AuditEvent,
  nowMs = Date.now(),
): Promise<void> {
  await store.entities.auditEvent
    .create({
      tenantId,
      eventId: randomBytes(8).toString('hex'),
      at: nowMs,
      action: event.action,
      actorId: event.actorId,
      targetType: event.target?.type,
      targetId: event.target?.id,
      sourceAddress: maskSourceAddress(event.sourceAddress),
      detail: event.detail,
      expiresAt: Math.floor(nowMs / 1000) + RETENTION_SECONDS,
    })
    .go();
}

/** Appends the same event to several businesses: a person's sign-in shows in each of theirs. */
export async function recordInBusinesses(
  store: AuditStore,
  tenantIds: readonly string[],
  event: AuditEvent,
): Promise<void> {
  const nowMs = Date.now();
  await Promise.all(tenantIds.map((tenantId) => recordAuditEvent(store, tenantId, event, nowMs)));
}

export interface AuditFilter {
  action?: AuditAction | undefined;
  actorId?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  cursor?: string | undefined;
}

/**
 * One page of a business's audit log, newest first. Each filter picks an index, so reading
 * never scans: by action (then actor as a filter), by actor, or by time alone.
 */
export async function readAuditLog(
  store: AuditStore,
  tenantId: string,
  filter: AuditFilter,
): Promise<{ events: AuditEntry[]; cursor: string | null }> {
  const from = { at: filter.fromMs ?? 0 };
  // Keys are `event#<at>#<id>`: the bound one millisecond later keeps `toMs` itself inclusive.
  const to = { at: (filter.toMs ?? 9_999_999_999_998) + 1 };
  const events = store.entities.auditEvent;
  const query = filter.action
    ? events.query.byAction({ tenantId, action: filter.action }).between(from, to)
    : filter.actorId
      ? events.query.byActor({ tenantId, actorId: filter.actorId }).between(from, to)
      : events.query.byTime({ tenantId }).between(from, to);
  const narrowed =
    filter.action && filter.actorId
      ? query.where(({ actorId }, { eq }) => eq(actorId, filter.actorId as string))
      : query;
  try {
    const page = await narrowed.go({ order: 'desc', limit: PAGE_SIZE, cursor: filter.cursor ?? null });
    return { events: page.data.map(toEntry), cursor: page.cursor };
  } catch (error) {
    if (filter.cursor && isRejectedCursor(error)) {
      throw new ValidationError('This cursor does not belong to this log', ['cursor']);
    }
    throw error;
  }
}

/** ElectroDB fails to parse a forged cursor; DynamoDB refuses one from another partition. */
function isRejectedCursor(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { name, message } = current as { name?: string; message?: string };
    if (name === 'ValidationException' || /cursor/i.test(message ?? '')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function toEntry(item: {
  eventId: string;
  at: number;
  action: AuditAction;
  actorId: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  sourceAddress?: string | undefined;
  detail?: unknown;
}): AuditEntry {
  return {
    eventId: item.eventId,
    at: new Date(item.at).toISOString(),
    action: item.action,
    actorId: item.actorId,
    ...(item.targetType && item.targetId ? { target: { type: item.targetType, id: item.targetId } } : {}),
    ...(item.sourceAddress ? { sourceAddress: item.sourceAddress } : {}),
    ...(item.detail ? { detail: item.detail as Record<string, string> } : {}),
  };
}
