import { Badge, Box, Button, Group, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inboxApi, useConversation, useMarkRead, useMessages, useUpdateConversation } from '../../api/inbox';
import {
  CONVERSATION_STATUSES,
  type Conversation,
  type ConversationStatus,
  type InboxMessage,
} from '../../api/inbox-types';
import type { Member } from '../../api/types';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { ContactOrdersPanel } from '../store/ContactOrdersPanel';
import { AiResponderBar } from './AiResponder';
import { contactName } from './ConversationList';
import { LabelsEditor } from './LabelsEditor';
import { MessageBubble } from './MessageBubble';
import { NotesPanel } from './NotesPanel';
import { ReplyBox, windowClosed } from './ReplyBox';
import { TicketsPanel } from './TicketsPanel';

/** Assignee, labels and status: who handles the conversation and where it stands. */
function ConversationControls({
  conversation,
  members,
}: {
  conversation: Conversation;
  members: Member[] | undefined;
}) {
  const { t } = useTranslation();
  const { tenantId, can, me } = useBusiness();
  const describe = useDescribeError();
  const update = useUpdateConversation(tenantId, conversation.id);
  const editable = can('conversations.reply');
  const onError = (error: unknown) => notify.error(describe(error));
  const resolved = conversation.status === 'resolved';
  const assigneeOptions = (members ?? [])
    .filter((member) => member.role !== 'analyst')
    .map((member) => ({
      value: member.userId,
      label: member.userId === me.user.id ? `${member.name} (${t('common.you')})` : member.name,
    }));

  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        label={t('inbox.assignee')}
        placeholder={t('inbox.unassigned')}
        data={assigneeOptions}
        value={conversation.assigneeId ?? null}
        clearable
        clearButtonProps={{ 'aria-label': t('inbox.clearAssignee') }}
        disabled={!editable}
        onChange={(value) => update.mutate({ assigneeId: value ?? null }, { onError })}
        w={{ base: '100%', xs: 200 }}
      />
      <Select
        label={t('inbox.statusLabel')}
        data={CONVERSATION_STATUSES.map((status) => ({ value: status, label: t(`inbox.statuses.${status}`) }))}
        value={conversation.status}
        allowDeselect={false}
        disabled={!editable}
        onChange={(value) => value && update.mutate({ status: value as ConversationStatus }, { onError })}
        w={{ base: '100%', xs: 150 }}
      />
      <LabelsEditor
        labels={conversation.labels}
        disabled={!editable}
        onChange={(labels) => update.mutate({ labels }, { onError })}
      />
      {editable && (
        <Button
          variant={resolved ? 'default' : 'filled'}
          loading={update.isPending}
          onClick={() =>
            update.mutate(
              { status: resolved ? 'open' : 'resolved' },
              {
                onSuccess: () => notify.success(resolved ? t('inbox.reopened') : t('inbox.resolvedDone')),
                onError,
              },
            )
          }
        >
          {resolved ? t('inbox.reopen') : t('inbox.resolve')}
        </Button>
      )}
    </Group>
  );
}

/** The messages, oldest first, kept at the bottom as new ones arrive (unless reading older ones). */
function ThreadMessages({ conversation, members }: { conversation: Conversation; members: Member[] | undefined }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const messages = useMessages(tenantId, conversation.id);
  // Pages before the newest one, asked for on demand and not polled (they no longer change
  // but for late ticks, which the newest page is where they matter).
  const [older, setOlder] = useState<{ messages: InboxMessage[]; cursor?: string | undefined }>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const log = useRef<HTMLDivElement>(null);
  const newest = messages.data?.messages ?? [];
  const count = newest.length;
  const olderCursor = older ? older.cursor : messages.data?.cursor;
  const nameOf = (userId: string | null | undefined) =>
    userId ? members?.find((member) => member.userId === userId)?.name : undefined;

  // Follow the newest message, unless the person scrolled up to read.
  const pinned = useRef(true);
  useLayoutEffect(() => {
    const element = log.current;
    if (element && pinned.current && count > 0) element.scrollTop = element.scrollHeight;
  }, [count]);

  const loadOlder = async () => {
    if (!olderCursor) return;
    setLoadingOlder(true);
    try {
      const page = await inboxApi.messages(tenantId, conversation.id, olderCursor);
      pinned.current = false;
      setOlder((known) => ({ messages: [...page.messages, ...(known?.messages ?? [])], cursor: page.cursor }));
    } catch (error) {
      notify.error(describe(error));
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <QueryState query={messages}>
      {(page) => {
        const shown = new Set(page.messages.map((message) => message.id));
        const all = [...(older?.messages ?? []).filter((message) => !shown.has(message.id)), ...page.messages];
        return all.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('inbox.noMessages')}
          </Text>
        ) : (
          <div
            ref={log}
            className="inbox-thread-log"
            role="log"
            aria-live="polite"
            aria-label={t('inbox.messagesOf', { name: contactName(conversation, t('inbox.unknownContact')) })}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1).
            tabIndex={0}
            data-testid="thread"
            onScroll={(event) => {
              const element = event.currentTarget;
              pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
            }}
          >
            {olderCursor && (
              <Group justify="center" mb="xs">
                <Button size="xs" variant="default" loading={loadingOlder} onClick={() => void loadOlder()}>
                  {t('inbox.olderMessages')}
                </Button>
              </Group>
            )}
            <ol className="inbox-thread-list">
              {all.map((message) => (
                <MessageBubble
                  key={message.id}
                  tenantId={tenantId}
                  conversationId={conversation.id}
                  message={message}
                  authorName={nameOf(message.authorId)}
                />
              ))}
            </ol>
          </div>
        );
      }}
    </QueryState>
  );
}

