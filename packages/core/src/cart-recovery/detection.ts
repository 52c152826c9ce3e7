import type { CartState } from '@asistone/contract/cart-recovery';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { CART_RECOVERY_QUEUE } from './queue.js';
import { type CartRecoveryStore, dueKeyOf } from './records.js';

/**
 * The detection schedule's run: the carts with a step or an expiry due, from the due index
 * (records.ts), oldest first, each taken for a while (its due time moved {@link LEASE_MS} ahead
 * by a conditional write) and queued to `cart-recovery`. The step worker then decides from the
 * cart, its checkout and the settings what is really due, and points the cart at its next time.
 * A queued message that is lost only delays the cart by the lease: it is found again.
 *
 * The reads follow the carts due, not the carts waiting: a Query of the index up to now, in pages.
 */

export interface DetectionDeps {
  store: CartRecoveryStore;
  producer: Pick<Producer, 'send'>;
}

/** How long a queued cart is not found again: the step worker answers well within it. */
export const LEASE_MS = 10 * 60_000;
const PAGE = 200;

export interface DetectionRun {
  /** Carts found due, and those queued (the others were taken by a run alongside). */
  due: number;
  queued: number;
  /** Index pages read. */
  pages: number;
}

export async function detectDueCarts(deps: DetectionDeps, now: number, limit = 5_000): Promise<DetectionRun> {
  const run: DetectionRun = { due: 0, queued: 0, pages: 0 };
  // Everything due at or before `now`: keys sort by due time first.
  const before = dueKeyOf(now + 1);
  let cursor: string | null = null;
  do {
    const page: {
      data: { tenantId: string; checkoutKey: string; state: CartState; dueKey?: string | undefined }[];
      cursor: string | null;
    } = await deps.store.entities.cart.query
      .due({})
      .lt({ dueKey: before })
      .go({ cursor, limit: PAGE, attributes: ['tenantId', 'checkoutKey', 'state', 'dueKey'] });
    run.pages++;
    cursor = page.cursor;
    for (const cart of page.data) {
      if (!cart.dueKey || cart.dueKey >= before) continue;
      run.due++;
      if (!(await take(deps.store, cart, cart.dueKey, now))) continue;
      await deps.producer.send(CART_RECOVERY_QUEUE, {
        kind: 'step',
        tenantId: cart.tenantId,
        checkoutKey: cart.checkoutKey,
      });
      run.queued++;
    }
  } while (cursor && run.due < limit);
  return run;
}

/** Moves the cart's due time by the lease, if nobody moved it since it was read. */
async function take(
  store: CartRecoveryStore,
  cart: { tenantId: string; checkoutKey: string; state: CartState },
  dueKey: string,
  now: number,
) {
  try {
    await store.entities.cart
      .patch({ tenantId: cart.tenantId, checkoutKey: cart.checkoutKey })
      // The state goes with the due time: the index's condition sees only what a write sets.
      .set({ dueKey: dueKeyOf(now + LEASE_MS), state: cart.state })
      .where((attr, { eq }) => `${eq(attr.dueKey, dueKey)} AND ${eq(attr.state, cart.state)}`)
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
