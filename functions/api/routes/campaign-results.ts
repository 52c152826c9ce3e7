import {
  campaignAttribution as campaignAttributionSchema,
  campaignExportQuery,
  campaignFailuresAnswer,
  campaignProgress as campaignProgressSchema,
  campaignRecipientsAnswer,
  campaignRecipientsQuery,
  campaignTimelineAnswer,
  EXPORT_CURSOR_HEADER,
} from '@asistone/contract/campaign-results';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { campaignAttribution } from '@asistone/core/campaigns/attribution';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { exportResultsPart } from '@asistone/core/campaigns/results-export';
import {
  campaignFailures,
  campaignProgress,
  campaignTimeline,
  recipientPage,
} from '@asistone/core/campaigns/results-view';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * A campaign's results: progress (polled every two seconds while it sends), the funnel over
 * time, failure reasons, recipients (numbers masked), the CSV export (audited) and the orders
 * its recipients placed against the holdout's. `campaigns.send` (owners and admins), like the
 * lists: recipients are customers, named.
 */

const deps = once(async () => {
  const { storeOf, keyring } = platform();
  return {
    store: storeOf({
      ...CAMPAIGN_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
    }),
    keyring,
  };
});

const CAMPAIGN = '/businesses/:tenantId/campaigns/:campaignId';

export const campaignResultRoutes = [
  defineRoute({
    method: 'get',
    path: `${CAMPAIGN}/progress`,
    access: 'campaigns.send',
    summary:
      'A campaign’s state and counts by recipient state (live while sending, exact once completed) and how much of the audience has an outcome',
    answers: { 200: { description: 'The progress', schema: campaignProgressSchema } },
    async handle({ c, business, params }) {
      return c.json(await campaignProgress((await deps()).store, business.tenantId, params.campaignId ?? ''));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CAMPAIGN}/timeline`,
    access: 'campaigns.send',
    summary: 'The funnel over time: per minute, how many recipients were sent, delivered, read, replied and failed',
    answers: { 200: { description: 'Minutes', schema: campaignTimelineAnswer } },
    async handle({ c, business, params }) {
      return c.json(await campaignTimeline((await deps()).store, business.tenantId, params.campaignId ?? ''));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CAMPAIGN}/failures`,
    access: 'campaigns.send',
    summary: 'Why recipients failed: WhatsApp’s error code, its title and how many',
    answers: { 200: { description: 'Failure reasons', schema: campaignFailuresAnswer } },
    async handle({ c, business, params }) {
      return c.json(await campaignFailures((await deps()).store, business.tenantId, params.campaignId ?? ''));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CAMPAIGN}/recipients`,
    access: 'campaigns.send',
    summary: 'A page of recipients, optionally of one state: the number masked, the name, each step’s time',
    query: campaignRecipientsQuery,
    answers: { 200: { description: 'A page of recipients', schema: campaignRecipientsAnswer } },
    async handle({ c, business, params, query }) {
      return c.json(await recipientPage(await deps(), business.tenantId, params.campaignId ?? '', query));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CAMPAIGN}/export`,
    access: 'campaigns.send',
    summary:
      'The results per recipient as CSV (text/csv), in parts of 5,000: the next part’s cursor is in the x-next-cursor header (audited)',
    query: campaignExportQuery,
    answers: { 200: { description: 'CSV: one part of the results' } },
    async handle({ c, business, caller, params, query, origin }) {
      const campaignId = params.campaignId ?? '';
      const part = await exportResultsPart(await deps(), business.tenantId, campaignId, query.cursor, {
        userId: caller.userId,
        sourceAddress: origin.sourceAddress,
      });
      return c.body(part.csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${campaignId}-results.csv"`,
        'cache-control': 'no-store',
        ...(part.cursor && { [EXPORT_CURSOR_HEADER]: part.cursor }),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CAMPAIGN}/attribution`,
    access: 'campaigns.send',
    summary:
      'Orders placed within the attribution window by recipients and by the holdout: buyers, orders, revenue per currency, conversion and lift (computed on request up to 2,000 recipients, else as last computed)',
    answers: { 200: { description: 'The attribution', schema: campaignAttributionSchema } },
    async handle({ c, business, params }) {
      return c.json(await campaignAttribution((await deps()).store, business.tenantId, params.campaignId ?? ''));
    },
  }),
];
