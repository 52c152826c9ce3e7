import { SKIP_REASONS } from '@asistone/contract/campaign-audience';
import { CAMPAIGN_STATES, PAUSE_REASONS, RECIPIENT_STATES } from '@asistone/contract/campaigns';
import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * Campaigns and their recipients.
 *
 * A campaign (`t#<tenant>` / `cmp#<campaignId>`) holds what the merchant composed (name, audience,
 * template and its variable mapping, holdout, attribution window), its state and schedule, and
 * the fan-out's progress: nothing personal (names and fixed texts are the merchant's words, yet a
 * fixed text could name someone, so the template mapping is sealed).
 *
 * Its recipients live in a partition of their own (`t#<tenant>#cmp#<campaignId>` / `r#<contactId>`),
 * one item per contact, created once by the fan-out with a conditional create; each is also
 * indexed by contact (gsi2, the inbox's byContact key), so a contact's export and erasure find
 * them, and an inbox reply finds the campaign it answers. The recipient item is the truth; the
 * counters beside it (`count#<shard>`) are sharded so a thousand sends a second do not queue on
 * one item, and the timeline (`tl#<minute>`) feeds the funnel chart. Both are recounted from the
 * recipients when the campaign completes.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** The directory key of the campaigns the scheduler looks after (not a business: no tenant owns it). */
export const ACTIVE_CAMPAIGNS = 'campaigns-active';

export const CampaignRecord = new Entity({
  model: { entity: 'campaign', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    campaignId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    state: { type: CAMPAIGN_STATES, required: true },
    pauseReason: { type: PAUSE_REASONS },
    /** The WhatsApp channel it is sent from. */
    channelId: { type: 'string', required: true },
    /** Contract CampaignAudience: list ids, or an inbox filter (labels, dates: not personal). */
    audience: { type: 'any', required: true },
    /** Sealed JSON of contract CampaignTemplate (a fixed text is the merchant's, yet may name anyone). */
    template: { type: 'string' },
    /** The template's name, unsealed, to find the campaigns a paused template stops. */
    templateName: { type: 'string' },
    holdoutPercent: { type: 'number', required: true },
    attributionDays: { type: 'number', required: true },
    /** ms; set while scheduled. */
    scheduledAt: { type: 'number' },
    startedAt: { type: 'number' },
    completedAt: { type: 'number' },
    /** The fan-out's progress: `pending` until it starts, the audience cursor while it pages, `done`. */
    fanout: { type: ['pending', 'running', 'done'] as const },
    fanoutCursor: { type: 'string' },
    /** Audience pages the fan-out finished: a page's send batches are numbered from it, so a replayed page queues the same ones. */
    fanoutPage: { type: 'number' },
    /** Recipients the fan-out created (the audience size once it is done). */
    audienceCount: { type: 'number' },
    /** Exact counts by state, written when the campaign completes (the shards are live estimates until then). */
    finalCounts: { type: 'any' },
    /** Contract CampaignAttribution (counts and money per group, no one named), and when it was computed (ms). */
    attribution: { type: 'any' },
    attributionAt: { type: 'number' },
    /** The attribution was computed after its window closed: it no longer changes. */
    attributionFinal: { type: 'boolean' },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['campaignId'], template: 'cmp#${campaignId}', casing: 'none' },
    },
    /**
     * Scheduled, sending and paused campaigns of every business, and completed ones until their
     * attribution window closes, by state (sparse: a campaign leaves the index when it is a draft,
     * cancelled, or completed with its final attribution), so the scheduler reads one Query per
     * state a minute, never a Scan. Ids and states only. ElectroDB evaluates the condition only
     * on writes that set the state, so `attributionFinal` is set together with it.
     */
    active: {
      index: 'gsi1',
      condition: (campaign) =>
        campaign.state === 'scheduled' ||
        campaign.state === 'sending' ||
        campaign.state === 'paused' ||
        (campaign.state === 'completed' && campaign.attributionFinal !== true),
      pk: { field: 'gsi1pk', composite: ['state'], template: `t#${ACTIVE_CAMPAIGNS}#\${state}`, casing: 'none' },
      sk: {
        field: 'gsi1sk',
        composite: ['tenantId', 'campaignId'],
        template: '${tenantId}#${campaignId}',
        casing: 'none',
      },
    },
  },
});

