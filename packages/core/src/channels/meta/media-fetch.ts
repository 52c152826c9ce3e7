import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { InboundMessage, MessageDetails, RecordedMessage } from '../../inbox/inbound.js';
import type { InboxStore } from '../../inbox/records.js';
import type { Blobs } from '../../platform/blobs.js';
import type { TenantKeyring, TenantKeys } from '../../platform/crypto/keyring.js';
import { isConditionFailure } from '../../platform/store/service.js';
import { openChannelToken } from '../../tenancy/tenants.js';
import { GraphError, MediaRefusedError } from './graph-errors.js';
import type { MediaDownloadOptions } from './graph-media.js';
import type { MediaFetchRequest } from './media-queue.js';

/**
 * Copying customers' media into the business's storage: the provider's copy does not last
 * (a WhatsApp media id lives 7 days, its download URL 5 minutes; Instagram links expire), and the
 * app shows media through short-lived links to the business's own S3 prefix (inbox/media.ts).
 */

const MB = 1024 * 1024;

/**
 * Largest file per message type. WhatsApp's limits (Cloud API media reference: image 5 MB,
 * audio and video 16 MB, document 100 MB, sticker 500 KB); Messenger and Instagram allow 8 MB
 * images and 25 MB audio, video and files (Send API limits), so theirs are taken as the same.
 */
const LIMITS: Record<'whatsapp' | 'messaging', Record<string, number>> = {
  whatsapp: { image: 5 * MB, video: 16 * MB, audio: 16 * MB, document: 100 * MB, sticker: 500 * 1024 },
  messaging: { image: 8 * MB, video: 25 * MB, audio: 25 * MB, document: 25 * MB, sticker: 8 * MB },
};

/** Types accepted per message type (lowercase, without parameters such as `; codecs=opus`). */
const TYPES: Record<string, (mime: string) => boolean> = {
  image: (mime) => ['image/jpeg', 'image/png', 'image/webp', 'image/gif'].includes(mime),
  sticker: (mime) => ['image/webp', 'image/png', 'image/gif'].includes(mime),
  video: (mime) => ['video/mp4', 'video/3gpp', 'video/quicktime'].includes(mime),
  audio: (mime) =>
    ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav', 'audio/x-m4a'].includes(mime),
  // Documents may be anything a customer sends, except what a browser would run.
  document: (mime) =>
    /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(mime) &&
    !['text/html', 'application/xhtml+xml', 'image/svg+xml', 'text/javascript', 'application/javascript'].includes(
      mime,
    ),
};

const baseType = (mime: string) => (mime.split(';')[0] ?? '').trim().toLowerCase();

/** The type the first bytes show, for the formats a browser renders inline; undefined when unknown. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  return undefined;
}

/** True when the bytes' digest is the one given, in hex or base64 (Meta uses both). */
function digestMatches(bytes: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(bytes).digest();
  const given = expected.trim();
  return given.toLowerCase() === digest.toString('hex') || given === digest.toString('base64');
}

/**
 * An id, type or checksum from the payload as it may travel in a queue message: printable ASCII
 * only. SQS refuses some characters (the local emulator anything above U+FFFF, any queue a lone
 * surrogate), and a signed body carrying such a value would otherwise fail its whole delivery.
 */
const plain = (value: string | undefined, max: number) =>
  value !== undefined && value.length <= max && /^[\x20-\x7e]+$/.test(value) ? value : undefined;

/** The request for a newly stored message's media, or undefined when it carries none. */
export function mediaRequestFor(
  keys: TenantKeys,
  message: InboundMessage,
  recorded: RecordedMessage,
): MediaFetchRequest | undefined {
  const media: MessageDetails['media'] = message.details?.media;
  const mediaId = plain(media?.id, 256);
  if (!media || (!mediaId && !media.url)) return undefined;
  const mimeType = plain(media.mimeType, 255);
  const sha256 = plain(media.sha256, 128);
  return {
    tenantId: message.tenantId,
    conversationId: recorded.conversationId,
    messageId: recorded.messageId,
    sentAt: message.sentAt,
    channel: message.channel,
    messageType: message.type,
    ...(mediaId && { mediaId }),
    ...(media.url && { sealedUrl: keys.seal('media', 'url', recorded.messageId, media.url) }),
    ...(mimeType && { mimeType }),
    ...(sha256 && { sha256 }),
  };
}

/** The Graph client calls the worker needs (channels/meta/graph.ts). */
export interface MediaSource {
  mediaInfo(
    mediaId: string,
    token: string,
  ): Promise<{ url: string; mimeType: string; sha256: string; fileSize: number }>;
  downloadMedia(url: string, token: string | undefined, limits: MediaDownloadOptions): Promise<Buffer>;
}

