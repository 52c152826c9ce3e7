import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageDetails } from '@asistone/contract/inbox';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { attachmentKey } from './attachments.js';
import {
  isSendFailure,
  type OutboundContent,
  openSealed,
  recipientOf,
  SendLaterError,
  sendingChannel,
} from './channel-sender.js';
import { type ConversationChannelKind, isWindowOpen, STANDARD_WINDOW_MS } from './conversations.js';
import type { FailureReason, MessageItem } from './messages.js';
import type { OutboundDeps, OutboundRequest } from './outbound.js';
import type { InboxStore } from './records.js';
import { paceSend, SEND_INTERVAL_MS, withRetries } from './send-pace.js';
import { messageIdOf, pendingStatusOf, setMessageStatus } from './statuses.js';

/**
 * Sending one stored reply: claimed so it goes once, checked again (channel, window, address),
 * paced, handed to the provider, and its outcome recorded in words a person understands.
 */

/** How long one worker holds a message it is sending before another may take it over. */
const CLAIM_MS = 30_000;

/** How long the provider may take to fetch a reply's uploaded file (Meta fetches it once, at send). */
export const PROVIDER_LINK_SECONDS = 3600;

/**
 * The content of a stored outbound message (text sealed; template and media in sealed details).
 * An uploaded file is handed to the provider as a one-hour link to the business's own copy.
 */
export async function contentOf(
  keys: TenantKeys,
  message: MessageItem,
  blobs: Pick<Blobs, 'presignGet'> | undefined,
): Promise<OutboundContent> {
  const text = openSealed(keys, 'message', 'text', message.messageId, message.text);
  const detailsJson = openSealed(keys, 'message', 'details', message.messageId, message.details);
  const details = detailsJson ? (JSON.parse(detailsJson) as Record<string, unknown>) : {};
  if (message.type === 'template') {
    const template = details.template as { name: string; language: string; variables?: string[] };
    return { kind: 'template', name: template.name, language: template.language, variables: template.variables ?? [] };
  }
  if (message.type === 'text') return { kind: 'text', text: text ?? '' };
  const media = details.outboundMedia as MessageDetails['outboundMedia'];
  let url = media?.url;
  if (media?.attachmentId && blobs) {
    url = await blobs.presignGet(
      message.tenantId,
      attachmentKey(message.conversationId, media.attachmentId),
      PROVIDER_LINK_SECONDS,
      { forProvider: true },
    );
  }
  if (!url) throw new PermanentError(`outbound ${message.type} message has no media`);
  return {
    kind: 'media',
    mediaKind: message.type as 'image' | 'video' | 'audio' | 'document',
    url,
    ...(text && { caption: text }),
    ...(media?.fileName && { fileName: media.fileName }),
  };
}

type MessageKey = { tenantId: string; conversationId: string; sentAt: number; messageId: string };

async function markFailed(
  store: InboxStore,
  key: MessageKey,
  reason: FailureReason,
  error: { code?: number; title?: string },
) {
  await store.entities.message
    .patch(key)
    .set({
      status: 'failed',
      failureReason: reason,
      statusAt: Date.now(),
      ...(error.code !== undefined && { errorCode: error.code }),
      ...(error.title && { errorTitle: error.title.slice(0, 300) }),
    })
    .remove(['sendingUntil'])
    .go();
}

/**
 * The provider accepted the message: it becomes 'sent', keeps the provider id (sealed), and its
 * by-id index entry is pointed at the provider id's item id (statuses.ts messageIdOf). Delivery
 * statuses name the provider id, and B's applyStatus looks the message up by that item id, so
 * from here on `delivered`, `read` and `failed` find this message although its own id was chosen
 * before the provider's existed. ElectroDB derives index keys only from attributes, so this one
 * update is written from the params it builds, with the index key added.
 *
 * No statusOrder is written: any status the provider reports (whole seconds) then applies.
 */
