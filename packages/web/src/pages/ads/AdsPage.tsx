import { Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdAccounts } from '../../api/ads';
import { NoAccess } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { AccountInsights } from './AccountInsights';
import { AdAccountsSection } from './AdAccounts';

/**
 * Ads: the business's Meta ad accounts (connected read-only), and for one of them what the ads
 * cost and brought (Meta's figures beside the conversations and orders that came from them),
 * as charts, a table and a CSV, with the AI's recommendations. Owners, admins and analysts read;
 * owners and admins connect and disconnect.
 */
export function AdsPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const readable = can('insights.read');
  return (
    <Stack gap="lg">
      <PageHeader title={t('ads.title')} description={t('ads.description')} />
      {readable ? <AdsContent tenantId={tenantId} /> : <NoAccess />}
    </Stack>
  );
}

function AdsContent({ tenantId }: { tenantId: string }) {
  const accounts = useAdAccounts(tenantId);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <QueryState query={accounts}>
      {(list) => {
        // The one picked, else the first still connected (a disconnected one keeps its figures), else any.
        const account =
          list.find((candidate) => candidate.accountId === chosen) ??
          list.find((candidate) => candidate.status !== 'disconnected') ??
          list[0];
        return (
          <Stack gap="lg">
            <AdAccountsSection tenantId={tenantId} accounts={list} />
            {account && <AccountInsights tenantId={tenantId} accounts={list} account={account} onAccount={setChosen} />}
          </Stack>
        );
      }}
    </QueryState>
  );
}
