import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdsSetup, useConnectAdAccounts } from '../../api/ads';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { DialogError, facebookLoginWithSdk, openDialog } from '../settings/channels/metaDialogs';

/**
 * Connecting ad accounts (read-only, `ads_read`) with Facebook Login in a popup, the way
 * Settings › Channels connects Messenger: the popup sends the code back and the code goes to the
 * API at once (it works once and lives a minute). Connecting again renews the sign-in of accounts
 * already connected and keeps their history.
 */
export function ConnectAdAccounts({ tenantId, reconnect = false }: { tenantId: string; reconnect?: boolean }) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  const setup = useAdsSetup(tenantId, true);
  const connect = useConnectAdAccounts(tenantId);
  const [busy, setBusy] = useState(false);
  const dialog = setup.data?.localDialog ?? null;
  // The fake Meta's popup on the local stack; Meta's own Facebook Login (its SDK) elsewhere.
  const available = Boolean(dialog || setup.data?.appId);

  const failed = (error: unknown) => {
    if (error instanceof DialogError) {
      notify.error(t(error.reason === 'blocked' ? 'ads.connect.blocked' : 'ads.connect.cancelled'));
    } else {
      notify.error(describe(error));
    }
  };

  // The popup must open within the click itself, or the browser blocks it: nothing awaits before it.
  const start = async () => {
    if (!setup.data || !available) return;
    setBusy(true);
    try {
      const code = dialog
        ? (await openDialog(dialog, { signup: false })).code
        : await facebookLoginWithSdk(setup.data, 'ads_read');
      const { accounts } = await connect.mutateAsync({ code });
      notify.success(t('ads.connect.done', { count: accounts.length }));
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4} align="flex-start">
      <Button
        onClick={() => void start()}
        loading={busy}
        disabled={!available}
        variant={reconnect ? 'light' : 'filled'}
        data-testid={reconnect ? 'ads-reconnect' : 'ads-connect'}
      >
        {t(reconnect ? 'ads.connect.reconnect' : 'ads.connect.button')}
      </Button>
      {setup.isError && (
        <Text size="sm" c="red.9">
          {describe(setup.error)}
        </Text>
      )}
      {setup.data && !available && !reconnect && (
        <Text size="sm" c="gray.7">
          {t('ads.connect.unavailable')}
        </Text>
      )}
    </Stack>
  );
}
