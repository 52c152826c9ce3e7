import type { PrivacyRequestKind } from '@asistone/contract/privacy';
import { openPrivacyRequestsDueBy, type PrivacyRequestsStore } from './privacy-requests.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * How long before its 30-day deadline an open request raises the alarm: five days leave ops a
 * working week to finish it by hand (a mailed request, an export that failed) before the
 * policy's promise is broken.
 */
export const DEADLINE_WARNING_DAYS = 5;

/**
 * The warning's message. The AWS metric filter matches it exactly (stacks/Jobs.ts), so changing
 * it silences the CloudWatch alarm: tests/infra/privacy.test.ts holds them together.
 */
export const DEADLINE_WARNING_MESSAGE = 'privacy request nearing its deadline';

/** One open request near or past its deadline: ids, kind and times only, no personal data. */
export interface NearingDeadline {
  tenantId: string;
  requestId: string;
  kind: PrivacyRequestKind;
  /** ISO time of the deadline. */
  dueAt: string;
  /** Whole days left, rounded down; negative once overdue. */
  daysLeft: number;
  overdue: boolean;
}

export interface DeadlineCheck {
  /** Soonest deadline first. */
  nearing: NearingDeadline[];
  /** How many each business has, so one business's backlog is told apart from another's. */
  byBusiness: Record<string, number>;
  overdue: number;
}

/**
 * The open requests of every business whose deadline is within {@link DEADLINE_WARNING_DAYS}
 * of `now`, or already past: one Query on the open requests' sparse index (no Scan, no tenant
 * key: nothing is opened).
 */
export async function checkPrivacyDeadlines(store: PrivacyRequestsStore, now: number): Promise<DeadlineCheck> {
  const nearing: NearingDeadline[] = [];
  const byBusiness: Record<string, number> = {};
  for await (const request of openPrivacyRequestsDueBy(store, now + DEADLINE_WARNING_DAYS * DAY_MS)) {
    const left = request.dueAt - now;
    nearing.push({
      tenantId: request.tenantId,
      requestId: request.requestId,
      kind: request.kind,
      dueAt: new Date(request.dueAt).toISOString(),
      daysLeft: Math.floor(left / DAY_MS),
      overdue: left < 0,
    });
    byBusiness[request.tenantId] = (byBusiness[request.tenantId] ?? 0) + 1;
  }
  nearing.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { nearing, byBusiness, overdue: nearing.filter((request) => request.overdue).length };
}

/** The little of a logger the alarm needs (Powertools' Logger fits). */
export interface DeadlineLog {
  warn(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The deadline alarm: one warning line per request near or past its deadline (tenant, request,
 * kind, deadline: nothing about the person), then one summary. On AWS a metric filter counts the
 * warnings and a CloudWatch alarm fires on them; locally the warning in the log is the alarm.
 */
export async function warnOfPrivacyDeadlines(
  deps: { store: PrivacyRequestsStore; log: DeadlineLog },
  now: number,
): Promise<DeadlineCheck> {
  const check = await checkPrivacyDeadlines(deps.store, now);
  for (const request of check.nearing) deps.log.warn(DEADLINE_WARNING_MESSAGE, { ...request });
  deps.log.info('privacy deadlines checked', {
    nearing: check.nearing.length,
    overdue: check.overdue,
    byBusiness: check.byBusiness,
  });
  return check;
}