async function markSent(
  deps: Pick<OutboundDeps, 'store' | 'documents'>,
  keys: TenantKeys,
  key: MessageKey,
  kind: ConversationChannelKind,
  providerMessageId: string,
) {
  const lookupId = messageIdOf(keys, kind as 'whatsapp', providerMessageId);
  const params = deps.store.entities.message
    .patch(key)
    .set({
      status: 'sent',
      statusAt: Date.now(),
      providerMessageId: keys.seal('message', 'providerMessageId', key.messageId, providerMessageId),
    })
    .remove(['sendingUntil'])
    .params() as {
    UpdateExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
  if (!params.UpdateExpression.startsWith('SET ')) throw new Error('unexpected update expression');
  params.UpdateExpression = `SET #relinkedGsi1pk = :relinkedGsi1pk, ${params.UpdateExpression.slice(4)}`;
  params.ExpressionAttributeNames['#relinkedGsi1pk'] = 'gsi1pk';
  params.ExpressionAttributeValues[':relinkedGsi1pk'] = `t#${key.tenantId}#message#${lookupId}`;
  await deps.documents.send(new UpdateCommand(params as unknown as ConstructorParameters<typeof UpdateCommand>[0]));
  // A status the provider reported before this write (the fake and Meta can be that fast) waits
  // on its own record: applied now. applyStatus writes it before it looks, this looks after writing.
  const pending = await pendingStatusOf(deps.store, key.tenantId, lookupId);
  if (pending) await setMessageStatus(deps.store, key, pending);
}

/** The sandbox has no provider: a reply is sent, delivered and read at once. */
async function sendToSandbox(store: InboxStore, key: MessageKey) {
  const at = Date.now();
  await store.entities.message.patch(key).set({ status: 'sent', statusAt: at }).remove(['sendingUntil']).go();
  for (const [status, rank] of [
    ['delivered', 2],
    ['read', 3],
  ] as const) {
    await setMessageStatus(store, key, {
      status,
      statusAt: at,
      statusOrder: `${String(at).padStart(15, '0')}#${rank}`,
    });
  }
}

export async function sendReply(
  deps: OutboundDeps,
  request: Extract<OutboundRequest, { kind: 'send' }>,
  receiveCount: number,
  maxReceives: number,
) {
  const { store } = deps;
  const key: MessageKey = {
    tenantId: request.tenantId,
    conversationId: request.conversationId,
    sentAt: request.sentAt,
    messageId: request.messageId,
  };
  const { data: message } = await store.entities.message.get(key).go({ consistent: true });
  if (message?.direction !== 'outbound') throw new PermanentError('no such outbound message');
  // Sent already (a redelivery), or failed for good. A reply failed only for being rate limited
  // or the provider failing is sent again: that is a replay from the dead-letter queue.
  const replay =
    message.status === 'failed' && (message.failureReason === 'rate-limited' || message.failureReason === 'server');
  if (message.status !== 'queued' && !replay) return;

  // Claim it, so two deliveries of the same request never both send.
  const now = Date.now();
  try {
    await store.entities.message
      .patch(key)
      .set({ sendingUntil: now + CLAIM_MS, attempts: (message.attempts ?? 0) + 1, status: 'queued' })
      .where(
        ({ status, sendingUntil }, { eq, notExists, lt }) =>
          `(${eq(status, message.status)}) AND (${notExists(sendingUntil)} OR ${lt(sendingUntil, now)})`,
      )
      .go();
  } catch (error) {
    if (isConditionFailure(error)) throw new SendLaterError('another delivery is sending this reply');
    throw error;
  }

  const keys = await deps.keyring.forTenant(request.tenantId);
  const { data: conversation } = await store.entities.conversation
    .get({ tenantId: request.tenantId, conversationId: request.conversationId })
    .go();
  if (!conversation) throw new PermanentError('the conversation of this reply is gone');

  if (conversation.channelKind === 'sandbox') {
    await sendToSandbox(store, key);
    return;
  }
  const channel = await sendingChannel(store, keys, request.tenantId, conversation.channelKind, conversation.channelId);
  if (!channel) {
    await markFailed(store, key, 'no-channel', { title: 'The channel is disconnected or has no token' });
    return;
  }
  let content: OutboundContent;
  try {
    content = await contentOf(keys, message, deps.blobs);
  } catch (error) {
    // A stored reply that cannot be read back (no media link, a seal that does not open) never will be.
    await markFailed(store, key, 'invalid', { title: (error as Error).name });
    return;
  }
  // The window is checked again at send time: the reply may have waited in the queue.
  if (content.kind !== 'template' && !isWindowOpen(conversation)) {
    await markFailed(store, key, 'outside-window', { title: 'The customer service window has closed' });
    return;
  }
  const to = await recipientOf(store, keys, request.tenantId, conversation.channelKind, conversation.contactId);
  if (!to.externalId && !to.userId) {
    await markFailed(store, key, 'invalid', { title: 'The customer has no address on this channel' });
    return;
  }
  const humanAgentTag =
    conversation.channelKind !== 'whatsapp' && Date.now() - conversation.lastInboundAt > STANDARD_WINDOW_MS;

  let providerMessageId: string;
  try {
    await paceSend(
      store,
      request.tenantId,
      `${channel.kind}#${channel.externalId}`,
      deps.intervalMs ?? SEND_INTERVAL_MS,
    );
    ({ providerMessageId } = await withRetries(
      () => deps.sender.send(channel, to, content, { humanAgentTag, reference: key.messageId }),
      deps.attempts,
    ));
  } catch (error) {
    if (isSendFailure(error) && !error.retryable) {
      // Permanent: stored with its reason and never retried.
      await markFailed(store, key, error.kind, { code: error.code, title: error.title });
      deps.log.warn('reply refused by the provider', { reason: error.kind, code: error.code });
      return;
    }
    const retryable = isSendFailure(error) ? error : undefined;
    if (receiveCount >= maxReceives) {
      // Last receive: the person sees why, and the request goes to the dead-letter queue (thrown).
      await markFailed(store, key, retryable?.kind ?? 'server', {
        code: retryable?.code,
        title: retryable?.title ?? (error as Error).message,
      });
    } else {
      // Released at once, so the next receive need not wait out the claim.
      await store.entities.message.patch(key).remove(['sendingUntil']).go();
    }
    if (error instanceof SendLaterError) throw error;
    throw new SendLaterError(
      retryable
        ? `provider ${retryable.kind} (${retryable.code ?? 'no code'}); tried again later`
        : (error as Error).message,
    );
  }
  // Meta has the message now: recording that must not fail into a redelivery, which would send
  // it again (the Graph API has no idempotency key), so a storage blip is waited out here.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await markSent(deps, keys, key, conversation.channelKind, providerMessageId);
      // Counted on the stage's dashboard (sends by channel and outcome), beside the refusals above.
      deps.log.info('reply sent', { channel: conversation.channelKind });
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      deps.log.warn('sent reply not yet recorded; trying again', { attempt, error: error as Error });
      await sleep(250 * attempt);
    }
  }
}
