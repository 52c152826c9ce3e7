import { Hono } from 'hono';
import * as z from 'zod';
import { GraphFailure, httpStatusOfCode } from './meta-http.js';
import type { FakeMetaState, ScriptedError } from './meta-state.js';

/**
 * What stops a WhatsApp send before Meta accepts it, as a campaign meets it: the number's
 * throughput (Cloud API: 80 messages per second by default, 1,000 after the upgrade; over it,
 * 130429 "Rate limit hit") over a sliding second, and failures scripted for one recipient
 * (e.g. 130429 once then success, or 131026 on every send). Plus the dev controls for both,
 * for status webhooks, and a read of what was accepted when.
 */

const WINDOW_MS = 1000;

function limitOf(state: FakeMetaState, phoneNumberId: string): number | null {
  const { perNumber, defaultPerSecond } = state.throughput;
  return perNumber.has(phoneNumberId) ? (perNumber.get(phoneNumberId) ?? null) : defaultPerSecond;
}

/**
 * Throws 130429 when the number already had its limit of messages accepted in the last second.
 * Only accepted messages count (`countSend`): a refused request does not use up the second.
 */
export function checkThroughput(state: FakeMetaState, phoneNumberId: string, now = Date.now()): void {
  const limit = limitOf(state, phoneNumberId);
  if (limit === null) return;
  const times = state.sendTimes.get(phoneNumberId);
  if (!times) return;
  let expired = 0;
  while (expired < times.length && (times[expired] as number) <= now - WINDOW_MS) expired += 1;
  if (expired > 0) times.splice(0, expired);
  if (times.length >= limit) {
    state.throttled++;
    throw new GraphFailure({
      status: 400,
      code: 130429,
      message: '(#130429) Rate limit hit',
      details: 'Cloud API message throughput has been reached.',
      subcode: 2494055,
    });
  }
}

/** Counts a message the number sent at `at` against its throughput. */
export function countSend(state: FakeMetaState, phoneNumberId: string, at: number): void {
  if (limitOf(state, phoneNumberId) === null) return;
  const times = state.sendTimes.get(phoneNumberId);
  if (times) times.push(at);
  else state.sendTimes.set(phoneNumberId, [at]);
}

/** The failure scripted for this recipient's send, if any (consumed unless it is the last of an `always`). */
export function recipientFailure(state: FakeMetaState, waId: string): ScriptedError | undefined {
  const script = state.recipientErrors.get(waId);
  if (!script || script.codes.length === 0) return undefined;
  const code = script.codes.length === 1 && script.always ? script.codes[0] : script.codes.shift();
  if (script.codes.length === 0) state.recipientErrors.delete(waId);
  if (code === undefined) return undefined;
  return { status: httpStatusOfCode(code), code };
}

const throughputInput = z.object({
  phoneNumberId: z.string().regex(/^\d{1,20}$/),
  /** null: no limit (a load run measures the product, not Meta). */
  messagesPerSecond: z.number().int().min(1).max(100_000).nullable(),
});

const recipientErrorsInput = z.object({
  recipients: z
    .array(
      z.object({
        waId: z.string().regex(/^\d{6,15}$/),
        codes: z.array(z.number().int().min(0).max(9_999_999)).min(1).max(20),
        always: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(10_000),
});

const sentQuery = z.object({
  phoneNumberId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  since: z.coerce.number().int().min(0).optional(),
});

/** `/dev/meta/...` controls: throughput per number, recipients' scripted errors, status webhooks, accepted sends. */
export function sendLimitRoutes(state: FakeMetaState) {
  const app = new Hono();
  const invalid = (issues: unknown) => ({ error: 'invalid_request', issues });

  app.post('/throughput', async (c) => {
    const parsed = throughputInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
    state.throughput.perNumber.set(parsed.data.phoneNumberId, parsed.data.messagesPerSecond);
    state.sendTimes.delete(parsed.data.phoneNumberId);
    return c.json(parsed.data);
  });

  app.post('/recipient-errors', async (c) => {
    const parsed = recipientErrorsInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
    for (const { waId, codes, always } of parsed.data.recipients) {
      state.recipientErrors.set(waId, { codes: [...codes], always });
    }
    return c.json({ recipients: state.recipientErrors.size });
  });
  app.delete('/recipient-errors', (c) => {
    state.recipientErrors.clear();
    return c.body(null, 204);
  });

  app.post('/statuses', async (c) => {
    const parsed = z.object({ enabled: z.boolean() }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
    state.statusWebhooks = parsed.data.enabled;
    return c.json(parsed.data);
  });

  /** WhatsApp messages the fake accepted, oldest first (when, to whom, the send's callback data), and how many sends it throttled. */
  app.get('/sent', (c) => {
    const parsed = sentQuery.safeParse({ phoneNumberId: c.req.query('phoneNumberId'), since: c.req.query('since') });
    if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
    const { phoneNumberId, since = 0 } = parsed.data;
    return c.json({ messages: acceptedSends(state, { phoneNumberId, since }), throttled: state.throttled });
  });
  return app;
}

export interface AcceptedSend {
  id: string;
  phoneNumberId: string;
  to: string;
  at: number;
  status: string;
  callbackData?: string;
}

/** The business's WhatsApp messages the fake accepted, oldest first (what a throughput figure is read from). */
export function acceptedSends(
  state: FakeMetaState,
  filter: { phoneNumberId?: string; since?: number } = {},
): AcceptedSend[] {
  const sends: AcceptedSend[] = [];
  for (const message of state.messages) {
    if (message.channel !== 'whatsapp' || message.direction !== 'to-customer') continue;
    if (filter.phoneNumberId !== undefined && message.businessId !== filter.phoneNumberId) continue;
    if (message.at < (filter.since ?? 0)) continue;
    const callback = (message.body as { biz_opaque_callback_data?: unknown } | undefined)?.biz_opaque_callback_data;
    sends.push({
      id: message.id,
      phoneNumberId: message.businessId,
      to: message.customerId,
      at: message.at,
      status: message.status,
      ...(typeof callback === 'string' ? { callbackData: callback } : {}),
    });
  }
  return sends;
}
