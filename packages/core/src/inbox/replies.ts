import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError, ProductError, ValidationError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { findConversation, type InboxDeps, isWindowOpen, markConversationRead } from './conversations.js';
import { type MessageItem, type MessageView, messageView } from './messages.js';
import { OUTBOUND_QUEUE } from './outbound.js';
import { newestInbound } from './read-receipts.js';
import { findTemplate } from './templates.js';

/**
 * Replies from the inbox: stored at once as 'queued' (the person sees it straight away), then
 * sent by the outbound worker. The app names each reply (`clientId`), so a retried request
 * stores and sends it once.
 */

export type ReplyInput =
  | { kind: 'text'; text: string; clientId: string }
  | { kind: 'template'; name: string; language: string; variables: string[]; clientId: string }
  | {
      kind: 'media';
      mediaKind: 'image' | 'video' | 'audio' | 'document';
      url: string;
      caption?: string;
      clientId: string;
    };

export interface ReplyDeps extends InboxDeps {
  producer: Pick<Producer, 'send'>;
}

/** A free-form reply after the customer's window: only a template may go. */
export class WindowClosedError extends ProductError {
  override name = 'WindowClosedError';
  constructor() {
    super(
      'window_closed',
      "The customer's messaging window has closed: only an approved WhatsApp template can be sent now",
    );
  }
}

const PREVIEW_CHARS = 120;

function previewOf(input: ReplyInput): string {
  if (input.kind === 'text') return input.text;
  if (input.kind === 'template') return `[${input.name}]`;
  return input.caption ?? `[${input.mediaKind}]`;
}

/** Checks a template reply against the synced templates, when the business synced them. */
async function checkTemplate(deps: ReplyDeps, tenantId: string, input: Extract<ReplyInput, { kind: 'template' }>) {
  const template = await findTemplate(deps.store, tenantId, input.name, input.language);
  // Not synced: Meta decides (a refusal is shown on the message).
  if (!template) return;
  if (template.status !== 'APPROVED') {
    throw new ConflictError(`The template ${input.name} (${input.language}) is ${template.status.toLowerCase()}`);
  }
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

  let request = (await store.entities.replyRequest.get({ tenantId, messageId }).go({ consistent: true })).data;
  if (!request) {
    // Checked only for a new request: a retry answers with what the first one stored.
    if (input.kind === 'template') {
      if (conversation.channelKind !== 'whatsapp') {
        throw new ValidationError('Templates are sent on WhatsApp only', ['kind']);
      }
      await checkTemplate(deps, tenantId, input);
    } else if (!isWindowOpen(conversation)) {
      throw new WindowClosedError();
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
    const details =
      input.kind === 'template'
        ? { template: { name: input.name, language: input.language, variables: input.variables } }
        : input.kind === 'media'
          ? { outboundMedia: { url: input.url } }
          : undefined;
    try {
      message = (
        await store.entities.message
          .create({
            ...key,
            receivedAt: key.sentAt,
            direction: 'outbound',
            type: input.kind === 'media' ? input.mediaKind : input.kind,
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
