import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Turns an HTTP request into the payload a Lambda function URL delivers (version 2.0), body
 * base64-encoded so the handler sees the exact bytes that were sent.
 */
export async function toFunctionUrlEvent(request: Request, sourceIp: string): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  request.headers.forEach((value, name) => {
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name] = value;
  });
  const bytes = Buffer.from(await request.arrayBuffer());
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
