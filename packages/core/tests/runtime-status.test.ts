import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type PollerStatus,
  pollerHealth,
  type RuntimeStatus,
  runtimeHealthChecks,
  writeRuntimeStatus,
} from '../src/platform/runtime-status.js';

const NOW = 1_800_000_000_000;
const poller = (overrides: Partial<PollerStatus> = {}): PollerStatus => ({
  running: true,
  lastPollAt: NOW - 1_000,
  consumerTimeoutSeconds: 30,
  batches: 3,
  ...overrides,
});

describe('pollerHealth', () => {
  it('is up while it polls, and while a batch is within its consumer timeout', () => {
    expect(pollerHealth(poller(), NOW)).toBe('ok');
    expect(pollerHealth(poller({ lastPollAt: NOW - 20_000, busySince: NOW - 20_000 }), NOW)).toBe('ok');
  });

  it('is down when stopped, silent for seconds, or stuck in a batch past its timeout', () => {
    expect(pollerHealth(poller({ running: false }), NOW)).toBe('down');
    expect(pollerHealth(poller({ lastPollAt: NOW - 6_000 }), NOW)).toBe('down');
    expect(pollerHealth(poller({ lastPollAt: NOW - 40_000, busySince: NOW - 40_000 }), NOW)).toBe('down');
  });
});

describe('runtimeHealthChecks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asistone-runtime-'));
  const file = join(dir, 'runtime.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const status = (writtenAt: number): RuntimeStatus => ({
    writtenAt,
    gateway: { listening: true, stopping: false },
    web: { build: 'ready' },
    pollers: { mail: poller() },
    scheduler: { running: true, jobs: [] },
  });

  it('reads each part from the latest report', async () => {
    await writeRuntimeStatus(file, status(NOW - 500));
    const checks = runtimeHealthChecks(
      file,
      async () => 2,
      () => NOW,
    );
    expect(await checks.gateway?.()).toMatchObject({ status: 'ok' });
    expect(await checks.pollers?.()).toEqual({
      status: 'ok',
      detail: { mail: { status: 'ok', lastPollSecondsAgo: 1, busy: false, batches: 3, waiting: 2 } },
    });
  });

  it('calls every part down when the runtime stopped reporting', async () => {
    await writeRuntimeStatus(file, status(NOW - 10_000));
    const checks = runtimeHealthChecks(
      file,
      async () => 0,
      () => NOW,
    );
    for (const check of Object.values(checks)) expect((await check()).status).toBe('down');
  });
});
