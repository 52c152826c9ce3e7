import type { Platform } from '@asistone/core/platform/context';
import { seedSmsAccount } from '@asistone/core/sms/account';
import { SMS_RECORDS } from '@asistone/core/sms/records';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { DEMO_NETGSM_ACCOUNT } from './fakes/netgsm.js';

/**
 * The demo business's NetGSM account on the fake NetGSM (local stack only), so order notices can
 * go out by SMS from the first `npm start`. Written once: what the merchant saves later stays.
 */
export async function seedDemoSms(platform: Pick<Platform, 'storeOf' | 'keyring'>): Promise<void> {
  const store = platform.storeOf(SMS_RECORDS);
  const tenantId = DEMO_TENANT.tenantId;
  if ((await store.entities.smsAccount.get({ tenantId }).go()).data) return;
  await seedSmsAccount({ store, keyring: platform.keyring }, tenantId, {
    usercode: DEMO_NETGSM_ACCOUNT.usercode,
    password: DEMO_NETGSM_ACCOUNT.password,
    msgheader: 'ASISTONE',
  });
}
