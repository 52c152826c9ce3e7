import { Button, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type SalesCurrencyReport,
  type SalesFigures,
  type SalesReportAnswer,
  useExportSalesCsv,
  useSalesReport,
} from '../../api/sales';
import { DailyBars } from '../../components/charts/DailyBars';
import { ErrorAlert } from '../../components/ErrorAlert';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { daysBetween, recentRange } from '../ads/figures';
import { useFormatMoney } from '../store/format';
import { useChannelLabel } from './channels';
import { type DayRange, isValidRange, RangeInputs } from './RangeInputs';

const FIGURES = ['orders', 'units', 'gross', 'discounts', 'net'] as const;
const MONEY = new Set<string>(['gross', 'discounts', 'net']);

interface Row extends SalesFigures {
  key: string;
  name: string;
}

/** One breakdown (by product, location or channel) of one currency: money shown exactly as the API sums it. */
function FiguresTable({
  title,
  currency,
  rows,
  testId,
}: {
  title: string;
  currency: string;
  rows: Row[];
  testId: string;
}) {
  const { t } = useTranslation();
  const formatMoney = useFormatMoney();
  const cell = (row: Row, figure: (typeof FIGURES)[number]) =>
    MONEY.has(figure) ? formatMoney({ amount: row[figure] as string, currencyCode: currency }) : String(row[figure]);
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid={testId} aria-label={`${title} (${currency})`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('backOffice.sales.figures.name')}</Table.Th>
              {FIGURES.map((figure) => (
                <Table.Th key={figure} scope="col" style={{ textAlign: 'right' }}>
                  {t(`backOffice.sales.figures.${figure}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Th scope="row">{row.name}</Table.Th>
                {FIGURES.map((figure) => (
                  <Table.Td key={figure} style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    {cell(row, figure)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** One currency's report: its totals, net sales per day, and the three breakdowns. */
function CurrencySection({ report, range }: { report: SalesCurrencyReport; range: DayRange }) {
  const { t } = useTranslation();
  const formatMoney = useFormatMoney();
  const channelLabel = useChannelLabel();
  const { currency, totals } = report;
  const money = (amount: string) => formatMoney({ amount, currencyCode: currency });
  const days = daysBetween(range.from, range.to);
  const byDay = new Map(report.days.map((day) => [day.day, day.net]));
  const chartTitle = t('backOffice.sales.chart', { currency });
  return (
    <SectionCard
      titleId={`sales-${currency}`}
      title={t('backOffice.sales.currencyTitle', { currency })}
      testId={`sales-${currency}`}
    >
      <Text size="sm" fw={600} data-testid="sales-totals">
        {t('backOffice.sales.totals', {
          orders: totals.orders,
          units: totals.units,
          gross: money(totals.gross),
          discounts: money(totals.discounts),
          net: money(totals.net),
        })}
      </Text>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {chartTitle}
        </Text>
        <DailyBars
          days={days}
          // Bar heights only: the exact amount of each day is in its title.
          values={days.map((day) => Number(byDay.get(day) ?? 0))}
          label={chartTitle}
          format={(_, index) => money(byDay.get(days[index] as string) ?? '0')}
          testId="sales-daily-chart"
        />
      </Stack>
      <FiguresTable
        title={t('backOffice.sales.byProduct')}
        currency={currency}
        testId="sales-by-product"
        rows={report.products.map((row) => ({ ...row, key: row.productId ?? `title:${row.title}`, name: row.title }))}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <FiguresTable
          title={t('backOffice.sales.byLocation')}
          currency={currency}
          testId="sales-by-location"
          rows={report.locations.map((row) => ({
            ...row,
            key: row.locationId ?? 'online',
            name:
              row.locationId === null
                ? t('backOffice.sales.online')
                : (row.name ?? t('backOffice.sales.unnamedLocation', { id: row.locationId })),
          }))}
        />
        <FiguresTable
          title={t('backOffice.sales.byChannel')}
          currency={currency}
          testId="sales-by-channel"
          rows={report.channels.map((row) => ({
            ...row,
            key: `${row.salesChannel}:${row.conversationChannel ?? ''}`,
            name: channelLabel(row.salesChannel, row.conversationChannel),
          }))}
        />
      </SimpleGrid>
    </SectionCard>
  );
}

function Report({ answer, range }: { answer: SalesReportAnswer; range: DayRange }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Text size="sm" c="gray.7" data-testid="sales-cancelled-note">
        {t('backOffice.sales.cancelledNote', { count: answer.cancelledExcluded })}
      </Text>
      {answer.currencies.length === 0 ? (
        <Text size="sm">{t('backOffice.sales.empty')}</Text>
      ) : (
        answer.currencies.map((report) => <CurrencySection key={report.currency} report={report} range={range} />)
      )}
    </Stack>
  );
}

/** Sales over a range of Istanbul days (the last 30 at first), per currency, with its CSV. */
export function SalesReport() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const [range, setRange] = useState<DayRange>(() => recentRange(29));
  const report = useSalesReport(tenantId, range);
  const exporter = useExportSalesCsv(tenantId);
  const valid = isValidRange(range);
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" justify="space-between" wrap="wrap">
        <Group gap="sm" align="flex-end">
          <RangeInputs range={range} onRange={setRange} testId="sales-range" />
        </Group>
        <Button
          variant="light"
          disabled={!valid}
          loading={exporter.isPending}
          onClick={() => exporter.mutate(range)}
          data-testid="sales-export"
        >
          {t('backOffice.sales.export')}
        </Button>
      </Group>
      {exporter.isError && <ErrorAlert error={exporter.error} />}
      {valid ? (
        <QueryState query={report}>{(answer) => <Report answer={answer} range={range} />}</QueryState>
      ) : (
        <Text size="sm" c="red.9" role="alert">
          {t('backOffice.invalidRange')}
        </Text>
      )}
    </Stack>
  );
}
