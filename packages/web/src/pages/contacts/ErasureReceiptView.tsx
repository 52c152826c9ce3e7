import { Alert, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ErasureReceipt } from '../../api/contacts';
import { useFormatDateTime } from '../../components/format';
import { useDataClassLabel, useDescribeActor } from './labels';

function Line({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text component="dt" size="sm" c="dimmed" w={{ base: 120, xs: 180 }} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Group>
  );
}

/**
 * What an erasure removed, when and by whom: all that is left of the contact on screen. It holds
 * no personal data (the API's receipt does not either), so it is safe to keep showing.
 */
export function ErasureReceiptView({ receipt }: { receipt: ErasureReceipt }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const label = useDataClassLabel();
  const describeActor = useDescribeActor();
  const removed = receipt.removed;
  return (
    <Paper
      component="section"
      withBorder
      radius="md"
      p="md"
      aria-label={t('contacts.receipt.title')}
      data-testid="erasure-receipt"
    >
      <Stack gap="sm">
        <Alert color="green" variant="light" role="status">
          <Text size="sm">{t('contacts.receipt.description')}</Text>
        </Alert>
        <Stack component="dl" gap={6} m={0}>
          <Line label={t('contacts.receipt.erasedAt')} value={formatDate(receipt.erasedAt)} />
          <Line label={t('contacts.receipt.erasedBy')} value={describeActor(receipt.erasedBy)} />
          <Line label={t('contacts.receipt.receiptId')} value={receipt.receiptId} />
          <Line label={t('contacts.receipt.requestId')} value={receipt.requestId} />
        </Stack>
        <Title order={2} size="h5">
          {t('contacts.receipt.removed')}
        </Title>
        {removed.length === 0 ? (
          <Text size="sm">{t('contacts.receipt.nothing')}</Text>
        ) : (
          <Table withTableBorder striped data-testid="erasure-removed">
            <Table.Caption>{t('contacts.receipt.removed')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('contacts.receipt.dataClass')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('contacts.receipt.count')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {removed.map((item) => (
                <Table.Tr key={item.dataClass} data-data-class={item.dataClass}>
                  <Table.Th scope="row" fw={400}>
                    {label(item.dataClass)}
                  </Table.Th>
                  <Table.Td ta="right">{item.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
