import { failureReasonSchema } from '@asistone/contract/inbox';
import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { ATTACHMENT_RECORDS } from './attachment-records.js';
import { CONSENT_RECORDS } from './consent-records.js';
import { MEDIA_RECORDS } from './media-records.js';
import { REFERRAL_RECORDS } from './referral-records.js';
import { TEMPLATE_STATUS_RECORDS } from './template-status.js';
import { UNSENT_RECORDS } from './unsent-records.js';

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
    /** Sealed handle (Instagram username), when the provider gives one. */
    handle: { type: 'string' },
    name: { type: 'string' },
    /** Sealed email, entered by the team (contacts.ts correctContact). */
    email: { type: 'string' },
    /** Kept, but left out of AI replies, campaigns and recovery messages (contacts.ts isContactRestricted). */
    restricted: { type: 'boolean' },
    /** When the restriction was set, ms; absent when not restricted. */
    restrictedAt: { type: 'number' },
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

/** Channels a conversation can be on; 'sandbox' is the simulator channel (no provider). */
export const CHANNEL_KINDS = ['whatsapp', 'instagram', 'messenger', 'sandbox'] as const;

/** Every conversation status ever stored; 'closed' is legacy and read as 'resolved'. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;

/** One thread between the business and a contact on one channel. */
export const ConversationRecord = new Entity({
  model: { entity: 'conversation', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    channelKind: { type: CHANNEL_KINDS, required: true, readOnly: true },
    channelId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    /**
     * open, pending (waiting on the customer or someone else) or resolved. 'closed' was written
     * before statuses had three values: it is still readable and shown as resolved
     * (conversations.ts statusOf); nothing writes it any more.
     */
    status: { type: CONVERSATION_STATUSES, required: true, default: 'open' },
    /** The team member (account id) who answers this conversation; none when unassigned. */
    assigneeId: { type: 'string' },
    /** Short tags the team puts on a conversation (not personal; shown and filtered as they are). */
    labels: { type: 'list', items: { type: 'string' } },
    /** Customer messages not yet read by the team: +1 per new inbound message, 0 when read. */
    unreadCount: { type: 'number', required: true, default: 0 },
    /** Time of the newest message the business sent, ms. */
    lastOutboundAt: { type: 'number' },
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
    /**
     * A contact's conversations (one per channel), for the contact's page, export and erasure.
     * Only ids in the keys, none of which change after the conversation is created, so every
     * write (the upserts that create it, the patches that move it) keeps them. Conversations
     * written before this index have no entry: contact-data.ts finds those by their derived id.
     */
    byContact: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'contactId'],
        template: 't#${tenantId}#contact#${contactId}',
        casing: 'none',
      },
      sk: {
        field: 'gsi2sk',
        composite: ['conversationId'],
        template: 'conversation#${conversationId}',
        casing: 'none',
      },
    },
  },
});

/** 'queued' is an outbound message stored and waiting for the outbound worker (outbound.ts). */
const DELIVERY_STATUSES = ['received', 'sent', 'delivered', 'read', 'failed'] as const;
const MESSAGE_STATUSES = ['queued', ...DELIVERY_STATUSES] as const;

/** What the provider last reported about a message's delivery (see inbox/statuses.ts). */
const deliveryStatus = {
  /** When the provider says the status happened, ms. */
  statusAt: { type: 'number' },
  /** Time and rank of the status as one comparable string: only a later one replaces it. */
  statusOrder: { type: 'string' },
  /** The provider's error code and title when delivery failed (no personal data). */
  errorCode: { type: 'number' },
  errorTitle: { type: 'string' },
  /**
   * Why it failed, in words a person understands (the contract's reasons): the sender's own
   * reason, or the one the channel classified a failed status's code as (channels/meta
   * graph-errors.ts). Records older than this field have none and read as 'invalid'.
   */
  failureReason: { type: failureReasonSchema.options },
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
    /** Sealed provider id; an outbound message has none until the provider accepted it. */
    providerMessageId: { type: 'string' },
    status: { type: MESSAGE_STATUSES, required: true },
    ...deliveryStatus,
    receivedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    /** Outbound: the team member (account id) who wrote it. */
    authorId: { type: 'string' },
    /** Outbound: the id the app chose for the request, so a retried POST stores it once. */
    clientId: { type: 'string' },
    /** Outbound: the worker holds the send until then, so two deliveries never both send it. */
    sendingUntil: { type: 'number' },
    /** Outbound: send attempts so far. */
    attempts: { type: 'number' },
    /** The customer deleted (unsent) it: the fact is kept, the content is not shown. */
    deletedAt: { type: 'number' },
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
    status: { type: DELIVERY_STATUSES, required: true },
    ...deliveryStatus,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['messageId'], template: 'messagestatus#${messageId}', casing: 'none' },
    },
  },
});

