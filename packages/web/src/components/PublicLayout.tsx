import { Box, Container, Group, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageMenu } from './LanguageMenu';
import { RouterAnchor } from './RouterAnchor';
import { SkipLink } from './SkipLink';

interface PublicLayoutProps {
  children: ReactNode;
  /** Wider pages (outbox, legal) get more room than the sign-in forms. */
  size?: 'form' | 'wide';
}

/** Frame of the pages seen before signing in: brand, language switch, one card of content. */
export function PublicLayout({ children, size = 'form' }: PublicLayoutProps) {
  const { t } = useTranslation();
  return (
    <Box bg="gray.0" mih="100dvh">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <SkipLink />
        <Group justify="space-between" px="md" h={56}>
          <Text component={Link} to="/" fw={800} fz="lg" c="blue.8" td="none">
            {t('app.name')}
          </Text>
          <LanguageMenu />
        </Group>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size={size === 'form' ? 460 : 'md'} py="xl" px="md">
        <Paper withBorder shadow="xs" radius="md" p={{ base: 'md', sm: 'xl' }}>
          {children}
        </Paper>
      </Container>
      <Group component="footer" justify="center" gap="lg" pb="lg">
        <RouterAnchor to="/terms" size="sm" c="gray.8">
          {t('legal.termsTitle')}
        </RouterAnchor>
        <RouterAnchor to="/privacy" size="sm" c="gray.8">
          {t('legal.privacyTitle')}
        </RouterAnchor>
      </Group>
    </Box>
  );
}
