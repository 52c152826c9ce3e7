import * as z from 'zod';
import type { FunctionSettings } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * The ads sync's moving parts, each its own function: the hourly `ads-sync` schedule visits every
 * connected ad account (and reminds owners of tokens about to lapse), and queues one message per
 * account; the `ads-sync` worker pulls that account's insights a step at a time and queues itself
 * again, a few seconds later, while its history is still coming (Meta's report runs take a while).
 * Messages carry ids only.
 */

export const AdsSyncMessage = z.object({
  tenantId: z.string().min(1).max(64),
  accountId: z.string().regex(/^[0-9]{1,20}$/),
});
export type AdsSyncMessage = z.infer<typeof AdsSyncMessage>;

export const ADS_SYNC_QUEUE = {
  name: 'ads-sync',
  description: 'Meta ad accounts whose insights are due to be pulled',
  message: AdsSyncMessage,
  // Six times the consumer's timeout; a run's hold on the account lapses after two minutes (sync.ts).
  visibilityTimeoutSeconds: 540,
  batchSize: 1,
  maxReceiveCount: 5,
  consumer: {
    description: "Pulls one ad account's insights from Meta's Marketing API (history through report runs, then daily)",
    handler: 'functions/workers/ads-sync.handler',
    timeoutSeconds: 90,
    // Reads and writes the account and its insight rows; opens the sealed token; queues its next step.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
      tenantKeys: ['Decrypt'],
      sends: ['ads-sync'],
    },
    settings: { metaGraph: true } satisfies FunctionSettings,
  },
} as const satisfies QueueDeclaration;

export const ADS_SYNC_SCHEDULE = {
  name: 'ads-sync',
  description:
    'Hourly: queues every connected Meta ad account for its sync, and reminds owners of tokens about to lapse',
  handler: 'functions/schedules/ads-sync.handler',
  cron: '23 * * * *',
  timeoutSeconds: 120,
  // Lists the accounts (gsi2), reads owners to remind, marks the reminder sent, queues syncs and mails.
  access: { table: ['GetItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'], sends: ['ads-sync', 'mail'] },
  settings: { appUrl: true } satisfies FunctionSettings,
} as const satisfies ScheduleDeclaration;

/** A person asked for recommendations on an account and range: ids and dates only. */
export const AdsRecommendationRequest = z.object({
  tenantId: z.string().min(1).max(64),
  accountId: z.string().regex(/^[0-9]{1,20}$/),
  level: z.enum(['account', 'campaign', 'adset', 'ad']).default('campaign'),
  from: z.iso.date(),
  to: z.iso.date(),
  requestedBy: z.string().min(1).max(64),
  /** When it was asked (ms): the answer is kept under it, so a redelivery writes the same item. */
  createdAt: z.number().int().positive(),
});
export type AdsRecommendationRequest = z.infer<typeof AdsRecommendationRequest>;

/**
 * The recommendations' inference step, off the API as the AI agent's is: the API answers at once
 * and holds no model key; the worker reads the figures, asks the model and keeps the checked answer.
 */
export const ADS_RECOMMENDATIONS_QUEUE = {
  name: 'ads-recommendations',
  description: 'Requests for AI recommendations on an ad account’s figures',
  message: AdsRecommendationRequest,
  visibilityTimeoutSeconds: 360,
  batchSize: 1,
  maxReceiveCount: 3,
  consumer: {
    description:
      'Reads an ad account’s figures, asks the AI model for recommendations citing them, and keeps those it can check',
    handler: 'functions/workers/ads-recommendations.handler',
    timeoutSeconds: 60,
    // Reads the account, its insight rows, the referrals and the referred contacts' orders
    // (GetItem, Query; opens the contacts' phone to match Shopify customers), writes the answer.
    access: { table: ['GetItem', 'Query', 'PutItem'], tenantKeys: ['Decrypt'] },
    settings: { secrets: ['OPENAI_API_KEY'], modelEndpoint: true } satisfies FunctionSettings,
  },
} as const satisfies QueueDeclaration;