/** A private note the team keeps on a conversation; the customer never sees it. Text sealed. */
export const NoteRecord = new Entity({
  model: { entity: 'note', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    noteId: { type: 'string', required: true, readOnly: true },
    authorId: { type: 'string', required: true, readOnly: true },
    text: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byConversation: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'conversationId'],
        template: 't#${tenantId}#notes#${conversationId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['createdAt', 'noteId'], template: 'note#${createdAt}#${noteId}', casing: 'none' },
    },
  },
});

/**
 * A handoff: a conversation that needs someone's follow-up, opened by a person (or, later, by
 * the AI agent), with its own status and assignee. The title is sealed (it may quote the customer).
 */
export const TicketRecord = new Entity({
  model: { entity: 'ticket', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    ticketId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    title: { type: 'string', required: true },
    status: { type: ['open', 'pending', 'closed'] as const, required: true, default: 'open' },
    assigneeId: { type: 'string' },
    openedByKind: { type: ['person', 'ai'] as const, required: true, readOnly: true },
    openedById: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['ticketId'], template: 'ticket#${ticketId}', casing: 'none' },
    },
    /** A business's tickets, newest first. */
    byRecency: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'], template: 't#${tenantId}#tickets', casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['createdAt', 'ticketId'], casing: 'none' },
    },
  },
});

/** A WhatsApp message template as last synced from the business's WABA (not personal). */
export const TemplateRecord = new Entity({
  model: { entity: 'template', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    wabaId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true, readOnly: true },
    language: { type: 'string', required: true, readOnly: true },
    status: { type: 'string', required: true },
    category: { type: 'string', required: true },
    /** How many {{n}} placeholders the body has: a send must fill each. */
    variableCount: { type: 'number', required: true },
    /** The components as Meta returned them, JSON (shown in the template picker). */
    components: { type: 'string' },
    syncedAt: { type: 'number', required: true },
    /**
     * Set when a webhook changed the status, category or quality after the sync, ms: only a
     * later webhook replaces it (template-status.ts applyTemplateChange).
     */
    statusAt: { type: 'number' },
    categoryAt: { type: 'number' },
    /** GREEN, YELLOW, RED or UNKNOWN, from Meta's quality webhook (the template list has none). */
    qualityScore: { type: 'string' },
    qualityAt: { type: 'number' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['wabaId', 'name', 'language'],
        template: 'template#${wabaId}#${name}#${language}',
        casing: 'none',
      },
    },
  },
});

/**
 * The send pace of one business number or page: the earliest time the next send may start.
 * Workers reserve a slot with a conditional write (send-pace.ts paceSend), so sends through one
 * number stay under its rate however many workers run.
 */
export const SendPaceRecord = new Entity({
  model: { entity: 'sendPace', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    channelKey: { type: 'string', required: true, readOnly: true },
    nextAt: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['channelKey'], template: 'sendpace#${channelKey}', casing: 'none' },
    },
  },
});

/**
 * A reply the app asked for, by the id the app chose (`clientId`): a retried POST finds the
 * message stored the first time instead of storing (and sending) it twice.
 */
export const ReplyRequestRecord = new Entity({
  model: { entity: 'replyRequest', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** The outbound message's id, derived from the conversation and the client id. */
    messageId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['messageId'], template: 'replyrequest#${messageId}', casing: 'none' },
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
  note: NoteRecord,
  ticket: TicketRecord,
  template: TemplateRecord,
  sendPace: SendPaceRecord,
  replyRequest: ReplyRequestRecord,
  // Media copies, files being sent, and unsent messages (media-records.ts, attachment-records.ts, unsent-records.ts).
  ...MEDIA_RECORDS,
  ...ATTACHMENT_RECORDS,
  ...UNSENT_RECORDS,
  ...CONSENT_RECORDS, // the consent ledger (consent-records.ts)
  ...REFERRAL_RECORDS, // conversations that came from an ad (referral-records.ts)
  // What template webhooks said, kept for templates not synced yet (template-status.ts).
  ...TEMPLATE_STATUS_RECORDS,
};

/** The inbox reads channels (tenancy) to route a message to its conversation. */
export type InboxStore = Store<typeof INBOX_RECORDS & typeof TENANCY_RECORDS>;
