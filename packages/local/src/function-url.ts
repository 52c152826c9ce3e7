import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A body went past the limit while it was being read; the rest of it was not read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/**
 * A request's body, counted as it arrives: past `limit` bytes it stops reading and throws
 * {@link BodyTooLargeError}, so a chunked upload of any size costs at most `limit` in memory.
 * The unread rest is left to the HTTP server, which discards it and closes the connection.
 */
export async function readBody(request: Request, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not cancel(): that would tear the connection down before the 413 could be sent.
      reader.releaseLock();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Turns an HTTP request into the payload a Lambda function URL delivers (version 2.0), body
 * base64-encoded so the handler sees the exact bytes that were sent. A body over
 * `maxBodyBytes` throws {@link BodyTooLargeError} once that many bytes have arrived.
 */
export async function toFunctionUrlEvent(
  request: Request,
  sourceIp: string,
  maxBodyBytes = Number.POSITIVE_INFINITY,
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  request.headers.forEach((value, name) => {
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name] = value;
  });
  const bytes = await readBody(request, maxBodyBytes);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: request.headers.get('user-agent') ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: bytes.length ? bytes.toString('base64') : undefined,
    isBase64Encoded: bytes.length > 0,
  };
}

/** The function's result as an HTTP response. */
export function fromFunctionUrlResult(result: APIGatewayProxyStructuredResultV2 | string): Response {
  if (typeof result === 'string') return new Response(result, { status: 200 });
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  const body = result.body === undefined ? null : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  return new Response(body, { status: result.statusCode ?? 200, headers });
}
