import { WEBHOOKS, type WebhookProvider } from '@asistone/core/platform/functions';
import { type StackContext, use } from 'sst/constructs';
import { baseline, type ProductFunction, productFunction } from './lambda.js';
import type { Access } from './permissions.js';
import { Queues } from './Queues.js';

/** What each webhook does between the signature check and its answer. */
const WEBHOOK_ACCESS: Record<WebhookProvider, Access> = {
  // Reads the tenant's app secret (sealed: needs the tenant key), queues the delivery, and
  // stores bodies too large for SQS under the tenant's prefix (claim check).
  meta: { table: ['GetItem'], tenantKeys: ['Decrypt'], sends: ['meta-events'], blobs: ['PutObject'] },
};

/**
 * One function per provider, each with a public function URL: providers call it directly, and
 * the code checks their signature on the raw bytes before anything else.
 */
export function Webhooks({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  const webhooks = {} as Record<WebhookProvider, ProductFunction>;
  for (const [provider, declaration] of Object.entries(WEBHOOKS) as [
    WebhookProvider,
    (typeof WEBHOOKS)[WebhookProvider],
  ][]) {
    webhooks[provider] = productFunction(stack, {
      name: `webhook-${provider}`,
      handler: declaration.handler,
      description: declaration.description,
      timeoutSeconds: declaration.timeoutSeconds,
      access: WEBHOOK_ACCESS[provider],
      resources,
      url: true,
    });
  }
  for (const [provider, webhook] of Object.entries(webhooks)) {
    if (webhook.url) stack.addOutputs({ [`webhook-${provider}-url`]: webhook.url.url });
  }
  return { webhooks };
}
