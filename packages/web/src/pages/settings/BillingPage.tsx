import { EmptyState, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useBilling } from '../../api/queries';
import type { Billing } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';

function display(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function Subscription({ billing }: { billing: Billing }) {
  const { t } = useTranslation();
  if (!billing.subscription) {
    return (
      <EmptyState
        data-testid="billing-none"
        variant="light"
        title={t('billing.noSubscription')}
        description={t('billing.notConnected')}
        py="xl"
      />
    );
  }
  return (
    <Table variant="vertical" withTableBorder maw={640} data-testid="billing-details">
      <Table.Tbody>
        {Object.entries(billing.subscription).map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th w={200}>{key}</Table.Th>
            <Table.Td>{display(value)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Settings › Billing (owner only). The page always asks the API, which is the authority:
 * a role without `billing.manage` gets 403 and sees the no-access state.
 */
export function BillingPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const billing = useBilling(tenantId);
  return (
    <>
      <PageHeader order={2} title={t('billing.title')} description={t('billing.description')} />
      <QueryState query={billing}>{(data) => <Subscription billing={data} />}</QueryState>
    </>
  );
}
