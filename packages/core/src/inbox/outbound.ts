import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { isConditionFailure } from '../platform/store/service.js';
import { openChannelToken } from '../tenancy/tenants.js';
import { type ConversationChannelKind, isWindowOpen, STANDARD_WINDOW_MS } from './conversations.js';
import type { FailureReason, MessageItem } from './messages.js';
import type { InboxStore } from './records.js';
import { messageIdOf, pendingStatusOf, setMessageStatus } from './statuses.js';

/**
 * Replies leave through the `outbound` queue: the API stores the message as 'queued' and
 * enqueues its ids (no content: the content stays sealed on the message), and this worker
 * sends it through the channel's provider, once, paced per number, and records what happened
 * in words a person understands.
 */

const ids = { tenantId: z.string().min(1).max(64), conversationId: z.string().min(1).max(64) };

export const OutboundRequest = z.discriminatedUnion('kind', [
  /** Send a stored outbound message. */
  z.object({ kind: z.literal('send'), ...ids, messageId: z.string().min(1).max(64), sentAt: z.number().int() }),
  /** Mark a customer's message read at the provider (WhatsApp blue ticks), optionally "typing…". */
  z.object({
    kind: z.literal('mark-read'),
    ...ids,
    messageId: z.string().min(1).max(64),
    sentAt: z.number().int(),
    typing: z.boolean().default(false),
  }),
  /** Show "typing…" where the provider has it without a message (Messenger, Instagram). */
  z.object({ kind: z.literal('typing'), ...ids }),
]);
export type OutboundRequest = z.infer<typeof OutboundRequest>;

export const OUTBOUND_QUEUE = {
  name: 'outbound',
  description: 'Replies stored as queued, and read receipts, to send through Meta (or the sandbox)',
  message: OutboundRequest,
  // Visibility is the back-off after a failed receive (6x the consumer's timeout): a
  // rate-limited or failing Graph API is tried again 90 s later, five receives in all (about
  // 7 minutes, each with a few quick attempts of its own) before the dead-letter queue.
  visibilityTimeoutSeconds: 90,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description: 'Sends each queued reply once through the Graph API, paced per number',
    handler: 'functions/workers/outbound.handler',
    // Three Graph attempts of at most 4 s each, with their short back-offs and the pace.
    timeoutSeconds: 15,
    // Reads messages, contacts and channels; writes statuses and the send pace; opens tokens.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'] },
    settings: { metaGraph: true },
  },
} as const satisfies QueueDeclaration;

/** What a reply carries, rebuilt from the stored (sealed) message for the provider. */
export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; variables: string[] }
  | { kind: 'media'; mediaKind: 'image' | 'video' | 'audio' | 'document'; url: string; caption?: string };

/** The customer, as the provider addresses them. */
export interface Recipient {
  /** WhatsApp wa_id (digits), Messenger PSID, Instagram IGSID. */
  externalId?: string;
  /** WhatsApp business-scoped user id, for a customer known without a number. */
  userId?: string;
}

export interface SendingChannel {
  kind: Exclude<ConversationChannelKind, 'sandbox'>;
  externalId: string;
  /** The opened access token: only ever handed to the sender. */
  token: string;
}

/**
 * How the worker reaches a provider (Meta's Graph API in the product: channels/meta/sender.ts).
 * A failure is thrown as an error with {@link SendFailure}'s fields.
 */
export interface ChannelSender {
  send(
    channel: SendingChannel,
    to: Recipient,
    content: OutboundContent,
    /** `reference`: the reply's own id, which the provider echoes back where it can (Send API metadata). */
    options: { humanAgentTag: boolean; reference: string },
  ): Promise<{ providerMessageId: string }>;
  markRead(channel: SendingChannel, providerMessageId: string, typing: boolean): Promise<void>;
  typing(channel: SendingChannel, to: Recipient): Promise<void>;
}

/** A provider's refusal, classified (GraphError has these fields). */
export interface SendFailure {
  kind:
    | 'rate-limited'
    | 'outside-window'
    | 'undeliverable'
    | 'paused-template'
    | 'template'
    | 'auth'
    | 'server'
    | 'invalid';
  retryable: boolean;
  code?: number;
  title: string;
  retryAfterSeconds?: number;
}

export function isSendFailure(error: unknown): error is SendFailure & Error {
  const e = error as Partial<SendFailure> | undefined;
  return Boolean(e && typeof e === 'object' && typeof e.kind === 'string' && typeof e.retryable === 'boolean');
}

/** A send that may succeed later (rate limited, provider failing, paced, someone else sending). */
export class SendLaterError extends Error {
  override name = 'SendLaterError';
}

