import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import type { Permission } from '../../session/permissions';
import { useBusiness } from '../../shell/BusinessContext';

type SectionId = 'team' | 'channels' | 'sessions' | 'security' | 'billing' | 'audit' | 'sms' | 'notifications' | 'ai';

const SECTIONS: readonly { id: SectionId; permission?: Permission }[] = [
  { id: 'team' },
  { id: 'channels', permission: 'conversations.read' },
  { id: 'sessions' },
  { id: 'security' },
  { id: 'billing', permission: 'billing.manage' },
  { id: 'sms', permission: 'integrations.manage' },
  { id: 'notifications', permission: 'integrations.manage' },
  // Agents read what the AI agent may say (read-only); owners and admins change it.
  { id: 'ai', permission: 'conversations.read' },
  { id: 'audit', permission: 'audit.read' },
];

const isSection = (value: string): value is SectionId => SECTIONS.some((section) => section.id === value);

/** Settings: one tab per section; sections a role cannot use are not offered. */
export function SettingsLayout() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = pathname.split('/')[4] ?? 'team';
  const visible = SECTIONS.filter((section) => !section.permission || can(section.permission));
  // A section typed into the address bar that the role is not offered still opens (and shows
  // the API's refusal), outside the tab panels.
  const offered = visible.some((section) => section.id === current);

  return (
    <>
      <PageHeader
        title={t('areas.settings.title')}
        description={t('areas.settings.description')}
        documentTitle={isSection(current) ? `${t(`settings.${current}`)} · ${t('areas.settings.title')}` : undefined}
      />
      <Tabs
        value={current}
        onChange={(value) => value && navigate(`/b/${tenantId}/settings/${value}`)}
        keepMounted={false}
        activateTabWithKeyboard={false}
      >
        <Tabs.List aria-label={t('settings.tabs')} mb="md">
          {visible.map((section) => (
            <Tabs.Tab key={section.id} value={section.id}>
              {t(`settings.${section.id}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {offered && (
          <Tabs.Panel value={current}>
            <Outlet />
          </Tabs.Panel>
        )}
      </Tabs>
      {!offered && <Outlet />}
    </>
  );
}
