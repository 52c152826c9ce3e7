import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StoreMoney, StoreOrderSummary } from '../../api/store';

/**
 * Money exactly as Shopify gave it: the decimal string goes to Intl as a string, which formats
 * it without passing through a binary float (300.90 stays 300,90), in the user's language.
 */
export function useFormatMoney() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'tr-TR';
  return (money: StoreMoney | null | undefined, currencyCode?: string | null): string => {
    if (!money) return '—';
    const currency = currencyCode ?? money.currencyCode;
    try {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2 });
      // Intl takes a decimal string as an exact value (ECMA-402 NumberFormat v3).
      return format.format(money.amount as unknown as number);
    } catch {
      return `${money.amount} ${currency}`;
    }
  };
}

/** A decimal price in the shop's currency when it is known, else the bare decimal. */
export function useFormatPrice() {
  const formatMoney = useFormatMoney();
  return (amount: string, currencyCode: string | null) =>
    currencyCode ? formatMoney({ amount, currencyCode }) : amount;
}

const FINANCIAL_COLOURS: Record<string, string> = {
  paid: 'green',
  pending: 'yellow',
  authorized: 'blue',
  partially_paid: 'yellow',
  refunded: 'gray',
  partially_refunded: 'gray',
  voided: 'red',
  expired: 'red',
};
const FULFILLMENT_COLOURS: Record<string, string> = {
  fulfilled: 'green',
  partial: 'blue',
  unfulfilled: 'gray',
  restocked: 'gray',
};

/** A Shopify state in the user's language, or Shopify's own word for one we do not name. */
export function useStatusLabel() {
  const { t, i18n } = useTranslation();
  return (group: 'financial' | 'fulfillment', status: string) => {
    const key = `store.${group}.${status}`;
    return i18n.exists(key) ? t(key as 'store.financial.paid') : status;
  };
}

/** Payment and shipping states of an order as badges (dark text for contrast on light fills). */
export function OrderBadges({
  order,
}: {
  order: Pick<StoreOrderSummary, 'financialStatus' | 'fulfillmentStatus' | 'cancelledAt'>;
}) {
  const { t } = useTranslation();
  const label = useStatusLabel();
  return (
    <Group gap={4}>
      {order.cancelledAt && (
        <Badge variant="light" color="red" c="red.9">
          {t('store.cancelled')}
        </Badge>
      )}
      {order.financialStatus && (
        <Badge variant="light" color={FINANCIAL_COLOURS[order.financialStatus] ?? 'gray'} c="gray.9">
          {label('financial', order.financialStatus)}
        </Badge>
      )}
      <Badge variant="light" color={FULFILLMENT_COLOURS[order.fulfillmentStatus] ?? 'gray'} c="gray.9">
        {label('fulfillment', order.fulfillmentStatus)}
      </Badge>
    </Group>
  );
}
