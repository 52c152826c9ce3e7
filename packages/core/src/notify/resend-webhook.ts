import { ConfigError } from '../platform/errors.js';
import { reply, type WebhookRequest, type WebhookResponse } from '../platform/webhook.js';
import { type MailEventMessage, RESEND_EVENT_TENANT, TRACKED_EVENT_TYPES } from './mail-events-queue.js';
import { svixKey, verifySvix } from './svix.js';

/**
 * Resend's webhook endpoint (`/webhooks/resend`): one URL for every business's mail. It checks
 * the Svix signature on the raw bytes (constant time, any `v1,` entry, 5 minutes' tolerance),
 * then queues the event's ids: nothing is looked up here (no table, no tenant key), so the
 * answer comes at once and a failure of ours is a retry of Svix's.
 */

/** Resend's email events are a few KB; anything far larger is not one. */
export const MAX_RESEND_BODY_BYTES = 256 * 1024;

export interface ResendReceiverDeps {
  /** The endpoint's `whsec_…` secret as an HMAC key, read once per container (SSM in AWS). */
  signingKey(): Promise<Buffer>;
  enqueue(event: MailEventMessage): Promise<void>;
  now?: () => number;
}

export type ResendReceiveOutcome = 'queued' | 'ignored' | 'bad-signature' | 'bad-request' | 'too-large' | 'not-found';

/** The signing key from `RESEND_WEBHOOK_SECRET` (`whsec_` and base64, as Resend shows it). */
export function resendWebhookKey(env: Record<string, string | undefined>): Buffer {
  const key = svixKey(env.RESEND_WEBHOOK_SECRET ?? '');
  if (!key) {
    throw new ConfigError(
      'invalid configuration: RESEND_WEBHOOK_SECRET: must be whsec_ and base64 of 16 bytes or more',
    );
  }
  return key;
}

const isTracked = (type: unknown): type is MailEventMessage['type'] =>
  (TRACKED_EVENT_TYPES as readonly unknown[]).includes(type);

/**
 * @example
 * const receive = resendReceiver({ signingKey, enqueue });
 * const { response } = await receive(request);
 */
export function resendReceiver(deps: ResendReceiverDeps) {
  const now = deps.now ?? Date.now;
  return async function receive(
    request: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: ResendReceiveOutcome }> {
    if (!/^\/?$/.test(request.path)) return { response: reply(404, 'not found'), outcome: 'not-found' };
    if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'bad-request' };
    if (request.body.length > MAX_RESEND_BODY_BYTES) {
      return { response: reply(413, 'payload too large'), outcome: 'too-large' };
    }
    const { headers } = request;
    const verdict = verifySvix(
      await deps.signingKey(),
      { id: headers['svix-id'], timestamp: headers['svix-timestamp'], signature: headers['svix-signature'] },
      request.body,
      now(),
    );
    // A stale timestamp is a replay as far as anyone can tell: refused like a bad signature.
    if (verdict !== 'valid') return { response: reply(401, 'invalid signature'), outcome: 'bad-signature' };
    const svixId = headers['svix-id'] as string;
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(svixId))
      return { response: reply(400, 'invalid svix-id'), outcome: 'bad-request' };
    const event = parseEvent(request.body);
    if (event === undefined) return { response: reply(400, 'not a Resend event'), outcome: 'bad-request' };
    // Signed, well-formed, but nothing a tracked mail follows (opened, clicked, contact.*…).
    if (event === 'ignored') return { response: reply(200, 'ok'), outcome: 'ignored' };
    await deps.enqueue({ tenantId: RESEND_EVENT_TENANT, svixId, receivedAt: now(), ...event });
    return { response: reply(200, 'ok'), outcome: 'queued' };
  };
}

/** The event's ids, 'ignored' for a well-formed event of another type, undefined when malformed. */
function parseEvent(
  body: Buffer,
): Pick<MailEventMessage, 'type' | 'emailId' | 'occurredAt' | 'bounce'> | 'ignored' | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { type, created_at: createdAt, data } = json as { type?: unknown; created_at?: unknown; data?: unknown };
  if (typeof type !== 'string' || typeof data !== 'object' || data === null) return undefined;
  if (!isTracked(type)) return 'ignored';
  const { email_id: emailId, bounce } = data as { email_id?: unknown; bounce?: unknown };
  const occurredAt = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  if (typeof emailId !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(emailId) || !(occurredAt > 0)) return undefined;
  const text = (value: unknown, max: number) =>
    typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
  const { type: bounceType, subType } = (typeof bounce === 'object' && bounce !== null ? bounce : {}) as {
    type?: unknown;
    subType?: unknown;
  };
  const kind = { type: text(bounceType, 40), subType: text(subType, 60) };
  return {
    type,
    emailId,
    occurredAt,
    ...(type === 'email.bounced' && {
      bounce: Object.fromEntries(Object.entries(kind).filter(([, value]) => value !== undefined)),
    }),
  };
}
