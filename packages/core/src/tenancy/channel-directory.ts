import type { TenancyStore } from './records.js';

export type ChannelKind = 'whatsapp' | 'instagram' | 'messenger';

/**
 * Which business owns a provider id: one Meta app delivers for every business, and a delivery
 * names only Meta's ids (phone number id, WABA id, Page id, Instagram account id). Owners found
 * are kept in memory for a minute, since every change of every delivery asks; ids nobody owns
 * are asked again each time, so a channel connected a moment ago routes at once.
 *
 * @example
 * const directory = channelDirectory(store);
 * const owners = await directory.ownersOf('whatsapp', phoneNumberId);
 */
export function channelDirectory(store: TenancyStore, cacheMs = 60_000) {
  const cache = new Map<string, { owners: string[]; expiresAt: number }>();
  async function cached(key: string, load: () => Promise<string[]>): Promise<string[]> {
    const hit = cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.owners;
    const owners = [...new Set(await load())].sort();
    if (owners.length > 0) cache.set(key, { owners, expiresAt: Date.now() + cacheMs });
    return owners;
  }
  return {
    /** The businesses with this channel connected: one, or none; more means a stale record. */
    ownersOf(kind: ChannelKind, externalId: string): Promise<string[]> {
      return cached(`channel:${kind}:${externalId}`, async () => {
        const found = await store.entities.channel.query
          .byProviderId({ kind, externalId })
          .go({ attributes: ['tenantId'], pages: 'all' });
        return found.data.map((channel) => channel.tenantId);
      });
    },
    /** The businesses with a channel under this provider account (a WhatsApp Business Account). */
    ownersOfAccount(kind: 'whatsapp', accountId: string): Promise<string[]> {
      return cached(`account:${kind}:${accountId}`, async () => {
        const found = await store.entities.providerAccount.query
          .byAccount({ kind, accountId })
          .go({ attributes: ['tenantId'], pages: 'all' });
        return found.data.map((account) => account.tenantId);
      });
    },
  };
}

export type ChannelDirectory = ReturnType<typeof channelDirectory>;
