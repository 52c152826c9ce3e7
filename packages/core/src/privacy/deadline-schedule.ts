import type { Access } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';
import { DEADLINE_WARNING_MESSAGE } from './deadlines.js';

/**
 * Daily: warns of every business's open privacy requests due within five days or overdue
 * (privacy/deadlines.ts). One Query on the open requests' sparse index: no Scan, no tenant key
 * (nothing is opened), no writes. On AWS its warnings feed a CloudWatch alarm (stacks/Jobs.ts).
 */
export const PRIVACY_DEADLINES_SCHEDULE = {
  name: 'privacy-deadlines',
  description: 'Warns of privacy requests near or past their 30-day deadline (a CloudWatch alarm on AWS)',
  handler: 'functions/schedules/privacy-deadlines.handler',
  // 07:13 UTC daily (10:13 in Türkiye): early in ops' working day, so a warning is acted on that day.
  cron: '13 7 * * *',
  timeoutSeconds: 60,
  access: { table: ['Query'] } satisfies Access,
  alarm: {
    metric: 'PrivacyRequestsNearDeadline',
    logMessage: DEADLINE_WARNING_MESSAGE,
    description:
      'A privacy request is within 5 days of its 30-day deadline, or past it: finish it (npm run privacy -- list --tenant <id>)',
    runbook: 'docs/runbooks/privacy-deadlines.md',
  },
} as const satisfies ScheduleDeclaration;
