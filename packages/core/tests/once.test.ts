import { describe, expect, it } from 'vitest';
import { once } from '../src/platform/once.js';

describe('once', () => {
  it('loads on first use and shares the result among concurrent callers', async () => {
    let loads = 0;
    const value = once(async () => ++loads);
    expect(await Promise.all([value(), value(), value()])).toEqual([1, 1, 1]);
    expect(await value()).toBe(1);
  });

  it('forgets a failure, so the next caller tries again', async () => {
    let calls = 0;
    const value = once(async () => {
      calls++;
      if (calls === 1) throw new Error('SSM unreachable');
      return 'secret';
    });
    await expect(value()).rejects.toThrow('SSM unreachable');
    expect(await value()).toBe('secret');
    expect(calls).toBe(2);
  });
});
