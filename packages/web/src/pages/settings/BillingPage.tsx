import { Alert, Stack } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useBilling } from '../../api/billing';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { InvoicesTable } from './billing/InvoicesTable';
import { PaidNotice } from './billing/PaidNotice';
import { PlanCard } from './billing/PlanCard';
import { PlanPicker } from './billing/PlanPicker';
import { UsageMeters } from './billing/UsageMeters';

/**
 * Settings › Billing (owner only; the settings tabs offer it to `billing.manage` alone, and the
 * API refuses anyone else, who sees the no-access state): the subscription's state and plan,
 * this month's usage against the plan's limits, the plans to subscribe or switch to (the card is
 * entered on iyzico's hosted page), cancelling or resuming, and the invoices as PDFs. iyzico
 * brings the owner back here with `?paid=1` (the page then waits for the payment's confirmation)
 * or `?card=1` after a card update.
 */
export function BillingPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const [params] = useSearchParams();
  const paid = params.get('paid') === '1';
  const cardUpdated = params.get('card') === '1';
  const [waiting, setWaiting] = useState(paid);
  const billing = useBilling(tenantId, paid && waiting);
  const giveUp = useCallback(() => setWaiting(false), []);
  return (
    <>
      <PageHeader order={2} title={t('billing.title')} description={t('billing.description')} />
      <Stack gap="lg">
        {paid && <PaidNotice state={billing.data?.subscription.state} onGiveUp={giveUp} />}
        {cardUpdated && (
          <Alert color="green" variant="light" role="status" data-testid="billing-card-updated">
            {t('billing.cardUpdated')}
          </Alert>
        )}
        <QueryState query={billing}>
          {({ subscription, usage, invoices }) => (
            <>
              <PlanCard subscription={subscription} />
              <UsageMeters usage={usage} />
              <PlanPicker subscription={subscription} />
              <InvoicesTable invoices={invoices} />
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
