import type { ListCounts } from '@asistone/contract/campaign-lists';
import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * Campaign recipient lists. A list (`t#<tenant>` / `cmplist#<listId>`) holds the merchant's name
 * for it, where it came from, its import's progress and counts: nothing personal. Its members
 * live in a partition of their own (`t#<tenant>#cmplist#<listId>` / `m#<contactId>`), so a list
 * is read and deleted page by page without touching the business's other items, and each member
 * is also indexed by contact (gsi2 `t#<tenant>#contact#<contactId>`, the inbox's byContact key),
 * so a contact's export and erasure find every list they are on. A member names an inbox contact:
 * the number, name and consent are the inbox's, sealed there.
 */

export const LIST_SOURCES = ['upload', 'selection'] as const;
/** `deleting`: being deleted on request (members first, then the list). */
export const LIST_STATES = ['importing', 'ready', 'failed', 'deleting'] as const;
export const FILE_CONSENTS = ['granted', 'withdrawn', 'none'] as const;

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const CampaignListRecord = new Entity({
  model: { entity: 'campaignList', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    listId: { type: 'string', required: true, readOnly: true },
    /** The merchant's own words for the list ("Yaz indirimi müşterileri"): not personal. */
    name: { type: 'string', required: true },
    source: { type: LIST_SOURCES, required: true, readOnly: true },
    state: { type: LIST_STATES, required: true },
    /** The uploaded file, under the business's prefix, until its import ends. */
    uploadKey: { type: 'string' },
    /** The file's own name is the merchant's, yet may name a customer ("ayse-yilmaz.csv"): sealed. */
    fileName: { type: 'string' },
    /** Which header holds what (contract CampaignListColumns). */
    columns: { type: 'any' },
    /** The text the customers agreed to, as the merchant states it (the ledger's wording for grants). */
    consentWording: { type: 'string' },
    /** When the file's consents were collected, ms; absent: the upload's time stands for it. */
    consentCollectedAt: { type: 'number' },
    /** The merchant states these consents are registered in İYS (the ledger entry carries it). */
    iysRegistered: { type: 'boolean' },
    /** A selection's filter (contract CampaignSelectionFilter). */
    filter: { type: 'any' },
    counts: { type: 'any', required: true },
    /** Rejected rows by reason. */
    rejectedByReason: { type: 'any', required: true },
    /**
     * Where an interrupted import resumes: the byte after the last record handled, the row number
     * of the next record, the file's delimiter and the header's column positions.
     */
    checkpoint: { type: 'any' },
    reportKey: { type: 'string' },
    /** Why the import failed: `encoding`, `too-many-columns`, `missing-columns`, `missing-file`, `too-many-rows`. */
    failure: { type: 'string' },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    importedAt: { type: 'number' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['listId'], template: 'cmplist#${listId}', casing: 'none' },
    },
  },
});

export const CampaignListMemberRecord = new Entity({
  model: { entity: 'campaignListMember', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    listId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    /** The first row of the file naming this contact (0: from a selection); a rerun finds its own rows by it. */
    row: { type: 'number', required: true, readOnly: true },
    /** The last row of the file applied to this member (a rerun skips rows up to it). */
    lastRow: { type: 'number' },
    /** Rows after the first that changed what the file says of consent (a rerun counts them again). */
    consentRows: { type: 'list', items: { type: 'number' } },
    /** Sealed JSON of the file's other columns on that row, for template variables later. */
    fields: { type: 'string' },
    /** What the file said of marketing consent; a withdrawal on any row for the contact wins. */
    fileConsent: { type: FILE_CONSENTS, required: true },
    addedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byList: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'listId'],
        template: 't#${tenantId}#cmplist#${listId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['contactId'], template: 'm#${contactId}', casing: 'none' },
    },
    byContact: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'contactId'],
        template: 't#${tenantId}#contact#${contactId}',
        casing: 'none',
      },
      sk: { field: 'gsi2sk', composite: ['listId'], template: 'cmplistm#${listId}', casing: 'none' },
    },
  },
});

/**
 * A file announced for upload, until a list is made of it (or a day passes): its name, sealed
 * (it may name a customer), and its declared size. The upload id begins with its creation time
 * (`cu_<ms>_…`), so its key sorts by age and the retention purge finds old ones by Query.
 */
export const CampaignUploadRecord = new Entity({
  model: { entity: 'campaignUpload', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    uploadId: { type: 'string', required: true, readOnly: true },
    fileName: { type: 'string', required: true, readOnly: true },
    contentLength: { type: 'number', required: true, readOnly: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    /** DynamoDB TTL, s: an upload never made into a list is dropped after a day. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['uploadId'], template: 'cmpupload#${uploadId}', casing: 'none' },
    },
  },
});

/** Where an uploaded file waits for its import, under the business's prefix. */
export const uploadKeyOf = (uploadId: string) => `campaign-uploads/${uploadId}.csv`;
/** Where a list's report of rejected rows is kept. */
export const reportKeyOf = (listId: string) => `campaign-lists/${listId}/rejected.csv`;

export const EMPTY_COUNTS: ListCounts = {
  rows: 0,
  accepted: 0,
  merged: 0,
  rejected: 0,
  keptWithdrawn: 0,
  consentGranted: 0,
  consentWithdrawn: 0,
};

export const CAMPAIGN_LIST_RECORDS = {
  campaignUpload: CampaignUploadRecord,
  campaignList: CampaignListRecord,
  campaignListMember: CampaignListMemberRecord,
};
export type CampaignListStore = Store<typeof CAMPAIGN_LIST_RECORDS>;