export interface MediaWorkerDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  blobs: Pick<Blobs, 'put'>;
  graph: MediaSource;
  /** Hosts media may come from: Meta's CDNs, and the fake Meta's host on the local stack only. */
  allowHost: (hostname: string) => boolean;
  /** `host:port` of the local fake Meta (it resolves to loopback); empty in AWS. */
  localHosts?: readonly string[];
  log: Logger;
}

/** A refusal that no retry changes, kept on the media record for the app to show. */
class MediaFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type MediaOutcome = 'stored' | 'failed' | 'already';

/**
 * Copies one message's media into `tenants/<tenant>/media/<conversation>/<message>`, once: a
 * redelivered request finds the record and does nothing. Size is checked before and while
 * downloading, the type against the message type's list (and the first bytes for images and
 * video), the checksum against WhatsApp's. A refusal is recorded as `failed` with its reason and
 * never retried; a rate limit or Meta's own failure throws, so the queue tries again later.
 */
export async function fetchMedia(deps: MediaWorkerDeps, request: MediaFetchRequest): Promise<MediaOutcome> {
  const { store, keyring } = deps;
  const { tenantId, messageId, conversationId } = request;
  const existing = await store.entities.media.get({ tenantId, messageId }).go();
  if (existing.data) return 'already';
  const keys = await keyring.forTenant(tenantId);
  const record = (fields: {
    status: 'stored' | 'failed';
    reason?: string;
    key?: string;
    mimeType?: string;
    size?: number;
    sha256?: string;
  }) =>
    store.entities.media
      .create({ tenantId, messageId, conversationId, ...fields })
      .go()
      .catch((error: unknown) => {
        // Another delivery of the same request finished first: its record stands.
        if (!isConditionFailure(error)) throw error;
      });

  try {
    const stored = await download(deps, keys, request);
    const key = `media/${conversationId}/${messageId}`;
    await deps.blobs.put(tenantId, key, stored.bytes, stored.mimeType);
    await record({
      status: 'stored',
      key,
      mimeType: stored.mimeType,
      size: stored.bytes.length,
      sha256: stored.sha256,
    });
    return 'stored';
  } catch (error) {
    const reason =
      error instanceof MediaFailure
        ? error.reason
        : error instanceof MediaRefusedError
          ? error.reason
          : error instanceof GraphError && !error.retryable
            ? `provider-${error.kind}`
            : undefined;
    if (!reason) throw error;
    deps.log.warn('media not stored', { tenantId, channel: request.channel.kind, type: request.messageType, reason });
    await record({ status: 'failed', reason });
    return 'failed';
  }
}

async function download(deps: MediaWorkerDeps, keys: TenantKeys, request: MediaFetchRequest) {
  const { tenantId, channel } = request;
  const limits = LIMITS[channel.kind === 'whatsapp' ? 'whatsapp' : 'messaging'];
  const maxBytes = limits[request.messageType] ?? limits.document ?? 0;
  const accepts = TYPES[request.messageType] ?? TYPES.document;
  const options = { maxBytes, allowHost: deps.allowHost, localHosts: deps.localHosts ?? [] };

  let bytes: Buffer;
  let declared = request.mimeType;
  const checksums = [request.sha256];
  if (request.mediaId) {
    const stored = await deps.store.entities.channel
      .get({ tenantId, kind: channel.kind, externalId: channel.externalId })
      .go();
    const token = stored.data ? openChannelToken(keys, stored.data) : undefined;
    if (!token) throw new MediaFailure('no-token');
    const info = await deps.graph.mediaInfo(request.mediaId, token);
    if (info.fileSize > maxBytes) throw new MediaFailure('too-large');
    declared = info.mimeType || declared;
    checksums.push(info.sha256);
    bytes = await deps.graph.downloadMedia(info.url, token, options);
  } else if (request.sealedUrl) {
    const url = keys.open('media', 'url', request.messageId, request.sealedUrl);
    // Attachment links are signed by the CDN and take no token.
    bytes = await deps.graph.downloadMedia(url, undefined, options);
  } else {
    throw new MediaFailure('no-source');
  }

  const sniffed = sniff(bytes);
  const mimeType = baseType(declared ?? sniffed ?? 'application/octet-stream');
  if (!accepts?.(mimeType)) throw new MediaFailure('wrong-type');
  // What a browser shows inline must be what it says it is.
  if ((mimeType.startsWith('image/') || mimeType === 'video/mp4') && sniffed && sniffed !== mimeType) {
    if (!(mimeType === 'video/mp4' && sniffed === 'video/mp4')) throw new MediaFailure('wrong-type');
  }
  if (mimeType.startsWith('image/') && !sniffed) throw new MediaFailure('wrong-type');
  for (const expected of checksums) {
    if (expected && !digestMatches(bytes, expected)) throw new MediaFailure('checksum');
  }
  return { bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') };
}
