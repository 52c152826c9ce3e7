import { Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table's rows as cards, for screens where the table would be wider than the screen: on a
 * phone a table scrolls sideways and its last column (the actions) starts off screen. Each
 * card shows every field with its column's name and the row's actions in full view. Tables
 * show themselves from `md` up (`visibleFrom="md"`); these cards below it.
 */
export function StackedRows({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <Stack
      component="ul"
      hiddenFrom="md"
      gap="sm"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </Stack>
  );
}

interface StackedRowProps {
  /** What the row is about (a member's name, a device): the card's first line. */
  title: ReactNode;
  /** The other columns, each with its header. */
  fields: ReadonlyArray<{ label: string; value: ReactNode }>;
  actions?: ReactNode;
}

export function StackedRow({ title, fields, actions }: StackedRowProps) {
  return (
    <Paper component="li" withBorder radius="md" p="sm">
      <Stack gap="xs">
        <div>{title}</div>
        <Stack component="dl" gap={4} m={0}>
          {fields.map((field) => (
            <Group key={field.label} gap="xs" wrap="nowrap" align="baseline">
              <Text component="dt" size="xs" c="dimmed" miw={96}>
                {field.label}
              </Text>
              <Text component="dd" size="sm" m={0} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                {field.value}
              </Text>
            </Group>
          ))}
        </Stack>
        {actions && <Group gap="xs">{actions}</Group>}
      </Stack>
    </Paper>
  );
}

/** One column of a `TableOrCards`: its header and what it shows of a row. */
export interface RowColumn<T> {
  label: string;
  value: (row: T) => ReactNode;
}

interface TableOrCardsProps<T> {
  /** The table's caption and the cards' list name. */
  label: string;
  /** `<testId>-table` and `<testId>-cards`. */
  testId: string;
  /** Below this the table scrolls sideways rather than squeezing its columns. */
  minWidth: number;
  /** The first column's header: what names each row. */
  titleLabel: string;
  /** What names a row: the first column's cell, and the card's first line. */
  title: (row: T) => ReactNode;
  /** Lighter than a header's bold, for a name that is a plain word (a request's kind). */
  titleWeight?: number;
  columns: ReadonlyArray<RowColumn<T>>;
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** `data-*` attributes of a table row, for whoever looks a row up. */
  rowData?: (row: T) => Record<`data-${string}`, string>;
}

/** A table from `md` up, and below it one card a row (`StackedRows`), from the same columns. */
export function TableOrCards<T>({
  label,
  testId,
  minWidth,
  titleLabel,
  title,
  titleWeight,
  columns,
  rows,
  rowKey,
  rowData,
}: TableOrCardsProps<T>) {
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} visibleFrom="md">
        <Table verticalSpacing="sm" striped data-testid={`${testId}-table`}>
          <Table.Caption>{label}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{titleLabel}</Table.Th>
              {columns.map((column) => (
                <Table.Th scope="col" key={column.label}>
                  {column.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)} {...rowData?.(row)}>
                <Table.Th scope="row" fw={titleWeight}>
                  {title(row)}
                </Table.Th>
                {columns.map((column) => (
                  <Table.Td key={column.label}>{column.value(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <StackedRows label={label} testId={`${testId}-cards`}>
        {rows.map((row) => (
          <StackedRow
            key={rowKey(row)}
            title={<Text fw={600}>{title(row)}</Text>}
            fields={columns.map((column) => ({ label: column.label, value: column.value(row) }))}
          />
        ))}
      </StackedRows>
    </>
  );
}
