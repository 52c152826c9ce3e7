import { addDays, firstOfMonth, isDay, istanbulDay, monthsBefore } from './meta-ads-days.js';
import { INSIGHT_FIELDS, INSIGHT_LEVELS, type InsightLevel, type InsightQuery } from './meta-ads-insights.js';
import { fail } from './meta-http.js';

/**
 * Reads an insights request's parameters (`level`, `fields`, `time_range` or `date_preset`,
 * `time_increment`) the way the Insights API validates them, answering its 400s otherwise.
 */

/** Meta keeps 37 months of insights. */
const MAX_MONTHS = 37;

/** Meta answers `impressions`, `spend` and the dates when no fields are asked for. */
const DEFAULT_FIELDS = ['impressions', 'spend'];

function presetRange(preset: string, today: string): { since: string; until: string } {
  const yesterday = addDays(today, -1);
  const lastDays = /^last_(3|7|14|28|30|90)d$/.exec(preset);
  if (lastDays) return { since: addDays(today, -Number(lastDays[1])), until: yesterday };
  if (preset === 'today') return { since: today, until: today };
  if (preset === 'yesterday') return { since: yesterday, until: yesterday };
  if (preset === 'this_month') return { since: firstOfMonth(today), until: today };
  if (preset === 'last_month') {
    const end = addDays(firstOfMonth(today), -1);
    return { since: firstOfMonth(end), until: end };
  }
  if (preset === 'maximum') return { since: monthsBefore(today, MAX_MONTHS), until: yesterday };
  return fail(
    400,
    100,
    `(#100) date_preset must be one of the following values: today, yesterday, this_month, last_month, maximum, last_3d, last_7d, last_14d, last_28d, last_30d, last_90d`,
  );
}

function timeRange(text: string): { since: string; until: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const { since, until } = (parsed ?? {}) as { since?: unknown; until?: unknown };
  if (!isDay(since) || !isDay(until)) {
    return fail(400, 100, '(#100) time_range must be a JSON object with since and until dates (YYYY-MM-DD)');
  }
  if (since > until) return fail(400, 100, '(#100) time_range: since must be on or before until');
  return { since, until };
}

export function insightQuery(params: Record<string, string | undefined>, nowMs: number): InsightQuery {
  const level = (params.level ?? 'account') as InsightLevel;
  if (!INSIGHT_LEVELS.includes(level)) {
    fail(400, 100, '(#100) level must be one of the following values: ad, adset, campaign, account');
  }
  const fields = params.fields ? params.fields.split(',').map((field) => field.trim()) : DEFAULT_FIELDS;
  for (const field of fields) {
    if (!INSIGHT_FIELDS.has(field)) {
      fail(
        400,
        100,
        `(#100) ${field} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`,
      );
    }
  }
  const increment = params.time_increment ?? 'all_days';
  if (increment !== '1' && increment !== 'all_days') {
    fail(400, 100, '(#100) time_increment must be 1 or all_days here');
  }
  const today = istanbulDay(nowMs);
  const range = params.time_range ? timeRange(params.time_range) : presetRange(params.date_preset ?? 'last_30d', today);
  if (range.since < monthsBefore(today, MAX_MONTHS)) {
    fail(400, 3018, '(#3018) The start date of the time range cannot be beyond 37 months from the current date');
  }
  return { level, fields, ...range, increment: increment === '1' ? 'daily' : 'all_days' };
}
