import type { CampaignAudience } from '@asistone/contract/campaign-audience';
import { openOrUndefined, type TenantKeys } from '../platform/crypto/keyring.js';
import type { CampaignListStore } from './list-records.js';

/** Each contact's columns from the first chosen list that has them (the list the fan-out counts them with). */
export async function listColumnsOf(
  store: CampaignListStore,
  keys: TenantKeys,
  tenantId: string,
  audience: CampaignAudience,
  contactIds: readonly string[],
) {
  const columns = new Map<string, Record<string, string>>();
  if (audience.kind !== 'lists' || contactIds.length === 0) return columns;
  let left = [...contactIds];
  for (const listId of audience.listIds) {
    if (left.length === 0) break;
    const { data } = await store.entities.campaignListMember
      .get(left.map((contactId) => ({ tenantId, listId, contactId })))
      .go({ attributes: ['contactId', 'fields'] });
    for (const member of data) {
      const opened = openOrUndefined(
        keys,
        'campaignListMember',
        'fields',
        `${listId}:${member.contactId}`,
        member.fields,
      );
      let fields: Record<string, string> = {};
      try {
        fields = opened ? (JSON.parse(opened) as Record<string, string>) : {};
      } catch {
        fields = {};
      }
      columns.set(member.contactId, fields);
    }
    left = left.filter((contactId) => !columns.has(contactId));
  }
  return columns;
}
