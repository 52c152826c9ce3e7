import { Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/** A list without bullets or indent, its items (`li`) laid out by the caller. */
export function PlainList({
  ordered = false,
  gap = 'xs',
  label,
  children,
}: {
  /** For entries whose order means something (newest first). */
  ordered?: boolean;
  gap?: 'xs' | 0;
  label?: string;
  children: ReactNode;
}) {
  return (
    <Stack component={ordered ? 'ol' : 'ul'} gap={gap} p={0} m={0} style={{ listStyle: 'none' }} aria-label={label}>
      {children}
    </Stack>
  );
}
