import { Alert, Group, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillingState } from '../../../api/billing';

/** How long the page waits for the payment's confirmation before saying it takes longer. */
export const CONFIRMING_FOR_MS = 60_000;

/**
 * Back from iyzico's page (`?paid=1`): the payment is confirmed server-side a moment later, so
 * the page says it is waiting, then that the subscription is active (or that it takes longer).
 */
export function PaidNotice({ state, onGiveUp }: { state: BillingState | undefined; onGiveUp: () => void }) {
  const { t } = useTranslation();
  const [slow, setSlow] = useState(false);
  const active = state === 'active';
  useEffect(() => {
    if (active) return;
    const timer = setTimeout(() => {
      setSlow(true);
      onGiveUp();
    }, CONFIRMING_FOR_MS);
    return () => clearTimeout(timer);
  }, [active, onGiveUp]);

  if (active) {
    return (
      <Alert color="green" variant="light" role="status" data-testid="billing-paid">
        {t('billing.paid.done')}
      </Alert>
    );
  }
  return (
    <Alert color={slow ? 'orange' : 'blue'} variant="light" role="status" data-testid="billing-paid">
      <Group gap="sm" wrap="nowrap">
        {!slow && <Loader size="xs" aria-hidden />}
        <span>{slow ? t('billing.paid.slow') : t('billing.paid.confirming')}</span>
      </Group>
    </Alert>
  );
}
