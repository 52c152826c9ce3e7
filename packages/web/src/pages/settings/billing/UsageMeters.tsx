import '@mantine/core/styles/Progress.css';
import '@mantine/core/styles/SimpleGrid.css';
import { Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LIMITS, type LimitName, type Usage } from '../../../api/billing';
import { SectionCard } from '../../../components/SectionCard';
import { useBillingFormat } from './format';

/** One limit: what is used against what the plan allows, as a bar and in numbers. */
function Meter({ limit, used, allowed }: { limit: LimitName; used: number; allowed: number }) {
  const { t } = useTranslation();
  const format = useBillingFormat();
  const percent = allowed > 0 ? Math.min(100, Math.round((used / allowed) * 100)) : 100;
  const full = used >= allowed;
  const numbers = { used: format.number(used), allowed: format.number(allowed) };
  return (
    <Stack gap={4} data-testid={`usage-${limit}`}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {t(`billing.limits.${limit}`)}
        </Text>
        <Text size="sm" data-testid={`usage-${limit}-numbers`}>
          {t('billing.usage.numbers', numbers)}
          {full && (
            <Text span size="sm" c="red.8" fw={500}>
              {' · '}
              {t('billing.usage.full')}
            </Text>
          )}
        </Text>
      </Group>
      <Progress
        value={percent}
        color={full ? 'red' : percent >= 80 ? 'orange' : 'blue'}
        // Mantine puts role=progressbar and the values on the bar; the label says it in words.
        aria-label={t('billing.usage.meter', { limit: t(`billing.limits.${limit}`), ...numbers })}
      />
    </Stack>
  );
}

/** This month's use of each limit against the plan (or the trial's) limits. */
export function UsageMeters({ usage }: { usage: Usage }) {
  const { t } = useTranslation();
  const format = useBillingFormat();
  return (
    <SectionCard titleId="billing-usage-title" title={t('billing.usage.title')} testId="billing-usage">
      <Text size="sm" c="dimmed">
        {t('billing.usage.month', { month: format.month(usage.month) })}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md">
        {LIMITS.map((limit) => (
          <Meter key={limit} limit={limit} used={usage.used[limit] ?? 0} allowed={usage.limits[limit] ?? 0} />
        ))}
      </SimpleGrid>
    </SectionCard>
  );
}
