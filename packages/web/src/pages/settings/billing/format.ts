import { useTranslation } from 'react-i18next';
import type { Plan } from '../../../api/billing';

const localeOf = (language: string) => (language === 'en' ? 'en-GB' : 'tr-TR');

/** How billing says its numbers, dates and prices in the user's language. */
export function useBillingFormat() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const numbers = new Intl.NumberFormat(locale);
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Istanbul' });
  const months = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return {
    /** `10.000` / `10,000`. */
    number: (value: number) => numbers.format(value),
    /** `1 Aralık 2026` / `1 December 2026` (the business's days are Istanbul's). */
    date: (value: number | undefined) => (value === undefined ? '—' : days.format(value)),
    /** `2026-12` → `Aralık 2026` / `December 2026`. */
    month: (value: string) => {
      const [year, month] = value.split('-').map(Number);
      return year && month ? months.format(Date.UTC(year, month - 1, 1)) : value;
    },
    /** The price exactly as the contract writes it: `1499.00 TRY / ay`. */
    price: (plan: Plan) => t('billing.price', { amount: plan.monthlyPrice, currency: plan.currency }),
  };
}
