import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ComponentHealth, HealthCheck } from './health.js';
import { once } from './once.js';

/**
 * What the process hosting the product on one machine (`npm start`) reports about the parts
 * AWS runs for us in the cloud: the HTTP gateway, the queue pollers, the scheduler and the web
 * build. It rewrites this file every second; the API's health route reads it, so a stopped
 * poller or a hung runtime shows up as down, not as a remembered "ok".
 */
export interface RuntimeStatus {
  /** Epoch milliseconds of this report. */
  writtenAt: number;
  gateway: { listening: boolean; stopping: boolean };
  web: { build: 'building' | 'ready' | 'failed' };
  pollers: Record<string, PollerStatus>;
  scheduler: { running: boolean; jobs: { name: string; next?: string | undefined }[] };
  /** The stage's alarms raised now, as the local stack evaluates them (packages/local alarm-watch.ts). */
  alarms?: RaisedAlarm[];
}

/** An alarm that fired and has not cleared: its name (`meta-events-dead-letters`), since when, and why. */
export interface RaisedAlarm {
  name: string;
  /** Epoch milliseconds. */
  since: number;
  runbook: string;
  detail: Record<string, unknown>;
}

export interface PollerStatus {
  running: boolean;
  /** When the poller last asked its queue for messages (epoch ms). */
  lastPollAt: number;
  /** Set while a batch is with the consumer (epoch ms). */
  busySince?: number | undefined;
  /** The consumer's timeout: a batch may keep the poller busy that long. */
  consumerTimeoutSeconds: number;
  batches: number;
}

/** A report older than this means the runtime itself stopped reporting. */
const STALE_AFTER_MS = 5_000;
/** An idle poller asks every second or so; past this it is stuck. */
const POLL_GAP_MS = 5_000;

export async function writeRuntimeStatus(file: string, status: RuntimeStatus): Promise<void> {
  // Written aside and renamed, so a reader never sees half a report.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(status), { mode: 0o600 });
  await rename(partial, file);
}

/** Whether a poller is taking messages now, and if not, why. */
export function pollerHealth(poller: PollerStatus, now: number): ComponentHealth['status'] {
  if (!poller.running) return 'down';
  if (poller.busySince !== undefined) {
    return now - poller.busySince <= poller.consumerTimeoutSeconds * 1000 + POLL_GAP_MS ? 'ok' : 'down';
  }
  return now - poller.lastPollAt <= POLL_GAP_MS ? 'ok' : 'down';
}

/**
 * The gateway, web build, pollers, scheduler and raised alarms, each from the runtime's latest report.
 * `waiting` tells how many messages each queue holds, so "how far behind" is in the report.
 */
export function runtimeHealthChecks(
  file: string,
  waiting: (queue: string) => Promise<number>,
  now = () => Date.now(),
): Record<string, HealthCheck> {
  // One read of the report serves the four checks (they are made afresh for each health request).
  const fresh = once(async (): Promise<RuntimeStatus | undefined> => {
    const status = JSON.parse(await readFile(file, 'utf8')) as RuntimeStatus;
    return now() - status.writtenAt <= STALE_AFTER_MS ? status : undefined;
  });
  const stale: ComponentHealth = { status: 'down', detail: { error: 'the runtime stopped reporting' } };
  return {
    gateway: async () => {
      const status = await fresh();
      if (!status) return stale;
      const up = status.gateway.listening && !status.gateway.stopping;
      return { status: up ? 'ok' : 'down', detail: status.gateway };
    },
    web: async () => {
      const status = await fresh();
      if (!status) return stale;
      return { status: status.web.build === 'failed' ? 'down' : 'ok', detail: status.web };
    },
    pollers: async () => {
      const status = await fresh();
      if (!status) return stale;
      const at = now();
      const pollers = await Promise.all(
        Object.entries(status.pollers).map(async ([queue, poller]) => {
          const health = pollerHealth(poller, at);
          return [
            queue,
            {
              status: health,
              lastPollSecondsAgo: Math.round((at - poller.lastPollAt) / 1000),
              busy: poller.busySince !== undefined,
              batches: poller.batches,
              waiting: await waiting(queue),
            },
          ] as const;
        }),
      );
      const allUp = pollers.every(([, poller]) => poller.status === 'ok');
      return { status: allUp ? 'ok' : 'down', detail: Object.fromEntries(pollers) };
    },
    scheduler: async () => {
      const status = await fresh();
      if (!status) return stale;
      return { status: status.scheduler.running ? 'ok' : 'down', detail: { jobs: status.scheduler.jobs } };
    },
    // What would page ops in AWS: any raised alarm marks the report degraded, with its runbook.
    alarms: async () => {
      const status = await fresh();
      if (!status) return stale;
      const raised = status.alarms ?? [];
      return {
        status: raised.length === 0 ? 'ok' : 'down',
        detail: {
          raised: raised.map((alarm) => ({ ...alarm, since: new Date(alarm.since).toISOString() })),
        },
      };
    },
  };
}
