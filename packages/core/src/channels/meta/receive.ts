import {
  reply,
  safeEqual,
  verifyHexSignature,
  type WebhookRequest,
  type WebhookResponse,
} from '../../platform/webhook.js';
import type { MetaAppSecrets } from '../../tenancy/meta-app.js';
import type { MetaDelivery } from './envelope.js';

/** Meta payloads reach about 3 MB; anything far larger is not from Meta. */
export const MAX_META_BODY_BYTES = 4 * 1024 * 1024;

const TENANT_SEGMENT = /^\/?([A-Za-z0-9_-]{3,64})\/?$/;
const KNOWN_OBJECTS = new Set(['whatsapp_business_account', 'page', 'instagram']);
/** Meta's `hub.challenge` is a random integer; the handshake echoes nothing else. */
const CHALLENGE = /^[0-9]{1,64}$/;

export interface MetaReceiverDeps {
  secretsFor(tenantId: string): Promise<MetaAppSecrets | undefined>;
  enqueue(delivery: MetaDelivery): Promise<void>;
  now?: () => number;
}

export type MetaReceiveOutcome =
  | 'verified'
  | 'queued'
  | 'ignored'
  | 'bad-signature'
  | 'bad-request'
  | 'too-large'
  | 'forbidden'
  | 'not-found';

/**
 * Meta's webhook endpoint for one tenant's app (`<endpoint>/<tenantId>`): answers the GET
 * handshake, and for POSTs checks `X-Hub-Signature-256` over the raw bytes, then queues the
 * body untouched. Nothing is parsed or stored before the signature holds.
 *
 * @example
 * const receive = metaReceiver({ secretsFor, enqueue });
 * const { response } = await receive(request);
 */
export function metaReceiver(deps: MetaReceiverDeps) {
  const now = deps.now ?? Date.now;
  return async function receive(
    request: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: MetaReceiveOutcome; tenantId?: string }> {
    const tenantId = TENANT_SEGMENT.exec(request.path)?.[1];
    if (!tenantId) return { response: reply(404, 'not found'), outcome: 'not-found' };

    if (request.method === 'GET') {
      const challenge = request.query.get('hub.challenge') ?? '';
      // Refused before any look-up: whatever else it is, it is not Meta asking.
      if (!CHALLENGE.test(challenge))
        return { response: reply(400, 'bad challenge'), outcome: 'bad-request', tenantId };
      const secrets = await deps.secretsFor(tenantId);
      const mode = request.query.get('hub.mode');
      const token = request.query.get('hub.verify_token') ?? '';
      if (secrets && mode === 'subscribe' && safeEqual(token, secrets.verifyToken)) {
        return { response: reply(200, challenge), outcome: 'verified', tenantId };
      }
      return { response: reply(403, 'forbidden'), outcome: 'forbidden', tenantId };
    }

    if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'bad-request' };
    if (request.body.length > MAX_META_BODY_BYTES) {
      return { response: reply(413, 'payload too large'), outcome: 'too-large', tenantId };
    }

    const secrets = await deps.secretsFor(tenantId);
    // Unknown tenant and wrong signature look the same from outside.
    const signature = request.headers['x-hub-signature-256'];
    if (!secrets || !verifyHexSignature(secrets.appSecret, request.body, signature, 'sha256=')) {
      return { response: reply(401, 'invalid signature'), outcome: 'bad-signature', tenantId };
    }

    const text = request.body.toString('utf8');
    let object: unknown;
    try {
      object = (JSON.parse(text) as { object?: unknown }).object;
    } catch {
      return { response: reply(400, 'body is not JSON'), outcome: 'bad-request', tenantId };
    }
    // Meta retries anything but 200 for days: acknowledge objects we do not subscribe to.
    if (typeof object !== 'string' || !KNOWN_OBJECTS.has(object)) {
      return { response: reply(200, 'ignored'), outcome: 'ignored', tenantId };
    }
    await deps.enqueue({ tenantId, receivedAt: now(), body: text });
    return { response: reply(200, 'EVENT_RECEIVED'), outcome: 'queued', tenantId };
  };
}
