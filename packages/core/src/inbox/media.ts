import type { MediaAnswer } from '@asistone/contract/inbox';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError } from '../platform/errors.js';
import type { MessageDetails } from './inbound.js';
import type { InboxStore } from './records.js';

/**
 * Customers' media as the app sees it. The media worker (channels/meta/media-fetch.ts) copies
 * each file into the business's S3 prefix and records the outcome (media-records.ts); the app
 * shows it through short-lived links.
 */

/** What the app may show of a message's media: the API's answer. */
export type MediaView = MediaAnswer;

export const MEDIA_LINK_SECONDS = 300;

/**
 * A message's media for the app: a 5-minute link when stored, its reason when it failed, and
 * pending while the worker has not got to it. Another business's (or another conversation's)
 * message reads as not found.
 */
export async function mediaView(
  deps: { store: InboxStore; keys: TenantKeys; blobs: Pick<Blobs, 'presignGet'>; now?: () => number },
  target: { tenantId: string; conversationId: string; messageId: string },
): Promise<MediaView> {
  const { store, keys } = deps;
  const { tenantId, conversationId, messageId } = target;
  const record = (await store.entities.media.get({ tenantId, messageId }).go()).data;
  if (record) {
    if (record.conversationId !== conversationId) throw new NotFoundError('No such media');
    if (record.status === 'failed' || !record.key) return { status: 'failed', reason: record.reason ?? 'unknown' };
    const now = deps.now?.() ?? Date.now();
    return {
      status: 'stored',
      url: await deps.blobs.presignGet(tenantId, record.key, MEDIA_LINK_SECONDS),
      mimeType: record.mimeType ?? 'application/octet-stream',
      expiresAt: new Date(now + MEDIA_LINK_SECONDS * 1000).toISOString(),
    };
  }
  const message = (await store.entities.message.query.byMessageId({ tenantId, messageId }).go()).data[0];
  if (!message || message.conversationId !== conversationId || !message.details) {
    throw new NotFoundError('No such media');
  }
  const details = JSON.parse(keys.open('message', 'details', messageId, message.details)) as MessageDetails;
  if (!details.media) throw new NotFoundError('No such media');
  return { status: 'pending' };
}