export const CampaignRecipientRecord = new Entity({
  model: { entity: 'campaignRecipient', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    campaignId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    state: { type: RECIPIENT_STATES, required: true },
    skipReason: { type: SKIP_REASONS },
    /** The list the contact came from (its columns fill `column` variables). */
    listId: { type: 'string' },
    /** The send batch it is in (a lost batch is queued again by the scheduler); negative: never sent (holdout, skipped). */
    batch: { type: 'number' },
    /** The Cloud API message id, once accepted. */
    wamid: { type: 'string' },
    /** WhatsApp's error code and title when it failed (codes and titles are Meta's, not personal). */
    failureCode: { type: 'number' },
    failureTitle: { type: 'string' },
    /** ms: not to be sent before (131056, the pair limit, asks to wait for that recipient). */
    notBefore: { type: 'number' },
    attempts: { type: 'number' },
    queuedAt: { type: 'number' },
    claimedAt: { type: 'number' },
    sentAt: { type: 'number' },
    deliveredAt: { type: 'number' },
    readAt: { type: 'number' },
    repliedAt: { type: 'number' },
    failedAt: { type: 'number' },
    /** Orders the contact placed within the attribution window, as last computed (attribution.ts). */
    attributedOrders: { type: 'number' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byCampaign: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'campaignId'],
        template: 't#${tenantId}#cmp#${campaignId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['contactId'], template: 'r#${contactId}', casing: 'none' },
    },
    byContact: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'contactId'],
        template: 't#${tenantId}#contact#${contactId}',
        casing: 'none',
      },
      sk: { field: 'gsi2sk', composite: ['campaignId'], template: 'cmprcpt#${campaignId}', casing: 'none' },
    },
    /**
     * The recipients of one send batch, so the send step reads its hundred without paging the
     * campaign's whole partition (holdout and skipped recipients are filed under a negative
     * batch of their page, which is never sent).
     */
    byBatch: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'campaignId', 'batch'],
        template: 't#${tenantId}#cmp#${campaignId}#b#${batch}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['contactId'], template: 'r#${contactId}', casing: 'none' },
    },
  },
});

/** Counters are spread over this many items; a send adds to one chosen at random. */
export const COUNTER_SHARDS = 10;

/** Live counts by recipient state (attribute per state); one of {@link COUNTER_SHARDS}. */
export const CampaignCounterRecord = new Entity({
  model: { entity: 'campaignCounter', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    campaignId: { type: 'string', required: true, readOnly: true },
    shard: { type: 'number', required: true, readOnly: true },
    holdout: { type: 'number' },
    skipped: { type: 'number' },
    queued: { type: 'number' },
    sending: { type: 'number' },
    sent: { type: 'number' },
    delivered: { type: 'number' },
    read: { type: 'number' },
    replied: { type: 'number' },
    failed: { type: 'number' },
  },
  indexes: {
    byCampaign: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'campaignId'],
        template: 't#${tenantId}#cmp#${campaignId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['shard'], template: 'count#${shard}', casing: 'none' },
    },
  },
});

/**
 * The funnel over time: per minute (ms of the minute's start, zero-padded so they sort), how many
 * recipients reached each state in it.
 */
export const CampaignTimelineRecord = new Entity({
  model: { entity: 'campaignTimeline', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    campaignId: { type: 'string', required: true, readOnly: true },
    minute: { type: 'string', required: true, readOnly: true },
    sent: { type: 'number' },
    delivered: { type: 'number' },
    read: { type: 'number' },
    replied: { type: 'number' },
    failed: { type: 'number' },
  },
  indexes: {
    byCampaign: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'campaignId'],
        template: 't#${tenantId}#cmp#${campaignId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['minute'], template: 'tl#${minute}', casing: 'none' },
    },
  },
});

/** How many recipients failed with one of WhatsApp's error codes, and its title: the failure reasons. */
export const CampaignFailureRecord = new Entity({
  model: { entity: 'campaignFailure', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    campaignId: { type: 'string', required: true, readOnly: true },
    code: { type: 'number', required: true, readOnly: true },
    title: { type: 'string' },
    count: { type: 'number' },
  },
  indexes: {
    byCampaign: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'campaignId'],
        template: 't#${tenantId}#cmp#${campaignId}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['code'], template: 'fail#${code}', casing: 'none' },
    },
  },
});

/** The minute key of a time: ms of the minute's start, 15 digits, so keys sort as times. */
export const minuteOf = (ms: number) => String(Math.floor(ms / 60_000) * 60_000).padStart(15, '0');

export const CAMPAIGN_RECORDS = {
  campaign: CampaignRecord,
  campaignRecipient: CampaignRecipientRecord,
  campaignCounter: CampaignCounterRecord,
  campaignTimeline: CampaignTimelineRecord,
  campaignFailure: CampaignFailureRecord,
};
export type CampaignStore = Store<typeof CAMPAIGN_RECORDS>;

/** The partition of one campaign's recipients, counters and timeline. */
export const campaignPartition = (tenantId: string, campaignId: string) => `t#${tenantId}#cmp#${campaignId}`;
