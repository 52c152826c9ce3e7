import { Entity } from 'electrodb';

/**
 * On the local stage, the mails the product would have sent, sealed like any personal data
 * (they hold addresses and one-time links).
 */
export const DevMailRecord = new Entity({
  model: { entity: 'devMail', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    mailId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    kind: { type: 'string', required: true, readOnly: true },
    to: { type: 'string', required: true, readOnly: true },
    subject: { type: 'string', required: true, readOnly: true },
    text: { type: 'string', required: true, readOnly: true },
    html: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#outbox', casing: 'none' },
      sk: { field: 'sk', composite: ['sentAt', 'mailId'], template: 'mail#${sentAt}#${mailId}', casing: 'none' },
    },
  },
});
