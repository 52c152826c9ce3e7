import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { adsGraphRoutes } from './meta-ads.js';
import { adsDevRoutes } from './meta-ads-dev.js';
import { customerRoutes } from './meta-customer.js';
import { dataDeletionRoutes } from './meta-data-deletion.js';
import { dialogRoutes } from './meta-dialogs.js';
import { graphRoutes } from './meta-graph.js';
import { authorize, failureResponse, GraphFailure, tokenOf } from './meta-http.js';
import { instagramApiRoutes, instagramGraphRoutes } from './meta-instagram.js';
import { persistFakeMeta, restoreFakeMeta } from './meta-persist.js';
import type { FakeContext } from './meta-send.js';
import { sendLimitRoutes } from './meta-send-limits.js';
import { createFakeMetaState, type FakeFailures, type FakeMetaState, type ScriptedError } from './meta-state.js';
import { webhookSender } from './meta-webhooks.js';

/**
 * A fake of Meta for the local stack and tests: the Graph API (graph.facebook.com), Instagram
 * Login (graph.instagram.com, api.instagram.com), media downloads, the login popups, and a
 * customer who writes to the business and reads its replies. It speaks Meta's real HTTP shapes,
 * checks the tokens and secrets it issued, and posts signed webhooks back to the product.
 * Local only: nothing in stacks/ or functions/ refers to it.
 */

export interface FakeMetaOptions {
  appId: string;
  appSecret: string;
  instagramAppId?: string;
  instagramAppSecret: string;
  /** Where webhooks go (read at each delivery: the gateway's port is known only later). */
  webhookUrl: () => string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Share of sends (0..1) answered with 429 or 500 from the start. */
  failureRate?: number;
  seed?: number;
  /** Where to keep accounts, tokens and threads across restarts (the local data folder); memory only when unset. */
  stateFile?: string;
  /** When statuses follow a send; `read: undefined` leaves reading to the customer. */
  statusDelaysMs?: { sent: number; delivered: number; read?: number };
  /** Messages per second a number may send unless set for it (default 80, Cloud API's); null = no limit. */
  throughputPerSecond?: number | null;
  /** False: no status webhooks follow sends (default true). */
  statusWebhooks?: boolean;
  /** The Marketing API fake's clock (epoch ms; default Date.now): rate usage decay, report times, yesterday. */
  now?: () => number;
}

