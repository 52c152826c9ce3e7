import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Channel, type ChannelTest, useChannelMutations, useChannels, useMetaSetup } from '../../../api/channels';
import { useStage } from '../../../api/queries';
import { useDescribeError } from '../../../components/errors';
import { useFormatDateTime } from '../../../components/format';
import { notify } from '../../../components/notify';
import { QueryState } from '../../../components/QueryState';
import { RouterAnchor } from '../../../components/RouterAnchor';
import { StackedRow, StackedRows } from '../../../components/StackedRows';
import { useBusiness } from '../../../shell/BusinessContext';
import { DialogError, type DialogResult, embeddedSignupWithSdk, openDialog } from './metaDialogs';
import '@mantine/core/styles/SimpleGrid.css';

/** Fourteen days: an Instagram token expiring sooner is shown in colour (it lapses after 60 days). */
const EXPIRY_WARNING_MS = 14 * 24 * 3_600_000;

function StatusBadge({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const expires = channel.tokenExpiresAt ? new Date(channel.tokenExpiresAt).getTime() : undefined;
  const status =
    channel.status === 'connected' && expires !== undefined && expires < Date.now() ? 'expired' : channel.status;
  const known = ['connected', 'disconnected', 'expiring', 'expired'].includes(status) ? status : 'connected';
  const color = known === 'connected' ? 'green' : known === 'disconnected' ? 'gray' : 'orange';
  return (
    // Never narrower than its word: Mantine cuts a badge's label short to fit a tight column.
    <Badge
      variant="light"
      color={color}
      c="gray.9"
      maw="none"
      miw="max-content"
      data-testid="channel-status"
      data-status={known}
    >
      {t(`channels.statuses.${known as 'connected' | 'disconnected' | 'expiring' | 'expired'}`)}
    </Badge>
  );
}

function TestResult({ result }: { result: ChannelTest }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text fw={600} c={result.ok ? 'teal.9' : 'red.9'}>
        {result.ok ? t('channels.testPassed') : t('channels.testFailed')}
      </Text>
      <List spacing={4} size="sm">
        {result.checks.map((check) => (
          <List.Item key={check.name}>
            {check.ok ? '✓' : '✗'} {check.name}
            {check.detail ? ` — ${check.detail}` : ''}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** The connected channels, with their connection test and disconnect. Tokens are never shown. */
function ChannelList({ channels }: { channels: Channel[] }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const formatDate = useFormatDateTime();
  const describe = useDescribeError();
  const stage = useStage();
  const { disconnect, test } = useChannelMutations(tenantId);
  const manage = can('channels.manage');
  const onError = (error: unknown) => notify.error(describe(error));

  if (channels.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('channels.none')}
      </Text>
    );
  }

  const nameOf = (channel: Channel) => (
    <>
      <Text size="sm" fw={600}>
        {t(`channels.kinds.${channel.kind}`)}
      </Text>
      <Text size="xs" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
        {channel.label ? `${channel.label} · ` : ''}
        {channel.externalId}
      </Text>
    </>
  );

  const expiryOf = (channel: Channel) => {
    if (!channel.tokenExpiresAt) return '—';
    const soon = new Date(channel.tokenExpiresAt).getTime() - Date.now() < EXPIRY_WARNING_MS;
    return (
      <Text span size="sm" c={soon ? 'red.9' : undefined} fw={soon ? 600 : undefined}>
        {formatDate(channel.tokenExpiresAt)}
      </Text>
    );
  };

  const lastTestOf = (channel: Channel) =>
    channel.lastTest ? `${channel.lastTest.ok ? '✓' : '✗'} ${formatDate(channel.lastTest.at)}` : '—';

  const actionsOf = (channel: Channel) => {
    const live = channel.status !== 'disconnected';
    const name = `${t(`channels.kinds.${channel.kind}`)} ${channel.label ?? channel.externalId}`;
    return (
      <Group gap="xs" wrap="wrap">
        {manage && live && (
          <Button
            size="xs"
            variant="default"
            aria-label={t('channels.testNamed', { name })}
            loading={test.isPending && test.variables?.externalId === channel.externalId}
            onClick={() =>
              test.mutate(
                { kind: channel.kind, externalId: channel.externalId },
                {
                  onSuccess: (result) =>
                    modals.open({ title: t('channels.testTitle', { name }), children: <TestResult result={result} /> }),
                  onError,
                },
              )
            }
          >
            {t('channels.test')}
          </Button>
        )}
        {manage && live && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            aria-label={t('channels.disconnectNamed', { name })}
            onClick={() =>
              modals.openConfirmModal({
                title: t('channels.disconnectTitle'),
                children: <Text size="sm">{t('channels.disconnectConfirm', { name })}</Text>,
                labels: { confirm: t('channels.disconnect'), cancel: t('common.cancel') },
                confirmProps: { color: 'red' },
                onConfirm: () =>
                  disconnect.mutate(
                    { kind: channel.kind, externalId: channel.externalId },
                    { onSuccess: () => notify.success(t('channels.disconnected')), onError },
                  ),
              })
            }
          >
            {t('channels.disconnect')}
          </Button>
        )}
        {live && channel.kind === 'sandbox' && (
          <RouterAnchor to={`/b/${tenantId}/inbox/simulator`} size="sm">
            {t('channels.openSimulator')}
          </RouterAnchor>
        )}
        {live && channel.kind !== 'sandbox' && stage.data === 'local' && (
          <RouterAnchor
            to={`/dev/customer?channel=${channel.kind}&business=${encodeURIComponent(channel.externalId)}`}
            size="sm"
          >
            {t('channels.playCustomer')}
          </RouterAnchor>
        )}
      </Group>
    );
  };

  return (
    <>
      <Table.ScrollContainer minWidth={720} visibleFrom="md">
        <Table verticalSpacing="sm" data-testid="channels-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('channels.channel')}</Table.Th>
              <Table.Th scope="col">{t('channels.status')}</Table.Th>
              <Table.Th scope="col">{t('channels.connectedAt')}</Table.Th>
              <Table.Th scope="col">{t('channels.tokenExpiresAt')}</Table.Th>
              <Table.Th scope="col">{t('channels.lastTest')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.map((channel) => (
              <Table.Tr
                key={`${channel.kind}:${channel.externalId}`}
                data-testid="channel-row"
                data-kind={channel.kind}
              >
                <Table.Td>{nameOf(channel)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <StatusBadge channel={channel} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDate(channel.connectedAt)}</Text>
                </Table.Td>
                <Table.Td>{expiryOf(channel)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{lastTestOf(channel)}</Text>
                </Table.Td>
                <Table.Td>{actionsOf(channel)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <StackedRows label={t('channels.listTitle')} testId="channel-cards">
        {channels.map((channel) => (
          <StackedRow
            key={`${channel.kind}:${channel.externalId}`}
            title={nameOf(channel)}
            fields={[
              { label: t('channels.status'), value: <StatusBadge channel={channel} /> },
              { label: t('channels.connectedAt'), value: formatDate(channel.connectedAt) },
              { label: t('channels.tokenExpiresAt'), value: expiryOf(channel) },
              { label: t('channels.lastTest'), value: lastTestOf(channel) },
            ]}
            actions={actionsOf(channel)}
          />
        ))}
      </StackedRows>
    </>
  );
}

/** The Messenger flow's second step: the pages the person manages, to pick from. */
function PagePicker({
  login,
  onDone,
}: {
  login: { loginId: string; pages: { id: string; name: string }[] };
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const { connectMessenger } = useChannelMutations(tenantId);
  const [picked, setPicked] = useState<string[]>(login.pages.map((page) => page.id));
  return (
    <Stack gap="xs">
      <Checkbox.Group label={t('channels.pickPages')} value={picked} onChange={setPicked}>
        <Stack gap={4} mt="xs">
          {login.pages.map((page) => (
            <Checkbox key={page.id} value={page.id} label={page.name} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group>
        <Button
          disabled={picked.length === 0}
          loading={connectMessenger.isPending}
          onClick={() =>
            connectMessenger.mutate(
              { loginId: login.loginId, pageIds: picked },
              {
                onSuccess: () => {
                  notify.success(t('channels.connected', { kind: t('channels.kinds.messenger') }));
                  onDone();
                },
                onError: (error) => notify.error(describe(error)),
              },
            )
          }
        >
          {t('channels.connectPages')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Connecting WhatsApp (Embedded Signup), Messenger (Facebook Login), Instagram (Instagram Login) and the sandbox. */
function ConnectChannels({ channels }: { channels: Channel[] }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const setup = useMetaSetup(tenantId);
  const mutations = useChannelMutations(tenantId);
  const [busy, setBusy] = useState<'whatsapp' | 'messenger' | 'instagram' | null>(null);
  const [messengerLogin, setMessengerLogin] = useState<{ loginId: string; pages: { id: string; name: string }[] }>();
  const dialogs = setup.data?.dialogs ?? undefined;
  const hasSandbox = channels.some((channel) => channel.kind === 'sandbox' && channel.status !== 'disconnected');

  const dialogFailed = (error: unknown) => {
    if (error instanceof DialogError) {
      if (error.reason !== 'closed' && error.reason !== 'cancelled') notify.error(t(`channels.dialog.${error.reason}`));
      else notify.error(t('channels.dialog.cancelled'));
    } else {
      notify.error(describe(error));
    }
  };

  /** Runs one connection flow: the dialog (opened within the click), then the API call. */
  const run = async (kind: 'whatsapp' | 'messenger' | 'instagram', flow: () => Promise<void>) => {
    setBusy(kind);
    try {
      await flow();
    } catch (error) {
      dialogFailed(error);
    } finally {
      setBusy(null);
    }
  };

  const connectWhatsApp = () =>
    run('whatsapp', async () => {
      const data = setup.data;
      if (!data) throw new DialogError('sdk');
      // The code lives 30 seconds: it goes to the API as soon as the dialog answers.
      const result: DialogResult = dialogs
        ? await openDialog(dialogs.embeddedSignup, { signup: true })
        : await embeddedSignupWithSdk(data);
      if (!result.signup) throw new DialogError('cancelled');
      await mutations.connectWhatsApp.mutateAsync({
        code: result.code,
        wabaId: result.signup.wabaId,
        phoneNumberId: result.signup.phoneNumberId,
        ...(result.signup.coexistence ? { coexistence: true } : {}),
      });
      notify.success(t('channels.connected', { kind: t('channels.kinds.whatsapp') }));
    });

  const connectMessenger = () =>
    run('messenger', async () => {
      if (!dialogs) throw new DialogError('sdk');
      const { code } = await openDialog(dialogs.facebookLogin, { signup: false });
      setMessengerLogin(await mutations.messengerLogin.mutateAsync(code));
    });

  const connectInstagram = () =>
    run('instagram', async () => {
      if (!dialogs) throw new DialogError('sdk');
      // Instagram Login checks that the code is exchanged with the redirect address it was issued for.
      const redirectUri = `${window.location.origin}/b/${tenantId}/settings/channels`;
      const { code } = await openDialog(dialogs.instagramLogin, {
        signup: false,
        params: { redirect_uri: redirectUri },
      });
      await mutations.connectInstagram.mutateAsync({ code, redirectUri });
      notify.success(t('channels.connected', { kind: t('channels.kinds.instagram') }));
    });

  const card = (kind: 'whatsapp' | 'messenger' | 'instagram' | 'sandbox', action: ReactNode) => (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`connect-${kind}`}>
      <Stack gap="xs" h="100%" justify="space-between">
        <div>
          <Title order={4} size="h5" id={`connect-${kind}`}>
            {t(`channels.kinds.${kind}`)}
          </Title>
          <Text size="sm" c="gray.7">
            {t(`channels.about.${kind}`)}
          </Text>
        </div>
        {action}
      </Stack>
    </Paper>
  );

  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('channels.connectTitle')}
      </Title>
      {setup.isError && (
        <Alert color="red" variant="light">
          {describe(setup.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {card(
          'whatsapp',
          <Button onClick={connectWhatsApp} loading={busy === 'whatsapp'} disabled={!setup.data || busy !== null}>
            {t('channels.connectWhatsApp')}
          </Button>,
        )}
        {card(
          'messenger',
          messengerLogin ? (
            <PagePicker login={messengerLogin} onDone={() => setMessengerLogin(undefined)} />
          ) : (
            <Button
              variant="default"
              onClick={connectMessenger}
              loading={busy === 'messenger'}
              disabled={!dialogs || busy !== null}
            >
              {t('channels.connectMessenger')}
            </Button>
          ),
        )}
        {card(
          'instagram',
          <Button
            variant="default"
            onClick={connectInstagram}
            loading={busy === 'instagram'}
            disabled={!dialogs || busy !== null}
          >
            {t('channels.connectInstagram')}
          </Button>,
        )}
        {card(
          'sandbox',
          hasSandbox ? (
            <RouterAnchor to={`/b/${tenantId}/inbox/simulator`}>{t('channels.openSimulator')}</RouterAnchor>
          ) : (
            <Button
              variant="default"
              loading={mutations.connectSandbox.isPending}
              onClick={() =>
                mutations.connectSandbox.mutate(undefined, {
                  onSuccess: () => notify.success(t('channels.connected', { kind: t('channels.kinds.sandbox') })),
                  onError: (error) => notify.error(describe(error)),
                })
              }
            >
              {t('channels.connectSandbox')}
            </Button>
          ),
        )}
      </SimpleGrid>
      {!dialogs && setup.data && (
        <Text size="xs" c="gray.7">
          {t('channels.metaOnlyWhatsApp')}
        </Text>
      )}
    </Stack>
  );
}

/** Settings › Channels: what is connected, and connecting more (owners and admins). */
export function ChannelsPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const channels = useChannels(tenantId);
  return (
    <Stack gap="xl">
      <section aria-labelledby="channels-title">
        <Title order={2} size="h4" id="channels-title" mb={4}>
          {t('channels.listTitle')}
        </Title>
        <Text size="sm" c="gray.7" mb="sm">
          {t('channels.description')}
        </Text>
        <QueryState query={channels}>{(list) => <ChannelList channels={list} />}</QueryState>
      </section>
      {can('channels.manage') && channels.data && (
        <>
          <Divider />
          <ConnectChannels channels={channels.data} />
        </>
      )}
    </Stack>
  );
}
