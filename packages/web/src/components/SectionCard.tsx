import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

type Heading =
  /** Named by its heading, for a screen reader's list of regions. */
  | { title: ReactNode; titleId: string; label?: never }
  /** No heading of its own (the page's title says what it is): named by a label. */
  | { label: string; title?: never; titleId?: never };

/**
 * One part of a page in its own bordered card. `danger` marks what cannot be undone (erasing a
 * contact, deleting the business): a red border and heading, so it is not clicked in passing.
 */
export function SectionCard({
  danger = false,
  testId,
  children,
  ...heading
}: Heading & { danger?: boolean; testId?: string; children: ReactNode }) {
  return (
    <Paper
      component="section"
      withBorder
      radius="md"
      p="md"
      aria-labelledby={heading.titleId}
      aria-label={heading.label}
      style={danger ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
      data-testid={testId}
    >
      <Stack gap="sm">
        {heading.titleId && (
          <Title order={2} size="h4" id={heading.titleId} c={danger ? 'red.8' : undefined}>
            {heading.title}
          </Title>
        )}
        {children}
      </Stack>
    </Paper>
  );
}
