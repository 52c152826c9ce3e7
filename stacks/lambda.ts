import type { Access } from '@asistone/core/platform/access';
import { type ProductFunction as DeclaredFunction, expandQueueRefs } from '@asistone/core/platform/area';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Aspects, type Stack as CdkStack, CfnResource, type IAspect } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction, type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { Function as SstFunction, type FunctionProps as SstFunctionProps, type Stack } from 'sst/constructs';
import { ESBUILD_OPTIONS, LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, LOG_RETENTION_DAYS } from './bundling.js';
import { appUrlParameter, parameterAccess, secretParameter } from './parameters.js';
import { accessStatements, type SharedResources } from './permissions.js';

/** The one retention every log group gets; a value CloudWatch does not accept fails synthesis. */
export const LOG_RETENTION: RetentionDays = (() => {
  const days = LOG_RETENTION_DAYS as RetentionDays;
  if (!Object.values(RetentionDays).includes(days)) {
    throw new Error(`LOG_RETENTION_DAYS=${LOG_RETENTION_DAYS} is not a CloudWatch Logs retention value`);
  }
  return days;
})();

type SstEsbuildPlugins = NonNullable<NonNullable<NonNullable<SstFunctionProps['nodejs']>['esbuild']>['plugins']>;

/** What SST hands esbuild when it bundles a function at deploy (`sst deploy` runs the build). */
export const NODEJS_BUNDLING: NonNullable<SstFunctionProps['nodejs']> = {
  format: ESBUILD_OPTIONS.format,
  minify: ESBUILD_OPTIONS.minify,
  sourcemap: ESBUILD_OPTIONS.sourcemap,
  // SST then writes to a folder (`outdir`) with `.mjs` chunks beside the handler's file.
  splitting: ESBUILD_OPTIONS.splitting,
  // Spread last by SST over its own options: target node22, our banner (one `require` shim),
  // tree-shaking, no legal comments. The AWS SDK is not external, so it is bundled.
  esbuild: {
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    // SST builds with its own esbuild, whose Plugin type is older but the same contract.
    plugins: [...ESBUILD_OPTIONS.plugins] as unknown as SstEsbuildPlugins,
    banner: { ...ESBUILD_OPTIONS.banner },
    outExtension: { ...ESBUILD_OPTIONS.outExtension },
  },
};

export interface ProductFunctionSpec {
  /**
   * The function as its area declares it (from the composed product): name, handler, limits,
   * what it may access (its IAM and queue URLs) and the settings it reads (its SSM parameters).
   */
  declared: DeclaredFunction;
  resources: SharedResources;
  /** A public function URL (auth NONE): webhooks check signatures, the API checks sessions. */
  url?: boolean;
  /** Variables beyond the ones every function reads. */
  environment?: Record<string, string>;
  /** Statements beyond what the declaration describes. */
  statements?: PolicyStatement[];
}

/**
 * The platform Meta app's public ids and Graph version, from the deploying shell (`META_APP_ID=…
 * npx sst deploy`): not secrets, so no parameter. Meta's own hosts are the defaults, so no
 * deployed function can be pointed at anything else.
 */
function metaGraphEnvironment(): Record<string, string> {
  const names = ['META_APP_ID', 'META_EMBEDDED_SIGNUP_CONFIG_ID', 'META_INSTAGRAM_APP_ID', 'META_GRAPH_VERSION'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])));
}

/**
 * The AI model's endpoint, from the deploying shell (`OPENAI_BASE_URL=https://… npx sst deploy`)
 * for an OpenAI-compatible gateway: not a secret, so no parameter. Unset, the function uses
 * OpenAI's own endpoint (the default in `openAiSettings`).
 */
function modelEndpointEnvironment(): Record<string, string> {
  return process.env.OPENAI_BASE_URL ? { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL } : {};
}

/**
 * iyzico's merchant id and, for a sandbox stage, its host, and the seller printed on invoices
 * (billing/config.ts), from the deploying shell (`IYZICO_MERCHANT_ID=… SELLER_LEGAL_NAME=…
 * npx sst deploy`): not secrets, so no parameter.
 */
function iyzicoEnvironment(): Record<string, string> {
  const names = [
    'IYZICO_MERCHANT_ID',
    'IYZICO_BASE_URL',
    'SELLER_LEGAL_NAME',
    'SELLER_ADDRESS',
    'SELLER_TAX_OFFICE',
    'SELLER_TAX_NUMBER',
  ];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])));
}

const API_HANDLER = 'functions/api/router.handler';
const INVOICE_FONT_COPY = {
  from: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  to: 'fonts/DejaVuSans.ttf',
};

/** The access with `*` and `*-dlq` replaced by the product's queues. */
function expandQueues(access: Access): Access {
  const expand = (refs: readonly string[] | undefined) => refs && expandQueueRefs(refs, PRODUCT.queueNames);
  return { ...access, sends: expand(access.sends), inspects: expand(access.inspects) };
}

export interface ProductFunction {
  fn: SstFunction;
  /** Present when the spec asked for a URL. */
  url?: FunctionUrl;
  /** Its log group, for metric filters on what it logs. */
  logGroup: LogGroup;
}

