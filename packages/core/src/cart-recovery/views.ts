import type { CartDay, CartReportAnswer, CartState, CartsAnswer, CartView } from '@asistone/contract/cart-recovery';
import { maskEmail } from '../accounts/people.js';
import { maskPhone } from '../campaigns/phone-mask.js';
import { openOrUndefined, type TenantKeyring } from '../platform/crypto/keyring.js';
import { ValidationError } from '../platform/errors.js';
import { fromMinor, toMinor } from '../platform/money.js';
import type { CartItem, CartWorkStore } from './carts.js';
import { addCart, cartLift, emptyGroup } from './lift.js';
import { dueKeyOf } from './records.js';
import { BUSINESS_TIME_ZONE } from './timing.js';

/**
 * What the app shows of cart recovery: the carts, newest abandoned first, with each step's
 * outcome; and the report over a window, per day and as the lift against the holdout. Money is
 * summed exactly (minor units); only rates and intervals are estimates.
 */

export interface CartViewDeps {
  store: CartWorkStore;
  keyring: TenantKeyring;
}

const PAGE = 50;
/** A report reads at most this many carts (a year of a busy shop); more is refused with a narrower range to ask for. */
const REPORT_LIMIT = 50_000;
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();
/** A day (YYYY-MM-DD) from its start in the business's time zone, and back. */
const dayOf = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE }).format(ms);
/** Midnight in Istanbul (UTC+3, no summer time since 2016) of a date. */
const startOf = (date: string) => Date.parse(`${date}T00:00:00+03:00`);

type LineItem = { title: string; quantity: number };
type StepEntry = NonNullable<CartItem['history']>[number];
const historyOf = (cart: CartItem): StepEntry[] => cart.history ?? [];

/** One page of the business's carts abandoned in [from, to), by time. */
async function abandonedPage(
  store: CartWorkStore,
  tenantId: string,
  range: { from: number; to: number },
  page: { cursor: string | null; limit: number; order: 'asc' | 'desc' },
): Promise<{ data: CartItem[]; cursor: string | null }> {
  const { data, cursor } = await store.entities.cart.query
    .byAbandonment({ tenantId })
    .between({ abandonedKey: dueKeyOf(range.from) }, { abandonedKey: dueKeyOf(range.to - 1) })
    .go(page);
  return { data: data as CartItem[], cursor };
}

function stateFilter(state: CartState | undefined) {
  return (cart: CartItem) => !state || cart.state === state;
}

export async function cartsPage(
  deps: CartViewDeps,
  tenantId: string,
  query: { state?: CartState | undefined; from?: string | undefined; to?: string | undefined; cursor?: string },
): Promise<CartsAnswer> {
  const from = query.from ? startOf(query.from) : 0;
  const to = query.to ? startOf(query.to) + DAY : Date.now() + 365 * DAY;
  if (from >= to) throw new ValidationError('The range ends before it starts', ['from', 'to']);
  const carts: CartItem[] = [];
  let cursor: string | null = query.cursor ?? null;
  const matches = stateFilter(query.state);
  // Newest first; a state filter reads on until a page is full.
  do {
    // Never more than the page has room for: the cursor then points right after the last one shown.
    const room = PAGE - carts.length;
    const page = await abandonedPage(deps.store, tenantId, { from, to }, { cursor, limit: room, order: 'desc' });
    carts.push(...page.data.filter(matches));
    cursor = page.cursor;
  } while (cursor && carts.length < PAGE);
  const keys = await deps.keyring.forTenant(tenantId);
  const { data: checkouts } =
    carts.length > 0
      ? await deps.store.entities.shopCheckout
          .get(carts.map((cart) => ({ tenantId, checkoutKey: cart.checkoutKey })))
          .go({ attributes: ['checkoutKey', 'email', 'phone', 'lineItems'] })
      : { data: [] };
  const byKey = new Map(checkouts.map((checkout) => [checkout.checkoutKey, checkout]));
  const views = carts.map((cart): CartView => {
    const checkout = byKey.get(cart.checkoutKey);
    const email = checkout && openOrUndefined(keys, 'shopCheckout', 'email', cart.checkoutKey, checkout.email);
    const phone = checkout && openOrUndefined(keys, 'shopCheckout', 'phone', cart.checkoutKey, checkout.phone);
    const lines = (checkout?.lineItems ?? []) as LineItem[];
    return {
      id: cart.checkoutKey,
      state: cart.state,
      holdout: cart.holdout,
      abandonedAt: iso(cart.abandonedAt),
      customer: email ? maskEmail(email) : phone ? maskPhone(phone) : null,
      items: lines.map((line) => `${line.quantity} × ${line.title}`).join(', '),
      total:
        cart.totalAmount && cart.currencyCode ? { amount: cart.totalAmount, currencyCode: cart.currencyCode } : null,
      steps: historyOf(cart).map((entry) => ({
        step: entry.step,
        channel: entry.channel,
        outcome: entry.outcome,
        reason: entry.reason ?? null,
        at: iso(entry.at),
      })),
      reason: cart.reason || null,
      recovered:
        cart.state === 'recovered'
          ? {
              orderId: cart.orderId ?? null,
              amount: cart.recoveredAmount ?? null,
              at: iso(cart.recoveredAt ?? cart.endedAt ?? cart.updatedAt),
            }
          : null,
    };
  });
  return { carts: views, cursor };
}

