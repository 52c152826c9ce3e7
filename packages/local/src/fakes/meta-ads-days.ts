/**
 * Calendar days as the fake ad accounts count them: `YYYY-MM-DD` strings in the accounts'
 * time zone (Europe/Istanbul), which is how Meta dates insight rows.
 */

const DAY_MS = 86_400_000;

const ISTANBUL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Istanbul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day it is in Istanbul at `ms` (epoch). */
export const istanbulDay = (ms: number) => ISTANBUL.format(new Date(ms));

const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`);

export const addDays = (day: string, days: number) =>
  new Date(midnight(day) + days * DAY_MS).toISOString().slice(0, 10);

/** Days from `since` to `until`, both included (0 when `until` is before `since`). */
export const daysBetween = (since: string, until: string) =>
  Math.max(0, Math.round((midnight(until) - midnight(since)) / DAY_MS) + 1);

/** A real calendar day in `YYYY-MM-DD` (2025-02-30 is not). */
export const isDay = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && addDays(value, 0) === value;

export function monthsBefore(day: string, months: number): string {
  const date = new Date(midnight(day));
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

/** The earlier and later of two days (ISO days order as strings). */
export const earlier = (a: string, b: string) => (a.localeCompare(b) <= 0 ? a : b);
export const later = (a: string, b: string) => (a.localeCompare(b) >= 0 ? a : b);

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: string) => new Date(midnight(day)).getUTCDay();

export const firstOfMonth = (day: string) => `${day.slice(0, 8)}01`;
