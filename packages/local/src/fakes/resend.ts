import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { devOutbox } from '@asistone/core/notify/dev-outbox';
import type { MailKind } from '@asistone/core/notify/mailer';
import { MAIL_RECORDS } from '@asistone/core/notify/records';
import { platform } from '@asistone/core/platform/context';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * A fake of Resend for the local stack and tests: `POST /emails` with Resend's real shapes
 * (Bearer key; a User-Agent or 403 error 1010; `Idempotency-Key` replayed for 24 hours; 429 with
 * the rate-limit headers when asked), `GET /emails/:id`, and then, like Resend, Svix-signed
 * delivery webhooks to the stack's `/webhooks/resend`. Resend's test addresses behave as theirs
 * do: `bounced@resend.dev` bounces, `complained@resend.dev` is delivered and then complained
 * about, anything else is delivered (`+label` allowed). Each accepted mail is also kept where
 * developers read mail locally (the dev outbox). Local only: nothing in stacks/ or functions/ refers to it.
 */

/** The local stack's Resend settings: a fixed key and webhook secret, nothing to configure. */
export const LOCAL_RESEND = {
  apiKey: 're_local_asistone_fake_resend_key',
  /** `whsec_` + base64 of 32 bytes, as Resend shows an endpoint's secret. */
  webhookSecret: `whsec_${Buffer.from('asistone-local-resend-webhook-32').toString('base64')}`,
} as const;

export interface FakeResendMail {
  kind: string;
  /** The Idempotency-Key, or the email id without one. */
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface FakeResendOptions {
  apiKey?: string;
  webhookSecret?: string;
  port?: number;
  /** The stack's `/webhooks/resend`, known once the gateway listens; no webhooks while undefined. */
  webhookUrl: () => string | undefined;
  /** Keeps each accepted mail for developers (the dev outbox). */
  keep?: (mail: FakeResendMail) => Promise<void>;
  /** ms between the API's answer and `email.sent`, and between later events (default 150). */
  eventDelayMs?: number;
}

export interface FakeResendEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  createdAt: string;
  lastEvent: string;
}

export interface FakeResendWebhook {
  svixId: string;
  type: string;
  emailId: string;
  attempts: number;
  /** The last answer's status, 0 when unreachable. */
  status: number;
}

export interface FakeResend {
  url: string;
  apiKey: string;
  webhookSecret: string;
  emails: FakeResendEmail[];
  webhooks: FakeResendWebhook[];
  /** The next `count` requests get 429 with Resend's rate-limit headers. */
  rateLimit(count: number, retryAfterSeconds?: number): void;
  stop(): Promise<void>;
}

/** The settings that point the local stack's functions at this fake (and its webhooks' secret). */
export function fakeResendEnvironment(fake: Pick<FakeResend, 'url' | 'apiKey' | 'webhookSecret'>) {
  return { RESEND_BASE_URL: fake.url, RESEND_API_KEY: fake.apiKey, RESEND_WEBHOOK_SECRET: fake.webhookSecret };
}

/**
 * Keeps a mail the fake accepted in the dev outbox, where developers (and `readOutbox`) read
 * local mail, under its idempotency key as the outbox always named mails.
 */
export async function keepInDevOutbox(mail: FakeResendMail): Promise<void> {
  const { storeOf, keyring } = platform();
  await devOutbox({ store: storeOf(MAIL_RECORDS), keyring }).send({
    // The product's own kinds, or `customer` for a business's mail (the outbox shows it as given).
    kind: mail.kind as MailKind,
    idempotencyKey: mail.key,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  });
}

const DAY_MS = 24 * 3600 * 1000;
/** Resend's default per-team limit, as its headers report it. */
const RATE_LIMIT = 5;
/** Svix's retry schedule, compressed from 5 s, 5 min, 30 min… to keep local runs short. */
const RETRY_MS = [1_000, 5_000];
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

const errorBody = (statusCode: number, name: string, message: string) => ({ statusCode, name, message });

