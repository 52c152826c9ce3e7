import './inbox.css';
import { DEFAULT_SANDBOX_CUSTOMER } from '@asistone/contract/channels';
import { Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSandboxConversation } from '../../api/ai-trial';
import { useChannels, useSandboxSend } from '../../api/channels';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { AiResponderBar } from './AiResponder';
import { CustomerMessageInput, CustomerThread, SendAsCustomerButton } from './CustomerThread';
import { SimulatorAgentPanel, SimulatorAiNote } from './SimulatorAgent';

/**
 * The sandbox channel's customer simulator: the merchant plays a customer, with no Meta account,
 * and watches the message arrive in the inbox and the reply come back with its ticks. It is also
 * where the AI agent is tried before it is switched on: the panel says what answers the sandbox,
 * each AI-written reply shows what it answered from, and after a handoff why, with the button
 * that hands the conversation back so the merchant can keep trying.
 */
export function SimulatorPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const channels = useChannels(tenantId);
  const [customerName, setCustomerName] = useState<string>(DEFAULT_SANDBOX_CUSTOMER);
  // One conversation per customer name: the thread follows the name once typing pauses.
  const [threadName] = useDebouncedValue(customerName.trim(), 400);
  const thread = useSandboxConversation(tenantId, threadName);
  // The conversation exists once the customer wrote: only then can it have been handed over.
  const conversationId = thread.data?.messages.length ? thread.data.conversationId : undefined;
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
        <>
          <SimulatorAgentPanel />
          <Paper withBorder p="md" radius="md" maw={640}>
            <Stack gap="sm">
              {conversationId && <AiResponderBar conversationId={conversationId} />}
              <QueryState query={thread}>
                {({ messages }) => {
                  const notes = new Map(messages.flatMap((message) => (message.ai ? [[message.id, message.ai]] : [])));
                  return (
                    <CustomerThread
                      messages={messages}
                      label={t('simulator.threadLabel')}
                      extra={(id) => {
                        const ai = notes.get(id);
                        return ai ? <SimulatorAiNote ai={ai} /> : null;
                      }}
                    />
                  );
                }}
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
        </>
      )}
    </>
  );
}
