import { AUDIT_ACTIONS } from '@asistone/contract/audit';
import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * One audit event in a business's log. Written once, never updated. The main index reads the
 * log by time; the two secondary indexes read it by action and by actor, so every filter is a
 * Query on one business's keys.
 */
export const AuditEventRecord = new Entity({
  model: { entity: 'auditEvent', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    eventId: { type: 'string', required: true, readOnly: true },
    /** Epoch milliseconds; 13 digits until the year 2286, so keys sort by time. */
    at: { type: 'number', required: true, readOnly: true },
    action: { type: AUDIT_ACTIONS, required: true, readOnly: true },
    /** The user who acted (for a failed sign-in: the account it was tried on). */
    actorId: { type: 'string', required: true, readOnly: true },
    targetType: { type: 'string', readOnly: true },
    targetId: { type: 'string', readOnly: true },
    /** Network part only, see `maskSourceAddress`. */
    sourceAddress: { type: 'string', readOnly: true },
    /** Small, non-personal facts: `{ role: 'agent' }`. */
    detail: { type: 'any', readOnly: true },
    /** Epoch seconds: logs are kept up to 3 years; TTL is only the clean-up. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#audit', casing: 'none' },
      sk: { field: 'sk', composite: ['at', 'eventId'], template: 'event#${at}#${eventId}', casing: 'none' },
    },
    byAction: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'action'],
        template: 't#${tenantId}#audit-action#${action}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['at', 'eventId'], template: 'event#${at}#${eventId}', casing: 'none' },
    },
    byActor: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'actorId'],
        template: 't#${tenantId}#audit-actor#${actorId}',
        casing: 'none',
      },
      sk: { field: 'gsi2sk', composite: ['at', 'eventId'], template: 'event#${at}#${eventId}', casing: 'none' },
    },
  },
});

/** The audit log's records. */
export const AUDIT_RECORDS = { auditEvent: AuditEventRecord };

export type AuditStore = Store<typeof AUDIT_RECORDS>;
