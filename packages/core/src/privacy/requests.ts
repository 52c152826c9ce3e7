import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * A business's request for the agreements that cover its data's transfers abroad (the
 * standard contractual clauses with each sub-processor). It holds who asked and when, and
 * the deadline the policy sets; no personal data, so nothing in it is sealed. Ops answer it
 * by mail; the deadline is what the privacy page shows and what an alarm will watch.
 */
export const TransferAgreementsRequestRecord = new Entity({
  model: { entity: 'transferAgreementsRequest', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    requestId: { type: 'string', required: true, readOnly: true },
    /** The member who asked (a user id, as the audit log keeps it). */
    requestedBy: { type: 'string', required: true, readOnly: true },
    /** Epoch milliseconds; 13 digits, so keys sort by time. */
    requestedAt: { type: 'number', required: true, readOnly: true },
    /** Epoch milliseconds: `requestedAt` + 30 days. */
    dueAt: { type: 'number', required: true, readOnly: true },
    status: { type: ['open', 'answered'] as const, required: true, default: 'open' },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#transfer-agreements', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['requestedAt', 'requestId'],
        template: 'request#${requestedAt}#${requestId}',
        casing: 'none',
      },
    },
  },
});

/** The records of the sub-processors part of the privacy area. */
export const TRANSFER_AGREEMENT_RECORDS = { transferAgreementsRequest: TransferAgreementsRequestRecord };

export type TransferAgreementsStore = Store<typeof TRANSFER_AGREEMENT_RECORDS>;

/**
 * The requests' data class: who asked and when, no personal data beyond the member's id, kept
 * as long as the logs that could be asked about them.
 */
export const TRANSFER_AGREEMENT_DATA_CLASSES: DataClass[] = [
  {
    name: 'privacy.transfer-agreement-requests',
    description: 'Requests for the data transfer agreements: who asked, when, and the deadline',
    personal: false,
    retention: { days: RETENTION_DAYS.logs, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#transfer-agreements`, skPrefix: 'request#' }]),
    createdInSortKey: true,
  },
];
