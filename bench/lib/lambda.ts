import { queueUrlVariable } from '@asistone/core/platform/config';
import { deadLetterQueueName } from '@asistone/core/platform/queue/declarations';
import type { WebhookRequest } from '@asistone/core/platform/webhook';
import { PRODUCT } from '@asistone/core/product/areas';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** The environment a deployed function gets, with dummy values: nothing here can reach AWS. */
export function lambdaEnvironment(keyDir: string): Record<string, string> {
  const queueUrls = PRODUCT.queueNames.flatMap((queue) =>
    [queue, deadLetterQueueName(queue)].map((name) => [
      queueUrlVariable(name),
      `https://sqs.eu-central-1.amazonaws.com/000000000000/asistone-bench-${name}`,
    ]),
  );
  return {
    STAGE: 'bench',
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: 'asistone-bench',
    TABLE_NAME: 'asistone-bench',
    MEDIA_BUCKET: 'asistone-bench-media',
    KEY_PROVIDER: 'local',
    LOCAL_KEY_DIR: keyDir,
    LOG_LEVEL: 'INFO',
    // The API's own settings, in case a function reads them while it starts.
    AUTH_TOKEN_SECRET: 'bench-token-secret-not-used-for-anything-real',
    APP_URL: 'https://app.bench.invalid',
    ...Object.fromEntries(queueUrls),
  };
}

/** The function-URL (payload v2) event that carries `request` to `<basePath><request.path>`. */
export function functionUrlEvent(basePath: string, request: WebhookRequest): APIGatewayProxyEventV2 {
  const rawPath = `${basePath}${request.path}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: request.query.toString(),
    headers: Object.fromEntries(Object.entries(request.headers).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'bench',
      domainName: 'bench.lambda-url.eu-central-1.on.aws',
      domainPrefix: 'bench',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
    body: request.body.toString('utf8'),
    isBase64Encoded: false,
  };
}

/** A Lambda context with nothing behind it. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'bench-request',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
