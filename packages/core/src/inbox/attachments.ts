import { randomBytes } from 'node:crypto';
import { MEGABYTE, OUTBOUND_MEDIA_LIMITS, type OutboundMediaKind, outboundMediaKindOf } from '@asistone/contract/inbox';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import {
  type ConversationChannelKind,
  findConversation,
  type InboxDeps,
  isWindowOpen,
  WindowClosedError,
} from './conversations.js';

/**
 * Files the team sends: the app asks for an upload link (type and size checked against what the
 * conversation's channel accepts, before a byte moves), the browser uploads the file straight to
 * the business's S3 prefix, and a media reply names it. The outbound worker then hands the
 * provider a one-hour link to it (reply-sending.ts), and the thread shows it through the media
 * route like a customer's file.
 */

export type { OutboundMediaKind } from '@asistone/contract/inbox';

/** The upload link lives 15 minutes: long enough for a 100 MB document on a slow line. */
export const UPLOAD_LINK_SECONDS = 15 * 60;
/** How long an attachment may wait for its reply (the record's TTL). */
const ATTACHMENT_DAYS = 1;

/** Where a conversation's outgoing files live, under the business's prefix. */
export const attachmentKey = (conversationId: string, attachmentId: string) =>
  `outbound/${conversationId}/${attachmentId}`;

/** The kind a file of this type is sent as on this channel, or a 400 that says what is accepted. */
export function checkAttachment(
  channelKind: ConversationChannelKind,
  file: { contentType: string; size: number },
): OutboundMediaKind {
  const limits = OUTBOUND_MEDIA_LIMITS[channelKind];
  const kind = outboundMediaKindOf(channelKind, file.contentType);
  if (!kind) {
    const accepted = Object.values(limits).flatMap((limit) => limit.types);
    throw new ValidationError(`This channel cannot send ${file.contentType} files; it sends ${accepted.join(', ')}`, [
      'contentType',
    ]);
  }
  const { maxBytes } = limits[kind];
  if (file.size > maxBytes) {
    throw new ValidationError(
      `This channel sends ${kind === 'document' ? 'documents' : `${kind} files`} of at most ${maxBytes / MEGABYTE} MB`,
      ['size'],
    );
  }
  return kind;
}

export interface AttachmentDeps extends InboxDeps {
  blobs: Pick<Blobs, 'presignPut' | 'head'>;
}

/**
 * Checks a file the person is about to send and answers where to upload it: a presigned PUT
 * that takes exactly this type and size. Refused before any upload: another business's (or no)
 * conversation (404), a closed window (409), a type or size the channel does not take (400).
 */
export async function prepareAttachment(
  deps: AttachmentDeps,
  tenantId: string,
  conversationId: string,
  file: { fileName: string; contentType: string; size: number },
  now = Date.now(),
) {
  const conversation = await findConversation(deps.store, tenantId, conversationId);
  if (!isWindowOpen(conversation, now)) throw new WindowClosedError();
  const mediaKind = checkAttachment(conversation.channelKind, file);
  const attachmentId = `at_${randomBytes(15).toString('base64url')}`;
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.attachment
    .create({
      tenantId,
      attachmentId,
      conversationId,
      mediaKind,
      mimeType: file.contentType,
      size: file.size,
      fileName: keys.seal('attachment', 'fileName', attachmentId, file.fileName),
      expiresAt: Math.floor(now / 1000) + ATTACHMENT_DAYS * 86_400,
    })
    .go();
  const url = await deps.blobs.presignPut(
    tenantId,
    attachmentKey(conversationId, attachmentId),
    { contentType: file.contentType, contentLength: file.size },
    UPLOAD_LINK_SECONDS,
  );
  return {
    attachmentId,
    mediaKind,
    upload: {
      url,
      method: 'PUT' as const,
      headers: { 'content-type': file.contentType },
      expiresAt: new Date(now + UPLOAD_LINK_SECONDS * 1000).toISOString(),
    },
  };
}

/**
 * The uploaded file a media reply names, checked again: it belongs to this conversation, and
 * the file in storage is the one announced (the signed link allows no other, but the check costs
 * one HEAD and keeps a half-finished upload from going out).
 */
export async function uploadedAttachment(
  deps: { store: AttachmentDeps['store']; keyring: TenantKeyring; blobs: Pick<Blobs, 'head'> },
  tenantId: string,
  conversationId: string,
  attachmentId: string,
) {
  const { data } = await deps.store.entities.attachment.get({ tenantId, attachmentId }).go();
  if (!data || data.conversationId !== conversationId) throw new NotFoundError('No such attachment');
  const key = attachmentKey(conversationId, attachmentId);
  const stored = await deps.blobs.head(tenantId, key);
  if (!stored || stored.size !== data.size || (stored.contentType && stored.contentType !== data.mimeType)) {
    throw new ConflictError('The file has not been uploaded (or not completely): upload it, then send it');
  }
  const keys = await deps.keyring.forTenant(tenantId);
  return {
    key,
    mediaKind: data.mediaKind,
    mimeType: data.mimeType,
    size: data.size,
    fileName: keys.open('attachment', 'fileName', attachmentId, data.fileName),
  };
}
