import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { type RaisedAlarm, writeRuntimeStatus } from '@asistone/core/platform/runtime-status';
import { PRODUCT } from '@asistone/core/product/areas';
import { serve } from '@hono/node-server';
import { alarmWatch } from './alarm-watch.js';
import { addDemoTemplates } from './demo-campaigns.js';
import { DEMO_SHOP, localShopifyAppSettings } from './demo-shop.js';
import { fillDemoShopHistory } from './demo-shop-history.js';
import { startEmulators } from './emulators.js';
import {
  announceRunning,
  clearRunning,
  handlerEnvironment,
  localMetaAppIds,
  localMetaAppSettings,
  RUNTIME_STATUS_FILE,
  seedLocalData,
} from './environment.js';
import { type FakeIyzico, fakeIyzicoEnvironment, startFakeIyzico } from './fakes/iyzico.js';
import { type FakeMeta, fakeMetaEnvironment, startFakeMeta } from './fakes/meta.js';
import { type FakeNetgsm, fakeNetgsmEnvironment, startFakeNetgsm } from './fakes/netgsm.js';
import { type FakeOpenAi, fakeOpenAiEnvironment, startFakeOpenAi } from './fakes/openai.js';
import { fakeResendEnvironment, keepInDevOutbox, startFakeResend } from './fakes/resend.js';
import { type FakeShopify, fakeShopifyEnvironment, localAppKeyPair, startFakeShopify } from './fakes/shopify.js';
import { createGateway, type GatewayState } from './gateway.js';
import { ROOT } from './lambda.js';
import { localLogFile, startLogFile } from './log-file.js';
import { type Poller, startPoller } from './pollers.js';
import { startScheduler } from './scheduler.js';
import { localSecrets } from './secrets.js';
import { ensureWebBuild, WEB_DIST, type WebBuildState } from './web-build.js';

