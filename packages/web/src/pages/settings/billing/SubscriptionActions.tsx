import { Button, Group, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import { type Subscription, useCancelSubscription, useResumeSubscription } from '../../../api/billing';
import { useDescribeError } from '../../../components/errors';
import { notify } from '../../../components/notify';
import { useBusiness } from '../../../shell/BusinessContext';
import { useBillingFormat } from './format';
import { usePaymentPage } from './paymentPage';

/**
 * What the owner can do with the subscription: pay (read-only), update the card (a subscription
 * with a card: on iyzico's page), cancel at the period's end or take that back (both confirmed).
 * Subscribing and changing plans are the plan picker's.
 */
export function SubscriptionActions({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const format = useBillingFormat();
  const describe = useDescribeError();
  const payment = usePaymentPage(tenantId);
  const cancel = useCancelSubscription(tenantId);
  const resume = useResumeSubscription(tenantId);
  const { state, planId, cancelAtPeriodEnd } = subscription;
  const running = state === 'active' || state === 'grace';
  const date = format.date(subscription.periodEnd);

  const confirmCancel = () =>
    modals.openConfirmModal({
      title: t('billing.actions.cancelTitle'),
      children: <Text size="sm">{t('billing.actions.cancelConfirm', { date })}</Text>,
      labels: { confirm: t('billing.actions.cancelSubmit'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        cancel.mutate(undefined, {
          onSuccess: () => notify.success(t('billing.actions.canceled')),
          onError: (error) => notify.error(describe(error)),
        }),
    });

  const confirmResume = () =>
    modals.openConfirmModal({
      title: t('billing.actions.resumeTitle'),
      children: <Text size="sm">{t('billing.actions.resumeConfirm', { date })}</Text>,
      labels: { confirm: t('billing.actions.resumeSubmit'), cancel: t('common.cancel') },
      onConfirm: () =>
        resume.mutate(undefined, {
          onSuccess: () => notify.success(t('billing.actions.resumed')),
          onError: (error) => notify.error(describe(error)),
        }),
    });

  const pay = state === 'read-only' && planId;
  if (!pay && !running) return null;
  return (
    <Group gap="sm" data-testid="billing-actions">
      {pay && (
        <Button onClick={() => payment.subscribe(planId)} loading={payment.subscribing === planId}>
          {t('billing.actions.pay')}
        </Button>
      )}
      {running && (
        <Button
          variant={state === 'grace' ? 'filled' : 'default'}
          onClick={payment.updateCard}
          loading={payment.updatingCard}
        >
          {t('billing.actions.updateCard')}
        </Button>
      )}
      {running &&
        (cancelAtPeriodEnd ? (
          <Button variant="light" onClick={confirmResume} loading={resume.isPending}>
            {t('billing.actions.resume')}
          </Button>
        ) : (
          <Button color="red" variant="outline" onClick={confirmCancel} loading={cancel.isPending}>
            {t('billing.actions.cancel')}
          </Button>
        ))}
    </Group>
  );
}
