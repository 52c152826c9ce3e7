import { EmptyState, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What a member sees on a page their role may not open (the API answered 403). */
export function NoAccess() {
  const { t } = useTranslation();
  return (
    <EmptyState data-testid="no-access" role="status" color="orange" py="xl">
      <EmptyState.Indicator>
        <LockIcon />
      </EmptyState.Indicator>
      <EmptyState.Title order={2}>{t('noAccess.title')}</EmptyState.Title>
      <EmptyState.Description>{t('noAccess.description')}</EmptyState.Description>
    </EmptyState>
  );
}

/** In place of a section's controls a member's role may not use: which roles can. */
export function RoleNote({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function LockIcon() {
  return (
    <svg
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}
