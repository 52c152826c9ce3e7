import { Group, Paper, Stack, Text } from '@mantine/core';
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
