import type { Message, MessageDetails } from '@asistone/contract/inbox';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ValidationError } from '../platform/errors.js';
import { findConversation, type InboxDeps } from './conversations.js';
import type { MessageDetails as InboundDetails } from './inbound.js';
import type { InboxStore } from './records.js';

/** A conversation's messages as the team reads them, page by page, with sealed fields opened. */

export type MessageItem = NonNullable<
  Awaited<ReturnType<ReturnType<InboxStore['entities']['message']['get']>['go']>>['data']
>;

export type { FailureReason } from '@asistone/contract/inbox';

/** A message as the API answers it. */
export type MessageView = Message;

export const MESSAGES_PAGE = 50;

function open(keys: TenantKeys, field: string, messageId: string, sealed: string | undefined) {
  if (sealed === undefined) return undefined;
  try {
    return keys.open('message', field, messageId, sealed);
  } catch {
    return undefined;
  }
}

export function messageView(keys: TenantKeys, message: MessageItem): MessageView {
  const deleted = message.deletedAt !== undefined;
  const text = deleted ? undefined : open(keys, 'text', message.messageId, message.text);
  // Stored by inbound.ts (its MessageDetails) or by a reply (template, outboundMedia): typed as
  // stored and answered as the contract's, so the compiler holds the two shapes together.
  let details: (InboundDetails & Pick<MessageDetails, 'template' | 'outboundMedia' | 'ai'>) | undefined;
  const detailsJson = deleted ? undefined : open(keys, 'details', message.messageId, message.details);
  if (detailsJson) {
    try {
      details = JSON.parse(detailsJson) as typeof details;
    } catch {
      details = undefined;
    }
  }
  return {
    id: message.messageId,
    direction: message.direction,
    type: message.type,
    ...(text !== undefined && { text }),
    ...(details && { details }),
    sentAt: new Date(message.sentAt).toISOString(),
    status: message.status,
    ...(message.status === 'failed' && {
      error: {
        ...(message.errorCode !== undefined && { code: message.errorCode }),
        ...(message.errorTitle && { title: message.errorTitle }),
        // The reason is stored with the failure (the channel classifies the provider's code);
        // a record from before that has none.
        reason: message.failureReason ?? 'invalid',
      },
    }),
    ...(message.authorId && { authorId: message.authorId }),
    ...(message.clientId && { clientId: message.clientId }),
    ...(deleted && { deleted: true }),
  };
}

interface PagePosition {
  sentAt: number;
  messageId: string;
}

function encode(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.sentAt, position.messageId])).toString('base64url');
}

function decode(cursor: string): PagePosition {
  try {
    const [sentAt, messageId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof sentAt === 'number' &&
      Number.isSafeInteger(sentAt) &&
      typeof messageId === 'string' &&
      /^m[a-z]_[\w-]{1,64}$/.test(messageId)
    ) {
      return { sentAt, messageId };
    }
  } catch {
    // falls through
  }
  throw new ValidationError('The cursor is not one this thread gave', ['before']);
}

/**
 * Up to 50 messages, oldest to newest, ending just before `before` (the newest page when absent);
 * the answer's cursor reads the page before it.
 */
export async function listMessages(
  deps: InboxDeps,
  tenantId: string,
  conversationId: string,
  before?: string,
): Promise<{ messages: MessageView[]; cursor?: string }> {
  await findConversation(deps.store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const index = deps.store.entities.message.query.byConversation({ tenantId, conversationId });
  const position = before ? decode(before) : undefined;
  const ranged = position ? index.lt(position) : index;
  // One more than a page tells whether an older page exists.
  const { data } = await ranged.go({ order: 'desc', limit: MESSAGES_PAGE + 1 });
  const page = data.slice(0, MESSAGES_PAGE);
  const oldest = page.at(-1);
  // Stamps are whole seconds on WhatsApp: within a second, the order they arrived in.
  const inOrder = [...page].sort((a, b) => a.sentAt - b.sentAt || a.receivedAt - b.receivedAt);
  return {
    messages: inOrder.map((message) => messageView(keys, message)),
    ...(data.length > MESSAGES_PAGE && oldest && { cursor: encode(oldest) }),
  };
}
