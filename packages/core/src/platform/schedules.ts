export type { ScheduleDeclaration } from './area.js';

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
