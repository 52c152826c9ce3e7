import {
  audiencePreviewAnswer,
  audiencePreviewBody,
  campaignSettings,
  campaignSettingsAnswer,
} from '@asistone/contract/campaign-audience';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { previewAudience } from '@asistone/core/campaigns/audience';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { campaignSettingsOf, saveCampaignSettings } from '@asistone/core/campaigns/settings';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * Campaign settings and the audience check. Both are `campaigns.send` (owners and admins): the
 * settings decide how often customers may be messaged and what the business is told a send
 * costs; the check reads who has consented, which is the sender's question.
 */

const deps = once(async () => {
  const { storeOf, keyring } = platform();
  return {
    store: storeOf({
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
    }),
    keyring,
  };
});

const SETTINGS = '/businesses/:tenantId/campaign-settings';

export const campaignAudienceRoutes = [
  defineRoute({
    method: 'get',
    path: SETTINGS,
    access: 'campaigns.send',
    summary: 'Campaign frequency cap, marketing price per message and İYS mode (defaults until saved)',
    answers: { 200: { description: 'The settings', schema: campaignSettingsAnswer } },
    async handle({ c, business }) {
      return c.json(await campaignSettingsOf((await deps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'put',
    path: SETTINGS,
    access: 'campaigns.send',
    summary: 'Saves the campaign settings, whole (audited)',
    body: campaignSettings,
    answers: { 200: { description: 'The settings as saved', schema: campaignSettingsAnswer } },
    async handle({ c, business, caller, origin, body }) {
      return c.json(
        await saveCampaignSettings(
          (await deps()).store,
          business.tenantId,
          { userId: caller.userId, sourceAddress: origin.sourceAddress },
          body,
        ),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/campaign-audience/preview',
    access: 'campaigns.send',
    summary:
      'Who a campaign to these lists or inbox customers would reach now, why each of the others would not, and the estimated cost (nothing written; up to 20,000 customers, else 409)',
    body: audiencePreviewBody,
    answers: { 200: { description: 'The counts', schema: audiencePreviewAnswer } },
    async handle({ c, business, body }) {
      return c.json(await previewAudience(await deps(), business.tenantId, body.audience));
    },
  }),
];
