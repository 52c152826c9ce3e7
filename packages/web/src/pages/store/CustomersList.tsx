import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useStoreCustomers } from '../../api/store';
import { useBusiness } from '../../shell/BusinessContext';
import { PagedList } from './PagedList';

/** The store's customers, with their contact details and Shopify's marketing consent per channel. */
export function CustomersList() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const customers = useStoreCustomers(tenantId);
  return (
    <Stack gap="sm">
      <PagedList query={customers} label={t('store.tabs.customers')} empty={t('store.noCustomers')}>
        {(customer) => (
          <Paper component="li" key={customer.customerId} withBorder radius="md" p="sm" data-testid="store-customer">
            <Text fw={600}>{customer.name ?? t('common.unknown')}</Text>
            <Text size="sm" c="gray.7">
              {[customer.phone, customer.email].filter(Boolean).join(' · ') || '—'}
            </Text>
            <Group gap={4} mt={4} role="group" aria-label={t('store.customer.marketing')}>
              {(['whatsapp', 'sms', 'email'] as const).map((channel) => {
                const state = customer[`${channel}Marketing`];
                return state ? (
                  <Badge key={channel} variant="light" color={state === 'subscribed' ? 'green' : 'gray'} c="gray.9">
                    {t(`store.customer.${channel}`)}: {state}
                  </Badge>
                ) : null;
              })}
            </Group>
          </Paper>
        )}
      </PagedList>
    </Stack>
  );
}
