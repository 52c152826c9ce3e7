import { Stack, Tabs, Text } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import type { Permission } from '../../session/permissions';
import { useBusiness } from '../../shell/BusinessContext';
import { AlertsTab } from './AlertsTab';
import { OrdersView } from './OrdersView';
import { ReconciliationTab } from './ReconciliationTab';
import { SalesReport } from './SalesReport';
import { StockTab } from './StockTab';
import { TransfersTab } from './TransfersTab';

/**
 * One section of the back office: its tab, who may open it, and what it shows. A section the
 * caller's role may not read is not shown at all (the API would refuse it anyway).
 */
interface BackOfficeTab {
  value: 'stock' | 'transfers' | 'alerts' | 'reconciliation' | 'orders' | 'sales';
  permission: Permission;
  Panel: ComponentType;
}

/** The back office's sections, in tab order. More sections are added to this list. */
const TABS: readonly BackOfficeTab[] = [
  { value: 'stock', permission: 'stock.read', Panel: StockTab },
  { value: 'transfers', permission: 'stock.read', Panel: TransfersTab },
  { value: 'alerts', permission: 'stock.read', Panel: AlertsTab },
  { value: 'reconciliation', permission: 'insights.read', Panel: ReconciliationTab },
  { value: 'orders', permission: 'insights.read', Panel: OrdersView },
  { value: 'sales', permission: 'insights.read', Panel: SalesReport },
];

/**
 * The back office: the business's orders across channels and its sales report, each a tab. The
 * tab is in the address, so a link and the back button keep it.
 */
export function InventoryPage() {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((tab) => can(tab.permission));
  const first = tabs[0];
  const tab = tabs.find((candidate) => candidate.value === params.get('tab')) ?? first;
  return (
    <Stack gap="md">
      <PageHeader title={t('areas.inventory.title')} description={t('backOffice.description')} />
      {tab ? (
        <Tabs
          value={tab.value}
          onChange={(value) => setParams(value && value !== first?.value ? { tab: value } : {}, { replace: true })}
          keepMounted={false}
        >
          <Tabs.List aria-label={t('backOffice.tabsLabel')}>
            {tabs.map(({ value }) => (
              <Tabs.Tab key={value} value={value} data-testid={`back-office-tab-${value}`}>
                {t(`backOffice.tabs.${value}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map(({ value, Panel }) => (
            <Tabs.Panel key={value} value={value} pt="sm">
              <Panel />
            </Tabs.Panel>
          ))}
        </Tabs>
      ) : (
        <Text size="sm">{t('backOffice.noTabs')}</Text>
      )}
    </Stack>
  );
}
