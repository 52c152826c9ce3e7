import { PRODUCT } from '@asistone/core/product/areas';
import { type StackContext, use } from 'sst/constructs';
import { baseline, type ProductFunction, productFunction } from './lambda.js';
import { Queues } from './Queues.js';

/**
 * One function per provider, each with a public function URL: providers call it directly, and
 * the code checks their signature on the raw bytes before anything else.
 */
export function Webhooks({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  const webhooks: Record<string, ProductFunction> = {};
  for (const declared of PRODUCT.functions.filter((fn) => fn.kind === 'webhook')) {
    const webhook = productFunction(stack, { declared, resources, url: true });
    webhooks[declared.name] = webhook;
    if (webhook.url) stack.addOutputs({ [`${declared.name}-url`]: webhook.url.url });
  }
  return { webhooks };
}
