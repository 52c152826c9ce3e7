import * as z from 'zod';
import { CAMPAIGN_STATES, campaignCounts, PAUSE_REASONS, RECIPIENT_STATES } from './campaigns.js';

/**
 * What a campaign came to: its progress while it sends (polled), the funnel over time, the
 * failure reasons as WhatsApp gave them, its recipients page by page (numbers masked), a CSV of
 * the results, and the orders its recipients placed against those of the holdout.
 */

export const campaignProgress = z.object({
  campaignId: z.string(),
  name: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  pauseReason: z.enum(PAUSE_REASONS).nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  /** Live estimates while sending; exact from the recount at completion (`final`) on, still counting later statuses and replies. */
  counts: campaignCounts,
  final: z.boolean(),
  /** Recipients with an outcome, or never to be sent, out of the audience: 0–100. */
  percentDone: z.number(),
});
export type CampaignProgress = z.output<typeof campaignProgress>;

export const campaignTimelineBucket = z.object({
  /** The minute's start. */
  at: z.string(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  replied: z.number().int(),
  failed: z.number().int(),
});
export const campaignTimelineAnswer = z.object({ buckets: z.array(campaignTimelineBucket) });
export type CampaignTimelineBucket = z.output<typeof campaignTimelineBucket>;

export const campaignFailuresAnswer = z.object({
  failures: z.array(z.object({ code: z.number().int(), title: z.string().nullable(), count: z.number().int() })),
});
export type CampaignFailures = z.output<typeof campaignFailuresAnswer>;

export const campaignRecipientsQuery = z.object({
  state: z.enum(RECIPIENT_STATES).optional(),
  cursor: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const campaignRecipientView = z.object({
  contactId: z.string(),
  /** Masked (`+90 532 *** ** 67`). */
  phone: z.string().nullable(),
  name: z.string().nullable(),
  state: z.enum(RECIPIENT_STATES),
  failureCode: z.number().int().nullable(),
  failureTitle: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});
export const campaignRecipientsAnswer = z.object({
  recipients: z.array(campaignRecipientView),
  cursor: z.string().nullable(),
});
export type CampaignRecipientView = z.output<typeof campaignRecipientView>;
export type CampaignRecipients = z.output<typeof campaignRecipientsAnswer>;

/** The export comes in parts of at most this many recipients, each one request. */
export const EXPORT_PART_ROWS = 5000;
export const campaignExportQuery = z.object({ cursor: z.string().min(1).max(2000).optional() });
/** The header naming the next part's cursor; absent on the last part. */
export const EXPORT_CURSOR_HEADER = 'x-next-cursor';

export const attributionGroup = z.object({
  /** Recipients in the group (sent or further; the holdout). */
  n: z.number().int(),
  buyers: z.number().int(),
  orders: z.number().int(),
  /** Exact decimal strings per currency. */
  revenue: z.array(z.object({ currency: z.string(), amount: z.string() })),
  /** buyers / n, 0–1; null when n is 0. */
  conversionRate: z.number().nullable(),
});
export type AttributionGroup = z.output<typeof attributionGroup>;

export const campaignAttribution = z.object({
  /** `pending`: not computed yet (a big campaign is computed by the scheduler). */
  status: z.enum(['ready', 'pending']),
  computedAt: z.string().nullable(),
  windowStart: z.string().nullable(),
  windowEnd: z.string().nullable(),
  recipients: attributionGroup.nullable(),
  holdout: attributionGroup.nullable(),
  /** Conversion rate of the recipients minus the holdout's (absolute) and over it (relative); null without enough data. */
  lift: z.object({ absolute: z.number(), relative: z.number().nullable() }).nullable(),
  enoughData: z.boolean(),
});
export type CampaignAttribution = z.output<typeof campaignAttribution>;
