import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveBackAttempt, takeAttempt } from '../src/accounts/throttle.js';
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
    await expect(takeAttempt(store, policy, 'another-subject', now)).resolves.toBeDefined();
    await expect(takeAttempt(store, policy, 'windowed', now + 60_000)).resolves.toBeDefined();
  });
});

describe('giveBackAttempt', () => {
  it('frees the slot in the window it was taken from, and never below zero', async () => {
    // Prepare: a full window, and one slot taken in it.
    const { store } = test.platform;
    const now = 1_800_000_000_000;
    const taken = await takeAttempt(store, policy, 'given-back', now);
    for (let i = 0; i < 4; i++) await takeAttempt(store, policy, 'given-back', now);

    // Act: handed back after the window ended.
    await giveBackAttempt(store, taken);
    await giveBackAttempt(store, { ...taken, subject: 'never-taken' });

    // Assess: the old window has room for one more; the next window and the untouched subject are as they were.
    await expect(takeAttempt(store, policy, 'given-back', now)).resolves.toBeDefined();
    await expect(takeAttempt(store, policy, 'given-back', now)).rejects.toThrow(RateLimitedError);
    for (let i = 0; i < 5; i++) await takeAttempt(store, policy, 'never-taken', now);
    await expect(takeAttempt(store, policy, 'never-taken', now)).rejects.toThrow(RateLimitedError);
  });
});
