import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { readBillingConfig, sellerOf } from '@asistone/core/billing/config';
import { BILLING_RECORDS } from '@asistone/core/billing/deps';
import { iyzicoClient } from '@asistone/core/billing/iyzico-client';
import { billingAccountOf } from '@asistone/core/billing/records';
import { completeHostedForm, startCheckout } from '@asistone/core/billing/subscriptions';
import { mailQueue } from '@asistone/core/notify/outbound';
import { isLocalStack } from '@asistone/core/platform/config';
import type { Platform } from '@asistone/core/platform/context';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { DEMO_OWNER } from './demo-owner.js';
import { FAKE_IYZICO_CARDS } from './fakes/iyzico-state.js';

/**
 * The demo business subscribes to the growth plan at the fake iyzico on the first start, as its
 * owner would: the hosted form is started, filled with the fake's test card and sent back, so
 * the billing page shows an active subscription with its first paid invoice. Once per data
 * folder: a business with a subscription is left as it is.
 */
export async function seedDemoBilling(
  platform: Pick<Platform, 'config' | 'storeOf' | 'keyring' | 'producer'>,
  env: Record<string, string | undefined> = process.env,
): Promise<{ seeded: boolean }> {
  const config = readBillingConfig(env);
  if (!isLocalStack(platform.config) || !config.IYZICO_API_KEY || !config.IYZICO_SECRET_KEY) return { seeded: false };
  const store = platform.storeOf({ ...BILLING_RECORDS, ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS });
  const tenantId = DEMO_TENANT.tenantId;
  if (await billingAccountOf(store, tenantId)) return { seeded: false };
  const deps = {
    store,
    keyring: platform.keyring,
    iyzico: iyzicoClient({
      baseUrl: config.IYZICO_BASE_URL,
      apiKey: config.IYZICO_API_KEY,
      secretKey: config.IYZICO_SECRET_KEY,
    }),
    mails: mailQueue(platform.producer),
    // Seeding comes before the gateway publishes its URL: iyzico's return is not used here.
    appUrl: env.APP_URL ?? `http://localhost:${env.PORT ?? 3000}`,
    seller: sellerOf(config),
  };
  const form = await startCheckout(deps, { userId: DEMO_OWNER.userId }, tenantId, 'growth');
  // The hosted page is served by the fake itself (the gateway only forwards to it).
  const page = new URL(new URL(form.paymentPageUrl).pathname, `${config.IYZICO_BASE_URL}/`);
  const paid = await fetch(page, {
    method: 'POST',
    body: new URLSearchParams({
      cardHolderName: 'Demo Sahibi',
      cardNumber: FAKE_IYZICO_CARDS.succeeds,
      expireDate: '12/30',
      cvc: '123',
    }),
  });
  if (!paid.ok) throw new Error(`the fake iyzico refused the demo card (${paid.status})`);
  // What the owner's browser does next: iyzico's return, here without the browser.
  await completeHostedForm(deps, form.token);
  return { seeded: true };
}
