import { shopDomain } from '@asistone/contract/shopify';
import type { StoreImport } from '@asistone/contract/store';
import { Alert, Badge, Button, Group, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDisconnectShop, useInstallShop, useShopConnection, useStoreSync } from '../../api/store';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { CustomAppForm } from './CustomAppForm';

/**
 * The store's connection: owners and admins connect (the browser leaves for Shopify's authorize
 * page and comes back to this page with `?shopify=connected`) and disconnect; every member who
 * reads orders sees when the scheduled sync last ran.
 */
export function ConnectionPanel({ justConnected }: { justConnected: boolean }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const manage = can('integrations.manage');
  const sync = useStoreSync(tenantId, can('conversations.read'));
  const formatDate = useFormatDateTime();

  return (
    <SectionCard title={t('store.connection.title')} titleId="store-connection" testId="store-connection">
      {justConnected && (
        <Alert color="green" variant="light" role="status">
          {t('store.connection.justConnected')}
        </Alert>
      )}
      {manage ? <ManagedConnection /> : <Text size="sm">{t('store.connection.managersOnly')}</Text>}
      {sync.data?.import && <ImportProgress progress={sync.data.import} />}
      {sync.data && (
        <Text size="sm" c="gray.7" data-testid="store-last-reconcile">
          {sync.data.lastReconciledAt
            ? t('store.connection.lastReconcile', { date: formatDate(sync.data.lastReconciledAt) })
            : t('store.connection.neverReconciled')}
        </Text>
      )}
    </SectionCard>
  );
}

/** The first import of the store's history: counts while it runs, then when it finished. */
function ImportProgress({ progress }: { progress: StoreImport }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const counts = {
    orders: progress.ordersDone,
    customers: progress.customersDone,
    products: progress.productsDone,
  };
  const text =
    progress.status === 'done'
      ? t('store.connection.importDone', { ...counts, date: formatDate(progress.finishedAt ?? '') })
      : progress.status === 'failed'
        ? t('store.connection.importFailed')
        : t('store.connection.importRunning', counts);
  return (
    <Text
      size="sm"
      role="status"
      c={progress.status === 'failed' ? 'red.8' : undefined}
      data-testid="store-import"
      data-status={progress.status}
    >
      {text}
    </Text>
  );
}

function ManagedConnection() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const connection = useShopConnection(tenantId);
  const disconnect = useDisconnectShop(tenantId);
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();

  return (
    <QueryState query={connection}>
      {(shop) => (
        <>
          {shop.shopDomain && shop.status && (
            <Group gap="xs">
              <Badge variant="light" color={shop.connected ? 'green' : 'gray'} c="gray.9" data-testid="store-status">
                {t(`store.connection.status_${shop.status}`)}
              </Badge>
              <Text size="sm">{t('store.connection.connectedTo', { shop: shop.shopDomain })}</Text>
              {shop.kind === 'custom' && <Badge variant="outline">{t('store.customApp.badge')}</Badge>}
              {shop.connectedAt && shop.connected && (
                <Text size="sm" c="gray.7">
                  {t('store.connection.connectedSince', { date: formatDate(shop.connectedAt) })}
                </Text>
              )}
            </Group>
          )}
          {!shop.shopDomain && <Text size="sm">{t('store.connection.notConnected')}</Text>}
          {shop.shopDomain && !shop.connected && <Text size="sm">{t('store.connection.keptData')}</Text>}
          {shop.connected ? (
            <Button
              variant="default"
              color="red"
              w="fit-content"
              loading={disconnect.isPending}
              onClick={() =>
                modals.openConfirmModal({
                  title: t('store.connection.disconnect'),
                  children: <Text size="sm">{t('store.connection.disconnectConfirm')}</Text>,
                  labels: { confirm: t('store.connection.disconnect'), cancel: t('common.cancel') },
                  confirmProps: { color: 'red' },
                  onConfirm: () =>
                    disconnect.mutate(undefined, {
                      onSuccess: () => notify.success(t('store.connection.disconnected')),
                      onError: (error) => notify.error(describe(error)),
                    }),
                })
              }
            >
              {t('store.connection.disconnect')}
            </Button>
          ) : (
            <>
              <ConnectForm initial={shop.shopDomain ?? ''} again={Boolean(shop.shopDomain)} />
              <CustomAppForm initialShop={shop.shopDomain ?? ''} />
            </>
          )}
        </>
      )}
    </QueryState>
  );
}

function ConnectForm({ initial, again }: { initial: string; again: boolean }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const install = useInstallShop(tenantId);
  const describe = useDescribeError();
  const [shop, setShop] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = shopDomain.safeParse(shop);
    if (!checked.success) {
      setError(t('store.connection.shopHint'));
      return;
    }
    setError(null);
    install.mutate(checked.data, {
      // Shopify's authorize page: it sends the merchant back to this page once they approve.
      onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
      onError: (failure) => setError(describe(failure)),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('store.connection.shopLabel')}
          description={t('store.connection.shopHint')}
          placeholder="magazam.myshopify.com"
          value={shop}
          onChange={(event) => setShop(event.currentTarget.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
          style={{ flex: '1 1 16rem' }}
        />
        <Button type="submit" loading={install.isPending}>
          {again ? t('store.connection.reconnect') : t('store.connection.connect')}
        </Button>
      </Group>
    </form>
  );
}
