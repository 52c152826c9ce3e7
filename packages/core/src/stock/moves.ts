import { can, type Role } from '@asistone/contract/roles';
import { MAX_UNITS, OWN_LOCATION_ID, STOCK_REASONS } from '@asistone/contract/stock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { type LedgerDeps, ledgerPage, REMEMBERED_OPS, recordMove, type StockSlot } from '../shopify/stock-ledger.js';

/**
 * A member's moves: a change by a number of units (received, damaged, returned, sold outside
 * Shopify, a correction) or a count, which records the difference between the shelf and the
 * ledger at the moment it lands (so a sale recorded a second before the count is not undone
 * twice). Owners and admins only (`stock.manage`).
 */

/** Who moves stock: a member and their role in the business. */
export interface StockActor {
  userId: string;
  role: Role;
}

type StockReason = (typeof STOCK_REASONS)[number];
interface MoveByUnits {
  inventoryItemId: string;
  locationId: string;
  reason: StockReason;
  delta: number;
  note?: string;
  /** The form's own id for this move: sent again, it is recorded once. */
  moveId?: string;
}
interface Count {
  inventoryItemId: string;
  locationId: string;
  reason: 'counted';
  counted: number;
  note?: string;
  moveId?: string;
}
export type MemberMoveInput = MoveByUnits | Count;
const isCount = (input: MemberMoveInput): input is Count => input.reason === 'counted';

/** Digits from a Shopify id or GID. */
export function shopifyNumber(value: string, kind: string): string {
  const id = value.startsWith('gid://') ? value.split('?')[0]?.split('/').pop() : value;
  if (!id || !/^[0-9]{1,20}$/.test(id)) throw new ValidationError(`${kind} must be a Shopify id`);
  return id;
}

/** A location id as the ledger keys it: Shopify's digits, or an Asistone-only `as-…` id. */
export function locationNumber(value: string): string {
  return OWN_LOCATION_ID.test(value) ? value : shopifyNumber(value, 'locationId');
}

export function slotOf(tenantId: string, input: { inventoryItemId: string; locationId: string }): StockSlot {
  return {
    tenantId,
    inventoryItemId: shopifyNumber(input.inventoryItemId, 'inventoryItemId'),
    locationId: locationNumber(input.locationId),
  };
}

const wholeUnits = (value: number, what: string, min: number) => {
  if (!Number.isInteger(value) || value < min || Math.abs(value) > MAX_UNITS) {
    throw new ValidationError(`${what} must be a whole number, at most ${MAX_UNITS}`);
  }
};

/**
 * Records a member's move at a location the variant is stocked at (a level exists: Shopify told
 * of it, or a transfer brought it to an Asistone-only location).
 *
 * @example
 * await moveStock(deps, { userId, role: 'owner' }, tenantId, { inventoryItemId: '491', locationId: '61', reason: 'received', delta: 5 });
 */
export async function moveStock(deps: LedgerDeps, actor: StockActor, tenantId: string, input: MemberMoveInput) {
  if (!can(actor.role, 'stock.manage')) throw new ForbiddenError();
  const slot = slotOf(tenantId, input);
  const note = input.note?.trim() || undefined;
  if (note && (note.length > 200 || /\p{Cc}/u.test(note)))
    throw new ValidationError('The note is too long or has a control character');
  if (!isCount(input)) {
    if (!(STOCK_REASONS as readonly string[]).includes(input.reason)) {
      throw new ValidationError(`reason must be one of ${STOCK_REASONS.join(', ')}, counted`);
    }
    wholeUnits(input.delta, 'The change', -MAX_UNITS);
    if (input.delta === 0) throw new ValidationError('The change cannot be 0');
  } else {
    wholeUnits(input.counted, 'The count', 0);
  }
  if (input.moveId !== undefined && !/^[0-9a-f-]{36}$/i.test(input.moveId))
    throw new ValidationError('moveId must be a UUID');
  const opId = `m-${input.moveId ?? crypto.randomUUID()}`;
  let stocked = true;
  const outcome = await recordMove(
    deps,
    slot,
    opId,
    (level) => {
      if (!level) {
        stocked = false;
        return null;
      }
      const delta = isCount(input) ? input.counted - level.available : input.delta;
      // A count that matches the ledger is still a count worth keeping: it says someone looked.
      return { delta, reason: input.reason, actorId: actor.userId, ...(note && { note }) };
    },
    { remember: input.moveId !== undefined },
  );
  if (!stocked) throw new NotFoundError('This item is not stocked at this location');
  if (outcome.outcome === 'recorded') return outcome.entry;
  // The same move sent again: answered with the entry it made (among the last the level remembers).
  const made = (await ledgerPage(deps.store, slot, { limit: REMEMBERED_OPS * 2 })).find((entry) => entry.opId === opId);
  if (outcome.outcome === 'already' && made) return made;
  throw new Error('stock move not recorded');
}
