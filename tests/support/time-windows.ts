/**
 * Waits until at least `marginMs` remain in the current fixed time window of `periodMs` (TOTP
 * steps, rate-limit windows): a test that counts within one window must not have it roll over
 * halfway and start counting afresh.
 */
export async function awayFromEdge(periodMs: number, marginMs: number): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
