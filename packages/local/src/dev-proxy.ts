import type { Context } from 'hono';

/** Hop-by-hop and length headers: the proxy's own connection decides them. */
const DROPPED_REQUEST_HEADERS = ['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding'];
const DROPPED_RESPONSE_HEADERS = [
  'connection',
  'content-length',
  'transfer-encoding',
  'content-encoding',
  'keep-alive',
];

/**
 * Forwards a request to a local fake or emulator (the fake Meta under `/dev/meta/*`, the S3
 * emulator's download links under `/local-media/*`), so they share the web app's origin: a popup
 * there can postMessage its opener, images pass the content security policy, and the web app
 * reaches them without CORS. Local stack only.
 */
export async function proxyTo(c: Context, baseUrl: string, stripPrefix = ''): Promise<Response> {
  const incoming = new URL(c.req.url);
  const target = new URL(`${incoming.pathname.slice(stripPrefix.length)}${incoming.search}`, baseUrl);
  const headers = new Headers(c.req.raw.headers);
  for (const name of DROPPED_REQUEST_HEADERS) headers.delete(name);
  const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  const answer = await fetch(target, {
    method: c.req.method,
    headers,
    body: hasBody ? await c.req.arrayBuffer() : undefined,
    redirect: 'manual',
  });
  const answerHeaders = new Headers(answer.headers);
  for (const name of DROPPED_RESPONSE_HEADERS) answerHeaders.delete(name);
  return new Response(answer.body, { status: answer.status, headers: answerHeaders });
}
