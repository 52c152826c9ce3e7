import {
  reply,
  safeEqual,
  verifyHexSignature,
  type WebhookRequest,
  type WebhookResponse,
} from '../../platform/webhook.js';
import { type MetaDelivery, metaDelivery } from './envelope.js';

/** Meta payloads reach about 3 MB; anything far larger is not from Meta. */
export const MAX_META_BODY_BYTES = 4 * 1024 * 1024;

/** The endpoint itself: one URL for every business (no tenant in it, Meta routes by payload ids). */
const ENDPOINT_PATH = /^\/?$/;
const KNOWN_OBJECTS = new Set(['whatsapp_business_account', 'page', 'instagram']);
/** Meta's `hub.challenge` is a random integer; the handshake echoes nothing else. */
const CHALLENGE = /^[0-9]{1,64}$/;

/** The platform Meta app's deployment secrets. */
export interface MetaAppSecrets {
  /** Signs WhatsApp, Messenger and Instagram (Facebook Login) deliveries. */
  appSecret: string;
  /** Signs deliveries for Instagram accounts connected by Instagram Login, when that is set up. */
  instagramAppSecret?: string;
  /** What Meta echoes in the GET handshake. */
  verifyToken: string;
}

export interface MetaReceiverDeps {
  /** Read once per container (SSM in AWS); called only once a request looks like Meta's. */
  secrets(): Promise<MetaAppSecrets>;
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
 * True when either app secret signed these bytes, each compared in constant time. The Instagram
 * app secret is tried only when the app secret did not sign them: what that saves reveals only
 * that a signature was valid, which no one without a secret can make.
 */
function signedByMeta(secrets: MetaAppSecrets, body: Buffer, header: string | undefined): boolean {
  if (verifyHexSignature(secrets.appSecret, body, header, 'sha256=')) return true;
  return (
    Boolean(secrets.instagramAppSecret) &&
    verifyHexSignature(secrets.instagramAppSecret as string, body, header, 'sha256=')
  );
}

/**
 * Meta's webhook endpoint for the platform app (`/webhooks/meta`): answers the GET handshake,
 * and for POSTs checks `X-Hub-Signature-256` over the raw bytes against the app secret or the
 * Instagram app secret, then queues the body untouched. Nothing is parsed or looked up before
 * the signature holds, and no business is resolved here: the worker does that per change.
 *
 * @example
 * const receive = metaReceiver({ secrets, enqueue });
 * const { response } = await receive(request);
 */
export function metaReceiver(deps: MetaReceiverDeps) {
  const now = deps.now ?? Date.now;
  return async function receive(
    request: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: MetaReceiveOutcome }> {
    if (!ENDPOINT_PATH.test(request.path)) return { response: reply(404, 'not found'), outcome: 'not-found' };

    if (request.method === 'GET') {
      const challenge = request.query.get('hub.challenge') ?? '';
      // Refused before reading any secret: whatever else it is, it is not Meta asking.
      if (!CHALLENGE.test(challenge)) return { response: reply(400, 'bad challenge'), outcome: 'bad-request' };
      const { verifyToken } = await deps.secrets();
      const mode = request.query.get('hub.mode');
      const token = request.query.get('hub.verify_token') ?? '';
      if (mode === 'subscribe' && safeEqual(token, verifyToken)) {
        return { response: reply(200, challenge), outcome: 'verified' };
      }
      return { response: reply(403, 'forbidden'), outcome: 'forbidden' };
    }

    if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'bad-request' };
    if (request.body.length > MAX_META_BODY_BYTES) {
      return { response: reply(413, 'payload too large'), outcome: 'too-large' };
    }

    if (!signedByMeta(await deps.secrets(), request.body, request.headers['x-hub-signature-256'])) {
      return { response: reply(401, 'invalid signature'), outcome: 'bad-signature' };
    }

    let object: unknown;
    try {
      object = (JSON.parse(request.body.toString('utf8')) as { object?: unknown }).object;
    } catch {
      return { response: reply(400, 'body is not JSON'), outcome: 'bad-request' };
    }
    // Meta retries anything but 200 for days: acknowledge objects we do not subscribe to.
    if (typeof object !== 'string' || !KNOWN_OBJECTS.has(object)) {
      return { response: reply(200, 'ignored'), outcome: 'ignored' };
    }
    await deps.enqueue(metaDelivery(request.body, now()));
    return { response: reply(200, 'EVENT_RECEIVED'), outcome: 'queued' };
  };
}
