import * as z from 'zod';

/**
 * Content on request (docs/ai-agent.md, "Content on request"): a person asks the model for a
 * draft of a campaign message or an ad text, the draft is checked like the agent's replies
 * (links only to the store, prices only those of the chosen products) and kept awaiting review;
 * a person approves it, possibly edited, or discards it. Campaigns and ads only ever use approved text.
 */

export const CONTENT_KINDS = ['campaign-message', 'ad-text'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
export const CONTENT_LANGUAGES = ['tr', 'en'] as const;
/**
 * `writing` while the AI writes it (asked for, queued: the answer comes within a minute),
 * `failed` when it could not be written (see {@link CONTENT_FAILURES}), otherwise a person's review.
 */
export const CONTENT_STATUSES = ['writing', 'awaiting-review', 'approved', 'discarded', 'failed'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/**
 * Why a draft could not be written, in words a merchant can act on (the model's own failure
 * codes are for the operator and stay in the logs):
 * - `model-unavailable`: the AI service did not answer in time or failed; try again later.
 * - `model-busy`: the AI service refused more requests for now (rate or credit limit).
 * - `model-misconfigured`: the AI service is not set up for this installation (key, model).
 * - `no-usable-text`: the AI answered with nothing usable (empty, cut, or declined).
 * - `product-unavailable`: a chosen product stopped being for sale before the draft was written.
 * - `not-written`: it could not be written at all (the writing kept failing, or never started).
 * A failed draft no longer counts towards the hourly bound.
 */
export const CONTENT_FAILURES = [
  'model-unavailable',
  'model-busy',
  'model-misconfigured',
  'no-usable-text',
  'product-unavailable',
  'not-written',
] as const;
export type ContentFailure = (typeof CONTENT_FAILURES)[number];

export const MAX_CONTENT_BRIEF_CHARS = 1000;
export const MAX_CONTENT_PRODUCTS = 5;
/** Bounds of a draft's length; a WhatsApp template's body holds at most 1,024 characters. */
export const CONTENT_CHARS = { min: 50, max: 2000 } as const;
/** The length asked for when the person names none, per kind. */
export const DEFAULT_CONTENT_CHARS: Record<ContentKind, number> = { 'campaign-message': 1024, 'ad-text': 500 };

/** A Shopify product id as the local copy keeps it (the digits of its GID). */
const productId = z.string().regex(/^[0-9]{1,20}$/, 'A product id is digits');

/** `POST …/ai/content-drafts` */
export const contentDraftRequestBody = z.strictObject({
  kind: z.enum(CONTENT_KINDS),
  brief: z.string().trim().min(1, 'Write what the draft is for').max(MAX_CONTENT_BRIEF_CHARS),
  language: z.enum(CONTENT_LANGUAGES),
  productIds: z
    .array(productId)
    .max(MAX_CONTENT_PRODUCTS)
    .refine((ids) => new Set(ids).size === ids.length, 'A product is chosen once')
    .default([]),
  maxChars: z.number().int().min(CONTENT_CHARS.min).max(CONTENT_CHARS.max).optional(),
});
export type ContentDraftRequest = z.output<typeof contentDraftRequestBody>;

/** `POST …/ai/content-drafts/:draftId/review`: the text, when given, is what is approved. */
export const contentReviewBody = z
  .strictObject({
    decision: z.enum(['approved', 'discarded']),
    text: z.string().trim().min(1).max(CONTENT_CHARS.max).optional(),
  })
  .refine((review) => review.decision === 'approved' || review.text === undefined, {
    message: 'Only an approval carries a text',
    path: ['text'],
  });
export type ContentReview = z.output<typeof contentReviewBody>;

/** A check the draft did not pass, and the words that failed it (a link's host, an amount). */
export const contentFindingSchema = z.object({ code: z.string(), detail: z.string() });

export const contentDraftView = z.object({
  draftId: z.string(),
  kind: z.enum(CONTENT_KINDS),
  language: z.enum(CONTENT_LANGUAGES),
  brief: z.string(),
  /** The model's draft, or once approved with an edit, the approved text; empty while `writing` and when `failed`. */
  text: z.string(),
  productIds: z.array(z.string()),
  /** Codes of the checks it did not pass (`foreign-link`, `unsupported-amount`, `too-long`, …). */
  checkFindings: z.array(z.string()),
  findings: z.array(contentFindingSchema),
  status: z.enum(CONTENT_STATUSES),
  /** Why a `failed` draft could not be written; null otherwise. */
  failure: z.enum(CONTENT_FAILURES).nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** True when the approved text is a person's edit of the model's draft. */
  edited: z.boolean(),
});
export type ContentDraftView = z.output<typeof contentDraftView>;

export const contentDraftsAnswer = z.object({ drafts: z.array(contentDraftView) });
