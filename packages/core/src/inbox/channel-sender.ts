import type { FailureReason } from '@asistone/contract/inbox';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { openChannelToken } from '../tenancy/tenants.js';
import type { ConversationChannelKind } from './conversations.js';
import type { InboxStore } from './records.js';

/**
 * The inbox's port to a provider: what a reply carries, whom it goes to, through which channel,
 * and what a refusal means. Meta's Graph API implements it (channels/meta/sender.ts, its errors
 * in channels/meta/graph-errors.ts); nothing here knows Meta.
 */

/** What a reply carries, rebuilt from the stored (sealed) message for the provider. */
export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; variables: string[] }
  | {
      kind: 'media';
      mediaKind: 'image' | 'video' | 'audio' | 'document';
      /** Where the provider fetches the file (a public link, or a one-hour link to the business's copy). */
      url: string;
      caption?: string;
      /** A document's name as the customer sees it. */
      fileName?: string;
    };

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

/**
 * The kinds of provider refusal the inbox acts on differently, each also the reason a person
 * reads on a failed reply (every failure reason but 'no-channel', which is the inbox's own):
 * - 'rate-limited': too many calls (app, number, page or customer pair): try again later, slower.
 * - 'outside-window': the customer's messaging window is closed: only a template (WhatsApp) or a tag may go.
 * - 'undeliverable': the provider will not deliver to this customer (not on WhatsApp, blocked, opted out...).
 * - 'paused-template': the template is paused or disabled for low quality.
 * - 'template': the template does not exist, is not approved, or its variables do not match.
 * - 'auth': the token is expired, revoked or lacks a permission: the channel needs reconnecting.
 * - 'server': the provider (or the way to it) failed: try again later.
 * - 'invalid': the request itself is wrong: trying again will not help.
 */
export type SendFailureKind = Exclude<FailureReason, 'no-channel'>;

/** A provider's refusal, classified (GraphError implements it). */
export interface SendFailure {
  kind: SendFailureKind;
  /** Worth trying again later: the provider was busy or failing, the request itself was fine. */
  readonly retryable: boolean;
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

export function openSealed(keys: TenantKeys, entity: string, field: string, id: string, sealed: string | undefined) {
  return sealed === undefined ? undefined : keys.open(entity, field, id, sealed);
}

/** The channel of a conversation with its token opened, or undefined when it cannot send. */
export async function sendingChannel(
  store: InboxStore,
  keys: TenantKeys,
  tenantId: string,
  kind: string,
  externalId: string,
) {
  const { data } = await store.entities.channel.get({ tenantId, kind: kind as 'whatsapp', externalId }).go();
  if (!data || data.status === 'disconnected' || data.status === 'expired' || !data.accessToken) return undefined;
  const token = openChannelToken(keys, data);
  if (!token) return undefined;
  return { kind: kind as SendingChannel['kind'], externalId, token };
}

/** The customer of a conversation as the provider addresses them. */
export async function recipientOf(
  store: InboxStore,
  keys: TenantKeys,
  tenantId: string,
  kind: ConversationChannelKind,
  contactId: string,
): Promise<Recipient> {
  const { data } = await store.entities.contact.get({ tenantId, contactId }).go();
  const phone = openSealed(keys, 'contact', 'phone', contactId, data?.phone);
  const userId = openSealed(keys, 'contact', 'userId', contactId, data?.userId);
  // WhatsApp addresses a number (wa_id, the phone without '+') or else the user id; Messenger
  // and Instagram customers have no number, and their PSID/IGSID is kept as the user id.
  const to = phone?.replace(/^\+/, '') ?? (kind === 'whatsapp' ? undefined : userId);
  return { ...(to && { externalId: to }), ...(userId && kind === 'whatsapp' && { userId }) };
}
