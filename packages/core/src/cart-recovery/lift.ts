/**
 * What cart recovery really earned: the carts that were contacted against the holdout (carts
 * drawn at random to get nothing), abandoned over the same window. Both groups' recovered revenue
 * per cart is compared; the difference times the contacted carts is the revenue the messages
 * brought beyond what would have come back anyway. Each difference comes with its 95% interval
 * (normal approximation; the recovery rate's by the two proportions, the revenue's by Welch's
 * standard error from each group's sum of squares), so a merchant with forty carts sees that
 * the figure is still a guess.
 *
 * Money is summed in minor units (kuruş, cents) as integers: exact however many carts. Rates and
 * intervals are estimates, and only they are floats.
 */

/** One group's carts, as the report sums them. */
export interface CartGroupSums {
  /** Abandoned carts in the group (in the window). */
  carts: number;
  /** Of them, completed by an order. */
  recovered: number;
  /** Recovered revenue, minor units. */
  revenueMinor: bigint;
  /** Sum over carts of (revenue in minor units)², for the variance of revenue per cart. */
  revenueSquaresMinor: bigint;
}

export interface Estimate {
  value: number;
  /** 95% interval. */
  low: number;
  high: number;
}

export interface CartLift {
  contacted: { carts: number; recovered: number; rate: number | null; revenuePerCartMinor: number | null };
  holdout: { carts: number; recovered: number; rate: number | null; revenuePerCartMinor: number | null };
  /** Contacted minus holdout recovery rate; null without carts in both groups. */
  rateDifference: Estimate | null;
  /** Contacted minus holdout revenue per cart, minor units. */
  revenuePerCartDifferenceMinor: Estimate | null;
  /** The revenue per cart difference times the contacted carts, minor units: what the messages added. */
  incrementalRevenueMinor: Estimate | null;
}

const Z95 = 1.959964;

export function emptyGroup(): CartGroupSums {
  return { carts: 0, recovered: 0, revenueMinor: 0n, revenueSquaresMinor: 0n };
}

/** Adds one cart to its group's sums. */
export function addCart(group: CartGroupSums, recoveredMinor: bigint | null): void {
  group.carts += 1;
  if (recoveredMinor === null) return;
  group.recovered += 1;
  group.revenueMinor += recoveredMinor;
  group.revenueSquaresMinor += recoveredMinor * recoveredMinor;
}

function describe(group: CartGroupSums) {
  if (group.carts === 0) return { rate: null, mean: null, variance: null };
  const n = group.carts;
  const mean = Number(group.revenueMinor) / n;
  // The sample variance of revenue per cart (carts not recovered count as 0).
  const variance = n > 1 ? (Number(group.revenueSquaresMinor) - n * mean * mean) / (n - 1) : 0;
  return { rate: group.recovered / n, mean, variance: Math.max(variance, 0) };
}

const interval = (value: number, standardError: number): Estimate => ({
  value,
  low: value - Z95 * standardError,
  high: value + Z95 * standardError,
});

export function cartLift(contacted: CartGroupSums, holdout: CartGroupSums): CartLift {
  const c = describe(contacted);
  const h = describe(holdout);
  const summary = (group: CartGroupSums, d: ReturnType<typeof describe>) => ({
    carts: group.carts,
    recovered: group.recovered,
    rate: d.rate,
    revenuePerCartMinor: d.mean,
  });
  const both = c.rate !== null && h.rate !== null && c.mean !== null && h.mean !== null;
  if (!both) {
    return {
      contacted: summary(contacted, c),
      holdout: summary(holdout, h),
      rateDifference: null,
      revenuePerCartDifferenceMinor: null,
      incrementalRevenueMinor: null,
    };
  }
  const cr = c.rate as number;
  const hr = h.rate as number;
  const rateError = Math.sqrt((cr * (1 - cr)) / contacted.carts + (hr * (1 - hr)) / holdout.carts);
  const meanDifference = (c.mean as number) - (h.mean as number);
  const meanError = Math.sqrt((c.variance as number) / contacted.carts + (h.variance as number) / holdout.carts);
  return {
    contacted: summary(contacted, c),
    holdout: summary(holdout, h),
    rateDifference: interval(cr - hr, rateError),
    revenuePerCartDifferenceMinor: interval(meanDifference, meanError),
    incrementalRevenueMinor: interval(meanDifference * contacted.carts, meanError * contacted.carts),
  };
}
