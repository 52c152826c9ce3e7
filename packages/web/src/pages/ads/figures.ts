import type { AdFigures, AdsInsightsAnswer } from '../../api/ads';

/**
 * The figures the ads page shows, how each reads (money in the account's currency, a percent, a
 * multiple, a count), and the days a range covers. Money and ratios arrive as exact decimal
 * strings and are shown as written, so the page and the CSV never disagree by a rounding.
 */

/** Every figure the table shows, in its column order. */
export const TABLE_METRICS = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'purchases',
  'purchaseValue',
  'roas',
  'conversations',
  'orders',
  'revenue',
] as const satisfies readonly (keyof AdFigures)[];
export type Metric = (typeof TABLE_METRICS)[number];

/** What the charts can follow (the metric picker). */
export const CHART_METRICS = [
  'spend',
  'roas',
  'conversations',
  'clicks',
  'ctr',
  'purchases',
  'orders',
  'revenue',
] as const satisfies readonly Metric[];
export type ChartMetric = (typeof CHART_METRICS)[number];

const MONEY = new Set<string>(['spend', 'cpc', 'cpm', 'purchaseValue', 'revenue']);

/** Null means nothing was spent or shown, so the ratio has no meaning: a dash, never a zero. */
export function formatFigure(metric: string, value: string | number | null, currency: string): string {
  if (value === null || value === '') return '–';
  if (MONEY.has(metric)) return `${value} ${currency}`;
  if (metric === 'ctr') return `${value}%`;
  if (metric === 'roas') return `${value}×`;
  return String(value);
}

/** A figure as a number for sorting and charts; null stays null (no spend, no ratio). */
export function numberOf(figures: AdFigures, metric: Metric): number | null {
  const value = figures[metric];
  return value === null ? null : Number(value);
}

/** Every day from `from` to `to` (ISO dates, both included), so days without figures still take their place. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end && days.length <= 400; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

/** One metric per day of the range, from the answer's days (absent days: zero, or null for ratios). */
export function perDay(days: string[], figures: AdsInsightsAnswer['days'], metric: Metric): (number | null)[] {
  const byDay = new Map(figures.map((day) => [day.day, day]));
  return days.map((day) => {
    const found = byDay.get(day);
    if (!found) return isRatio(metric) ? null : 0;
    return numberOf(found, metric);
  });
}

export const isRatio = (metric: Metric) => metric === 'ctr' || metric === 'cpc' || metric === 'roas';

/** Today and the day `back` days before it, as the browser's calendar has them (ISO dates). */
export function recentRange(back: number): { from: string; to: string } {
  const local = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const today = new Date();
  const start = new Date(today);
  start.setDate(today.getDate() - back);
  return { from: local(start), to: local(today) };
}
