import { API } from '@asistone/core/platform/functions';
import { deadLetterQueueName, queueNames } from '@asistone/core/platform/queue/declarations';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Config, type StackContext, use } from 'sst/constructs';
import { getParameterPath } from 'sst/constructs/util/binding.js';
import { baseline, productFunction } from './lambda.js';
import type { Access } from './permissions.js';
import { Queues } from './Queues.js';
import { appUrlParameterName } from './Web.js';

/** App-level secrets the API reads (set with `npx sst secrets set <NAME> <value> --stage <stage>`). */
export const API_SECRETS = ['AUTH_TOKEN_SECRET', 'RESEND_API_KEY'] as const;

/** The variable that tells the API where a secret's SSM parameter is: `AUTH_TOKEN_SECRET_PARAMETER`. */
export const secretParameterVariable = (secret: string) => `${secret}_PARAMETER` as const;

const API_ACCESS: Access = {
  // Health: DescribeTable, HeadBucket, the depth of every queue and dead-letter queue.
  // Tenants: records read and written, a KMS key created per tenant and used for its data key.
  table: ['DescribeTable', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  headBucket: true,
  inspects: queueNames.flatMap((queue) => [queue, deadLetterQueueName(queue)]),
  tenantKeys: ['create', 'GenerateDataKey', 'Decrypt'],
};

/**
 * The one API router behind `/api/*` (CloudFront forwards it there, same origin as the SPA).
 * Secrets are SST `Config.Secret`s; instead of `bind` (whose client would join the bundle), the
 * function gets each parameter's name and may read exactly those parameters.
 */
export function Api({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);

  const parameterArn = (path: string) => `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${path}`;
  const secrets = [
    ...API_SECRETS.map((name) => {
      const path = getParameterPath(new Config.Secret(stack, name), 'value');
      return { name, path, arn: parameterArn(path) };
    }),
    // Written by the Web stack once CloudFront has a URL (read at runtime: no stack cycle).
    { name: 'APP_URL', path: appUrlParameterName(stack.stage), arn: parameterArn(appUrlParameterName(stack.stage)) },
  ];

  const api = productFunction(stack, {
    name: 'api',
    handler: API.handler,
    description: 'Asistone API: every /api/* request, one Hono router',
    timeoutSeconds: API.timeoutSeconds,
    access: API_ACCESS,
    resources,
    url: true,
    environment: Object.fromEntries(secrets.map((secret) => [secretParameterVariable(secret.name), secret.path])),
    statements: [
      new PolicyStatement({
        sid: 'AppSecrets',
        effect: Effect.ALLOW,
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: secrets.map((secret) => secret.arn),
      }),
    ],
  });
  if (!api.url) throw new Error('the API function needs a URL for CloudFront');
  stack.addOutputs({ ApiFunctionUrl: api.url.url });
  return { api: api.fn, apiUrl: api.url };
}
