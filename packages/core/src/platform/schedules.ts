/**
 * Every scheduled job, declared once. The Jobs stack turns each into an EventBridge rule
 * targeting its own function; the local runtime runs the same handler with croner.
 */
export interface ScheduleDeclaration {
  description: string;
  /** Entry point, relative to the repository root: `<file>.<export>`. */
  handler: string;
  /** Five-field cron in UTC: minute hour day-of-month month day-of-week. */
  cron: string;
  timeoutSeconds: number;
}

export const SCHEDULES = {
  'dead-letter-watch': {
    description: 'Counts messages waiting in every dead-letter queue and reports them, so none sit unnoticed',
    handler: 'functions/schedules/dead-letter-watch.handler',
    cron: '7 * * * *',
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, ScheduleDeclaration>;

export type ScheduleName = keyof typeof SCHEDULES;

/**
 * Converts a five-field cron to EventBridge's six-field form, which wants a year and a `?`
 * in one of the two day fields.
 *
 * @example
 * toEventBridgeCron('7 * * * *') // 'cron(7 * * * ? *)'
 */
export function toEventBridgeCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron must have five fields: "${cron}"`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (dayOfWeek !== '*' && dayOfMonth !== '*') {
    throw new Error(`EventBridge cannot restrict both day-of-month and day-of-week: "${cron}"`);
  }
  // EventBridge numbers weekdays 1-7 from Sunday; cron numbers them 0-6 from Sunday.
  const weekday = dayOfWeek === '*' ? '?' : dayOfWeek.replace(/\d/g, (digit) => String((Number(digit) % 7) + 1));
  const day = dayOfWeek === '*' ? dayOfMonth : '?';
  return `cron(${minute} ${hour} ${day} ${month} ${weekday} *)`;
}
