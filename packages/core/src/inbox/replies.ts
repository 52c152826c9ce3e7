import type { MessageDetails } from '@asistone/contract/inbox';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError, ValidationError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { type OutboundMediaKind, uploadedAttachment } from './attachments.js';
import {
  findConversation,
  type InboxDeps,
  isWindowOpen,
  markConversationRead,
  WindowClosedError,
} from './conversations.js';
import { type MessageItem, type MessageView, messageView } from './messages.js';
import { OUTBOUND_QUEUE } from './outbound.js';
import { newestInbound } from './read-receipts.js';
import { sendableTemplate } from './templates.js';

/**
 * Replies from the inbox: stored at once as 'queued' (the person sees it straight away), then
 * sent by the outbound worker. The app names each reply (`clientId`), so a retried request
 * stores and sends it once.
 */

export type ReplyInput =
  | {
      kind: 'text';
      text: string;
      clientId: string;
      /** Written by the AI agent (ai/agent.ts): the settings version and the records it used, shown beside it. */
      ai?: NonNullable<MessageDetails['ai']>;
    }
  | { kind: 'template'; name: string; language: string; variables: string[]; clientId: string }
  | {
      kind: 'media';
      /** A file uploaded through `…/attachments` (attachments.ts); else `mediaKind` and a public `url`. */
      attachmentId?: string;
      mediaKind?: OutboundMediaKind;
      url?: string;
      caption?: string;
      clientId: string;
    };

export interface ReplyDeps extends InboxDeps {
  producer: Pick<Producer, 'send'>;
  /** Checks that a media reply's file was uploaded (needed for replies naming an attachment). */
  blobs?: Pick<Blobs, 'head'>;
}

/** What a media reply sends: an uploaded file (its kind follows its type) or a public link. */
async function mediaOf(
  deps: ReplyDeps,
  tenantId: string,
  conversationId: string,
  input: Extract<ReplyInput, { kind: 'media' }>,
) {
  if (input.attachmentId) {
    if (!deps.blobs) throw new Error('media replies with an attachment need blob storage');
    const file = await uploadedAttachment(
      { store: deps.store, keyring: deps.keyring, blobs: deps.blobs },
      tenantId,
      conversationId,
      input.attachmentId,
    );
    return {
      mediaKind: file.mediaKind,
      details: {
        attachmentId: input.attachmentId,
        mimeType: file.mimeType,
        size: file.size,
        fileName: file.fileName,
      },
      stored: file,
    };
  }
  if (!input.url || !input.mediaKind) throw new ValidationError('A media reply names a file or a link', ['url']);
  return { mediaKind: input.mediaKind, details: { url: input.url }, stored: undefined };
}

export { WindowClosedError } from './conversations.js';

const PREVIEW_CHARS = 120;

function previewOf(input: ReplyInput): string {
  if (input.kind === 'text') return input.text;
  if (input.kind === 'template') return `[${input.name}]`;
  return input.caption ?? `[${input.mediaKind ?? 'media'}]`;
}

/** Checks a template reply: approved in the WABA of the conversation's number, every variable filled. */
async function checkTemplate(
  deps: ReplyDeps,
  tenantId: string,
  conversationId: string,
  input: Extract<ReplyInput, { kind: 'template' }>,
) {
  const template = await sendableTemplate(deps.store, tenantId, conversationId, input.name, input.language);
  if (template.variables !== input.variables.length) {
    throw new ValidationError(`The template ${input.name} takes ${template.variables} variables`, ['variables']);
  }
}

/**
 * Stores a reply as queued and hands it to the outbound worker; the same clientId returns the
 * same message. The request record (by clientId) is written first and fixes the message's key;
 * the message is then created under that key by whichever request gets there, so a request
 * that stopped half-way is completed by its retry, and concurrent retries store one message.
 */