/** How often the local stack evaluates the stage's alarms (CloudWatch's shortest period is a minute). */
const ALARM_CHECK_MS = 2_000;

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
  /** Each queue's poller, by queue name (ops and tests can stop one and watch health degrade). */
  pollers: ReadonlyMap<string, Poller>;
  /**
   * The fake Meta the handlers call instead of graph.facebook.com (and that posts signed webhooks
   * to this gateway): `url`, its `state`, and `inject()` / `failNext()` for failures.
   */
  fakeMeta: FakeMeta;
  /** The fake Shopify every shop's Admin endpoints point at (`SHOPIFY_SHOP_BASE_URL`). */
  fakeShopify: FakeShopify;
  /** The fake NetGSM every business's SMS go to (`NETGSM_BASE_URL`; `GET <url>/dev/netgsm/sent` shows them). */
  fakeNetgsm: FakeNetgsm;
  /**
   * The fake OpenAI the AI agent's model calls go to (`OPENAI_BASE_URL`, unless `.env` names a
   * real endpoint): `script()` its next answers, `state.requests` what reached it.
   */
  fakeOpenAi: FakeOpenAi;
  /**
   * The fake iyzico Asistone's own billing calls (`IYZICO_BASE_URL`): its hosted card page is
   * `/dev/iyzico/checkout/<token>` on the gateway, and it posts signed notifications to `/webhooks/iyzico`.
   */
  fakeIyzico: FakeIyzico;
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
  // Every line printed from here on is kept under the data folder too, as CloudWatch would keep it.
  const logFile = startLogFile(localLogFile(dataDir));
  const log = createLogger('local');

  const emulators = await startEmulators(dataDir);
  const secrets = await localSecrets(dataDir);
  const metaApp = localMetaAppSettings();
  const metaAppIds = localMetaAppIds();
  // Started before the handlers' environment is fixed (they get its URL); it learns the
  // gateway's URL, where its webhooks go, once the gateway listens.
  let gatewayUrl = '';
  const fakeMeta = await startFakeMeta({
    ...metaAppIds,
    appSecret: metaApp.META_APP_SECRET as string,
    instagramAppSecret: metaApp.META_INSTAGRAM_APP_SECRET ?? (metaApp.META_APP_SECRET as string),
    webhookUrl: () => `${gatewayUrl}/webhooks/meta`,
    failureRate: Number(process.env.FAKE_META_FAILURE_RATE ?? 0) || 0,
    stateFile: join(dataDir, 'fake-meta.json'),
  });
  // A data folder saved before a demo template existed gets it (the campaign demo's among them).
  addDemoTemplates(fakeMeta.state);
  const shopifyApp = localShopifyAppSettings();
  const shopifyAppKey = localAppKeyPair(process.env.SHOPIFY_APP_PRIVATE_KEY);
  const fakeShopify = await startFakeShopify({
    appPublicKey: shopifyAppKey.publicKey,
    clientId: shopifyApp.SHOPIFY_CLIENT_ID as string,
    clientSecret: shopifyApp.SHOPIFY_CLIENT_SECRET as string,
    stateFile: join(dataDir, 'fake-shopify.json'),
    seedShops: [{ domain: DEMO_SHOP.domain, refreshToken: DEMO_SHOP.seedRefreshToken }],
    // Its webhook sender posts to this gateway, known once it listens.
    webhookUrl: () => (gatewayUrl ? `${gatewayUrl}/webhooks/shopify` : undefined),
  });
  // The demo shop comes with a history, which its first backfill imports (demo-shop-history.ts).
  const demoShop = fakeShopify.state.shops[DEMO_SHOP.domain];
  if (demoShop && fillDemoShopHistory(demoShop)) fakeShopify.save();
  // Every business's NetGSM account is on the fake NetGSM here (the demo business's is seeded).
  const fakeNetgsm = await startFakeNetgsm();
  // Mail to businesses' customers goes to the fake Resend, which keeps it in the dev outbox and
  // posts Svix-signed delivery webhooks to this gateway's `/webhooks/resend`.
  const fakeResend = await startFakeResend({
    webhookUrl: () => (gatewayUrl ? `${gatewayUrl}/webhooks/resend` : undefined),
    keep: keepInDevOutbox,
  });
  // The AI agent's model: the fake OpenAI (scripted by tests, grounded by default), or a real
  // OpenAI-compatible endpoint when `.env` sets both LOCAL_OPENAI_* settings. Not OPENAI_BASE_URL
  // or OPENAI_API_KEY themselves: a developer's shell often has those for other tools, and the
  // local stack's messages must not reach a provider by accident.
  const fakeOpenAi = await startFakeOpenAi();
  // Asistone's own subscriptions: iyzico's API, hosted card page and notifications, played here.
  const fakeIyzico = await startFakeIyzico({
    stateFile: join(dataDir, 'fake-iyzico.json'),
    webhookUrl: () => (gatewayUrl ? `${gatewayUrl}/webhooks/iyzico` : undefined),
    publicUrl: () => process.env.APP_URL,
  });
  const realOpenAi =
    process.env.LOCAL_OPENAI_BASE_URL && process.env.LOCAL_OPENAI_API_KEY
      ? { OPENAI_BASE_URL: process.env.LOCAL_OPENAI_BASE_URL, OPENAI_API_KEY: process.env.LOCAL_OPENAI_API_KEY }
      : undefined;
  const handlerEnv = {
    ...handlerEnvironment(dataDir, emulators.env),
    // Generated once per data folder, so sessions survive restarts; `.env` may set its own.
    AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET ?? secrets.authTokenSecret,
    // The gateway stands in for CloudFront and proves it to the API the same way.
    ORIGIN_SECRET: secrets.originSecret,
    // The platform Meta app's secrets, as SSM gives them to the webhook in AWS.
    ...metaApp,
    // Graph API calls go to the fake Meta; never set in AWS, where Meta's hosts are the defaults.
    ...fakeMetaEnvironment(fakeMeta, metaAppIds),
    // The Shopify app's credentials, as SSM gives them in AWS; every shop is the fake's (local only).
    ...shopifyApp,
    ...fakeShopifyEnvironment(fakeShopify),
    // Background work's application-only tokens: signed with this key, checked by the fake.
    SHOPIFY_APP_PRIVATE_KEY: shopifyAppKey.privateKey,
    ...fakeNetgsmEnvironment(fakeNetgsm),
    // Resend's key, base URL and webhook secret: the fake's (local only).
    ...fakeResendEnvironment(fakeResend),
    ...(realOpenAi ?? fakeOpenAiEnvironment(fakeOpenAi)),
    // iyzico's keys and merchant id, as SSM and the deploying shell give them in AWS; its host the fake's.
    ...fakeIyzicoEnvironment(fakeIyzico),
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

  const pollers = PRODUCT.queues.map((queue) =>
    startPoller(aws.sqs, queue, process.env[queueUrlVariable(queue.name)] as string, log),
  );
  const scheduler = startScheduler(PRODUCT.schedules, log);
  const alarms = alarmWatch({
    sqs: aws.sqs,
    queueUrl: (queue) => process.env[queueUrlVariable(queue)] as string,
    logFile: localLogFile(dataDir),
    log,
  });
  let raisedAlarms: RaisedAlarm[] = [];

  const state: GatewayState = { stopping: false };
  let listening = false;
  // What AWS would run for us, reported every second for `/api/health` (a stopped part goes stale).
  const statusFile = join(dataDir, RUNTIME_STATUS_FILE);
  const report = () =>
    writeRuntimeStatus(statusFile, {
      writtenAt: Date.now(),
      gateway: { listening, stopping: state.stopping },
      web: { build: web },
      pollers: Object.fromEntries(pollers.map((poller) => [poller.queue, poller.status()])),
      scheduler: scheduler.status(),
      alarms: raisedAlarms,
    }).catch((error: unknown) => log.warn('runtime status not written', { error: error as Error }));
  await report();
  const reporting = setInterval(report, 1000);
  reporting.unref();
  // As CloudWatch would, every few seconds; a check still running is not started again.
  let checking = false;
  const watching = setInterval(() => {
    if (checking) return;
    checking = true;
    alarms
      .check()
      .then((raised) => {
        raisedAlarms = raised;
      })
      .catch((error: unknown) => log.warn('alarms not checked', { error: error as Error }))
      .finally(() => {
        checking = false;
      });
  }, ALARM_CHECK_MS);
  watching.unref();

  const gateway = createGateway(
    WEB_DIST,
    state,
    secrets.originSecret,
    fakeMeta.url,
    emulators.env.AWS_ENDPOINT_URL_S3,
    fakeShopify.url,
    fakeIyzico.url,
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const s = serve({ fetch: gateway.fetch, port: options.port, hostname: '127.0.0.1' }, () => resolveServer(s));
  });
  listening = true;
  await report();
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  gatewayUrl = `http://127.0.0.1:${port}`;
  // Links in mails point at this gateway, unless `.env` names another address; CLI commands
  // (`npm run invoke -- worker-mail ...`) read it from the announcement.
  process.env.APP_URL ??= url;
  await announceRunning(dataDir, { ...handlerEnv, APP_URL: process.env.APP_URL });

  return {
    url,
    dataDir,
    pollers: new Map(pollers.map((poller) => [poller.queue, poller])),
    fakeMeta,
    fakeShopify,
    fakeNetgsm,
    fakeOpenAi,
    fakeIyzico,
    async stop() {
      state.stopping = true;
      clearInterval(reporting);
      clearInterval(watching);
      await new Promise<void>((done) => server.close(() => done()));
      scheduler.stop();
      const deadline = Date.now() + 15_000;
      await Promise.all(pollers.map((poller) => poller.drain(deadline)));
      await fakeMeta.stop();
      await fakeShopify.stop();
      await fakeNetgsm.stop();
      await fakeResend.stop();
      await fakeOpenAi.stop();
      await fakeIyzico.stop();
      await emulators.stop();
      await clearRunning(dataDir);
      logFile.stop();
    },
  };
}
