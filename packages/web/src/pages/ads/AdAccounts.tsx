import { Badge, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AdAccountView, isBackfilling, useDisconnectAdAccount } from '../../api/ads';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { ConnectAdAccounts } from './ConnectAdAccounts';

/**
 * The business's ad accounts: each one's state, how far its history has come, when its sign-in
 * lapses; connecting more and disconnecting are for owners and admins.
 */

const STATUS_COLORS: Record<AdAccountView['status'], string> = {
  connected: 'green',
  reconnect: 'orange',
  disconnected: 'gray',
};

/** Meta sends a reminder a week before the sign-in lapses; the page says it from then on too. */
const REMIND_BEFORE_MS = 7 * 86_400_000;

export const needsReconnect = (account: AdAccountView, now = Date.now()) =>
  account.status === 'reconnect' ||
  (account.status === 'connected' &&
    account.tokenExpiresAt !== null &&
    Date.parse(account.tokenExpiresAt) - now < REMIND_BEFORE_MS);

/** The history's report runs, as a bar, while they are still coming in. */
function BackfillProgress({ account }: { account: AdAccountView }) {
  const { t } = useTranslation();
  const percent = Math.round(account.backfill.progress * 100);
  if (!isBackfilling(account)) {
    return (
      <Text size="sm" data-testid="ad-account-history">
        {account.backfill.state === 'failed'
          ? t('ads.accounts.historyFailed')
          : t('ads.accounts.historyDone', { from: account.backfill.from })}
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      <Progress
        value={percent}
        size="lg"
        animated
        // Mantine puts role=progressbar and aria-valuenow on the bar itself, named by this label.
        aria-label={t('ads.accounts.historyBar', { name: account.name })}
        data-testid="ad-account-backfill"
      />
      <Text size="sm" aria-live="polite">
        {t('ads.accounts.historyComing', { percent, from: account.backfill.from })}
      </Text>
    </Stack>
  );
}

/** Disconnecting asks once more: the sign-in is dropped and the sync stops (the figures stay). */
function DisconnectButton({ tenantId, account }: { tenantId: string; account: AdAccountView }) {
  const { t } = useTranslation();
  const disconnect = useDisconnectAdAccount(tenantId);
  const [confirming, setConfirming] = useState(false);
  return (
    <Stack gap={4} align="flex-end">
      {confirming ? (
        <Group gap="xs">
          <Text size="sm">{t('ads.accounts.disconnectConfirm')}</Text>
          <Button
            color="red"
            size="xs"
            loading={disconnect.isPending}
            onClick={() => disconnect.mutate(account.accountId, { onSettled: () => setConfirming(false) })}
          >
            {t('ads.accounts.disconnectYes')}
          </Button>
          <Button variant="default" size="xs" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
      ) : (
        <Button variant="subtle" color="red" c="red.9" size="xs" onClick={() => setConfirming(true)}>
          {t('ads.accounts.disconnect')}
        </Button>
      )}
      {disconnect.isError && <ErrorAlert error={disconnect.error} />}
    </Stack>
  );
}

function AdAccountItem({ tenantId, account }: { tenantId: string; account: AdAccountView }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const formatDate = useFormatDateTime();
  const manages = can('integrations.manage');
  const lapsing = needsReconnect(account);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ad-account" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h5">
              {account.name}
            </Title>
            <Text size="sm" c="gray.7">
              {t('ads.accounts.details', { id: account.accountId, currency: account.currency, zone: account.timezone })}
            </Text>
          </div>
          <Group gap="xs">
            <Badge
              color={STATUS_COLORS[account.status]}
              variant="light"
              c="gray.9"
              data-testid="ad-account-status"
              data-status={account.status}
            >
              {t(`ads.accounts.status.${account.status}`)}
            </Badge>
            {manages && account.status !== 'disconnected' && <DisconnectButton tenantId={tenantId} account={account} />}
          </Group>
        </Group>
        {account.status !== 'disconnected' && <BackfillProgress account={account} />}
        {account.syncedThrough && (
          <Text size="sm">
            {t('ads.accounts.syncedThrough', {
              day: account.syncedThrough,
              at: formatDate(account.lastSyncedAt),
            })}
          </Text>
        )}
        {lapsing && (
          <Group gap="sm" data-testid="ad-account-reconnect">
            <Text size="sm" c="orange.9" fw={600}>
              {account.status === 'reconnect' || account.tokenExpiresAt === null
                ? t('ads.accounts.reconnectNow')
                : t('ads.accounts.reconnectBy', { date: formatDate(account.tokenExpiresAt) })}
            </Text>
            {manages && <ConnectAdAccounts tenantId={tenantId} reconnect />}
          </Group>
        )}
        {account.pausedUntil && (
          <Text size="sm">{t('ads.accounts.paused', { until: formatDate(account.pausedUntil) })}</Text>
        )}
        {account.lastError && (
          <Text size="sm" c="red.9">
            {t('ads.accounts.lastError', { error: account.lastError })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function AdAccountsSection({ tenantId, accounts }: { tenantId: string; accounts: AdAccountView[] }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  return (
    <SectionCard titleId="ad-accounts-title" title={t('ads.accounts.title')} testId="ad-accounts">
      <Text size="sm" c="gray.7">
        {t('ads.accounts.about')}
      </Text>
      {accounts.length === 0 && <Text size="sm">{t('ads.accounts.empty')}</Text>}
      {accounts.length > 0 && (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {accounts.map((account) => (
            <AdAccountItem key={account.accountId} tenantId={tenantId} account={account} />
          ))}
        </Stack>
      )}
      {can('integrations.manage') ? (
        <ConnectAdAccounts tenantId={tenantId} />
      ) : (
        <Text size="sm" c="gray.7">
          {t('ads.accounts.managersOnly')}
        </Text>
      )}
    </SectionCard>
  );
}
