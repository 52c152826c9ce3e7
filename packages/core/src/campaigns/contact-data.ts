import type { BusinessData, ContactData, ContactDataContext, ContactRows } from '../platform/area.js';
import { CAMPAIGN_LIST_RECORDS, type CampaignListStore } from './list-records.js';

/**
 * A contact's campaign list memberships, for the privacy engine's export and erasure: found
 * through the contact's index (gsi2, the key the inbox's conversations share), so neither reads
 * a whole list. The contact's own record, number and consent are the inbox's, erased there.
 */

const storeOf = (ctx: ContactDataContext): CampaignListStore => ctx.storeOf(CAMPAIGN_LIST_RECORDS);

async function membershipsOf(ctx: ContactDataContext) {
  const { data } = await storeOf(ctx)
    .entities.campaignListMember.query.byContact({ tenantId: ctx.tenantId, contactId: ctx.contactId })
    .go({ pages: 'all' });
  return data;
}

const listMembers: ContactData = {
  dataClass: 'campaigns.list-members',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows: Record<string, unknown>[] = [];
    for (const member of await membershipsOf(ctx)) {
      const { data: list } = await store.entities.campaignList
        .get({ tenantId: ctx.tenantId, listId: member.listId })
        .go({ attributes: ['name'] });
      let fields: string | null = null;
      if (member.fields) {
        try {
          fields = ctx.keys.open('campaignListMember', 'fields', `${member.listId}:${member.contactId}`, member.fields);
        } catch {
          fields = null;
        }
      }
      rows.push({
        listId: member.listId,
        list: list?.name ?? null,
        row: member.row,
        fileConsent: member.fileConsent,
        fields,
        addedAt: new Date(member.addedAt).toISOString(),
      });
    }
    // A contact on no list has no section (no empty file in their archive).
    const section: ContactRows = rows.length > 0 ? { 'campaign-list-memberships': rows } : {};
    return section;
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const members = await membershipsOf(ctx);
    for (let i = 0; i < members.length; i += 10) {
      await Promise.all(
        members
          .slice(i, i + 10)
          .map((member) =>
            store.entities.campaignListMember
              .delete({ tenantId: ctx.tenantId, listId: member.listId, contactId: member.contactId })
              .go(),
          ),
      );
    }
    return { items: members.length, objects: 0 };
  },
};

export const CAMPAIGN_LIST_CONTACT_DATA: readonly ContactData[] = [listMembers];

/** The business's lists themselves (names, sources, counts; no member), for the account export. */
export const CAMPAIGN_LIST_BUSINESS_DATA: readonly BusinessData[] = [
  {
    dataClass: 'campaigns.lists',
    async export(ctx) {
      const { data } = await ctx
        .storeOf(CAMPAIGN_LIST_RECORDS)
        .entities.campaignList.query.byId({ tenantId: ctx.tenantId })
        .go({ pages: 'all' });
      return {
        'campaign-lists': data.map((list) => ({
          listId: list.listId,
          name: list.name,
          source: list.source,
          state: list.state,
          ...(list.counts as Record<string, number>),
          consentWording: list.consentWording ?? null,
          createdBy: list.createdBy,
          createdAt: new Date(list.createdAt).toISOString(),
        })),
      };
    },
  },
];
