import { describe, expect, it } from 'vitest';
import { toEventBridgeCron } from '../src/platform/schedules.js';
import { PRODUCT } from '../src/product/areas.js';

describe('toEventBridgeCron', () => {
  it.each([
    ['7 * * * *', 'cron(7 * * * ? *)'],
    ['0 3 * * *', 'cron(0 3 * * ? *)'],
    ['30 2 1 * *', 'cron(30 2 1 * ? *)'],
    ['0 9 * * 1', 'cron(0 9 ? * 2 *)'],
    ['0 9 * * 0,6', 'cron(0 9 ? * 1,7 *)'],
    ['*/15 * * * *', 'cron(*/15 * * * ? *)'],
  ])('converts %s', (cron, expected) => {
    expect(toEventBridgeCron(cron)).toBe(expected);
  });

  it('refuses what EventBridge cannot express', () => {
    expect(() => toEventBridgeCron('0 9 1 * 1')).toThrow(/both day-of-month and day-of-week/);
    expect(() => toEventBridgeCron('0 9 * *')).toThrow(/five fields/);
  });

  it('converts every declared schedule', () => {
    for (const job of PRODUCT.schedules) expect(toEventBridgeCron(job.cron)).toMatch(/^cron\(/);
  });
});
