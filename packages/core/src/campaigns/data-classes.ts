import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/**
 * What the campaigns area keeps about recipient lists. Lists and their members stay while the
 * business lives and are deleted on request (a list's deletion, a contact's erasure) or with the
 * account; the uploaded file only as long as its import (a day at most), the report of rejected
 * rows (row numbers, reasons and column names, never a value) with its list.
 */

/** An uploaded list file kept a day at most (its import deletes it as soon as it ends). */
export const UPLOAD_DAYS = 1;

export const CAMPAIGN_LIST_DATA_CLASSES: DataClass[] = [
  {
    name: 'campaigns.lists',
    description:
      "Campaign recipient lists: the merchant's name for each, its source, import progress and counts, the consent wording",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cmplist#' }]),
  },
  {
    name: 'campaigns.list-members',
    description:
      "Who is on each campaign list: the inbox contact, the file's row and its other columns (sealed), what the file said of consent",
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    // One partition per list, found from the lists.
    async *partitions(reader, tenantId) {
      for await (const { sk } of reader.keys({ partition: `t#${tenantId}`, skPrefix: 'cmplist#' })) {
        yield { partition: `t#${tenantId}#cmplist#${sk.slice('cmplist#'.length)}`, skPrefix: 'm#' };
      }
    },
  },
  {
    name: 'campaigns.uploads',
    description:
      'Uploaded customer list files (objects under tenants/<id>/campaign-uploads/) and their announcements with the sealed file name',
    personal: true,
    retention: { days: UPLOAD_DAYS, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cmpupload#cu_' }]),
    createdInSortKey: true,
  },
  {
    name: 'campaigns.reports',
    description:
      "Each list import's report of rejected rows (objects under tenants/<id>/campaign-lists/): row number, reason and column only",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    // Objects only: removed with their list and with the business's prefix.
    partitions: atLocations(() => []),
  },
];
