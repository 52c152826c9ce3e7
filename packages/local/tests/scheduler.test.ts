import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { PRODUCT } from '../../core/src/product/areas.js';

/**
 * `npm start` runs every declared schedule with croner, and AWS with EventBridge: a cron only
 * one of them reads stops the local stack at start-up. Each is parsed here as the local
 * scheduler parses it, and must have a next run.
 */
describe('the local scheduler', () => {
  it.each(PRODUCT.schedules.map((schedule) => [schedule.name, schedule.cron] as const))(
    '%s: its cron (%s) is one croner runs',
    (_name, cron) => {
      const job = new Cron(cron, { timezone: 'UTC', paused: true });
      const next = job.nextRun(new Date('2026-11-30T00:00:00Z'));
      expect(next).toBeInstanceOf(Date);
      job.stop();
    },
  );
});
