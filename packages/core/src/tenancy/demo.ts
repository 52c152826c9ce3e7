import { type ChannelConnection, connectChannel, createTenant, type TenancyDeps } from './tenants.js';

/**
 * The demo business `npm start` seeds, so a newcomer can post a signed webhook at once: one
 * WhatsApp number (with its WABA), one Instagram account and one Facebook Page, with ids in
 * Meta's formats that no real account has.
 */
export const DEMO_TENANT = {
  tenantId: 'demo',
  name: 'Demo Mağaza',
  whatsappPhoneNumberId: '100000000000001',
  whatsappBusinessAccountId: '100000000000002',
  instagramAccountId: '17841400000000003',
  facebookPageId: '100000000000004',
  whatsappLabel: 'Demo WhatsApp +90 555 000 00 00',
} as const;

export const DEMO_CHANNELS: readonly ChannelConnection[] = [
  {
    kind: 'whatsapp',
    externalId: DEMO_TENANT.whatsappPhoneNumberId,
    accountId: DEMO_TENANT.whatsappBusinessAccountId,
    label: DEMO_TENANT.whatsappLabel,
  },
  { kind: 'instagram', externalId: DEMO_TENANT.instagramAccountId, label: 'Demo Instagram @demomagaza' },
  { kind: 'messenger', externalId: DEMO_TENANT.facebookPageId, label: 'Demo Facebook sayfası' },
];

/**
 * Seeds the demo tenant on first start. Its channels are seeded on every start, keeping what is
 * stored: a data folder from before the channel directory gets its routing keys.
 */
export async function seedDemoTenant(deps: TenancyDeps): Promise<{ created: boolean }> {
  const { created } = await createTenant(deps, DEMO_TENANT.tenantId, DEMO_TENANT.name);
  for (const channel of DEMO_CHANNELS) await connectChannel(deps, DEMO_TENANT.tenantId, channel);
  return { created };
}
