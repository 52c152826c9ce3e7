import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import type { Store } from '../platform/store/service.js';

/**
 * A contact's export archive: the ZIP is an object under `tenants/<id>/exports/`, handed out
 * through a 10-minute link, and this record says which contact it is about, so a contact's
 * erasure removes theirs. The archive holds the contact's data in clear: it must not outlive its
 * purpose. The archives past their day are removed by the business's next export or erasure
 * (their keys carry their time), the records by the retention purge, everything with the
 * business by the tenant purge.
 */
export const ContactExportRecord = new Entity({
  model: { entity: 'contactExport', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    requestId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    /** The opaque id of the contact it is about (for their erasure). */
    contactId: { type: 'string', required: true, readOnly: true },
    /** Under the business's prefix: `exports/<requestId>.zip`. */
    objectKey: { type: 'string', required: true, readOnly: true },
    /** Seconds since the epoch (the table's TTL, clean-up only). */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#contact-exports', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['createdAt', 'requestId'],
        template: 'export#${createdAt}#${requestId}',
        casing: 'none',
      },
    },
  },
});

export const CONTACT_EXPORT_RECORDS = { contactExport: ContactExportRecord };
export type ContactExportsStore = Store<typeof CONTACT_EXPORT_RECORDS>;

/** How long an export archive is kept: a day to download it, then it goes. */
export const CONTACT_EXPORT_DAYS = 1;

/**
 * The S3 tag every archive carries, for a bucket lifecycle rule that expires them after a day
 * (the stacks' rule; locally the next export's sweep does it).
 */
export const CONTACT_EXPORT_TAGGING = 'asistone-retention=contact-export';

/** Where the archives are, under the business's prefix: `exports/<requestId>.zip`. */
export const CONTACT_EXPORTS_UNDER = 'exports/';

/** When an archive was made, from its key (`exports/pr_<ms>_<hex>.zip`), or undefined for another key. */
export function exportMadeAt(key: string): number | undefined {
  const match = /^exports\/pr_(\d{13})_[0-9a-f]+\.zip$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

export const CONTACT_EXPORT_DATA_CLASSES: DataClass[] = [
  {
    name: 'privacy.contact-exports',
    description:
      "Contacts' export archives (objects under tenants/<id>/exports/, the contact's data in clear) and their records",
    personal: true,
    retention: { days: CONTACT_EXPORT_DAYS, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#contact-exports`, skPrefix: 'export#' }]),
    createdInSortKey: true,
  },
];