export async function queueReply(
  deps: ReplyDeps,
  tenantId: string,
  conversationId: string,
  authorId: string,
  input: ReplyInput,
): Promise<{ message: MessageView; created: boolean }> {
  const { store } = deps;
  const conversation = await findConversation(store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const messageId = `mo_${keys.blindIndex('reply', `${conversationId}:${input.clientId}`).slice(0, 24)}`;

  let media: Awaited<ReturnType<typeof mediaOf>> | undefined;
  let request = (await store.entities.replyRequest.get({ tenantId, messageId }).go({ consistent: true })).data;
  if (!request) {
    // Checked only for a new request: a retry answers with what the first one stored.
    if (input.kind === 'template') {
      if (conversation.channelKind !== 'whatsapp') {
        throw new ValidationError('Templates are sent on WhatsApp only', ['kind']);
      }
      await checkTemplate(deps, tenantId, conversationId, input);
    } else if (!isWindowOpen(conversation)) {
      throw new WindowClosedError();
    } else if (input.kind === 'media') {
      // Before anything is written: a file not (fully) uploaded changes nothing.
      media = await mediaOf(deps, tenantId, conversationId, input);
    }
    const fresh = { tenantId, messageId, conversationId, sentAt: Date.now() };
    try {
      await store.entities.replyRequest.create(fresh).go();
      request = fresh;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The same reply, posted twice at once: the other request fixed the key.
      request = (await store.entities.replyRequest.get({ tenantId, messageId }).go({ consistent: true })).data;
      if (!request) throw error;
    }
  }
  const key = { tenantId, conversationId, sentAt: request.sentAt, messageId };

  let message = (await store.entities.message.get(key).go({ consistent: true })).data;
  let created = false;
  if (!message) {
    const text = input.kind === 'text' ? input.text : input.kind === 'media' ? input.caption : undefined;
    if (input.kind === 'media') media ??= await mediaOf(deps, tenantId, conversationId, input);
    const details =
      input.kind === 'template'
        ? { template: { name: input.name, language: input.language, variables: input.variables } }
        : media
          ? { outboundMedia: media.details }
          : input.kind === 'text' && input.ai
            ? { ai: input.ai }
            : undefined;
    if (media?.stored) {
      // The uploaded file is the message's media, shown through the media route as a customer's
      // is. Written first: a message that names a file always finds it.
      await store.entities.media
        .put({
          tenantId,
          messageId,
          conversationId,
          status: 'stored',
          key: media.stored.key,
          mimeType: media.stored.mimeType,
          size: media.stored.size,
        })
        .go();
    }
    try {
      message = (
        await store.entities.message
          .create({
            ...key,
            receivedAt: key.sentAt,
            direction: 'outbound',
            type: media ? media.mediaKind : input.kind,
            status: 'queued',
            authorId,
            clientId: input.clientId,
            ...(text !== undefined && { text: keys.seal('message', 'text', messageId, text) }),
            ...(details && { details: keys.seal('message', 'details', messageId, JSON.stringify(details)) }),
          })
          .go()
      ).data as MessageItem;
      created = true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      message = (await store.entities.message.get(key).go({ consistent: true })).data;
      if (!message) throw error;
    }
  }

  if (!message) throw new ConflictError('This reply could not be stored; try again');
  if (created) await moveConversation(deps, keys, key, previewOf(input));
  // Still queued (a retry may come after a first request that stopped before this): the worker
  // gets it, again if need be; it sends a message once whatever it is handed.
  if (message.status === 'queued') {
    await deps.producer.send(OUTBOUND_QUEUE, { kind: 'send', tenantId, conversationId, messageId, sentAt: key.sentAt });
  }
  return { message: messageView(keys, message), created };
}

/** The conversation moves forward to this reply (never backwards past a newer message). */
async function moveConversation(
  deps: ReplyDeps,
  keys: TenantKeys,
  key: { tenantId: string; conversationId: string; sentAt: number },
  preview: string,
) {
  const { tenantId, conversationId, sentAt } = key;
  const order = [sentAt, sentAt, 0].map((n) => String(n).padStart(15, '0')).join('#');
  await deps.store.entities.conversation
    .patch({ tenantId, conversationId })
    .set({
      lastMessageAt: sentAt,
      lastMessageOrder: order,
      lastOutboundAt: sentAt,
      lastMessagePreview: keys.seal(
        'conversation',
        'lastMessagePreview',
        conversationId,
        preview.slice(0, PREVIEW_CHARS),
      ),
    })
    .where(
      ({ lastMessageAt, lastMessageOrder }, { lt, notExists }) =>
        `${lt(lastMessageOrder, order)} OR (${notExists(lastMessageOrder)} AND ${lt(lastMessageAt, sentAt)})`,
    )
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * The team read the conversation: unread goes to 0 and, on WhatsApp, the customer's newest
 * message is marked read at Meta (blue ticks), through the outbound worker.
 */
export async function readConversation(deps: ReplyDeps, tenantId: string, conversationId: string) {
  const conversation = await markConversationRead(deps, tenantId, conversationId);
  if (conversation.channelKind !== 'whatsapp') return;
  const newest = await newestInbound(deps.store, tenantId, conversationId);
  if (!newest || newest.status === 'read') return;
  await deps.producer.send(OUTBOUND_QUEUE, {
    kind: 'mark-read',
    tenantId,
    conversationId,
    messageId: newest.messageId,
    sentAt: newest.sentAt,
    typing: false,
  });
}

/** Shows "typing…" to the customer: WhatsApp ties it to their newest message; Messenger and Instagram need none. */
export async function showTyping(deps: ReplyDeps, tenantId: string, conversationId: string) {
  const conversation = await findConversation(deps.store, tenantId, conversationId);
  if (conversation.channelKind === 'sandbox') return;
  if (conversation.channelKind !== 'whatsapp') {
    await deps.producer.send(OUTBOUND_QUEUE, { kind: 'typing', tenantId, conversationId });
    return;
  }
  const newest = await newestInbound(deps.store, tenantId, conversationId);
  if (!newest || !isWindowOpen(conversation)) return;
  await deps.producer.send(OUTBOUND_QUEUE, {
    kind: 'mark-read',
    tenantId,
    conversationId,
    messageId: newest.messageId,
    sentAt: newest.sentAt,
    typing: true,
  });
}
