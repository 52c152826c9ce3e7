import { Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { RouterAnchor } from '../components/RouterAnchor';
import { useBusiness } from './BusinessContext';

/**
 * Shows the current business; a switcher when the member belongs to several; and the way to
 * start another business (anyone may: they become its owner).
 */
export function BusinessSwitcher() {
  const { t } = useTranslation();
  const { me, tenantId, membership } = useBusiness();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const current =
    me.businesses.length < 2 ? (
      <div>
        <Text size="xs" c="dimmed">
          {t('shell.business')}
        </Text>
        <Text fw={600} truncate="end" data-testid="business-name">
          {membership.name}
        </Text>
        <Text size="xs" c="dimmed">
          {t('shell.yourRole', { role: t(`roles.${membership.role}`) })}
        </Text>
      </div>
    ) : (
      <Select
        label={t('shell.switchBusiness')}
        description={t('shell.yourRole', { role: t(`roles.${membership.role}`) })}
        inputWrapperOrder={['label', 'input', 'description']}
        data={me.businesses.map((b) => ({ value: b.tenantId, label: b.name }))}
        value={tenantId}
        allowDeselect={false}
        onChange={(next) => {
          if (!next || next === tenantId) return;
          // Stay in the same area of the other business (its home page from the home page).
          const rest = pathname.split('/').slice(3).join('/');
          navigate(`/b/${next}${rest ? `/${rest}` : ''}`);
        }}
      />
    );

  return (
    <Stack gap="xs">
      {current}
      <RouterAnchor to="/new-business" size="sm">
        {t('shell.newBusiness')}
      </RouterAnchor>
    </Stack>
  );
}
