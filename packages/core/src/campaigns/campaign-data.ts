import {
  atLocations,
  type BusinessData,
  type ContactData,
  type ContactDataContext,
  type ContactRows,
  type DataClass,
} from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { CAMPAIGN_RECORDS, type CampaignStore } from './campaign-records.js';

/**
 * What the campaigns area keeps about campaigns and who received them. A campaign (what the
 * merchant composed, its state and counts) is the business's; a recipient item says a customer
 * was sent marketing, and what became of it, so it is the customer's: in their export and gone
 * with their erasure. Both stay while the business lives and go with the account, as the lists
 * do (the published policy deletes marketing data on request or with the account).
 */

/** One partition per campaign, found from the campaigns (`t#<id>` / `cmp#…`). */
function perCampaign(skPrefixes: readonly string[]): DataClass['partitions'] {
  return async function* (reader, tenantId) {
    for await (const { sk } of reader.keys({ partition: `t#${tenantId}`, skPrefix: 'cmp#' })) {
      const partition = `t#${tenantId}#cmp#${sk.slice('cmp#'.length)}`;
      for (const skPrefix of skPrefixes) yield { partition, skPrefix };
    }
  };
}

export const CAMPAIGN_DATA_CLASSES: DataClass[] = [
  {
    name: 'campaigns.campaigns',
    description:
      "Campaigns: the merchant's name, number, audience (list ids or an inbox filter), template and its variable mapping (sealed), holdout, attribution window, state and schedule",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cmp#' }]),
  },
  {
    name: 'campaigns.recipients',
    description:
      "Who each campaign went to: the inbox contact, held out or skipped and why, the send's state and times, WhatsApp's message id and failure code",
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: perCampaign(['r#']),
  },
  {
    name: 'campaigns.results',
    description:
      "Each campaign's counts by recipient state, its funnel per minute and its failures by WhatsApp's code: numbers only",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: perCampaign(['count#', 'tl#', 'fail#']),
  },
];

const storeOf = (ctx: { storeOf: ContactDataContext['storeOf'] }): CampaignStore => ctx.storeOf(CAMPAIGN_RECORDS);
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

async function recipientsOf(ctx: ContactDataContext) {
  const { data } = await storeOf(ctx)
    .entities.campaignRecipient.query.byContact({ tenantId: ctx.tenantId, contactId: ctx.contactId })
    .go({ pages: 'all' });
  return data;
}

const recipients: ContactData = {
  dataClass: 'campaigns.recipients',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows: Record<string, unknown>[] = [];
    for (const recipient of await recipientsOf(ctx)) {
      const { data: campaign } = await store.entities.campaign
        .get({ tenantId: ctx.tenantId, campaignId: recipient.campaignId })
        .go({ attributes: ['name'] });
      rows.push({
        campaignId: recipient.campaignId,
        campaign: campaign?.name ?? null,
        state: recipient.state,
        skipReason: recipient.skipReason ?? null,
        queuedAt: iso(recipient.queuedAt),
        sentAt: iso(recipient.sentAt),
        deliveredAt: iso(recipient.deliveredAt),
        readAt: iso(recipient.readAt),
        repliedAt: iso(recipient.repliedAt),
        failedAt: iso(recipient.failedAt),
        failureCode: recipient.failureCode ?? null,
        failureTitle: recipient.failureTitle ?? null,
      });
    }
    // A contact no campaign went to has no section.
    const section: ContactRows = rows.length > 0 ? { 'campaign-recipients': rows } : {};
    return section;
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const found = await recipientsOf(ctx);
    for (let i = 0; i < found.length; i += 10) {
      await Promise.all(
        found
          .slice(i, i + 10)
          .map((recipient) =>
            store.entities.campaignRecipient
              .delete({ tenantId: ctx.tenantId, campaignId: recipient.campaignId, contactId: recipient.contactId })
              .go(),
          ),
      );
    }
    return { items: found.length, objects: 0 };
  },
};

export const CAMPAIGN_CONTACT_DATA: readonly ContactData[] = [recipients];

/** The business's campaigns (what was composed, states, counts; no recipient), for the account export. */
export const CAMPAIGN_BUSINESS_DATA: readonly BusinessData[] = [
  {
    dataClass: 'campaigns.campaigns',
    async export(ctx) {
      const { data } = await storeOf(ctx).entities.campaign.query.byId({ tenantId: ctx.tenantId }).go({ pages: 'all' });
      return {
        campaigns: data.map((campaign) => ({
          campaignId: campaign.campaignId,
          name: campaign.name,
          state: campaign.state,
          pauseReason: campaign.pauseReason ?? null,
          channelId: campaign.channelId,
          audience: JSON.stringify(campaign.audience),
          templateName: campaign.templateName ?? null,
          holdoutPercent: campaign.holdoutPercent,
          attributionDays: campaign.attributionDays,
          scheduledAt: iso(campaign.scheduledAt),
          startedAt: iso(campaign.startedAt),
          completedAt: iso(campaign.completedAt),
          ...((campaign.finalCounts as Record<string, number> | undefined) ?? {}),
          createdBy: campaign.createdBy,
          createdAt: new Date(campaign.createdAt).toISOString(),
        })),
      };
    },
  },
];
