import { Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdRow, AdsInsightsAnswer } from '../../api/ads';
import { formatFigure, type Metric, numberOf, TABLE_METRICS } from './figures';

/**
 * One row per campaign, ad set, ad (or the account) over the range, every figure in the
 * account's currency. A column's header sorts by it; a second click turns the order round.
 */

type Column = 'name' | Metric;
type Direction = 'ascending' | 'descending';

/** Rows without the figure (no spend, so no ratio) go last whichever way the column is sorted. */
function sortRows(rows: AdRow[], column: Column, direction: Direction): AdRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (column === 'name') return sign * a.name.localeCompare(b.name, 'tr');
    const x = numberOf(a, column);
    const y = numberOf(b, column);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  });
}

function SortHeader({
  column,
  label,
  sort,
  onSort,
}: {
  column: Column;
  label: string;
  sort: { column: Column; direction: Direction };
  onSort: (column: Column) => void;
}) {
  const sorted = sort.column === column;
  return (
    <Table.Th scope="col" aria-sort={sorted ? sort.direction : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(column)} fw={600} fz="sm" data-testid={`ads-sort-${column}`}>
        {label}
        {/* The arrow repeats aria-sort for the eye; screen readers hear aria-sort. */}
        <span aria-hidden="true">{sorted ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

export function InsightsTable({ insights }: { insights: AdsInsightsAnswer }) {
  const { t } = useTranslation();
  // The API sends the rows by spend, most first: the header says so from the start.
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({
    column: 'spend',
    direction: 'descending',
  });
  const onSort = (column: Column) =>
    setSort((current) =>
      current.column === column
        ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column, direction: column === 'name' ? 'ascending' : 'descending' },
    );
  if (insights.rows.length === 0) return <Text size="sm">{t('ads.table.empty')}</Text>;
  const rows = sortRows(insights.rows, sort.column, sort.direction);
  const caption = t('ads.table.caption', {
    level: t(`ads.levels.${insights.level}`),
    from: insights.from,
    to: insights.to,
  });
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table striped highlightOnHover data-testid="ads-table" aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <SortHeader column="name" label={t(`ads.levels.${insights.level}`)} sort={sort} onSort={onSort} />
            {TABLE_METRICS.map((metric) => (
              <SortHeader key={metric} column={metric} label={t(`ads.metrics.${metric}`)} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} data-testid="ads-row">
              <Table.Th scope="row" fw={500}>
                {row.name}
                {row.parent && (
                  <Text size="xs" c="gray.7">
                    {row.parent}
                  </Text>
                )}
              </Table.Th>
              {TABLE_METRICS.map((metric) => (
                <Table.Td key={metric} data-metric={metric} style={{ whiteSpace: 'nowrap' }}>
                  {formatFigure(metric, row[metric], insights.currency)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">{t('ads.table.total')}</Table.Th>
            {TABLE_METRICS.map((metric) => (
              <Table.Td key={metric} fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatFigure(metric, insights.totals[metric], insights.currency)}
              </Table.Td>
            ))}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
