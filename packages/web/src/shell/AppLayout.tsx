import { AppShell, Burger, Divider, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { LanguageMenu } from '../components/LanguageMenu';
import { SkipLink } from '../components/SkipLink';
import { useBusiness } from './BusinessContext';
import { BusinessSwitcher } from './BusinessSwitcher';
import { MainNav } from './MainNav';
import { UserMenu } from './UserMenu';

/** Header, navigation (a drawer behind the burger on phones) and the current page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <SkipLink />
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('shell.closeNavigation') : t('shell.openNavigation')}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Text component={Link} to={`/b/${tenantId}`} fw={800} fz="lg" c="blue.8" td="none">
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageMenu />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="main-navigation" aria-label={t('shell.mainNavigation')}>
        <AppShell.Section>
          <BusinessSwitcher />
        </AppShell.Section>
        <Divider my="sm" />
        <AppShell.Section grow>
          <MainNav onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
