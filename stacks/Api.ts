import { API } from '@asistone/core/platform/functions';
import { deadLetterQueueName, queueNames } from '@asistone/core/platform/queue/declarations';
import { type StackContext, use } from 'sst/constructs';
import { baseline, productFunction } from './lambda.js';
import { type AppSecret, appUrlParameter, parameterAccess, secretParameter } from './parameters.js';
import type { Access } from './permissions.js';
import { Queues } from './Queues.js';

export { secretParameterVariable } from './parameters.js';

/** App-level secrets the API reads. It sends no mail (it queues it), so Resend's key is not one. */
export const API_SECRETS = ['AUTH_TOKEN_SECRET'] as const satisfies readonly AppSecret[];

const API_ACCESS: Access = {
  // Health: DescribeTable, HeadBucket, the depth of every queue and dead-letter queue.
  // Tenants: records read and written, a KMS key created per tenant and used for its data key.
  // Mail: sign-up, password reset and invitations queue their mail for the mail worker.
  table: ['DescribeTable', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  headBucket: true,
  sends: ['mail'],
  inspects: queueNames.flatMap((queue) => [queue, deadLetterQueueName(queue)]),
  tenantKeys: ['create', 'GenerateDataKey', 'Decrypt'],
};

/**
 * The one API router behind `/api/*` (CloudFront forwards it there, same origin as the SPA).
 * Its secrets and the app's URL come from SSM at runtime (stacks/parameters.ts).
 */
export function Api({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  const { environment, statements } = parameterAccess([
    ...API_SECRETS.map((name) => secretParameter(stack, name)),
    // Invitation links point at the web app.
    appUrlParameter(stack),
  ]);

  const api = productFunction(stack, {
    name: 'api',
    handler: API.handler,
    description: 'Asistone API: every /api/* request, one Hono router',
    timeoutSeconds: API.timeoutSeconds,
    access: API_ACCESS,
    resources,
    url: true,
    environment,
    statements,
  });
  if (!api.url) throw new Error('the API function needs a URL for CloudFront');
  stack.addOutputs({ ApiFunctionUrl: api.url.url });
  return { api: api.fn, apiUrl: api.url };
}
