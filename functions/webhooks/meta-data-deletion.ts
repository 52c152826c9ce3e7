import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { META_DATA_DELETION_QUEUE, receiveDataDeletion } from '@asistone/core/privacy/meta-data-deletion-callback';
import * as z from 'zod';
import { webhookHandler } from '../lib/function-url.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Meta's data deletion callback: `POST <url>/webhooks/meta-data-deletion` with a form-encoded
 * `signed_request` (privacy/meta-data-deletion.ts). It verifies with the app secrets, queues the
 * work and answers `{ url, confirmation_code }`: like the Meta webhook it carries only the queue
 * client (no table, no tenant key).
 */
const log = createLogger('meta-data-deletion');

const settingsSchema = z.object({
  META_APP_SECRET: z.string().min(16),
  META_INSTAGRAM_APP_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16).optional()),
  APP_URL: z.url().transform((url) => url.replace(/\/+$/, '')),
});

/** Read from SSM once per cold start, again after a failure. */
const secrets = once(async () => {
  const settings = settingsSchema.parse(await withSecrets(process.env));
  return {
    facebook: settings.META_APP_SECRET,
    instagram: settings.META_INSTAGRAM_APP_SECRET,
    appUrl: settings.APP_URL,
  };
});

const receive = (request: Parameters<typeof receiveDataDeletion>[1]) =>
  receiveDataDeletion(
    { secrets, enqueue: (work) => queueOnlyPlatform().producer.send(META_DATA_DELETION_QUEUE, work) },
    request,
  );

export const handler = webhookHandler(log, '/webhooks/meta-data-deletion', async (request) => {
  const { response, outcome, code } = await receive(request);
  // The code is ours, not the person's; their id never reaches the log.
  log.info('meta data deletion callback', { outcome, code, bytes: request.body.length });
  return response;
});
