import * as z from 'zod';

/**
 * Campaign recipient lists: a CSV of customers uploaded by the merchant (phone numbers made
 * E.164 with Turkey as the default country, duplicates merged, an optional consent column
 * recorded in the consent ledger) with a report of each rejected row, or a snapshot of the
 * WhatsApp customers in the inbox picked by label, last message and consent. Members are inbox
 * contacts; lists are deleted on request and go with the account.
 */

export const MEGABYTE = 1024 * 1024;
/** The largest file a list is imported from. */
export const MAX_LIST_FILE_BYTES = 50 * MEGABYTE;
export const LIST_NAME_MAX = 80;

/** Why a row of the file was not imported; the report gives the row, the reason and the column, never the value. */
export const LIST_REJECT_REASONS = [
  'missing-phone',
  'invalid-phone',
  'not-mobile',
  'bad-consent-value',
  'too-many-columns',
  'row-too-long',
  'encoding',
  'too-many-rows',
] as const;
export type ListRejectReason = (typeof LIST_REJECT_REASONS)[number];

/** Why a whole import failed. */
export const LIST_FAILURES = ['encoding', 'too-many-columns', 'missing-columns', 'missing-file', 'empty-file'] as const;
export type ListFailure = (typeof LIST_FAILURES)[number];

export const campaignUploadBody = z.object({
  fileName: z.string().trim().min(1).max(200),
  /** CSV only; a spreadsheet is saved as "CSV UTF-8" first. */
  contentType: z.literal('text/csv', { message: 'Upload a CSV file (text/csv)' }),
  /** Bytes; above the limit the answer is 413. */
  contentLength: z.number().int().positive(),
});
export type CampaignUploadBody = z.infer<typeof campaignUploadBody>;

export const campaignUploadAnswer = z.object({
  uploadId: z.string(),
  upload: z.object({
    url: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  }),
});

const header = z.string().trim().min(1).max(100);
export const campaignListColumns = z.object({
  /** The header of the column with the phone numbers. */
  phone: header,
  name: header.optional(),
  /** evet/yes/1/true/onay/var grant; hayır/no/0/false/ret/yok withdraw; empty says nothing. */
  consent: header.optional(),
});
export type CampaignListColumns = z.infer<typeof campaignListColumns>;

const listName = z.string().trim().min(1, 'Name the list').max(LIST_NAME_MAX);

export const campaignListBody = z
  .object({
    uploadId: z.string().regex(/^cu_[0-9]{13}_[A-Za-z0-9_-]{16,32}$/, 'Unknown upload'),
    name: listName,
    columns: campaignListColumns,
    /** What the customers agreed to, as they were shown it: required with a consent column. */
    consentWording: z.string().trim().min(1).max(1000).optional(),
    /** When the consents were collected; default: now. */
    consentCollectedAt: z.iso.datetime({ offset: true }).optional(),
    /** The merchant states these consents are registered in İYS. */
    iysRegistered: z.boolean().optional(),
  })
  .refine((body) => !body.columns.consent || body.consentWording, {
    message: 'Say what the customers agreed to (the consent wording) when the file has a consent column',
    path: ['consentWording'],
  })
  .refine((body) => !body.consentCollectedAt || Date.parse(body.consentCollectedAt) <= Date.now() + 60_000, {
    message: 'Consents cannot be collected in the future',
    path: ['consentCollectedAt'],
  });
export type CampaignListBody = z.infer<typeof campaignListBody>;

export const campaignSelectionFilter = z
  .object({
    channels: z.array(z.literal('whatsapp')).min(1).max(1).optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    lastInboundAfter: z.iso.datetime({ offset: true }).optional(),
    lastInboundBefore: z.iso.datetime({ offset: true }).optional(),
    /** `granted`: only customers whose WhatsApp marketing consent stands granted. */
    consent: z.enum(['granted', 'any']).optional(),
  })
  .refine(
    (f) =>
      !f.lastInboundAfter || !f.lastInboundBefore || Date.parse(f.lastInboundAfter) < Date.parse(f.lastInboundBefore),
    { message: 'The start must be before the end', path: ['lastInboundBefore'] },
  );
export type CampaignSelectionFilter = z.infer<typeof campaignSelectionFilter>;

export const campaignSelectionBody = z.object({ name: listName, filter: campaignSelectionFilter });
export type CampaignSelectionBody = z.infer<typeof campaignSelectionBody>;

export const listCounts = z.object({
  /** Data rows read (the header excluded). */
  rows: z.number(),
  /** Contacts on the list. */
  accepted: z.number(),
  /** Rows naming a contact an earlier row already named. */
  merged: z.number(),
  rejected: z.number(),
  /** Grants not recorded because the customer had withdrawn (a STOP is never undone by a file). */
  keptWithdrawn: z.number(),
  consentGranted: z.number(),
  consentWithdrawn: z.number(),
});
export type ListCounts = z.infer<typeof listCounts>;

export const campaignListView = z.object({
  listId: z.string(),
  name: z.string(),
  source: z.enum(['upload', 'selection']),
  state: z.enum(['importing', 'ready', 'failed', 'deleting']),
  fileName: z.string().nullable(),
  counts: listCounts,
  rejectedByReason: z.record(z.string(), z.number()),
  consentWording: z.string().nullable(),
  consentCollectedAt: z.string().nullable(),
  iysRegistered: z.boolean(),
  failure: z.string().nullable(),
  /** What to do about it (a file that is not UTF-8: save it as "CSV UTF-8"). */
  hint: z.string().nullable(),
  hasReport: z.boolean(),
  createdAt: z.string(),
  importedAt: z.string().nullable(),
});
export type CampaignListView = z.infer<typeof campaignListView>;

export const campaignListsAnswer = z.object({ lists: z.array(campaignListView) });

export const campaignListMember = z.object({
  contactId: z.string(),
  /** Masked: `+90 532 *** ** 67`. */
  phone: z.string().nullable(),
  name: z.string().nullable(),
  fileConsent: z.enum(['granted', 'withdrawn', 'none']),
  row: z.number(),
});
export type CampaignListMember = z.infer<typeof campaignListMember>;

export const campaignListMembersAnswer = z.object({
  members: z.array(campaignListMember),
  cursor: z.string().nullable(),
});
export const campaignListMembersQuery = z.object({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const campaignListReportAnswer = z.object({ url: z.string(), expiresAt: z.string() });
