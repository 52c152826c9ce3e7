import * as z from 'zod';
import { campaignAudience } from './campaign-audience.js';

/**
 * A WhatsApp campaign: an approved MARKETING template sent to an audience (lists or an inbox
 * selection), with the template's variables mapped per recipient, now or at a chosen time, and
 * its results per recipient. Ids name nothing personal; a campaign's name is the merchant's.
 */

export const campaignId = z.string().regex(/^cmp_[A-Za-z0-9_-]{16,40}$/, 'Not a campaign id');

/**
 * - `draft`: being composed; nothing is sent.
 * - `scheduled`: waits for `scheduledAt`; the scheduler starts it.
 * - `sending`: the fan-out creates recipients and queues batches; the send step sends them.
 * - `paused`: by the merchant, or by the product (a policy block, a paused template); resumes
 *   where it stopped.
 * - `completed`: every recipient has an outcome or was not sent; results keep arriving (reads,
 *   replies, orders).
 * - `cancelled`: stopped for good; recipients not yet sent are never sent.
 */
export const CAMPAIGN_STATES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Why a campaign is paused: the merchant, or what the product saw from WhatsApp. */
export const PAUSE_REASONS = ['merchant', 'policy-block', 'account-locked', 'template-paused', 'auth'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/**
 * A recipient's road: `holdout` (kept back on purpose, never sent), `skipped` (not eligible when
 * the campaign went out: the audience check's reasons), `queued` → `sending` (claimed by the send
 * step; never claimed again) → `sent` → `delivered` → `read` → `replied`, or `failed` with
 * WhatsApp's code and title. A send whose outcome is unknown (a crash or timeout after the claim)
 * stays `sending` until a status webhook settles it.
 */
export const RECIPIENT_STATES = [
  'holdout',
  'skipped',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** Contact fields a template variable can take. */
export const CONTACT_FIELDS = ['firstName', 'name'] as const;

/** What fills one of the template's body variables ({{1}}, {{2}}…). */
export const variableSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('contact'), field: z.enum(CONTACT_FIELDS), fallback: z.string().trim().max(60) }),
  /** A column of the uploaded file, by its header (the member's stored fields). */
  z.object({
    source: z.literal('column'),
    column: z.string().trim().min(1).max(100),
    fallback: z.string().trim().max(60),
  }),
  z.object({ source: z.literal('fixed'), text: z.string().trim().min(1).max(1000) }),
]);
export type VariableSource = z.output<typeof variableSource>;

export const campaignTemplate = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  /** One per body variable, in order. */
  variables: z.array(variableSource).max(20),
});
export type CampaignTemplate = z.output<typeof campaignTemplate>;

/** What the merchant composes; every field may change while the campaign is a draft. */
export const campaignDraft = z.object({
  name: z.string().trim().min(1).max(80),
  /** The WhatsApp channel (business number) it is sent from. */
  channelId: z.string().min(1).max(64),
  audience: campaignAudience,
  template: campaignTemplate.nullable(),
  /** Percent of the eligible audience kept back at random, to measure what the campaign changed. */
  holdoutPercent: z.number().int().min(0).max(50),
  /** Orders within this many days after the send count for the campaign (and for the holdout). */
  attributionDays: z.number().int().min(1).max(30),
});
export type CampaignDraft = z.output<typeof campaignDraft>;

/** Counts by recipient state, and the failures by WhatsApp's code. */
export const campaignCounts = z.object({
  audience: z.number().int(),
  holdout: z.number().int(),
  skipped: z.number().int(),
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  replied: z.number().int(),
  failed: z.number().int(),
});
export type CampaignCounts = z.output<typeof campaignCounts>;

export const campaignSummary = z.object({
  campaignId,
  name: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  pauseReason: z.enum(PAUSE_REASONS).nullable(),
  templateName: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  counts: campaignCounts,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignSummary = z.output<typeof campaignSummary>;

/** `POST /campaigns`: a new draft; the template may be chosen later. */
export const campaignCreateBody = campaignDraft.strict();
export type CampaignCreateBody = z.input<typeof campaignCreateBody>;

/** `PATCH /campaigns/:campaignId`: the fields that change (drafts only). */
export const campaignUpdateBody = campaignDraft
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change');
export type CampaignUpdateBody = z.input<typeof campaignUpdateBody>;

/** A campaign as the editor and the results page read it: its summary and what was composed. */
export const campaignView = campaignSummary.extend({
  channelId: z.string(),
  audience: campaignAudience,
  template: campaignTemplate.nullable(),
  holdoutPercent: z.number().int(),
  attributionDays: z.number().int(),
});
export type CampaignView = z.output<typeof campaignView>;

export const campaignsAnswer = z.object({ campaigns: z.array(campaignSummary) });
export type CampaignsAnswer = z.output<typeof campaignsAnswer>;

/** `POST /campaigns/:campaignId/send`: `at` null sends now; a time schedules it (at most 30 days ahead). */
export const campaignSendBody = z.strictObject({ at: z.iso.datetime({ offset: true }).nullable() });
export type CampaignSendBody = z.input<typeof campaignSendBody>;

/** How far ahead a campaign may be scheduled. */
export const MAX_SCHEDULE_DAYS = 30;

/** `GET /campaign-templates?channelId=`: the number whose WhatsApp account's templates to list. */
export const campaignTemplatesQuery = z.object({ channelId: z.string().min(1).max(64) });

/** A template a campaign may send: synced, APPROVED, MARKETING, of the number's WhatsApp account. */
export const campaignTemplateOption = z.object({
  name: z.string(),
  language: z.string(),
  category: z.string(),
  /** The body text with its `{{n}}` placeholders. */
  body: z.string(),
  /** How many body variables the mapping must fill. */
  variables: z.number().int(),
});
export type CampaignTemplateOption = z.output<typeof campaignTemplateOption>;

export const campaignTemplatesAnswer = z.object({
  templates: z.array(campaignTemplateOption),
  /** When the templates were last synced from WhatsApp; null when never. */
  syncedAt: z.string().nullable(),
});
export type CampaignTemplatesAnswer = z.output<typeof campaignTemplatesAnswer>;

/** The most recipients one preview renders. */
export const MAX_PREVIEW_RECIPIENTS = 10;

export const campaignPreviewBody = z.strictObject({
  count: z.number().int().min(1).max(MAX_PREVIEW_RECIPIENTS).default(5),
});
export type CampaignPreviewBody = z.input<typeof campaignPreviewBody>;

/** One eligible recipient as the campaign would reach them: the number masked, the text rendered. */
export const campaignPreviewRecipient = z.object({
  contactId: z.string(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  /** The message body as they would read it; null when a variable has no value and no fallback. */
  text: z.string().nullable(),
  /** The variable (1-based) left empty, when `text` is null. */
  emptyVariable: z.number().int().nullable(),
});
export type CampaignPreviewRecipient = z.output<typeof campaignPreviewRecipient>;

export const campaignPreviewAnswer = z.object({
  recipients: z.array(campaignPreviewRecipient),
  /** The template's body the texts are rendered from. */
  body: z.string(),
});
export type CampaignPreviewAnswer = z.output<typeof campaignPreviewAnswer>;
