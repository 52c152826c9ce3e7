import '@mantine/core/styles/SimpleGrid.css';
import { Badge, Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import {
  LIMITS,
  PLAN_IDS,
  PLANS,
  type Plan,
  type PlanChangeWhen,
  type Subscription,
  useChangePlan,
} from '../../../api/billing';
import { useDescribeError } from '../../../components/errors';
import { notify } from '../../../components/notify';
import { SectionCard } from '../../../components/SectionCard';
import { useBusiness } from '../../../shell/BusinessContext';
import { useBillingFormat } from './format';
import { usePaymentPage } from './paymentPage';

/**
 * What the plan picker offers: subscribing (through iyzico's page) when there is no running
 * subscription (trial, canceled, read-only), changing plans (now or at the period's end) when
 * it is active. In grace the card comes first: the plans are shown, not switched.
 */
function modeOf(subscription: Subscription): 'subscribe' | 'change' | 'grace' {
  if (subscription.state === 'active') return 'change';
  return subscription.state === 'grace' ? 'grace' : 'subscribe';
}

function PlanOption({ plan, subscription }: { plan: Plan; subscription: Subscription }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const format = useBillingFormat();
  const describe = useDescribeError();
  const payment = usePaymentPage(tenantId);
  const change = useChangePlan(tenantId);
  const name = t(`billing.plans.${plan.id}.name`);
  const mode = modeOf(subscription);
  const running = mode !== 'subscribe';
  const current = running && subscription.planId === plan.id;
  const next = running && subscription.nextPlanId === plan.id && !current;
  const date = format.date(subscription.periodEnd);

  const confirmChange = (when: PlanChangeWhen) =>
    modals.openConfirmModal({
      title: t(when === 'now' ? 'billing.picker.switchNowTitle' : 'billing.picker.switchLaterTitle', { plan: name }),
      children: (
        <Text size="sm">
          {when === 'now'
            ? t('billing.picker.switchNowConfirm')
            : t('billing.picker.switchLaterConfirm', { plan: name, date })}
        </Text>
      ),
      labels: {
        confirm: t(when === 'now' ? 'billing.picker.switchNow' : 'billing.picker.switchLater'),
        cancel: t('common.cancel'),
      },
      onConfirm: () =>
        change.mutate(
          { planId: plan.id, when },
          {
            onSuccess: ({ subscription: changed }) =>
              notify.success(
                when === 'now'
                  ? t('billing.picker.switched', { plan: name })
                  : t('billing.picker.scheduled', { plan: name, date: format.date(changed.periodEnd) }),
              ),
            onError: (error) => notify.error(describe(error)),
          },
        ),
    });

  const titleId = `billing-plan-${plan.id}-title`;
  return (
    <Paper
      component="article"
      withBorder
      radius="md"
      p="md"
      aria-labelledby={titleId}
      data-testid={`plan-${plan.id}`}
      style={current ? { borderColor: 'var(--mantine-color-blue-6)', borderWidth: 2 } : undefined}
    >
      <Stack gap="sm" h="100%">
        <Group justify="space-between" gap="xs">
          <Title order={3} size="h5" id={titleId}>
            {name}
          </Title>
          {current && (
            <Badge variant="light" c="gray.9">
              {t('billing.picker.current')}
            </Badge>
          )}
          {next && (
            <Badge variant="light" color="gray" c="gray.9">
              {t('billing.picker.next', { date })}
            </Badge>
          )}
        </Group>
        <Text size="lg" fw={700} data-testid={`plan-${plan.id}-price`}>
          {format.price(plan)}
        </Text>
        <Text size="sm" c="dimmed">
          {t(`billing.plans.${plan.id}.description`)}
        </Text>
        <List size="sm" spacing={2}>
          {LIMITS.map((limit) => (
            <List.Item key={limit}>
              {t(`billing.planLimits.${limit}`, {
                count: plan.limits[limit],
                value: format.number(plan.limits[limit]),
              })}
            </List.Item>
          ))}
        </List>
        <Stack gap="xs" mt="auto">
          {mode === 'subscribe' && (
            <Button
              onClick={() => payment.subscribe(plan.id)}
              loading={payment.subscribing === plan.id}
              disabled={payment.subscribing !== undefined && payment.subscribing !== plan.id}
            >
              {t('billing.picker.choose', { plan: name })}
            </Button>
          )}
          {mode === 'change' && !current && (
            <>
              <Button
                onClick={() => confirmChange('now')}
                loading={change.isPending && change.variables?.when === 'now'}
                aria-label={t('billing.picker.switchNowLabel', { plan: name })}
              >
                {t('billing.picker.switchNow')}
              </Button>
              {!next && (
                <Button
                  variant="default"
                  onClick={() => confirmChange('next-period')}
                  loading={change.isPending && change.variables?.when === 'next-period'}
                  aria-label={t('billing.picker.switchLaterLabel', { plan: name })}
                >
                  {t('billing.picker.switchLater')}
                </Button>
              )}
            </>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** The plans, cheapest first, with their prices and limits, and what the owner can do with each. */
export function PlanPicker({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  return (
    <SectionCard titleId="billing-plans-title" title={t('billing.picker.title')} testId="billing-plans">
      <Text size="sm" c="dimmed">
        {t('billing.picker.description')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {PLAN_IDS.map((id) => (
          <PlanOption key={id} plan={PLANS[id]} subscription={subscription} />
        ))}
      </SimpleGrid>
    </SectionCard>
  );
}
