import { SALES_MAX_DAYS, SALES_TIME_ZONE } from '@asistone/contract/sales';
import { dayStartMs } from '../ads/insights.js';
import { ValidationError } from '../platform/errors.js';
import type { OrderItem, StoreViewDeps } from '../shopify/store-views.js';

/**
 * The orders the back office's reports read: those created within a range of Istanbul days.
 *
 * Orders are kept under `shoporder#<id>` in the business's partition, with no index by creation
 * time. Shopify's ids grow with creation only "in practice", which is not enough to cut a range
 * by id without losing an order, and an index by time would need every stored order rewritten
 * (a migration). So the orders partition is read whole (one Query of the sort-key prefix, paged,
 * never a Scan) and cut by `createdAt` here; a shop's copy holds thousands of orders, which
 * is a few pages of DynamoDB reads.
 */

const DAY_MS = 86_400_000;

export interface DayRange {
  from: string;
  to: string;
  /** Midnight in Istanbul of `from`, ms. */
  start: number;
  /** Midnight in Istanbul after `to`, ms (exclusive). */
  end: number;
}

/** The range's bounds in ms, refusing one that ends before it starts or is longer than a report reads. */
export function istanbulRange(from: string, to: string): DayRange {
  if (from > to) throw new ValidationError('The range ends before it starts', ['from', 'to']);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > SALES_MAX_DAYS) {
    throw new ValidationError(`Ask for at most ${SALES_MAX_DAYS} days at a time`, ['from', 'to']);
  }
  return { from, to, start: dayStartMs(from, SALES_TIME_ZONE), end: dayStartMs(to, SALES_TIME_ZONE) + DAY_MS };
}

/** When an order was placed: Shopify's creation time, else (an order stored without one) its last change. */
export const placedAt = (order: Pick<OrderItem, 'createdAt' | 'updatedAt'>) => order.createdAt ?? order.updatedAt;

/** The business's orders placed within the range, newest first. */
export async function ordersInRange(deps: Pick<StoreViewDeps, 'store'>, tenantId: string, range: DayRange) {
  const { data } = await deps.store.entities.shopOrder.query.byId({ tenantId }).go({ pages: 'all' });
  return (
    (data as OrderItem[])
      .filter((order) => placedAt(order) >= range.start && placedAt(order) < range.end)
      // Orders of the same second: the later id (Shopify's ids grow with creation) first.
      .sort((a, b) => placedAt(b) - placedAt(a) || b.orderId.localeCompare(a.orderId))
  );
}
