/**
 * A scheduled run's clock: the event's `time` (EventBridge stamps when the schedule fired), so
 * a delayed or replayed run decides as of when it was due, and `npm run invoke` can run it as
 * of any day. Without one (a hand-made event), now.
 */
export function runTime(event: unknown): number {
  const time = (event as { time?: unknown } | undefined)?.time;
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Date.now();
}
