import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';

/** A customer the business talks to. Personal fields are sealed; lookups use blind indexes. */
export const ContactRecord = new Entity({
  model: { entity: 'contact', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    /** Blind index of the E.164 phone number. */
    phoneIndex: { type: 'string' },
    phone: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['contactId'], template: 'contact#${contactId}', casing: 'none' },
    },
    byPhone: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'phoneIndex'],
        template: 't#${tenantId}#phone#${phoneIndex}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: [], template: 'contact', casing: 'none' },
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

/** One message in a conversation, in time order. Sealed text; the provider id is sealed too. */
export const MessageRecord = new Entity({
  model: { entity: 'message', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    direction: { type: ['inbound', 'outbound'] as const, required: true, readOnly: true },
    type: { type: 'string', required: true, readOnly: true },
    text: { type: 'string' },
    providerMessageId: { type: 'string', required: true },
    status: { type: ['received', 'sent', 'delivered', 'read', 'failed'] as const, required: true },
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
  },
});

/** The inbox's records. */
export const INBOX_RECORDS = { contact: ContactRecord, conversation: ConversationRecord, message: MessageRecord };

/** The inbox reads channels (tenancy) to route a message to its conversation. */
export type InboxStore = Store<typeof INBOX_RECORDS & typeof TENANCY_RECORDS>;
