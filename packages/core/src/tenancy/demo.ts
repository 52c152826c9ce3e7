import { saveMetaApp } from './meta-app.js';
import { connectWhatsAppNumber, createTenant, type TenancyDeps } from './tenants.js';

/** The demo business `npm start` seeds, so a newcomer can post a signed webhook at once. */
export const DEMO_TENANT = {
  tenantId: 'demo',
  name: 'Demo Mağaza',
  whatsappPhoneNumberId: '100000000000001',
  whatsappLabel: 'Demo WhatsApp +90 555 000 00 00',
} as const;

/** Seeds the demo tenant on first start; later starts leave it as it is. */
export async function seedDemoTenant(
  deps: TenancyDeps,
  secrets: { appSecret: string; verifyToken: string },
): Promise<{ created: boolean }> {
  const { created } = await createTenant(deps, DEMO_TENANT.tenantId, DEMO_TENANT.name);
  if (created) {
    await saveMetaApp(deps, DEMO_TENANT.tenantId, secrets);
    await connectWhatsAppNumber(
      deps,
      DEMO_TENANT.tenantId,
      DEMO_TENANT.whatsappPhoneNumberId,
      DEMO_TENANT.whatsappLabel,
    );
  }
  return { created };
}
