import './inbox.css';
import { DEFAULT_SANDBOX_CUSTOMER } from '@asistone/contract/channels';
import { Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChannels, useSandboxSend, useSandboxThread } from '../../api/channels';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { CustomerMessageInput, CustomerThread, SendAsCustomerButton } from './CustomerThread';

/**
 * The sandbox channel's customer simulator: the merchant plays a customer, with no Meta account,
 * and watches the message arrive in the inbox and the reply come back with its ticks.
 */
export function SimulatorPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const channels = useChannels(tenantId);
  const [customerName, setCustomerName] = useState<string>(DEFAULT_SANDBOX_CUSTOMER);
  // One conversation per customer name: the thread follows the name once typing pauses.
  const [threadName] = useDebouncedValue(customerName.trim(), 400);
  const thread = useSandboxThread(tenantId, threadName);
  const send = useSandboxSend(tenantId);
  const [text, setText] = useState('');
  const sandbox = channels.data?.find((channel) => channel.kind === 'sandbox' && channel.status !== 'disconnected');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || !customerName.trim()) return;
    send.mutate(
      { customerName: customerName.trim(), text: text.trim() },
      { onSuccess: () => setText(''), onError: (error) => notify.error(describe(error)) },
    );
  };

  return (
    <>
      <PageHeader title={t('simulator.title')} description={t('simulator.description')} />
      <Group mb="sm" gap="md">
        <RouterAnchor to={`/b/${tenantId}/inbox`} size="sm">
          {t('simulator.openInbox')}
        </RouterAnchor>
      </Group>
      {channels.data && !sandbox ? (
        <Text>
          {t('simulator.noSandbox')}{' '}
          <RouterAnchor to={`/b/${tenantId}/settings/channels`}>{t('inbox.connectChannel')}</RouterAnchor>
        </Text>
      ) : (
        <Paper withBorder p="md" radius="md" maw={640}>
          <Stack gap="sm">
            <QueryState query={thread}>
              {(messages) => <CustomerThread messages={messages} label={t('simulator.threadLabel')} />}
            </QueryState>
            <form onSubmit={submit} aria-label={t('simulator.form')}>
              <Stack gap="xs">
                <TextInput
                  label={t('simulator.customerName')}
                  required
                  maxLength={80}
                  value={customerName}
                  onChange={(event) => setCustomerName(event.currentTarget.value)}
                />
                <CustomerMessageInput required value={text} onChange={setText} />
                <Group justify="flex-end">
                  <SendAsCustomerButton loading={send.isPending} disabled={!text.trim()} />
                </Group>
              </Stack>
            </form>
          </Stack>
        </Paper>
      )}
    </>
  );
}