export interface OutboundDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  sender: ChannelSender;
  /** Writes the one update ElectroDB cannot express (see {@link markSent}). */
  documents: DynamoDBDocumentClient;
  log: Logger;
  /** Milliseconds between two sends through one number or page (default {@link SEND_INTERVAL_MS}). */
  intervalMs?: number;
  /** Attempts inside one receive before the message goes back to the queue (default 3). */
  attempts?: number;
}

/**
 * Pace per number: WhatsApp allows 80 messages a second per registered number by default (20
 * for a number shared with the WhatsApp Business app), inbound and outbound counted together,
 * and answers 130429 above it. The inbox sends at most 20 a second per number (one every
 * 50 ms), the coexistence rate, so replies never push a number over its limit and campaigns
 * have room beside them. Messenger and Instagram have no published per-second limit; the same
 * pace is kept.
 */
export const SEND_INTERVAL_MS = 50;
/** A slot further out than this is not waited for inside the function: the message comes back later. */
const MAX_PACE_WAIT_MS = 2_000;
/** How long one worker holds a message it is sending before another may take it over. */
const CLAIM_MS = 30_000;

function open(keys: TenantKeys, entity: string, field: string, id: string, sealed: string | undefined) {
  return sealed === undefined ? undefined : keys.open(entity, field, id, sealed);
}

/** The content of a stored outbound message (text sealed; template and media in sealed details). */
export function contentOf(keys: TenantKeys, message: MessageItem): OutboundContent {
  const text = open(keys, 'message', 'text', message.messageId, message.text);
  const detailsJson = open(keys, 'message', 'details', message.messageId, message.details);
  const details = detailsJson ? (JSON.parse(detailsJson) as Record<string, unknown>) : {};
  if (message.type === 'template') {
    const template = details.template as { name: string; language: string; variables?: string[] };
    return { kind: 'template', name: template.name, language: template.language, variables: template.variables ?? [] };
  }
  if (message.type === 'text') return { kind: 'text', text: text ?? '' };
  const media = details.outboundMedia as { url: string; caption?: string } | undefined;
  if (!media) throw new PermanentError(`outbound ${message.type} message has no media`);
  return {
    kind: 'media',
    mediaKind: message.type as 'image' | 'video' | 'audio' | 'document',
    url: media.url,
    ...(text && { caption: text }),
  };
}

/**
 * Reserves the next send slot of a number with a conditional write (the next free time moves
 * on by one interval per send, whoever sends), so the pace holds across concurrent workers.
 * Waits for the slot when it is near; otherwise the message comes back later.
 */
export async function paceSend(store: InboxStore, tenantId: string, channelKey: string, intervalMs: number) {
  for (let attempt = 0; attempt < 25; attempt += 1) {
    const { data } = await store.entities.sendPace.get({ tenantId, channelKey }).go({ consistent: true });
    const now = Date.now();
    const slot = Math.max(now, data?.nextAt ?? 0);
    if (slot - now > MAX_PACE_WAIT_MS) throw new SendLaterError('the number is paced; the reply goes shortly');
    try {
      if (data) {
        await store.entities.sendPace
          .patch({ tenantId, channelKey })
          .set({ nextAt: slot + intervalMs })
          .where(({ nextAt }, { eq }) => eq(nextAt, data.nextAt))
          .go();
      } else {
        await store.entities.sendPace.create({ tenantId, channelKey, nextAt: slot + intervalMs }).go();
      }
    } catch (error) {
      if (isConditionFailure(error)) continue; // another worker took this slot: take the next
      throw error;
    }
    if (slot > now) await sleep(slot - now);
    return;
  }
  throw new SendLaterError('the number is busy; the reply goes shortly');
}

/** Why a provider failure stops a reply, for a person. */
function reasonOf(failure: SendFailure): FailureReason {
  return failure.kind;
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

/** The channel of a conversation with its token opened, or undefined when it cannot send. */
async function sendingChannel(store: InboxStore, keys: TenantKeys, tenantId: string, kind: string, externalId: string) {
  const { data } = await store.entities.channel.get({ tenantId, kind: kind as 'whatsapp', externalId }).go();
  if (!data || data.status === 'disconnected' || data.status === 'expired' || !data.accessToken) return undefined;
  const token = openChannelToken(keys, data);
  if (!token) return undefined;
  return { kind: kind as SendingChannel['kind'], externalId, token };
}

async function recipientOf(
  store: InboxStore,
  keys: TenantKeys,
  tenantId: string,
  kind: ConversationChannelKind,
  contactId: string,
): Promise<Recipient> {
  const { data } = await store.entities.contact.get({ tenantId, contactId }).go();
  const phone = open(keys, 'contact', 'phone', contactId, data?.phone);
  const userId = open(keys, 'contact', 'userId', contactId, data?.userId);
  // WhatsApp addresses a number (wa_id, the phone without '+') or else the user id; Messenger
  // and Instagram customers have no number, and their PSID/IGSID is kept as the user id.
  const to = phone?.replace(/^\+/, '') ?? (kind === 'whatsapp' ? undefined : userId);
  return { ...(to && { externalId: to }), ...(userId && kind === 'whatsapp' && { userId }) };
}

/** Calls the provider, riding out short rate limits and failures inside this receive. */
async function withRetries<T>(deps: OutboundDeps, run: () => Promise<T>): Promise<T> {
  const attempts = deps.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!isSendFailure(error) || !error.retryable || attempt >= attempts) throw error;
      const backoff = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 200 * 4 ** (attempt - 1);
      if (backoff > MAX_PACE_WAIT_MS) throw error;
      await sleep(backoff + Math.floor(Math.random() * 100));
    }
  }
}

