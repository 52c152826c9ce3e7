import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCT } from '@asistone/core/product/areas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../packages/local/src/stack.js';
import { eventually } from '../support/local-stack.js';

/**
 * `/api/health` reports each part from a real check, not from a list of names: the local
 * runtime is started in this process so the test can stop one of its pollers, as a crash
 * would, and watch the report degrade.
 */
let stack: LocalStack;
let dataDir: string;

interface HealthReport {
  status: 'ok' | 'degraded';
  components: Record<string, { status: 'ok' | 'down'; detail?: Record<string, unknown> }>;
}

async function health(): Promise<{ code: number; report: HealthReport }> {
  const response = await fetch(`${stack.url}/api/health`);
  return { code: response.status, report: (await response.json()) as HealthReport };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'asistone-health-'));
  stack = await startLocalStack({ port: 0, dataDir, buildWeb: false });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/api/health', () => {
  it('reports every part as up, each from its own check', async () => {
    const { code, report } = await eventually(async () => {
      const answer = await health();
      return answer.code === 200 ? answer : undefined;
    });
    expect(code).toBe(200);
    expect(Object.keys(report.components).sort()).toEqual(
      ['alarms', 'gateway', 'keys', 'media', 'pollers', 'queues', 'scheduler', 'table', 'web'].sort(),
    );
    const pollers = report.components.pollers?.detail as Record<string, { status: string; waiting: number }>;
    expect(Object.keys(pollers).sort()).toEqual([...PRODUCT.queueNames].sort());
    for (const poller of Object.values(pollers)) expect(poller).toMatchObject({ status: 'ok', waiting: 0 });
    expect(report.components.keys?.detail).toEqual({ provider: 'local' });
  });

  it('degrades when a queue poller stops, naming the one that did', async () => {
    stack.pollers.get('mail')?.stop();

    const { code, report } = await eventually(async () => {
      const answer = await health();
      return answer.code === 503 ? answer : undefined;
    });

    expect(code).toBe(503);
    expect(report.status).toBe('degraded');
    expect(report.components.pollers?.status).toBe('down');
    const pollers = report.components.pollers?.detail as Record<string, { status: string }>;
    expect(pollers.mail?.status).toBe('down');
    for (const queue of PRODUCT.queueNames.filter((name) => name !== 'mail')) {
      expect(pollers[queue]?.status).toBe('ok');
    }
    for (const part of ['gateway', 'table', 'media', 'queues', 'keys', 'scheduler']) {
      expect(report.components[part]?.status, part).toBe('ok');
    }
  });
});
