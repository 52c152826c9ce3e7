import * as z from 'zod';
import type { ScheduleDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * The three steps that send a campaign, each its own function: the scheduler starts what is due,
 * the fan-out turns the audience into recipients and send batches, the send step sends a batch
 * at the number's pace. Messages carry ids only: who the recipients are is read from the table.
 */

const campaignRef = {
  tenantId: z.string().min(1),
  campaignId: z.string().regex(/^cmp_[A-Za-z0-9_-]{16,40}$/),
};

export const CampaignFanoutMessage = z.object(campaignRef);
export type CampaignFanoutMessage = z.infer<typeof CampaignFanoutMessage>;

export const CampaignSendMessage = z.object({ ...campaignRef, batch: z.number().int().min(0) });
export type CampaignSendMessage = z.infer<typeof CampaignSendMessage>;

export const CAMPAIGN_FANOUT_QUEUE = {
  name: 'campaign-fanout',
  description: 'Campaigns to fan out: their audience paged into recipients and send batches',
  message: CampaignFanoutMessage,
  visibilityTimeoutSeconds: 1800,
  batchSize: 1,
  maxReceiveCount: 5,
  consumer: {
    description:
      'Pages a campaign audience, checks each contact may receive it, draws the holdout, creates one recipient per contact and queues send batches',
    handler: 'functions/workers/campaign-fanout.handler',
    // Works a few minutes, checkpoints on the campaign, and continues in a new message.
    timeoutSeconds: 300,
    memoryMb: 1024,
    access: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['campaign-fanout', 'campaign-send'],
    },
  },
} as const satisfies QueueDeclaration;

export const CAMPAIGN_SEND_QUEUE = {
  name: 'campaign-send',
  description: 'Campaign send batches: up to a hundred recipients each, sent at the number’s pace',
  message: CampaignSendMessage,
  visibilityTimeoutSeconds: 720,
  batchSize: 1,
  maxReceiveCount: 10,
  consumer: {
    description:
      'Sends a batch of campaign messages at the number’s pace: claims each recipient once, rechecks consent, sends the template, records the outcome',
    handler: 'functions/workers/campaign-send.handler',
    timeoutSeconds: 120,
    access: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['campaign-send'],
    },
    settings: { metaGraph: true },
  },
} as const satisfies QueueDeclaration;

export const CAMPAIGN_SCHEDULER_SCHEDULE = {
  name: 'campaign-scheduler',
  description:
    'Each minute: starts campaigns that are due, queues again send batches that were lost, completes and recounts finished campaigns',
  handler: 'functions/schedules/campaign-scheduler.handler',
  cron: '* * * * *',
  timeoutSeconds: 55,
  // Reads and moves campaigns, reads their recipients, counts and queues; attributing orders
  // reads the recipients' contacts in batches and their Shopify customers and orders.
  access: {
    table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query'],
    sends: ['campaign-fanout', 'campaign-send'],
  },
  alarm: {
    metric: 'CampaignPaused',
    logMessage: 'campaign paused by the provider',
    description:
      'WhatsApp blocked sending (a policy block, a locked account, a paused template): a campaign was paused',
    runbook: 'docs/runbooks/campaign-paused.md',
  },
} as const satisfies ScheduleDeclaration;
