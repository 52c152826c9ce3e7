import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeAttempt } from '../src/accounts/throttle.js';
import { RateLimitedError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(() => test.stop());

const policy = { name: 'test', limit: 5, windowSeconds: 60, message: 'Slow down' };

describe('takeAttempt', () => {
  it('lets exactly the limit through when attempts race, then tells how long to wait', async () => {
    const { store } = test.platform;
    const now = 1_800_000_030_000; // 30 s into a 60 s window
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => takeAttempt(store, policy, 'racing-subject', now)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(7);
    const error = (refused[0] as PromiseRejectedResult).reason as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toBe('Slow down');
  });

  it('starts afresh in the next window and keeps subjects apart', async () => {
    const { store } = test.platform;
    const now = 1_800_000_000_000;
    for (let i = 0; i < 5; i++) await takeAttempt(store, policy, 'windowed', now);
    await expect(takeAttempt(store, policy, 'windowed', now)).rejects.toThrow(RateLimitedError);
    await expect(takeAttempt(store, policy, 'another-subject', now)).resolves.toBeUndefined();
    await expect(takeAttempt(store, policy, 'windowed', now + 60_000)).resolves.toBeUndefined();
  });
});
