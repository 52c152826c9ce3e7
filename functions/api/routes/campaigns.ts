import {
  campaignCreateBody,
  campaignPreviewAnswer,
  campaignPreviewBody,
  campaignSendBody,
  campaignsAnswer,
  campaignTemplatesAnswer,
  campaignTemplatesQuery,
  campaignUpdateBody,
  campaignView,
} from '@asistone/contract/campaigns';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import {
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  pauseCampaign,
  resumeCampaign,
  type StartDeps,
  sendCampaign,
  unscheduleCampaign,
  updateCampaign,
} from '@asistone/core/campaigns/campaigns';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { previewCampaign } from '@asistone/core/campaigns/preview';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { campaignTemplates } from '@asistone/core/campaigns/templates';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * Composing and steering WhatsApp campaigns: drafts (name, number, audience, an approved
 * MARKETING template with its variables, holdout, attribution window), the templates a number
 * may send, a preview of what the first recipients would read, and send now, schedule,
 * unschedule, pause, resume, cancel. Owners and admins (`campaigns.send`), as the lists and the
 * audience check: what a campaign says goes to every customer who opted in. Every change of
 * state is audited. The AI draft of a message is the AI content drafts' (`ai/content-drafts`,
 * kind `campaign-message`).
 */

const deps = once(async (): Promise<StartDeps> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...CAMPAIGN_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...BILLING_ACCOUNT_RECORDS,
      ...USAGE_RECORDS,
    }),
    keyring,
    producer,
  };
});

const CAMPAIGNS = '/businesses/:tenantId/campaigns';
const CAMPAIGN = `${CAMPAIGNS}/:campaignId`;

const actorOf = (caller: { userId: string }, origin: { sourceAddress?: string | undefined }) => ({
  userId: caller.userId,
  sourceAddress: origin.sourceAddress,
});

/** The steering actions: each answers the campaign as it is after the change, or 409 with its state. */
const steering = [
  {
    action: 'unschedule',
    run: unscheduleCampaign,
    summary: 'Takes a scheduled campaign back to a draft, to change it (audited; 409 unless scheduled)',
  },
  {
    action: 'pause',
    run: pauseCampaign,
    summary: 'Pauses a sending campaign; what was sent stays sent (audited; 409 unless sending)',
  },
  {
    action: 'resume',
    run: resumeCampaign,
    summary:
      'Resumes a paused campaign where it stopped; a pause WhatsApp caused (paused template, policy block, locked account, refused access) stands until its cause is gone (audited; 409 with the reason)',
  },
  {
    action: 'cancel',
    run: cancelCampaign,
    summary:
      'Cancels a draft, scheduled, sending or paused campaign for good: recipients not yet sent are never sent (audited)',
  },
] as const;

export const campaignRoutes = [
  defineRoute({
    method: 'get',
    path: CAMPAIGNS,
    access: 'campaigns.send',
    summary: "The business's campaigns, newest first, with their state and counts",
    answers: { 200: { description: 'Campaigns', schema: campaignsAnswer } },
    async handle({ c, business }) {
      return c.json({ campaigns: await listCampaigns(await deps(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: CAMPAIGNS,
    access: 'campaigns.send',
    summary:
      'Creates a campaign draft: the number must be the business’s, the lists its own, the template (when chosen) approved MARKETING with one value per variable (audited)',
    body: campaignCreateBody,
    answers: { 201: { description: 'The draft', schema: campaignView } },
    async handle({ c, business, caller, origin, body }) {
      return c.json(await createCampaign(await deps(), business.tenantId, actorOf(caller, origin), body), 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/campaign-templates',
    access: 'campaigns.send',
    summary:
      "The templates a campaign may send from a WhatsApp number: its account's synced templates that are APPROVED and MARKETING, with the body and its variable count",
    query: campaignTemplatesQuery,
    answers: { 200: { description: 'Templates', schema: campaignTemplatesAnswer } },
    async handle({ c, business, query }) {
      return c.json(await campaignTemplates((await deps()).store, business.tenantId, query.channelId));
    },
  }),
  defineRoute({
    method: 'get',
    path: CAMPAIGN,
    access: 'campaigns.send',
    summary: 'A campaign: what was composed (the template mapping opened), its state, schedule and counts',
    answers: { 200: { description: 'The campaign', schema: campaignView } },
    async handle({ c, business, params }) {
      return c.json(await getCampaign(await deps(), business.tenantId, params.campaignId ?? ''));
    },
  }),
  defineRoute({
    method: 'patch',
    path: CAMPAIGN,
    access: 'campaigns.send',
    summary: 'Changes a draft (the fields given; checked as when created); 409 once scheduled or sent (audited)',
    body: campaignUpdateBody,
    answers: { 200: { description: 'The draft as changed', schema: campaignView } },
    async handle({ c, business, caller, origin, params, body }) {
      return c.json(
        await updateCampaign(await deps(), business.tenantId, params.campaignId ?? '', actorOf(caller, origin), body),
      );
    },
  }),
  defineRoute({
    method: 'delete',
    path: CAMPAIGN,
    access: 'campaigns.send',
    summary: 'Deletes a draft; 409 once scheduled or sent (cancel it instead) (audited)',
    answers: { 204: { description: 'Deleted' } },
    async handle({ c, business, caller, origin, params }) {
      await deleteCampaign(await deps(), business.tenantId, params.campaignId ?? '', actorOf(caller, origin));
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CAMPAIGN}/preview`,
    access: 'campaigns.send',
    summary:
      'What the first eligible recipients would read (up to 10): the number masked, the name, the body with their values, or the variable left empty (nothing written)',
    body: campaignPreviewBody,
    answers: { 200: { description: 'The preview', schema: campaignPreviewAnswer } },
    async handle({ c, business, params, body }) {
      return c.json(await previewCampaign(await deps(), business.tenantId, params.campaignId ?? '', body.count));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CAMPAIGN}/send`,
    access: 'campaigns.send',
    summary:
      'Sends a draft or scheduled campaign now (`at` null: it starts sending) or schedules it (`at`: a time within 30 days); the template is checked again (audited)',
    body: campaignSendBody,
    answers: { 200: { description: 'The campaign, sending or scheduled', schema: campaignView } },
    async handle({ c, business, caller, origin, params, body }) {
      return c.json(
        await sendCampaign(await deps(), business.tenantId, params.campaignId ?? '', actorOf(caller, origin), body.at),
      );
    },
  }),
  ...steering.map(({ action, run, summary }) =>
    defineRoute({
      method: 'post',
      path: `${CAMPAIGN}/${action}`,
      access: 'campaigns.send',
      summary,
      answers: { 200: { description: 'The campaign after the change', schema: campaignView } },
      async handle({ c, business, caller, origin, params }) {
        return c.json(await run(await deps(), business.tenantId, params.campaignId ?? '', actorOf(caller, origin)));
      },
    }),
  ),
];