async function sendReply(
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
    content = contentOf(keys, message);
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
    ({ providerMessageId } = await withRetries(deps, () =>
      deps.sender.send(channel, to, content, { humanAgentTag, reference: key.messageId }),
    ));
  } catch (error) {
    if (isSendFailure(error) && !error.retryable) {
      // Permanent: stored with its reason and never retried.
      await markFailed(store, key, reasonOf(error), { code: error.code, title: error.title });
      deps.log.warn('reply refused by the provider', { reason: error.kind, code: error.code });
      return;
    }
    const retryable = isSendFailure(error) ? error : undefined;
    if (receiveCount >= maxReceives) {
      // Last receive: the person sees why, and the request goes to the dead-letter queue (thrown).
      await markFailed(store, key, retryable ? reasonOf(retryable) : 'server', {
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
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      deps.log.warn('sent reply not yet recorded; trying again', { attempt, error: error as Error });
      await sleep(250 * attempt);
    }
  }
}

/** The newest customer message of a conversation, to mark read (or to type against). */
export async function newestInbound(store: InboxStore, tenantId: string, conversationId: string) {
  const { data } = await store.entities.message.query
    .byConversation({ tenantId, conversationId })
    .go({ order: 'desc', limit: 25 });
  return data.find((message) => message.direction === 'inbound');
}

async function markRead(deps: OutboundDeps, request: Extract<OutboundRequest, { kind: 'mark-read' }>) {
  const { store } = deps;
  const { data: conversation } = await store.entities.conversation
    .get({ tenantId: request.tenantId, conversationId: request.conversationId })
    .go();
  if (conversation?.channelKind !== 'whatsapp') return;
  const keys = await deps.keyring.forTenant(request.tenantId);
  const channel = await sendingChannel(store, keys, request.tenantId, conversation.channelKind, conversation.channelId);
  if (!channel) return;
  const { data: message } = await store.entities.message
    .get({
      tenantId: request.tenantId,
      conversationId: request.conversationId,
      sentAt: request.sentAt,
      messageId: request.messageId,
    })
    .go();
  const providerMessageId = open(keys, 'message', 'providerMessageId', request.messageId, message?.providerMessageId);
  if (!providerMessageId) return;
  try {
    await withRetries(deps, () => deps.sender.markRead(channel, providerMessageId, request.typing));
  } catch (error) {
    // A read receipt is a courtesy: a refusal is logged, only a busy provider is tried again.
    if (isSendFailure(error) && !error.retryable) {
      deps.log.warn('read receipt refused by the provider', { reason: error.kind, code: error.code });
      return;
    }
    throw error;
  }
}

async function showTyping(deps: OutboundDeps, request: Extract<OutboundRequest, { kind: 'typing' }>) {
  const { store } = deps;
  const { data: conversation } = await store.entities.conversation
    .get({ tenantId: request.tenantId, conversationId: request.conversationId })
    .go();
  if (!conversation || conversation.channelKind === 'sandbox') return;
  const keys = await deps.keyring.forTenant(request.tenantId);
  const channel = await sendingChannel(store, keys, request.tenantId, conversation.channelKind, conversation.channelId);
  if (!channel) return;
  const to = await recipientOf(store, keys, request.tenantId, conversation.channelKind, conversation.contactId);
  try {
    await deps.sender.typing(channel, to);
  } catch (error) {
    // "typing…" that did not show is not worth a retry: it would show too late.
    deps.log.info('typing indicator not shown', { reason: isSendFailure(error) ? error.kind : 'error' });
  }
}

/** Handles one `outbound` request. */
export async function processOutbound(
  deps: OutboundDeps,
  request: OutboundRequest,
  delivery: { receiveCount: number },
): Promise<void> {
  if (request.kind === 'send') {
    await sendReply(deps, request, delivery.receiveCount, OUTBOUND_QUEUE.maxReceiveCount);
  } else if (request.kind === 'mark-read') {
    await markRead(deps, request);
  } else {
    await showTyping(deps, request);
  }
}
