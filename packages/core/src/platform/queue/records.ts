import { Entity } from 'electrodb';

/** How a queue message was finished for good. */
export const SETTLEMENTS = ['succeeded', 'dead-lettered'] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

/**
 * A queue message finished for good, so a redelivery of it (a lost acknowledgement, a batch that
 * ran out of time) is acknowledged instead of handled, or dead-lettered, a second time. Keyed by
 * queue and SQS message id, which stays the same across receives; a replay from the dead-letter
 * queue is a new message and is tried again. Written once (conditional create): the first
 * settlement stands. No personal data: names and ids only.
 */
export const SettledMessageRecord = new Entity({
  model: { entity: 'settledMessage', version: '1', service: 'asistone' },
  attributes: {
    /** The message's tenant, or the queues' own space for a message that names none. */
    tenantId: { type: 'string', required: true, readOnly: true },
    queue: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    outcome: { type: SETTLEMENTS, required: true, readOnly: true },
    settledAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    /**
     * Epoch seconds, for TTL clean-up only: kept well past the queue's retention (4 days), after
     * which SQS can no longer deliver the message.
     */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byMessage: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'queue', 'messageId'],
        template: 't#${tenantId}#settled#${queue}#${messageId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'settled', casing: 'none' },
    },
  },
});

/** The records the queue workers keep. */
export const SETTLED_MESSAGE_RECORDS = { settledMessage: SettledMessageRecord };