/** Reading a conversation marks it read (and, on WhatsApp, the customer's messages). */
function useReadWhileOpen(conversation: Conversation) {
  const { tenantId, can } = useBusiness();
  const markRead = useMarkRead(tenantId);
  const asked = useRef<string>('');
  useEffect(() => {
    if (!can('conversations.reply') || conversation.unreadCount === 0) return;
    // One request per new unread state, not one per poll.
    const state = `${conversation.id}:${conversation.lastMessageAt}`;
    if (asked.current === state) return;
    asked.current = state;
    markRead.mutate(conversation.id);
  }, [conversation.id, conversation.unreadCount, conversation.lastMessageAt, can, markRead]);
}

function WindowNote({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  if (!conversation.windowClosesAt || conversation.channel.kind === 'sandbox') return null;
  if (windowClosed(conversation)) {
    return (
      <Badge variant="light" color="yellow" c="gray.9">
        {t('inbox.windowClosedBadge')}
      </Badge>
    );
  }
  const hours = Math.max(1, Math.ceil((new Date(conversation.windowClosesAt).getTime() - Date.now()) / 3_600_000));
  return (
    <Badge variant="light" color="green" c="gray.9">
      {t('inbox.windowOpen', { count: hours })}
    </Badge>
  );
}

function LoadedThread({ conversation, members }: { conversation: Conversation; members: Member[] | undefined }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const [tab, setTab] = useState<string | null>('messages');
  const [manage, setManage] = useState(false);
  useReadWhileOpen(conversation);
  const name = contactName(conversation, t('inbox.unknownContact'));
  const details = [conversation.contact.name ? conversation.contact.phone : undefined, conversation.channel.label]
    .filter(Boolean)
    .join(' · ');

  return (
    <Stack gap="sm" data-testid="conversation" data-conversation-id={conversation.id}>
      <RouterAnchor to={`/b/${tenantId}/inbox${window.location.search}`} hiddenFrom="md" size="sm">
        ← {t('inbox.backToList')}
      </RouterAnchor>
      <Group justify="space-between" align="flex-start" gap="xs">
        <div>
          <Title order={2} size="h3">
            {name}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge variant="light" color="gray" c="gray.8">
              {t(`channels.kinds.${conversation.channel.kind}`)}
            </Badge>
            <WindowNote conversation={conversation} />
            {details && (
              <Text size="sm" c="gray.7">
                {details}
              </Text>
            )}
            {/* The customer's card: profile, consents and their data rights. */}
            <RouterAnchor to={`/b/${tenantId}/contacts/${encodeURIComponent(conversation.contact.id)}`} size="sm">
              {t('contacts.openContact')}
            </RouterAnchor>
          </Group>
        </div>
      </Group>
      {/* On a phone the controls fold away behind one button, so the thread starts on the first screen. */}
      <Button
        hiddenFrom="md"
        variant="default"
        size="xs"
        w="fit-content"
        aria-expanded={manage}
        aria-controls="conversation-controls"
        onClick={() => setManage((open) => !open)}
      >
        {manage ? t('inbox.hideManage') : t('inbox.manage')}
      </Button>
      <Box id="conversation-controls" display={{ base: manage ? 'block' : 'none', md: 'block' }}>
        <ConversationControls conversation={conversation} members={members} />
      </Box>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List aria-label={t('inbox.threadSections')}>
          <Tabs.Tab value="messages">{t('inbox.messages')}</Tabs.Tab>
          <Tabs.Tab value="notes">{t('inbox.notes')}</Tabs.Tab>
          <Tabs.Tab value="tickets">{t('inbox.tickets')}</Tabs.Tab>
          <Tabs.Tab value="orders">{t('store.panel.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="messages" pt="sm">
          <Stack gap="sm">
            <AiResponderBar conversationId={conversation.id} />
            <ThreadMessages conversation={conversation} members={members} />
            {can('conversations.reply') && <ReplyBox conversation={conversation} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="notes" pt="sm">
          <NotesPanel conversationId={conversation.id} members={members} />
        </Tabs.Panel>
        <Tabs.Panel value="tickets" pt="sm">
          <TicketsPanel conversationId={conversation.id} members={members} />
        </Tabs.Panel>
        <Tabs.Panel value="orders" pt="sm">
          <ContactOrdersPanel contactId={conversation.contact.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** One conversation: its header and controls, the thread with the reply box, notes and tickets. */
export function Thread({ conversationId, members }: { conversationId: string; members: Member[] | undefined }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const conversation = useConversation(tenantId, conversationId);
  return (
    <Box component="section" aria-label={t('inbox.conversation')}>
      <QueryState query={conversation}>
        {(loaded) => <LoadedThread conversation={loaded} members={members} />}
      </QueryState>
    </Box>
  );
}
