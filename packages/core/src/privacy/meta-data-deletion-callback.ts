import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { META_DELIVERY_TENANT } from '../channels/meta/envelope.js';
import type { Access } from '../platform/access.js';
import type { QueueDeclaration, WebhookDeclaration } from '../platform/area.js';
import { reply, type WebhookRequest, type WebhookResponse } from '../platform/webhook.js';
import { verifySignedRequest } from './signed-request.js';

/**
 * Meta's data deletion callback as the webhook sees it: verify the `signed_request`, queue the
 * work, answer `{ url, confirmation_code }`. Apart from the worker's side
 * (meta-data-deletion.ts) so that the webhook's bundle carries no records and no store client:
 * Meta waits on its answer, and a cold start loads only what this file imports.
 */

/** The work for the worker: the person's id crosses the queue (encrypted with KMS), never the table. */
export const MetaDataDeletionMessage = z.object({
  tenantId: z.literal(META_DELIVERY_TENANT),
  code: z.string().regex(/^[0-9a-f]{32}$/),
  app: z.enum(['facebook', 'instagram']),
  userId: z.string().regex(/^\d{1,32}$/),
  receivedAt: z.number().int().positive(),
});
export type MetaDataDeletionWork = z.infer<typeof MetaDataDeletionMessage>;

export const META_DATA_DELETION_QUEUE = {
  name: 'meta-data-deletion',
  description: "Meta's data deletion callbacks: the person's tokens and contacts to remove in every business",
  message: MetaDataDeletionMessage,
  visibilityTimeoutSeconds: 900,
  batchSize: 1,
  maxReceiveCount: 5,
  sequential: true,
  consumer: {
    description: "Removes a person's channel tokens and contacts from every business (Meta's data deletion callback)",
    handler: 'functions/workers/meta-data-deletion.handler',
    timeoutSeconds: 150,
    // Visits businesses by the tenancy list (Query), opens each one's key for the contact-user
    // blind index, drops tokens (PutItem), erases contacts like the app does (their messages,
    // indexes and media objects), records and completes each business's request, audits.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
      tenantKeys: ['Decrypt'],
      blobs: ['GetObject', 'PutObject', 'DeleteObject'],
    } satisfies Access,
  },
} as const satisfies QueueDeclaration<typeof MetaDataDeletionMessage>;

export const META_DATA_DELETION_WEBHOOK = {
  name: 'meta-data-deletion',
  description: "Meta's data deletion callback: verifies the signed_request, records it, queues the work",
  handler: 'functions/webhooks/meta-data-deletion.handler',
  timeoutSeconds: 10,
  // The app secrets verify; the queue carries the person's id to the worker, which records the
  // code's status. No table and no tenant key before it answers, like Meta's message webhook.
  access: { sends: ['meta-data-deletion'] } satisfies Access,
  settings: { secrets: ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET'], appUrl: true },
} as const satisfies WebhookDeclaration;

/** Meta's are a few hundred bytes; the form around a `signed_request` is not much more. */
export const DATA_DELETION_MAX_BODY_BYTES = 8 * 1024;

/** A confirmation code: 32 hex characters. */
export const CONFIRMATION_CODE = /^[0-9a-f]{32}$/;

export interface DataDeletionReceiverDeps {
  secrets: () => Promise<{ facebook: string; instagram?: string | undefined; appUrl: string }>;
  enqueue: (work: MetaDataDeletionWork) => Promise<void>;
  now?: () => number;
}

const json = (status: number, body: unknown): WebhookResponse => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' },
});

/**
 * Handles one callback: 405 for anything but POST, 413 for a body over 8 KiB, 400 for a form
 * without a well-formed `signed_request`, 401 when no app secret signed it (nothing queued in
 * each case). A verified request gets a code derived from it with the secret, so Meta retrying
 * the same request gets the same code and nothing is done twice. Like Meta's message webhook it
 * reads no table and opens no key before it answers: it verifies, queues and answers.
 */
export async function receiveDataDeletion(
  deps: DataDeletionReceiverDeps,
  request: WebhookRequest,
): Promise<{ response: WebhookResponse; outcome: string; code?: string }> {
  if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'method' };
  if (request.body.length > DATA_DELETION_MAX_BODY_BYTES)
    return { response: reply(413, 'too large'), outcome: 'too-large' };
  const text = request.body.toString('latin1');
  // Form-encoded, as Meta posts it; the value's characters are base64url, so decoding changes none.
  if (!/^[\x20-\x7e]*$/.test(text)) return { response: reply(400, 'not a form'), outcome: 'malformed' };
  const values = new URLSearchParams(text).getAll('signed_request');
  if (values.length !== 1 || !values[0])
    return { response: reply(400, 'signed_request missing'), outcome: 'malformed' };
  const signed = values[0];

  const secrets = await deps.secrets();
  const check = verifySignedRequest(signed, { facebook: secrets.facebook, instagram: secrets.instagram });
  if (!check.ok) {
    const outcome = check.status === 401 ? 'bad-signature' : check.status === 413 ? 'too-large' : 'malformed';
    return { response: reply(check.status, check.reason), outcome };
  }
  const secret = check.app === 'instagram' ? (secrets.instagram as string) : secrets.facebook;
  const code = createHmac('sha256', secret).update(`data-deletion:${signed}`).digest('hex').slice(0, 32);
  const answer = json(200, { url: `${secrets.appUrl}/data-deletion/${code}`, confirmation_code: code });

  // Queued every time, a replay included: the worker does nothing for a code already done, so
  // a request whose first queueing failed (500, Meta retries) is never lost nor done twice. The
  // deadline counts from when Meta issued it, the same for every replay.
  await deps.enqueue({
    tenantId: META_DELIVERY_TENANT,
    code,
    app: check.app,
    userId: check.payload.userId,
    receivedAt: Math.min(check.payload.issuedAt * 1000, (deps.now ?? Date.now)()),
  });
  return { response: answer, outcome: 'accepted', code };
}
