import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type BillingState, PLANS, type Subscription } from '../../../api/billing';
import { SectionCard } from '../../../components/SectionCard';
import { useBillingFormat } from './format';
import { SubscriptionActions } from './SubscriptionActions';

const STATE_COLORS: Record<BillingState, string> = {
  trial: 'blue',
  active: 'green',
  grace: 'orange',
  'read-only': 'red',
  canceled: 'gray',
};

/** The subscription's state in words. */
function StateSentence({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  const format = useBillingFormat();
  switch (subscription.state) {
    case 'trial':
      // A business that never subscribed: said first that there is no subscription yet.
      return (
        <Text size="sm" data-testid="billing-none">
          {t('billing.subscription.trial')}
        </Text>
      );
    case 'active':
      return (
        <Text size="sm">
          {t(subscription.cancelAtPeriodEnd ? 'billing.subscription.activeEnding' : 'billing.subscription.active', {
            date: format.date(subscription.periodEnd),
          })}
        </Text>
      );
    case 'grace':
      return (
        <Alert color="orange" variant="light" role="alert" data-testid="billing-grace">
          {subscription.graceUntil === undefined
            ? t('billing.subscription.graceNoDate')
            : t('billing.subscription.grace', { date: format.date(subscription.graceUntil) })}
        </Alert>
      );
    case 'read-only':
      return (
        <Alert color="red" variant="light" data-testid="billing-read-only">
          {t('billing.subscription.readOnly')}
        </Alert>
      );
    case 'canceled':
      return (
        <Alert color="gray" variant="light" data-testid="billing-canceled">
          {t('billing.subscription.canceled')}
        </Alert>
      );
  }
}

/** Settings › Billing: the subscription's state, its plan and price, the card, and what the owner can do. */
export function PlanCard({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  const format = useBillingFormat();
  const plan = subscription.planId ? PLANS[subscription.planId] : undefined;
  const next =
    subscription.nextPlanId && subscription.nextPlanId !== subscription.planId ? subscription.nextPlanId : undefined;
  return (
    <SectionCard
      titleId="billing-subscription-title"
      title={t('billing.subscription.title')}
      testId="billing-subscription"
    >
      <Group gap="sm" aria-live="polite">
        <Badge color={STATE_COLORS[subscription.state]} variant="light" c="gray.9" data-testid="billing-state">
          {t(`billing.states.${subscription.state}`)}
        </Badge>
        <Text fw={600} data-testid="billing-plan">
          {plan ? t(`billing.plans.${plan.id}.name`) : t('billing.subscription.trialPlan')}
        </Text>
        {plan && (
          <Text size="sm" data-testid="billing-price">
            {format.price(plan)}{' '}
            <Text span size="xs" c="dimmed">
              ({t('billing.vatIncluded')})
            </Text>
          </Text>
        )}
      </Group>
      <StateSentence subscription={subscription} />
      {next && (
        <Text size="sm" data-testid="billing-next-plan">
          {t('billing.subscription.nextPlan', {
            plan: t(`billing.plans.${next}.name`),
            date: format.date(subscription.periodEnd),
          })}
        </Text>
      )}
      {subscription.cardMask && (
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('billing.subscription.card')}
          </Text>
          <Text size="sm" ff="monospace" data-testid="billing-card">
            {subscription.cardMask}
          </Text>
        </Stack>
      )}
      <SubscriptionActions subscription={subscription} />
    </SectionCard>
  );
}
