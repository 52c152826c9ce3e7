import { Alert, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ErasureReceipt } from '../../api/contacts';
import { Detail, Details } from '../../components/Details';
import { useFormatDateTime } from '../../components/format';
import { SectionCard } from '../../components/SectionCard';
import { useDataClassLabel, useDescribeActor } from './labels';

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
    <SectionCard label={t('contacts.receipt.title')} testId="erasure-receipt">
      <Alert color="green" variant="light" role="status">
        <Text size="sm">{t('contacts.receipt.description')}</Text>
      </Alert>
      <Details>
        <Detail label={t('contacts.receipt.erasedAt')} value={formatDate(receipt.erasedAt)} />
        <Detail label={t('contacts.receipt.erasedBy')} value={describeActor(receipt.erasedBy)} />
        <Detail label={t('contacts.receipt.receiptId')} value={receipt.receiptId} />
        <Detail label={t('contacts.receipt.requestId')} value={receipt.requestId} />
      </Details>
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
    </SectionCard>
  );
}
