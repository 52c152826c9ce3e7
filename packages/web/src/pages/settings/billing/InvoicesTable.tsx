import { Badge, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Invoice, useDownloadInvoice } from '../../../api/billing';
import { useDescribeError } from '../../../components/errors';
import { notify } from '../../../components/notify';
import { SectionCard } from '../../../components/SectionCard';
import { useBusiness } from '../../../shell/BusinessContext';
import { useBillingFormat } from './format';

/** The business's invoices, newest first, each downloadable as its PDF. */
export function InvoicesTable({ invoices }: { invoices: Invoice[] }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const format = useBillingFormat();
  const describe = useDescribeError();
  const download = useDownloadInvoice(tenantId);
  const sorted = [...invoices].sort((a, b) => b.issuedAt - a.issuedAt);
  return (
    <SectionCard titleId="billing-invoices-title" title={t('billing.invoices.title')} testId="billing-invoices">
      {sorted.length === 0 ? (
        <Text size="sm" data-testid="billing-invoices-empty">
          {t('billing.invoices.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={880}>
          <Table striped aria-labelledby="billing-invoices-title" style={{ whiteSpace: 'nowrap' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.invoices.number')}</Table.Th>
                <Table.Th>{t('billing.invoices.issuedAt')}</Table.Th>
                <Table.Th>{t('billing.invoices.plan')}</Table.Th>
                <Table.Th>{t('billing.invoices.period')}</Table.Th>
                <Table.Th ta="right">{t('billing.invoices.total')}</Table.Th>
                <Table.Th ta="right">{t('billing.invoices.vat')}</Table.Th>
                <Table.Th>{t('billing.invoices.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((invoice) => (
                <Table.Tr key={invoice.invoiceId} data-testid="invoice-row">
                  <Table.Td ff="monospace">{invoice.number}</Table.Td>
                  <Table.Td>{format.date(invoice.issuedAt)}</Table.Td>
                  <Table.Td>{t(`billing.plans.${invoice.planId}.name`)}</Table.Td>
                  <Table.Td>
                    {format.date(invoice.periodStart)} – {format.date(invoice.periodEnd)}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="invoice-total">
                    {invoice.total} {invoice.currency}
                  </Table.Td>
                  <Table.Td ta="right">
                    {invoice.vat} {invoice.currency}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={invoice.status === 'paid' ? 'green' : 'gray'} c="gray.9">
                      {t(`billing.invoices.statuses.${invoice.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('billing.invoices.downloadLabel', { number: invoice.number })}
                      loading={download.isPending && download.variables?.invoiceId === invoice.invoiceId}
                      onClick={() => download.mutate(invoice, { onError: (error) => notify.error(describe(error)) })}
                    >
                      {t('billing.invoices.download')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </SectionCard>
  );
}
