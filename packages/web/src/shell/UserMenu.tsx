import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { useBusiness } from './BusinessContext';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toLocaleUpperCase())
    .join('');
}

/** Who is signed in, their role here, and sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const { me, membership, tenantId } = useBusiness();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const shown = initials(me.user.name) || '?';
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton
          aria-label={t('shell.userMenuButton', { initials: shown, name: me.user.name })}
          data-testid="user-menu"
        >
          <Avatar color="blue" radius="xl" size="md">
            {shown}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="gray.9">
            {me.user.name}
          </Text>
          <Text size="xs" c="gray.7">
            {me.user.email}
          </Text>
          <Text size="xs" c="gray.7">
            {membership.name} · {t(`roles.${membership.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item onClick={() => navigate(`/b/${tenantId}/settings`)}>{t('areas.settings.title')}</Menu.Item>
        <Menu.Item
          color="red"
          onClick={() => {
            void signOut().then(() => navigate('/login', { replace: true }));
          }}
        >
          {t('shell.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
