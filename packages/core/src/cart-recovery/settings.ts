import {
  type CartRecoverySettings,
  type CartRecoverySettingsAnswer,
  cartRecoverySettings,
} from '@asistone/contract/cart-recovery';
import { ValidationError } from '../platform/errors.js';
import type { CartRecoveryStore } from './records.js';

/**
 * A business's cart-recovery settings. Off until the business turns it on: a store that was just
 * connected has not said what its customers should get. The default sequence is there so turning
 * it on is one click: an email an hour after the cart was abandoned, then an SMS a day later;
 * the business may change every word, add a WhatsApp step, and set the quiet hours.
 */
export const DEFAULT_CART_SETTINGS: CartRecoverySettings = {
  enabled: false,
  delayMinutes: 60,
  steps: [
    {
      afterMinutes: 0,
      channel: 'email',
      wording: {
        tr: {
          subject: '{{shop}}: sepetiniz sizi bekliyor',
          text: 'Merhaba {{customer}}, sepetinizde {{items}} kaldı (toplam {{total}}). Alışverişinizi buradan tamamlayabilirsiniz: {{link}} {{shop}}',
        },
        en: {
          subject: '{{shop}}: your cart is waiting',
          text: 'Hello {{customer}}, you left {{items}} in your cart (total {{total}}). Finish your order here: {{link}} {{shop}}',
        },
      },
      whatsappTemplate: null,
    },
    {
      afterMinutes: 24 * 60,
      channel: 'sms',
      wording: {
        tr: {
          subject: '{{shop}}: sepetiniz',
          text: '{{shop}}: sepetinizdeki {{items}} hâlâ sizi bekliyor: {{link}}',
        },
        en: {
          subject: '{{shop}}: your cart',
          text: '{{shop}}: {{items}} are still in your cart: {{link}}',
        },
      },
      whatsappTemplate: null,
    },
  ],
  quietHours: { from: '21:00', to: '09:00' },
  holdoutPercent: 0,
  expireAfterDays: 7,
  shippingLocationId: null,
};

/** The settings checked as a whole, with the fields at fault named for the form. */
export function checkedCartSettings(input: unknown): CartRecoverySettings {
  const parsed = cartRecoverySettings.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The cart recovery settings are not valid',
      parsed.error.issues.map((issue) => issue.path.join('.')),
    );
  }
  return parsed.data;
}

/** The stored settings, or the defaults; a stored item that no longer parses reads as the defaults (off). */
export async function cartSettingsOf(store: CartRecoveryStore, tenantId: string): Promise<CartRecoverySettingsAnswer> {
  const { data } = await store.entities.cartRecoverySettings.get({ tenantId }).go({ consistent: true });
  const parsed = data ? cartRecoverySettings.safeParse(data.settings) : undefined;
  if (!data || !parsed?.success) return { settings: DEFAULT_CART_SETTINGS, updatedAt: null };
  return { settings: parsed.data, updatedAt: new Date(data.updatedAt).toISOString() };
}

/** Saves them whole (the API checked the shape; checked again here for other callers). */
export async function saveCartSettings(
  store: CartRecoveryStore,
  tenantId: string,
  userId: string,
  input: unknown,
): Promise<CartRecoverySettingsAnswer> {
  const settings = checkedCartSettings(input);
  await store.entities.cartRecoverySettings.put({ tenantId, settings, updatedBy: userId }).go();
  return cartSettingsOf(store, tenantId);
}
