import { ORIGIN_SECRET_ARN_VARIABLE } from '@asistone/core/platform/front-door';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type StackContext, use } from 'sst/constructs';
import { baseline, productFunction } from './lambda.js';
import { Queues } from './Queues.js';

export { secretParameterVariable } from './parameters.js';

/**
 * The one API router behind `/api/*` (CloudFront forwards it there, same origin as the SPA).
 * What it may touch is the union of what each area's routes declare; its secrets and the app's
 * URL come from SSM at runtime (stacks/parameters.ts).
 *
 * Its function URL is public (CloudFront calls it), so it answers only requests carrying the
 * origin secret that CloudFront adds (functions/api/lib/front-door.ts). The secret is made here
 * by Secrets Manager, never written in a template: CloudFront and the API both resolve it.
 */
export function Api({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  const declared = PRODUCT.fn('api');
  if (!declared) throw new Error('the product declares no API function');

  const originSecret = new Secret(stack, 'OriginSecret', {
    secretName: resourceName(stack.stage, 'origin-secret'),
    description: 'CloudFront adds it to every /api request; the API refuses requests without it',
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
    encryptionKey: resources.stageKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const api = productFunction(stack, {
    declared,
    resources,
    url: true,
    environment: { [ORIGIN_SECRET_ARN_VARIABLE]: originSecret.secretArn },
    statements: [
      new PolicyStatement({
        sid: 'OriginSecret',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [originSecret.secretArn],
      }),
      new PolicyStatement({
        sid: 'OriginSecretKey',
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: [resources.stageKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    ],
  });
  if (!api.url) throw new Error('the API function needs a URL for CloudFront');
  stack.addOutputs({ ApiFunctionUrl: api.url.url });
  return { api: api.fn, apiUrl: api.url, originSecret };
}