/** Minor units of a stored amount; one that does not parse counts nothing rather than failing the report. */
function minorOf(amount: string | undefined): bigint {
  try {
    return amount ? toMinor(amount) : 0n;
  } catch {
    return 0n;
  }
}

const decimalOfNumber = (minor: number) => fromMinor(BigInt(Math.round(minor)));

export async function cartReport(
  deps: CartViewDeps,
  tenantId: string,
  range: { from: string; to: string },
): Promise<CartReportAnswer> {
  const from = startOf(range.from);
  const to = startOf(range.to) + DAY;
  if (!(from < to)) throw new ValidationError('The range ends before it starts', ['from', 'to']);
  const carts: CartItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await abandonedPage(deps.store, tenantId, { from, to }, { cursor, limit: 1_000, order: 'asc' });
    carts.push(...page.data);
    cursor = page.cursor;
    if (carts.length > REPORT_LIMIT) throw new ValidationError('Too many carts in this range: choose a shorter one');
  } while (cursor);
  // The shop's currency: the most common among the carts (a shop sells in one).
  const currencies = new Map<string, number>();
  for (const cart of carts) {
    if (cart.currencyCode) currencies.set(cart.currencyCode, (currencies.get(cart.currencyCode) ?? 0) + 1);
  }
  const currencyCode = [...currencies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const days = new Map<string, { abandoned: number; contacted: number; recovered: number; revenue: bigint }>();
  for (let day = from; day < to; day += DAY) {
    days.set(dayOf(day), { abandoned: 0, contacted: 0, recovered: 0, revenue: 0n });
  }
  const contacted = emptyGroup();
  const holdout = emptyGroup();
  for (const cart of carts) {
    const inCurrency = !cart.currencyCode || cart.currencyCode === currencyCode;
    const recoveredMinor = cart.state === 'recovered' && inCurrency ? minorOf(cart.recoveredAmount) : null;
    // Every cart sent the sequence counts, whether a step reached the customer or not, and a
    // customer who came back by another order counts as come back in either group: the
    // comparison with the holdout is fair only over the whole groups, counted alike.
    const cameBack = (cart.state === 'recovered' || cart.orderId !== undefined) && inCurrency;
    addCart(cart.holdout ? holdout : contacted, cameBack ? minorOf(cart.recoveredAmount) : null);
    const day = days.get(dayOf(cart.abandonedAt));
    if (!day) continue;
    day.abandoned++;
    if (historyOf(cart).some((entry) => entry.outcome === 'sent')) day.contacted++;
    if (recoveredMinor !== null) {
      day.recovered++;
      day.revenue += recoveredMinor;
    }
  }
  const lift = cartLift(contacted, holdout);
  const dayRows: CartDay[] = [...days.entries()].map(([day, row]) => ({
    day,
    abandoned: row.abandoned,
    contacted: row.contacted,
    recovered: row.recovered,
    revenue: fromMinor(row.revenue),
  }));
  return {
    from: range.from,
    to: range.to,
    currencyCode,
    days: dayRows,
    lift: {
      contacted: {
        carts: lift.contacted.carts,
        recovered: lift.contacted.recovered,
        revenue: fromMinor(contacted.revenueMinor),
        rate: lift.contacted.rate,
      },
      holdout: {
        carts: lift.holdout.carts,
        recovered: lift.holdout.recovered,
        revenue: fromMinor(holdout.revenueMinor),
        rate: lift.holdout.rate,
      },
      rateDifference: lift.rateDifference,
      incrementalRevenue: lift.incrementalRevenueMinor
        ? {
            value: decimalOfNumber(lift.incrementalRevenueMinor.value),
            low: decimalOfNumber(lift.incrementalRevenueMinor.low),
            high: decimalOfNumber(lift.incrementalRevenueMinor.high),
          }
        : null,
    },
  };
}
