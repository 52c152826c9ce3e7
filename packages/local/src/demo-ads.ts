import { keepAdAccount } from '@asistone/core/ads/accounts';
import { ADS_SYNC_QUEUE } from '@asistone/core/ads/queue';
import { ADS_RECORDS } from '@asistone/core/ads/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { isLocalStack } from '@asistone/core/platform/config';
import type { Platform } from '@asistone/core/platform/context';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { DEMO_OWNER } from './demo-owner.js';
import { FAKE_META_DEMO } from './fakes/meta-state.js';

const SIXTY_DAYS_MS = 60 * 86_400_000;

/**
 * The demo business's Meta ad account on the local stack, connected as an ads login would
 * connect it: the fake Meta's demo account (three campaigns, three months of figures) with its
 * read-only token, and its first sync queued, so the Ads page fills within a minute of the first
 * `npm start`. Once per data folder: a disconnect the merchant makes stays.
 */
export async function seedDemoAds(
  platform: Pick<Platform, 'config' | 'storeOf' | 'keyring' | 'producer'>,
): Promise<{ seeded: boolean }> {
  if (!isLocalStack(platform.config)) return { seeded: false };
  const store = platform.storeOf({ ...ADS_RECORDS, ...AUDIT_RECORDS });
  const tenantId = DEMO_TENANT.tenantId;
  const accountId = FAKE_META_DEMO.adAccountId;
  if ((await store.entities.adAccount.get({ tenantId, accountId }).go()).data) return { seeded: false };
  const now = Date.now();
  await keepAdAccount(
    {
      store,
      keyring: platform.keyring,
      queueSync: async () => {
        await platform.producer.send(ADS_SYNC_QUEUE, { tenantId, accountId });
      },
    },
    { userId: DEMO_OWNER.userId },
    tenantId,
    {
      account: { accountId, name: 'Demo Mağaza Reklamları', currency: 'TRY', timezone: 'Europe/Istanbul', status: 1 },
      token: FAKE_META_DEMO.adsToken,
      tokenExpiresAt: now + SIXTY_DAYS_MS,
    },
    now,
  );
  return { seeded: true };
}
