import { Entity } from 'electrodb';

/**
 * That a customer unsent a message Asistone has not stored yet: Meta does not keep order, so
 * the deletion may arrive first. The message, when it comes, is stored as deleted (its content
 * never written). Only Messenger and Instagram have unsend.
 */
export const UnsentMessageRecord = new Entity({
  model: { entity: 'unsentMessage', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    /** When the customer unsent it, ms. */
    deletedAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['messageId'], template: 'unsent#${messageId}', casing: 'none' },
    },
  },
});

/**
 * The newest Messenger watermark receipt of a conversation (read or delivered up to a time):
 * it names no message, so a message stored after it (an echo arriving late) reads it here.
 */
export const ReceiptWatermarkRecord = new Entity({
  model: { entity: 'receiptWatermark', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    /** Everything the business sent up to this time (ms) has been read / delivered. */
    readUpTo: { type: 'number' },
    readAt: { type: 'number' },
    deliveredUpTo: { type: 'number' },
    deliveredAt: { type: 'number' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['conversationId'], template: 'receipt#${conversationId}', casing: 'none' },
    },
  },
});

export const UNSENT_RECORDS = { unsentMessage: UnsentMessageRecord, receiptWatermark: ReceiptWatermarkRecord };
