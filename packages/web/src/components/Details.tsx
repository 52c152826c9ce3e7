import { Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Named values, one a line, their names in a column of their own (a `dl`). */
export function Details({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <Stack component="dl" gap={6} m={0} data-testid={testId}>
      {children}
    </Stack>
  );
}

/** One line of `Details`: a long value (an email, an id) wraps rather than widening the page. */
export function Detail({ label, value }: { label: string; value: ReactNode }) {
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
