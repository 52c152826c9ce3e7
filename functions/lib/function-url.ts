import { startTrace } from '@asistone/core/platform/trace';
import type { WebhookRequest, WebhookResponse } from '@asistone/core/platform/webhook';
import { traced } from '@asistone/core/platform/xray';
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
 *
 * Each call starts a delivery's trace (platform/trace.ts): every line it logs and every message
 * it queues carries the id. Every answer, 401 and 500 included, is logged once as
 * `webhook answered` with the webhook's name, the status and the time taken (the alarms' metric
 * filters match exactly these names); never the payload or the headers.
 */
export function webhookHandler(
  log: Logger,
  basePath: string,
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
) {
  const webhook = basePath.split('/').filter(Boolean).pop() ?? 'webhook';
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(log, { resetKeys: true }))
    .handler((event) =>
      startTrace(async () => {
        const started = performance.now();
        let answer: APIGatewayProxyStructuredResultV2;
        try {
          const response = await traced(`webhook ${webhook}`, () => handle(toWebhookRequest(event, basePath)));
          answer = { statusCode: response.status, headers: response.headers, body: response.body };
        } catch (error) {
          log.error('webhook failed', { error: error as Error, path: event.rawPath });
          answer = { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };
        }
        log.info('webhook answered', {
          webhook,
          status: answer.statusCode,
          ms: Math.round(performance.now() - started),
        });
        return answer;
      }),
    );
}
