import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';

/** A customer the business talks to. Personal fields are sealed; lookups use blind indexes. */
export const ContactRecord = new Entity({
  model: { entity: 'contact', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    /**
     * Blind index of the E.164 phone number. Not an index key: a customer known only by user id
     * has no number, and the contact id is already derived from the number (inbound.ts idsFor).
     */
    phoneIndex: { type: 'string' },
    phone: { type: 'string' },
    /** Sealed business-scoped user id: since 2026 some customers come without a phone number. */
    userId: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['contactId'], template: 'contact#${contactId}', casing: 'none' },
    },
  },
});

/**
 * Which contact a business-scoped user id (WhatsApp `user_id`) belongs to, by its blind index.
 * A customer first seen with a number and later without one is found here, read consistently.
 */
export const ContactUserRecord = new Entity({
  model: { entity: 'contactUser', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userIndex: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['userIndex'], template: 'contactuser#${userIndex}', casing: 'none' },
    },
  },
});

/** One thread between the business and a contact on one channel. */
export const ConversationRecord = new Entity({
  model: { entity: 'conversation', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    channelKind: { type: ['whatsapp', 'instagram', 'messenger'] as const, required: true, readOnly: true },
    channelId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    status: { type: ['open', 'closed'] as const, required: true, default: 'open' },
    /** Time of the newest message, in ms; only ever moves forward. */
    lastMessageAt: { type: 'number', required: true, default: 0 },
    /** Send time, receive time and place in the delivery of the newest message; see inbound.ts orderOf. */
    lastMessageOrder: { type: 'string' },
    /** Sealed preview of the newest message. */
    lastMessagePreview: { type: 'string' },
    lastInboundAt: { type: 'number', required: true, default: 0 },
    lastReadAt: { type: 'number', required: true, default: 0 },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['conversationId'], template: 'conversation#${conversationId}', casing: 'none' },
    },
    byRecency: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'], template: 't#${tenantId}#inbox', casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['lastMessageAt', 'conversationId'], casing: 'none' },
    },
  },
});

const MESSAGE_STATUSES = ['received', 'sent', 'delivered', 'read', 'failed'] as const;

/** What the provider last reported about a message's delivery (see inbox/statuses.ts). */
const deliveryStatus = {
  /** When the provider says the status happened, ms. */
  statusAt: { type: 'number' },
  /** Time and rank of the status as one comparable string: only a later one replaces it. */
  statusOrder: { type: 'string' },
  /** The provider's error code and title when delivery failed (no personal data). */
  errorCode: { type: 'number' },
  errorTitle: { type: 'string' },
  /** What the provider bills the message as (WhatsApp `pricing.category`). */
  pricingCategory: { type: 'string' },
} as const;

/** One message in a conversation, in time order. Sealed text; the provider id is sealed too. */
export const MessageRecord = new Entity({
  model: { entity: 'message', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    /** Set when the provider's timestamp was implausible and `sentAt` is the receive time. */
    timestampFlag: { type: ['future'] as const, readOnly: true },
    direction: { type: ['inbound', 'outbound'] as const, required: true, readOnly: true },
    type: { type: 'string', required: true, readOnly: true },
    text: { type: 'string' },
    /** Sealed JSON of what the message carries besides text (inbound.ts MessageDetails). */
    details: { type: 'string' },
    providerMessageId: { type: 'string', required: true },
    status: { type: MESSAGE_STATUSES, required: true },
    ...deliveryStatus,
    receivedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byConversation: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'conversationId'],
        template: 't#${tenantId}#conversation#${conversationId}',
        casing: 'none',
      },
      sk: {
        field: 'sk',
        composite: ['sentAt', 'messageId'],
        template: 'message#${sentAt}#${messageId}',
        casing: 'none',
      },
    },
    /** A message by its id alone: a delivery status names the message, not its conversation. */
    byMessageId: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'messageId'],
        template: 't#${tenantId}#message#${messageId}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: [], template: 'message', casing: 'none' },
    },
  },
});

/**
 * The newest delivery status of a message, kept whether or not the message is stored yet: the
 * provider may report on a message before Asistone has written it, and the message picks its
 * status up from here when it is stored.
 */
export const MessageStatusRecord = new Entity({
  model: { entity: 'messageStatus', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    status: { type: MESSAGE_STATUSES, required: true },
    ...deliveryStatus,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['messageId'], template: 'messagestatus#${messageId}', casing: 'none' },
    },
  },
});

/** The inbox's records. */
export const INBOX_RECORDS = {
  contact: ContactRecord,
  contactUser: ContactUserRecord,
  conversation: ConversationRecord,
  message: MessageRecord,
  messageStatus: MessageStatusRecord,
};

/** The inbox reads channels (tenancy) to route a message to its conversation. */
export type InboxStore = Store<typeof INBOX_RECORDS & typeof TENANCY_RECORDS>;
