import { currencyDigits, toMinor } from '../platform/money.js';
import type { ShopifyOrder } from '../shopify/payloads.js';
import type { OrderItem } from '../shopify/store-views.js';

/**
 * An order's lines as the sales report counts them, in integer minor units of the order's
 * currency: gross (unit price × quantity) and the discount each line carries. Shopify allocates
 * an order's discounts to its lines (`totalDiscountSet`), but an order may say more discount in
 * its total than its lines carry (an order-level code not allocated on an older copy); that rest
 * is shared out over the lines by their gross, to the last minor unit, so the products' figures
 * always add up to the totals.
 */

export interface CountedLine {
  productId: string | null;
  title: string;
  units: number;
  gross: bigint;
  discount: bigint;
}

const idOf = (gid: string | undefined) => (gid ? (gid.split('?')[0]?.split('/').pop() ?? null) : null);

/** The currency an order is counted in: its total's, else the order's own. */
export const currencyOfOrder = (order: OrderItem) =>
  (order.total as { currencyCode?: string } | undefined)?.currencyCode ?? order.currencyCode;

/** `amount` split over `weights` in proportion, exactly: the remainders go to the largest shares first. */
export function shareOut(amount: bigint, weights: bigint[]): bigint[] {
  const whole = weights.reduce((sum, weight) => sum + weight, 0n);
  if (whole <= 0n) return weights.map((_, index) => (index === 0 ? amount : 0n));
  const shares = weights.map((weight) => (amount * weight) / whole);
  let left = amount - shares.reduce((sum, share) => sum + share, 0n);
  const order = weights.map((_, index) => index).sort((a, b) => Number((weights[b] ?? 0n) - (weights[a] ?? 0n)));
  for (let i = 0; left > 0n; i = (i + 1) % order.length, left -= 1n) {
    const index = order[i] as number;
    shares[index] = (shares[index] ?? 0n) + 1n;
  }
  return shares;
}

export function countedLines(order: OrderItem): CountedLine[] {
  const digits = currencyDigits(currencyOfOrder(order));
  const lines = ((order.lineItems ?? []) as ShopifyOrder['lineItems']).map((line) => ({
    productId: idOf(line.productId),
    title: line.title,
    units: line.quantity,
    gross: toMinor(line.unitPrice.amount, digits) * BigInt(line.quantity),
    discount: toMinor(line.totalDiscount?.amount ?? '0', digits),
  }));
  const orderDiscount = toMinor((order.totalDiscounts as { amount?: string } | undefined)?.amount ?? '0', digits);
  const rest = orderDiscount - lines.reduce((sum, line) => sum + line.discount, 0n);
  if (rest > 0n && lines.length > 0) {
    const shares = shareOut(
      rest,
      lines.map((line) => line.gross),
    );
    lines.forEach((line, index) => {
      line.discount += shares[index] ?? 0n;
    });
  }
  return lines;
}
