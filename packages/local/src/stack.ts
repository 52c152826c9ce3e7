import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { registerHealthCheck } from '@asistone/core/platform/health';
import { createLogger } from '@asistone/core/platform/log';
import { queueNames } from '@asistone/core/platform/queue/declarations';
import { serve } from '@hono/node-server';
import { startEmulators } from './emulators.js';
import { announceRunning, clearRunning, handlerEnvironment, seedLocalData } from './environment.js';
import { createGateway, type GatewayState } from './gateway.js';
import { ROOT } from './lambda.js';
import { startPoller } from './pollers.js';
import { startScheduler } from './scheduler.js';
import { localSecrets } from './secrets.js';
import { ensureWebBuild, WEB_DIST, type WebBuildState } from './web-build.js';

export interface LocalStackOptions {
  /** Gateway port; 0 picks a free one. */
  port: number;
  /** Where table, queues, media and keys are kept. */
  dataDir: string;
  /** Build the web app when stale (default true). */
  buildWeb?: boolean;
}

export interface LocalStack {
  url: string;
  dataDir: string;
  /** Stops taking requests, drains the queues, then stops everything. */
  stop(): Promise<void>;
}

/**
 * The whole product on one machine: emulators, the gateway, queue pollers and schedules, all
 * driving the same handlers as Lambda, with the environment Lambda would give them.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(ROOT, options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const log = createLogger('local');

  const emulators = await startEmulators(dataDir);
  const handlerEnv = {
    ...handlerEnvironment(dataDir, emulators.env),
    // Generated once per data folder, so sessions survive restarts; `.env` may set its own.
    AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET ?? (await localSecrets(dataDir)).authTokenSecret,
  };
  Object.assign(process.env, handlerEnv);
  await announceRunning(dataDir, handlerEnv);

  await seedLocalData();
  const { aws } = platform();

  let web: WebBuildState = options.buildWeb === false ? 'ready' : 'building';
  if (options.buildWeb !== false) {
    web = ensureWebBuild((state, output) => {
      web = state;
      if (state === 'failed') log.error('web app build failed', { output: output.slice(-2000) });
      else log.info('web app built');
    });
  }

  const pollers = queueNames.map((queue) =>
    startPoller(aws.sqs, queue, process.env[queueUrlVariable(queue)] as string, log),
  );
  const scheduler = startScheduler(log);

  registerHealthCheck('gateway', async () => ({ status: 'ok' }));
  registerHealthCheck('web', async () => ({ status: web === 'failed' ? 'down' : 'ok', detail: { build: web } }));
  registerHealthCheck('pollers', async () => ({
    status: 'ok',
    detail: Object.fromEntries(pollers.map((poller) => [poller.queue, { batches: poller.delivered }])),
  }));
  registerHealthCheck('scheduler', async () => ({ status: 'ok', detail: { jobs: scheduler.jobs } }));
  registerHealthCheck('keys', async () => ({ status: 'ok', detail: { provider: 'local' } }));

  const state: GatewayState = { stopping: false };
  const gateway = createGateway(WEB_DIST, state);
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const s = serve({ fetch: gateway.fetch, port: options.port, hostname: '127.0.0.1' }, () => resolveServer(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  // Links in mails point at this gateway, unless `.env` names another address; CLI commands
  // (`npm run invoke -- worker-mail ...`) read it from the announcement.
  process.env.APP_URL ??= url;
  await announceRunning(dataDir, { ...handlerEnv, APP_URL: process.env.APP_URL });

  return {
    url,
    dataDir,
    async stop() {
      state.stopping = true;
      await new Promise<void>((done) => server.close(() => done()));
      scheduler.stop();
      const deadline = Date.now() + 15_000;
      await Promise.all(pollers.map((poller) => poller.drain(deadline)));
      await emulators.stop();
      await clearRunning(dataDir);
    },
  };
}
