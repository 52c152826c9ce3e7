import { Entity } from 'electrodb';

/**
 * What became of a message's media: stored in the business's S3 prefix (with its key, type, size
 * and checksum) or failed (with a reason a person understands). Written once per message by the
 * media worker; a message with media and no record yet is still pending.
 */
export const MediaRecord = new Entity({
  model: { entity: 'media', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    status: { type: ['stored', 'failed'] as const, required: true },
    /** Why it failed: too-large, wrong-type, checksum, host-not-allowed, expired, ... */
    reason: { type: 'string' },
    /** The object key under the tenant's prefix (`media/<conversation>/<message>`). */
    key: { type: 'string' },
    mimeType: { type: 'string' },
    size: { type: 'number' },
    /** Hex SHA-256 of the stored bytes. */
    sha256: { type: 'string' },
    at: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['messageId'], template: 'media#${messageId}', casing: 'none' },
    },
  },
});

export const MEDIA_RECORDS = { media: MediaRecord };