export interface FakeMeta {
  /** Base URL: Graph at `/v25.0/...`, `url + '/instagram-graph'`, `url + '/instagram-api'`. */
  url: string;
  state: FakeMetaState;
  /** Fails a share of sends from now on (`rate: 0` stops it). */
  inject(failures: { rate: number; statuses?: number[] }): void;
  /** The next Graph calls answer these errors, in order. */
  failNext(...errors: ScriptedError[]): void;
  /** Resolves when every queued webhook has been delivered. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The Graph settings (`META_GRAPH_URL`...) that point a process at this fake. */
export function fakeMetaEnvironment(fake: Pick<FakeMeta, 'url'>, appIds: { appId: string; instagramAppId: string }) {
  return {
    META_GRAPH_URL: fake.url,
    META_INSTAGRAM_GRAPH_URL: `${fake.url}/instagram-graph`,
    META_INSTAGRAM_API_URL: `${fake.url}/instagram-api`,
    META_APP_ID: appIds.appId,
    META_INSTAGRAM_APP_ID: appIds.instagramAppId,
    META_EMBEDDED_SIGNUP_CONFIG_ID: '100000000000777',
  };
}

const failuresInput = z.object({
  rate: z.number().min(0).max(1).default(0),
  statuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  next: z
    .array(
      z.object({
        status: z.number().int().min(400).max(599),
        code: z.number().int(),
        subcode: z.number().int().optional(),
        message: z.string().max(500).optional(),
        retryAfter: z.number().int().min(0).optional(),
      }),
    )
    .max(100)
    .optional(),
});

function devRoutes(ctx: FakeContext, fake: Pick<FakeMeta, 'inject' | 'failNext'>) {
  const app = new Hono();
  app.route('/customer', customerRoutes(ctx));
  app.route('/dialog', dialogRoutes(ctx));
  app.route('/ads', adsDevRoutes(ctx.state));
  app.route('/', sendLimitRoutes(ctx.state));
  /** Failure injection over HTTP, for tests that run the stack in another process. */
  app.post('/failures', async (c) => {
    const parsed = failuresInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    fake.inject({ rate: parsed.data.rate, statuses: parsed.data.statuses });
    fake.failNext(...(parsed.data.next ?? []));
    return c.json({ failures: ctx.state.failures, scripted: ctx.state.scripted.length });
  });
  app.delete('/failures', (c) => {
    fake.inject({ rate: 0 });
    ctx.state.scripted.length = 0;
    return c.body(null, 204);
  });
  app.get('/state', (c) => {
    const { state } = ctx;
    return c.json({
      wabas: [...state.wabas.values()].map(({ templates, ...waba }) => ({ ...waba, templates: templates.length })),
      phoneNumbers: [...state.phoneNumbers.values()].map(({ pin, ...phone }) => ({
        ...phone,
        hasPin: pin !== undefined,
      })),
      pages: [...state.pages.values()].map(({ token, ...page }) => page),
      instagramAccounts: [...state.instagramAccounts.values()],
      messages: state.messages.map(({ body, ...message }) => message),
      requests: state.requests.slice(-200),
      deliveries: state.deliveries.slice(-200),
      failures: state.failures,
    });
  });
  return app;
}

/** Media bytes at the URL `GET /{media-id}` handed out (WhatsApp: bearer token required). */
function mediaDownload(ctx: FakeContext) {
  return (c: Context) => {
    const media = ctx.state.media.get(c.req.param('id') ?? '');
    if (!media) return c.text('Not Found', 404);
    // The lookaside CDN answers a download without a token 401, not with Graph's 400.
    if (media.needsToken && !tokenOf(c)) return failureResponse(c, { status: 401, code: 190, message: 'Unauthorized' });
    if (media.needsToken) authorize(ctx.state, c, media.businessId);
    return c.body(new Uint8Array(media.bytes), 200, {
      'content-type': media.mimeType,
      'content-length': String(media.bytes.byteLength),
    });
  };
}

/**
 * @example
 * const meta = await startFakeMeta({ appId, appSecret, instagramAppSecret, webhookUrl: () => `${gateway}/webhooks/meta` });
 * meta.inject({ rate: 0.2, statuses: [429, 500] });
 */
/** A Marketing API call: an ad account's insights, the person's ad accounts, or a report run. */
function isAdsCall(state: FakeMetaState, path: string): boolean {
  if (/^\/v\d+\.\d+\/(act_\d+\/insights|me\/adaccounts)$/.test(path)) return true;
  const report = /^\/v\d+\.\d+\/(\d+)(\/insights)?$/.exec(path);
  return Boolean(report && state.ads.reports.has(report[1] as string));
}

export async function startFakeMeta(options: FakeMetaOptions): Promise<FakeMeta> {
  const state = createFakeMetaState(options);
  if (options.throughputPerSecond !== undefined) state.throughput.defaultPerSecond = options.throughputPerSecond;
  if (options.statusWebhooks !== undefined) state.statusWebhooks = options.statusWebhooks;
  if (options.stateFile) restoreFakeMeta(state, options.stateFile);
  const persisted = options.stateFile ? persistFakeMeta(state, options.stateFile) : undefined;
  const webhooks = webhookSender(state, options.webhookUrl);
  let url = '';
  const ctx: FakeContext = {
    state,
    webhooks,
    url: () => url,
    statusDelaysMs: options.statusDelaysMs ?? { sent: 150, delivered: 400, read: 1200 },
  };
  const handle: Pick<FakeMeta, 'inject' | 'failNext'> = {
    inject({ rate, statuses }) {
      const failures: FakeFailures = { rate, statuses: statuses ?? state.failures.statuses };
      state.failures = failures;
    },
    failNext(...errors) {
      state.scripted.push(...errors);
    },
  };

  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof GraphFailure) return failureResponse(c, error.failure);
    return failureResponse(c, { status: 500, code: 1, message: 'An unknown error occurred' });
  });
  // Every Graph call is logged (never its token) and may be answered by a scripted failure first.
  // Ads calls have their own scripted throttles (meta-ads-usage.ts): an ad account's background
  // sync must not take the failure a test scripted for its next messaging or connect call.
  app.use('*', async (c, next) => {
    const graph = !c.req.path.startsWith('/dev/') && !c.req.path.startsWith('/media-download/');
    const scripted = graph && !isAdsCall(state, c.req.path) ? state.scripted.shift() : undefined;
    if (scripted) {
      state.requests.push({ method: c.req.method, path: c.req.path, status: scripted.status });
      return failureResponse(c, scripted);
    }
    await next();
    if (graph) state.requests.push({ method: c.req.method, path: c.req.path, status: c.res.status });
    if (state.requests.length > 2000) state.requests.splice(0, 1000);
  });
  app.route('/dev/meta/data-deletion', dataDeletionRoutes(state, options.webhookUrl));
  app.route('/dev/meta', devRoutes(ctx, handle));
  app.get('/media-download/:id', mediaDownload(ctx));
  app.route('/instagram-api', instagramApiRoutes(ctx));
  app.route('/instagram-graph', instagramGraphRoutes(ctx));
  // Ads first: graphRoutes' `/:id` would take a report run's id for an unknown object.
  app.route('/:version{v[0-9]+\\.[0-9]+}', adsGraphRoutes(ctx));
  app.route('/:version{v[0-9]+\\.[0-9]+}', graphRoutes(ctx));
  app.all('*', (c) => failureResponse(c, { status: 400, code: 100, message: 'Unknown path components' }));

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    ...handle,
    idle: () => webhooks.idle(),
    async stop() {
      webhooks.stop();
      await new Promise<void>((done) => server.close(() => done()));
      await persisted?.flush();
    },
  };
}
