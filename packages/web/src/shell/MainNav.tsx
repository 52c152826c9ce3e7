import { NavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { AreaIcon } from './AreaIcon';
import { AREAS } from './areas';
import { useBusiness } from './BusinessContext';

/** One link per area the member's role can use. */
export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { pathname } = useLocation();
  return (
    <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {AREAS.filter((area) => !area.permission || can(area.permission)).map((area) => {
        const to = `/b/${tenantId}/${area.path}`;
        const active = pathname === to || pathname.startsWith(`${to}/`);
        return (
          <li key={area.id}>
            <NavLink
              component={Link}
              to={to}
              label={t(`areas.${area.id}.title`)}
              leftSection={<AreaIcon area={area.id} />}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
              variant="light"
              fw={active ? 600 : 500}
            />
          </li>
        );
      })}
    </Stack>
  );
}
