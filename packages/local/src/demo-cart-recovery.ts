import { CART_RECOVERY_RECORDS } from '@asistone/core/cart-recovery/records';
import { cartSettingsOf, DEFAULT_CART_SETTINGS, saveCartSettings } from '@asistone/core/cart-recovery/settings';
import type { Platform } from '@asistone/core/platform/context';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';

/**
 * The demo business's cart reminders, on (local stack only): the default sequence (an email,
 * then an SMS a day later) without quiet hours, so a checkout abandoned from the fake store
 * (`POST /dev/shopify/checkouts`) gets its email on the next detection run at any hour. Written
 * once: what the merchant saves later stays.
 */
export async function seedDemoCartRecovery(platform: Pick<Platform, 'storeOf'>): Promise<void> {
  const store = platform.storeOf(CART_RECOVERY_RECORDS);
  const tenantId = DEMO_TENANT.tenantId;
  if ((await cartSettingsOf(store, tenantId)).updatedAt) return;
  await saveCartSettings(store, tenantId, 'demo-seed', { ...DEFAULT_CART_SETTINGS, enabled: true, quietHours: null });
}