/**
 * One product Lambda: nodejs22.x on arm64, bundled per stacks/bundling.ts, its own role that can
 * write only to its own log group (kept three years), the environment `readConfig` expects, and
 * exactly the permissions its access declaration names.
 */
export function productFunction(stack: Stack, spec: ProductFunctionSpec): ProductFunction {
  const stage = stack.stage;
  const { declared } = spec;
  const functionName = resourceName(stage, declared.name);
  const access = expandQueues(declared.access);
  const settings = parameterAccess([
    ...(declared.settings?.secrets ?? []).map((secret) => secretParameter(stack, secret)),
    ...(declared.settings?.appUrl ? [appUrlParameter(stack)] : []),
  ]);
  const logGroup = new LogGroup(stack, `${declared.name}-logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: LOG_RETENTION,
  });
  const role = new Role(stack, `${declared.name}-role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs ${functionName}`,
  });
  role.addToPolicy(
    new PolicyStatement({
      sid: 'OwnLogs',
      effect: Effect.ALLOW,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );

  const { table, bucket, queues } = spec.resources;
  const queueUrls = Object.fromEntries(
    [...new Set([...(access.sends ?? []), ...(access.inspects ?? [])])].map((name) => {
      const queue = queues[name];
      if (!queue) throw new Error(`${declared.name} names queue "${name}", which the Queues stack does not build`);
      return [queueUrlVariable(name), queue.queueUrl];
    }),
  );

  const fn = new SstFunction(stack, declared.name, {
    functionName,
    description: declared.description.slice(0, 256),
    handler: declared.handler,
    runtime: LAMBDA_RUNTIME,
    architecture: LAMBDA_ARCHITECTURE,
    memorySize: declared.memoryMb ?? 1024,
    timeout: declared.timeoutSeconds,
    // X-Ray: each webhook call, API request and queue message is a subsegment annotated with the
    // delivery's trace id (platform/xray.ts), the same id its log lines carry.
    tracing: 'active',
    nodejs: NODEJS_BUNDLING,
    // The API draws invoices as PDF with a font read from disk (billing/invoice-pdf.ts): it ships
    // beside the bundle, never downloaded at run time.
    ...(declared.handler === API_HANDLER ? { copyFiles: [INVOICE_FONT_COPY] } : {}),
    logGroup,
    role,
    environment: {
      STAGE: stage,
      TABLE_NAME: table.tableName,
      MEDIA_BUCKET: bucket.bucketName,
      KEY_PROVIDER: 'kms',
      LOG_LEVEL: 'INFO',
      // The tracer records only the subsegments we open: no response bodies, no outgoing URLs
      // (a Graph API query string can carry a token).
      POWERTOOLS_SERVICE_NAME: `asistone-${declared.name}`,
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
      ...queueUrls,
      ...settings.environment,
      ...(declared.settings?.metaGraph ? metaGraphEnvironment() : {}),
      ...(declared.settings?.modelEndpoint ? modelEndpointEnvironment() : {}),
      ...(declared.settings?.iyzico ? iyzicoEnvironment() : {}),
      ...spec.environment,
    },
    permissions: [
      ...accessStatements(stack, stage, spec.resources, access),
      ...settings.statements,
      ...(spec.statements ?? []),
    ],
  });
  // Created here rather than through SST's `url` prop, which keeps the URL construct private.
  // No CORS: providers call webhooks server to server, and the browser reaches the API through
  // CloudFront on the SPA's own origin.
  const url = spec.url ? fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE }) : undefined;
  return { fn, url, logGroup };
}

/**
 * Gives every Lambda in a stack, including ones SST and CDK add on their own (custom-resource
 * providers), a log group kept for LOG_RETENTION_DAYS, wired through the function's logging
 * config so the group exists before the function first logs.
 */
export class RetainedLambdaLogs implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    const scope = node.node.scope;
    if (!scope || scope.node.tryFindChild('RetainedLogs')) return;
    if (node instanceof CfnFunction) {
      const current = node.loggingConfig as CfnFunction.LoggingConfigProperty | undefined;
      if (current?.logGroup) return;
      const logGroup = new LogGroup(scope, 'RetainedLogs', { retention: LOG_RETENTION });
      node.loggingConfig = { ...current, logGroup: logGroup.logGroupName };
      return;
    }
    // Custom-resource providers are plain CfnResources (CDK's CustomResourceProvider).
    const logGroup = new LogGroup(scope, 'RetainedLogs', { retention: LOG_RETENTION });
    node.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
  }
}

/**
 * The baseline every stack calls first.
 *
 * SST adds a custom-resource handler Lambda to every stack whether or not anything uses it; only
 * stacks whose constructs deploy through it (the static site's uploader and CloudFront
 * invalidation) keep it, as arm64. The others drop it, so no idle function exists.
 */
export function baseline(stack: CdkStack, options: { keepCustomResourceHandler?: boolean } = {}): void {
  const handler = stack.node.tryFindChild('CustomResourceHandler');
  if (handler) {
    if (options.keepCustomResourceHandler) {
      const cfn = handler.node.defaultChild as CfnFunction;
      // SST's handler is one plain JavaScript file: it runs the same on Graviton.
      cfn.architectures = ['arm64'];
    } else {
      stack.node.tryRemoveChild('CustomResourceHandler');
    }
  }
  Aspects.of(stack).add(new RetainedLambdaLogs());
}