/** The address inside `Name <address>`, or the text itself. */
const addressOf = (text: string) => /<([^<>]+)>\s*$/.exec(text)?.[1] ?? text.trim();

/** What Resend's test addresses make happen after `email.sent`. */
function outcomeOf(to: string): string[] {
  const [local, domain] = addressOf(to).toLowerCase().split('@');
  if (domain !== 'resend.dev') return ['email.delivered'];
  const box = (local ?? '').split('+')[0];
  if (box === 'bounced') return ['email.bounced'];
  if (box === 'complained') return ['email.delivered', 'email.complained'];
  return ['email.delivered'];
}

export async function startFakeResend(options: FakeResendOptions): Promise<FakeResend> {
  const apiKey = options.apiKey ?? LOCAL_RESEND.apiKey;
  const webhookSecret = options.webhookSecret ?? LOCAL_RESEND.webhookSecret;
  const signingKey = Buffer.from(webhookSecret.replace(/^whsec_/, ''), 'base64');
  const delay = options.eventDelayMs ?? 150;
  const emails: FakeResendEmail[] = [];
  const webhooks: FakeResendWebhook[] = [];
  const byKey = new Map<string, { hash: string; id: string; at: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let limited = 0;
  let retryAfter = 1;
  let stopped = false;

  const later = (ms: number, work: () => Promise<void> | void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) void Promise.resolve(work()).catch(() => undefined);
    }, ms);
    timers.add(timer);
  };

  /** Posts one event as Svix does: signed `<id>.<timestamp>.<body>`, retried on failure. */
  function deliver(type: string, email: FakeResendEmail) {
    const target = options.webhookUrl();
    if (!target) return;
    const record: FakeResendWebhook = {
      svixId: `msg_${randomBytes(12).toString('hex')}`,
      type,
      emailId: email.id,
      attempts: 0,
      status: 0,
    };
    webhooks.push(record);
    email.lastEvent = type.replace(/^email\./, '');
    const data: Record<string, unknown> = {
      created_at: email.createdAt,
      email_id: email.id,
      from: email.from,
      to: email.to,
      subject: email.subject,
    };
    if (type === 'email.bounced') {
      data.bounce = { message: "The recipient's email address does not exist.", subType: 'General', type: 'Permanent' };
    }
    // The same body and svix-id on every retry, freshly timestamped and signed, as Svix does.
    const body = JSON.stringify({ type, created_at: new Date().toISOString(), data });
    const attempt = async () => {
      record.attempts += 1;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', signingKey)
        .update(`${record.svixId}.${timestamp}.${body}`)
        .digest('base64');
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Svix-Webhooks/1.0 (fake)',
            'svix-id': record.svixId,
            'svix-timestamp': timestamp,
            'svix-signature': `v1,${signature}`,
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        record.status = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
      } catch {
        record.status = 0;
      }
      const wait = RETRY_MS[record.attempts - 1];
      if (wait !== undefined) later(wait, attempt);
    };
    return attempt();
  }

  /** `email.sent`, then the outcome, one after another (Svix does not promise order; locally they keep it). */
  function events(email: FakeResendEmail) {
    const types = ['email.sent', ...outcomeOf(email.to[0] ?? '')];
    types.forEach((type, index) => {
      later(delay * (index + 1), () => deliver(type, email));
    });
  }

  const app = new Hono();

  app.use('/emails/*', async (c, next) => {
    // Cloudflare in front of Resend refuses a request without a User-Agent (error 1010).
    if (!c.req.header('user-agent')) return c.json({ error_code: 1010, message: 'Access denied' }, 403);
    const authorization = c.req.header('authorization');
    if (!authorization)
      return c.json(errorBody(401, 'missing_api_key', 'Missing API key in the authorization header.'), 401);
    if (authorization !== `Bearer ${apiKey}`)
      return c.json(errorBody(403, 'invalid_api_key', 'API key is invalid'), 403);
    if (limited > 0) {
      limited -= 1;
      return c.json(
        errorBody(429, 'rate_limit_exceeded', 'Too many requests. You can only make 5 requests per second.'),
        429,
        {
          'ratelimit-limit': String(RATE_LIMIT),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(retryAfter),
          'retry-after': String(retryAfter),
        },
      );
    }
    await next();
    c.header('ratelimit-limit', String(RATE_LIMIT));
    c.header('ratelimit-remaining', String(RATE_LIMIT - 1));
    c.header('ratelimit-reset', '1');
  });

  app.post('/emails', async (c) => {
    const raw = await c.req.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return c.json(errorBody(400, 'invalid_json', 'The request body is not valid JSON.'), 400);
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 256)) {
      return c.json(errorBody(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'), 400);
    }
    const hash = createHash('sha256').update(raw).digest('hex');
    const known = key ? byKey.get(key) : undefined;
    if (known && Date.now() - known.at < DAY_MS) {
      if (known.hash !== hash) {
        return c.json(
          errorBody(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.'),
          409,
        );
      }
      return c.json({ id: known.id });
    }
    const problem = invalid(body);
    if (problem) return c.json(errorBody(422, 'validation_error', problem), 422);
    const to = (Array.isArray(body.to) ? body.to : [body.to]) as string[];
    const email: FakeResendEmail = {
      id: randomUUID(),
      from: body.from as string,
      to,
      subject: body.subject as string,
      createdAt: new Date().toISOString(),
      lastEvent: 'queued',
    };
    if (key) byKey.set(key, { hash, id: email.id, at: Date.now() });
    emails.push(email);
    const tags = Array.isArray(body.tags) ? (body.tags as { name?: unknown; value?: unknown }[]) : [];
    const kind = tags.find((tag) => tag.name === 'kind')?.value;
    for (const recipient of to) {
      await options.keep?.({
        kind: typeof kind === 'string' ? kind : 'mail',
        key: key ?? email.id,
        to: recipient,
        subject: email.subject,
        text: typeof body.text === 'string' ? body.text : '',
        html: typeof body.html === 'string' ? body.html : '',
      });
    }
    events(email);
    return c.json({ id: email.id });
  });

  app.get('/emails/:id', (c) => {
    const email = emails.find((candidate) => candidate.id === c.req.param('id'));
    if (!email) return c.json(errorBody(404, 'not_found', 'Email not found'), 404);
    return c.json({
      object: 'email',
      id: email.id,
      to: email.to,
      from: email.from,
      subject: email.subject,
      created_at: email.createdAt,
      last_event: email.lastEvent,
    });
  });

  // For developers and tests: what was sent, and which webhooks went out with what answer.
  app.get('/dev/resend/state', (c) => c.json({ emails, webhooks }));
  app.post('/dev/resend/rate-limit', async (c) => {
    const asked = (await c.req.json().catch(() => ({}))) as { count?: unknown; retryAfterSeconds?: unknown };
    limited = Number(asked.count) || 1;
    retryAfter = Number(asked.retryAfterSeconds) || 1;
    return c.json({ limited, retryAfter });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    webhookSecret,
    emails,
    webhooks,
    rateLimit(count, retryAfterSeconds = 1) {
      limited = count;
      retryAfter = retryAfterSeconds;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Resend's validation messages for a send's required fields. */
function invalid(body: Record<string, unknown>): string | undefined {
  if (typeof body.from !== 'string' || !ADDRESS.test(addressOf(body.from))) return 'Invalid `from` field.';
  const to = Array.isArray(body.to) ? body.to : [body.to];
  if (
    to.length === 0 ||
    to.length > 50 ||
    !to.every((address) => typeof address === 'string' && ADDRESS.test(address))
  ) {
    return 'Invalid `to` field.';
  }
  if (typeof body.subject !== 'string' || body.subject.length === 0) return 'Missing `subject` field.';
  if (typeof body.html !== 'string' && typeof body.text !== 'string') return 'Missing `html` or `text` field.';
  return undefined;
}
