import type { CartRecoverySettings } from '@asistone/contract/cart-recovery';

/**
 * When a cart's steps are due. The first step is due `afterMinutes` after the cart was found
 * abandoned (its checkout's last change plus the business's delay); each next one `afterMinutes`
 * after the step before was done (sent or skipped). A step due in the business's quiet hours
 * waits for their end. A cart not recovered `expireAfterDays` after it was abandoned expires.
 *
 * Times of day are the business's, in Türkiye's time zone: Europe/Istanbul, UTC+3 all year since
 * 2016, read through Intl so a change of the rule needs no change here.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
export const BUSINESS_TIME_ZONE = 'Europe/Istanbul';

/** Minutes since midnight of `at` in the business's time zone. */
function minuteOfDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, part) => {
      all[part.type] = part.value;
      return all;
    }, {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

const minutesOf = (clock: string) => {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
};

/**
 * `at`, or the end of the quiet hours when `at` falls inside them (a window such as 21:00–09:00
 * crosses midnight). Rounded up to the minute the quiet hours end.
 */
export function outsideQuietHours(
  at: number,
  quietHours: CartRecoverySettings['quietHours'],
  timeZone = BUSINESS_TIME_ZONE,
): number {
  if (!quietHours) return at;
  const from = minutesOf(quietHours.from);
  const to = minutesOf(quietHours.to);
  if (from === to) return at;
  const now = minuteOfDay(at, timeZone);
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return at;
  const wait = (to - now + 24 * 60) % (24 * 60);
  // From the start of the current minute, so the step goes at the quiet hours' last minute's end.
  return Math.floor(at / MINUTE) * MINUTE + wait * MINUTE;
}

/** When step `index` (0-based) is due: after abandonment for the first, after the previous step for the others. */
export function stepDueAt(settings: CartRecoverySettings, index: number, after: number): number {
  const step = settings.steps[index];
  if (!step) throw new Error(`No step ${index + 1}`);
  return outsideQuietHours(after + step.afterMinutes * MINUTE, settings.quietHours);
}

/** When the cart is found abandoned: its checkout's last change plus the business's delay. */
export const abandonedAt = (settings: CartRecoverySettings, checkoutUpdatedAt: number) =>
  checkoutUpdatedAt + settings.delayMinutes * MINUTE;

/** When a cart abandoned at `abandoned` expires, recovered or not. */
export const expiresAt = (settings: CartRecoverySettings, abandoned: number) =>
  abandoned + settings.expireAfterDays * DAY;
