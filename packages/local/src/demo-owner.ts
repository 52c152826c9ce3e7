import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { createBusiness } from '@asistone/core/accounts/businesses';
import { hashPassword } from '@asistone/core/accounts/passwords';
import { createAccount, findUserByEmail } from '@asistone/core/accounts/people';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { isLocalStack } from '@asistone/core/platform/config';
import type { Platform } from '@asistone/core/platform/context';
import { DEMO_CHANNELS, DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { saveConnectedChannel } from '@asistone/core/tenancy/tenants';
import { FAKE_META_DEMO } from './fakes/meta-state.js';

/**
 * The demo business's owner, so a newcomer running `npm start` signs in at once and sees the
 * demo inbox. It lives here, in the local runtime, and nowhere the stacks or functions import:
 * a known password must never exist in AWS. `.local` addresses reach nobody.
 */
export const DEMO_OWNER = {
  email: 'owner@demo.asistone.local',
  password: 'demo-owner-password',
  name: 'Demo Sahibi',
  /** Fixed, in the shape of `newId('u')`, so seeding again finds the same person. */
  userId: 'udemoownerdemoowner2',
} as const;

/**
 * Seeds the demo owner: a verified account (created as a confirmed sign-up is) that owns the
 * `demo` business. Only on the embedded local stack: with any other configuration it does
 * nothing and says so. Seeding again changes nothing (the password hash is made only once).
 */
export async function seedDemoOwner(platform: Pick<Platform, 'config' | 'storeOf' | 'keyring'>): Promise<{
  seeded: boolean;
}> {
  if (!isLocalStack(platform.config)) return { seeded: false };
  const deps = {
    store: platform.storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring: platform.keyring,
  };
  const existing = await findUserByEmail(deps, DEMO_OWNER.email);
  if (!existing) {
    const now = Date.now();
    await createAccount(deps, {
      userId: DEMO_OWNER.userId,
      name: DEMO_OWNER.name,
      email: DEMO_OWNER.email,
      passwordHash: await hashPassword(DEMO_OWNER.password),
      termsVersion: CURRENT_TERMS_VERSION,
      termsAcceptedAt: now,
      language: 'tr',
    });
  }
  // Keeps the demo business's existing owner if it has one (createBusiness keeps what is there).
  await createBusiness(deps, {
    tenantId: DEMO_TENANT.tenantId,
    name: DEMO_TENANT.name,
    ownerId: existing?.userId ?? DEMO_OWNER.userId,
  });
  return { seeded: true };
}

/** The fake Meta's tokens for the demo accounts (packages/local/src/fakes/meta-state.ts). */
const DEMO_TOKENS: Record<string, string> = {
  whatsapp: FAKE_META_DEMO.whatsappToken,
  messenger: FAKE_META_DEMO.pageToken,
  instagram: FAKE_META_DEMO.instagramToken,
};

/**
 * Gives the demo channels the fake Meta's tokens, sealed like any connected channel's, so the
 * demo inbox can reply on the local stack. Only a channel with no token yet and still connected
 * gets one: a merchant's own disconnection or reconnection is kept. Local stack only.
 */
export async function seedDemoChannelTokens(
  platform: Pick<Platform, 'config' | 'storeOf' | 'keyring'>,
): Promise<{ seeded: number }> {
  if (!isLocalStack(platform.config)) return { seeded: 0 };
  const deps = { store: platform.storeOf(TENANCY_RECORDS), keyring: platform.keyring };
  let seeded = 0;
  for (const channel of DEMO_CHANNELS) {
    const stored = await deps.store.entities.channel
      .get({ tenantId: DEMO_TENANT.tenantId, kind: channel.kind, externalId: channel.externalId })
      .go();
    if (!stored.data || stored.data.accessToken || stored.data.status === 'disconnected') continue;
    await saveConnectedChannel(deps, DEMO_TENANT.tenantId, channel, { accessToken: DEMO_TOKENS[channel.kind] });
    seeded++;
  }
  return { seeded };
}
