import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { GraphError, graphErrorFrom, MediaRefusedError } from './graph-errors.js';
import { reportedGraphError } from './provider.js';

/**
 * Downloading a media file from a URL Meta handed us (WhatsApp's lookaside URL, an Instagram or
 * Messenger attachment URL). The URL comes from a webhook or an API answer, so it is treated as
 * untrusted: only hosts the caller allows, never a private address (no SSRF into the VPC or the
 * metadata service), redirects followed by hand and checked again, and no more bytes than asked.
 */

export interface MediaDownloadOptions {
  /** Largest body accepted, in bytes; the download stops as soon as it is exceeded. */
  maxBytes: number;
  /** Whether a host name may be fetched from (checked for the URL and for every redirect). */
  allowHost: (hostname: string) => boolean;
  /**
   * `host:port` values that may resolve to a private address: the local fake Meta only. Empty in
   * AWS, where every Meta media host is public.
   */
  localHosts?: readonly string[];
}

const MAX_REDIRECTS = 3;

/** Meta's media hosts: WhatsApp's lookaside CDN, Facebook's and Instagram's CDNs. */
export function isMetaMediaHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'lookaside.fbsbx.com' ||
    host.endsWith('.fbcdn.net') ||
    host.endsWith('.cdninstagram.com') ||
    host === 'lookaside.instagram.com'
  );
}

/**
 * The hosts a media download may use: Meta's CDNs, plus, on the local stack only, the fake Meta
 * that `graphBaseUrl` points at (it serves its media itself, over http on 127.0.0.1).
 *
 * @example
 * const bytes = await graph.downloadMedia(url, token, {
 *   maxBytes: 5 * 1024 * 1024,
 *   ...mediaHostPolicy(metaGraphSettings(process.env).baseUrl, isLocalStack(config)),
 * });
 */
export function mediaHostPolicy(graphBaseUrl: string, localStack: boolean): Omit<MediaDownloadOptions, 'maxBytes'> {
  const fake = localStack ? new URL(graphBaseUrl) : undefined;
  return {
    allowHost: (hostname) => isMetaMediaHost(hostname) || hostname === fake?.hostname,
    localHosts: fake ? [fake.host] : [],
  };
}

/** True for loopback, private, link-local, CGNAT, multicast and unspecified addresses (v4 and v6). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

async function checkHost(url: URL, options: MediaDownloadOptions): Promise<void> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MediaRefusedError('host-not-allowed', `scheme ${url.protocol}`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowHost(hostname)) throw new MediaRefusedError('host-not-allowed', hostname);
  if (options.localHosts?.includes(url.host)) return;
  // Only plain HTTPS leaves the machine in AWS; http is for the local fake, listed above.
  if (url.protocol !== 'https:') throw new MediaRefusedError('host-not-allowed', `${hostname} over http`);
  // Resolved here and again by fetch: a DNS answer that changes in between is not caught, but every
  // allowed host is Meta's own CDN, whose names Meta controls.
  const addresses = isIP(hostname) ? [{ address: hostname }] : await lookup(hostname, { all: true });
  if (addresses.some(({ address }) => isPrivateAddress(address))) {
    throw new MediaRefusedError('private-address', hostname);
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaRefusedError('too-large', `${declared} bytes declared, limit ${maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new MediaRefusedError('too-large', `over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Fetches the bytes at `url`, sending the bearer token (WhatsApp's media URLs need it; Instagram
 * and Messenger attachment URLs are signed and take none).
 */
export async function downloadMediaFrom(
  fetchFn: typeof fetch,
  url: string,
  token: string | undefined,
  options: MediaDownloadOptions,
  timeoutMs: number,
): Promise<Buffer> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    await checkHost(current, options);
    let response: Response;
    try {
      response = await fetchFn(current, {
        redirect: 'manual',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new GraphError({ status: 0, title: `media download failed: ${(error as Error).name}` });
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new MediaRefusedError('bad-redirect', `HTTP ${response.status} without a location`);
      current = new URL(location, current);
      continue;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw reportedGraphError(graphErrorFrom(response.status, body, response.headers.get('retry-after')));
    }
    return readLimited(response, options.maxBytes);
  }
  throw new MediaRefusedError('bad-redirect', `more than ${MAX_REDIRECTS} redirects`);
}
