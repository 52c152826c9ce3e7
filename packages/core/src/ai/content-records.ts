import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import type { Store } from '../platform/store/service.js';

/**
 * Drafts of campaign messages and ad texts written by the model on a person's request, in the
 * business's partition (`t#<tenant>`), keyed by when they were asked for
 * (`aicontent#<requestedAt ms>#<draftId>`): the list is one Query newest first, and the retention
 * purge finds the old ones by key range. The brief and the text are sealed with the business's
 * key: a merchant may paste a customer's words into a brief, and the model may repeat them.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** How long a draft is kept: long enough for a season's campaigns to be planned and reused. */
export const CONTENT_DRAFT_RETENTION_DAYS = 90;

export const AiContentDraftRecord = new Entity({
  model: { entity: 'aiContentDraft', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** Creation time (epoch ms), also inside the draft id, so the id alone finds the item. */
    requestedAt: { type: 'number', required: true, readOnly: true },
    draftId: { type: 'string', required: true, readOnly: true },
    kind: { type: ['campaign-message', 'ad-text'] as const, required: true, readOnly: true },
    language: { type: ['tr', 'en'] as const, required: true, readOnly: true },
    /** Sealed (`aicontent`/`brief`, bound to the draft id), redacted before it was sealed or sent. */
    brief: { type: 'string', required: true, readOnly: true },
    /**
     * Sealed (`aicontent`/`text`): the model's draft, replaced by the approved text when a person
     * edits it. Absent while `writing` and when `failed`.
     */
    text: { type: 'string' },
    /** Sealed (`aicontent`/`findings`): JSON `[{ code, detail }]`; the detail quotes the text. Absent with the text. */
    findings: { type: 'string' },
    /** Codes only (`foreign-link`, …): what a list shows without opening anything. */
    checkFindings: { type: 'list', items: { type: 'string' }, required: true },
    productIds: { type: 'list', items: { type: 'string' }, required: true, readOnly: true },
    /** The length asked for: an edited text is checked against it too. */
    maxChars: { type: 'number', required: true, readOnly: true },
    /** `writing` from the request until the ai-content worker writes it (or marks it `failed`). */
    status: { type: ['writing', 'awaiting-review', 'approved', 'discarded', 'failed'] as const, required: true },
    /** Why a `failed` draft was not written (contract CONTENT_FAILURES). */
    failure: { type: 'string' },
    /**
     * Until when (epoch ms) one delivery of its queue message is writing it: a duplicate delivery
     * meanwhile leaves it alone, so the model is asked once; a writer that stopped is taken over after.
     */
    writingUntil: { type: 'number' },
    requestedBy: { type: 'string', required: true, readOnly: true },
    /** The model that wrote it, set when written. */
    model: { type: 'string' },
    reviewedBy: { type: 'string' },
    reviewedAt: { type: 'number' },
    edited: { type: 'boolean' },
  },
  indexes: {
    byRequested: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['requestedAt', 'draftId'],
        template: 'aicontent#${requestedAt}#${draftId}',
        casing: 'none',
      },
    },
  },
});

export const AI_CONTENT_RECORDS = { aiContentDraft: AiContentDraftRecord };
export type AiContentStore = Store<typeof AI_CONTENT_RECORDS>;

export const AI_CONTENT_DATA_CLASSES: DataClass[] = [
  {
    name: 'ai.content-drafts',
    description:
      'Drafts of campaign messages and ad texts written by the AI on request: the sealed brief and text, review status, who asked and who reviewed',
    personal: true,
    retention: { days: CONTENT_DRAFT_RETENTION_DAYS, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'aicontent#' }]),
    createdInSortKey: true,
  },
];
