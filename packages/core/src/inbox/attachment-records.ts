import { outboundMediaKindSchema } from '@asistone/contract/inbox';
import { Entity } from 'electrodb';

/**
 * A file a team member is sending in a conversation: checked against the channel's limits when
 * the upload link was handed out (attachments.ts), then uploaded by the browser straight to S3
 * at `tenants/<tenant>/outbound/<conversation>/<attachment>`. A media reply names it; the
 * record lives a day (the table's TTL tidies it up), the object as long as the message.
 */
export const AttachmentRecord = new Entity({
  model: { entity: 'attachment', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    attachmentId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    mediaKind: { type: outboundMediaKindSchema.options, required: true, readOnly: true },
    mimeType: { type: 'string', required: true, readOnly: true },
    size: { type: 'number', required: true, readOnly: true },
    /** Sealed: a file's name may say whom it is about. */
    fileName: { type: 'string', required: true, readOnly: true },
    /** Seconds since the epoch (the table's TTL). */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['attachmentId'], template: 'attachment#${attachmentId}', casing: 'none' },
    },
  },
});

export const ATTACHMENT_RECORDS = { attachment: AttachmentRecord };
