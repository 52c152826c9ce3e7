import type { WebhookRequest, WebhookResponse } from '@asistone/core/platform/webhook';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** Function URL payload (v2) → the raw request a webhook verifies. */
export function toWebhookRequest(event: APIGatewayProxyEventV2, basePath = ''): WebhookRequest {
  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const path = event.rawPath.startsWith(basePath) ? event.rawPath.slice(basePath.length) : event.rawPath;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
  };
}

/**
 * A function-URL handler for a webhook: raw bytes in, plain response out. Unexpected errors
 * answer 500 (so the provider retries) and are logged without the payload.
 */
export function webhookHandler(
  log: Logger,
  basePath: string,
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(log, { resetKeys: true }))
    .handler(async (event) => {
      try {
        const response = await handle(toWebhookRequest(event, basePath));
        return { statusCode: response.status, headers: response.headers, body: response.body };
      } catch (error) {
        log.error('webhook failed', { error: error as Error, path: event.rawPath });
        return { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };
      }
    });
}
