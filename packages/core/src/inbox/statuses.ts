import type { FailureReason } from '@asistone/contract/inbox';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { ChannelKind } from './inbound.js';
import type { InboxStore } from './records.js';

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** What the provider reports about a message's delivery. */
export interface StatusUpdate {
  tenantId: string;
  channelKind: ChannelKind;
  providerMessageId: string;
  status: DeliveryStatus;
  /** When the provider says it happened, ms since the epoch. */
  at: number;
  /** A failure's code and title as the provider gave them, and the reason the channel classified it as. */
  error?: { code?: number; title?: string; reason?: FailureReason };
  pricingCategory?: string;
  /** What the send asked the provider to echo back (WhatsApp's `biz_opaque_callback_data`), as given. */
  callbackData?: string;
}

/** Breaks ties between statuses of the same second: a message moves forward through these. */
const RANK: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** The item id of a provider's message: the same message always maps to the same item. */
export function messageIdOf(keys: TenantKeys, kind: ChannelKind, providerMessageId: string): string {
  return `ms_${keys.blindIndex('message', `${kind}:${providerMessageId}`).slice(0, 24)}`;
}

type StatusFields = {
  status: DeliveryStatus;
  statusAt: number;
  statusOrder: string;
  errorCode?: number;
  errorTitle?: string;
  failureReason?: FailureReason;
  pricingCategory?: string;
};

/** The stored fields of a status: its time and rank as one comparable order. */
export function statusFieldsOf(update: StatusUpdate): StatusFields {
  return {
    status: update.status,
    statusAt: update.at,
    statusOrder: `${String(update.at).padStart(15, '0')}#${RANK[update.status]}`,
    ...(update.error?.code !== undefined && { errorCode: update.error.code }),
    ...(update.error?.title && { errorTitle: update.error.title }),
    ...(update.status === 'failed' && update.error?.reason && { failureReason: update.error.reason }),
    ...(update.pricingCategory && { pricingCategory: update.pricingCategory }),
  };
}

const ignoreOlder = (error: unknown) => {
  // A later status is already there: statuses arrive out of order (a read before its delivered).
  if (!isConditionFailure(error)) throw error;
};

/** Sets a stored message's status unless it already holds a later one. */
export async function setMessageStatus(
  store: InboxStore,
  message: { tenantId: string; conversationId: string; sentAt: number; messageId: string },
  fields: StatusFields,
): Promise<void> {
  await store.entities.message
    .patch(message)
    .set(fields)
    .where(
      ({ statusOrder }, { lt, notExists }) => `${notExists(statusOrder)} OR ${lt(statusOrder, fields.statusOrder)}`,
    )
    .go()
    .catch(ignoreOlder);
}

/**
 * Applies a delivery status, idempotent and order-tolerant. It is kept first on its own record,
 * then applied to the message if the message is stored; a message stored later reads it from
 * there ({@link pendingStatusOf}). Both sides write before they read, so whichever comes second
 * sees the other.
 */
export async function applyStatus(
  deps: { store: InboxStore; keys: TenantKeys },
  update: StatusUpdate,
): Promise<'applied' | 'pending'> {
  const { store, keys } = deps;
  const { tenantId } = update;
  const messageId = messageIdOf(keys, update.channelKind, update.providerMessageId);
  const fields = statusFieldsOf(update);
  await store.entities.messageStatus
    .upsert({ tenantId, messageId, ...fields })
    .where(
      ({ statusOrder }, { lt, notExists }) => `${notExists(statusOrder)} OR ${lt(statusOrder, fields.statusOrder)}`,
    )
    .go()
    .catch(ignoreOlder);
  const found = await store.entities.message.query.byMessageId({ tenantId, messageId }).go();
  const message = found.data[0];
  if (!message) return 'pending';
  await setMessageStatus(store, message, fields);
  return 'applied';
}

/** The status kept for a message reported on before it was stored, if any. */
export async function pendingStatusOf(store: InboxStore, tenantId: string, messageId: string) {
  // Strongly consistent: a status kept a moment ago must be seen (the write-before-read above
  // holds only if this read sees every write that finished before it).
  const { data } = await store.entities.messageStatus.get({ tenantId, messageId }).go({ consistent: true });
  if (!data?.statusOrder || data.statusAt === undefined || data.status === 'received') return undefined;
  const { status, statusAt, statusOrder, errorCode, errorTitle, failureReason, pricingCategory } = data;
  return {
    status,
    statusAt,
    statusOrder,
    ...(errorCode !== undefined && { errorCode }),
    ...(errorTitle && { errorTitle }),
    ...(failureReason && { failureReason }),
    ...(pricingCategory && { pricingCategory }),
  } satisfies StatusFields;
}
