import { signRequest } from '@asistone/core/privacy/signed-request';
import { Hono } from 'hono';
import * as z from 'zod';
import type { FakeMetaState } from './meta-state.js';

/**
 * `POST /dev/meta/data-deletion { userId, app? }`: plays a person removing the app in their
 * Facebook (`app: 'facebook'`) or Instagram (`'instagram'`, the default: Instagram Login users
 * are the accounts that connected) settings. Meta then posts a form-encoded `signed_request`
 * (HMAC-SHA256 of the base64url payload with that app's secret) to the data deletion callback
 * URL; this does the same to the product's `/webhooks/meta-data-deletion` and answers what the
 * product answered (its `url` and `confirmation_code`).
 */
const input = z.object({
  userId: z.string().regex(/^\d{1,32}$/),
  app: z.enum(['facebook', 'instagram']).default('instagram'),
  /** Seconds; a fixed value replays the very same request (Meta retrying). */
  issuedAt: z.number().int().positive().optional(),
});

export function dataDeletionRoutes(state: FakeMetaState, webhookUrl: () => string) {
  const app = new Hono();
  app.post('/', async (c) => {
    const parsed = input.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const { userId, app: signer, issuedAt } = parsed.data;
    const secret = signer === 'instagram' ? state.instagramAppSecret : state.appSecret;
    const signed = signRequest(secret, {
      algorithm: 'HMAC-SHA256',
      expires: 0,
      issued_at: issuedAt ?? Math.floor(Date.now() / 1000),
      user_id: userId,
    });
    const response = await fetch(new URL('/webhooks/meta-data-deletion', webhookUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: signed }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A refusal is plain text.
    }
    return c.json({ status: response.status, body });
  });
  return app;
}
