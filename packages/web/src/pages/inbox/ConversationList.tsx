import { Badge, Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { inboxApi, useConversations } from '../../api/inbox';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  CONVERSATION_STATUSES,
  type Conversation,
  type ConversationFilters,
  type ConversationStatus,
} from '../../api/inbox-types';
import type { Member } from '../../api/types';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useMessageTime } from './MessageBubble';

/** A conversation's name on screen: the customer's name, else their number or handle. */
export function contactName(conversation: Conversation, unknown: string): string {
  const { contact } = conversation;
  return contact.name || contact.phone || (contact.handle ? `@${contact.handle}` : '') || unknown;
}

/** The filters live in the address (`?status=open&q=...`), so they survive opening a thread on a phone. */
export function filtersFrom(search: URLSearchParams): ConversationFilters {
  const channel = search.get('channel');
  const status = search.get('status');
  return {
    channel: CHANNEL_KINDS.includes(channel as ChannelKind) ? (channel as ChannelKind) : undefined,
    status: CONVERSATION_STATUSES.includes(status as ConversationStatus) ? (status as ConversationStatus) : undefined,
    assignee: search.get('assignee') ?? undefined,
    label: search.get('label') ?? undefined,
    unread: search.get('unread') === 'true' || undefined,
    q: search.get('q') ?? undefined,
  };
}

export function searchOf(filters: ConversationFilters): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface FiltersProps {
  filters: ConversationFilters;
  members: Member[] | undefined;
  onChange(filters: ConversationFilters): void;
}

/** Search by name or phone, and the channel, status, assignee, label and unread filters. */
function Filters({ filters, members, onChange }: FiltersProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(filters.q ?? '');
  const [debounced] = useDebouncedValue(text, 300);
  const [open, setOpen] = useState(false);
  const active = [filters.channel, filters.status, filters.assignee, filters.label, filters.unread].filter(
    Boolean,
  ).length;

  useEffect(() => {
    if ((filters.q ?? '') !== debounced) onChange({ ...filters, q: debounced || undefined });
  }, [debounced, filters, onChange]);

  return (
    <Stack gap="xs" mb="sm">
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          type="search"
          label={t('inbox.search')}
          placeholder={t('inbox.searchPlaceholder')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button
          variant="default"
          aria-expanded={open}
          aria-controls="inbox-filters"
          onClick={() => setOpen((value) => !value)}
        >
          {active > 0 ? t('inbox.filtersActive', { count: active }) : t('inbox.filters')}
        </Button>
      </Group>
      <Stack
        gap="xs"
        id="inbox-filters"
        display={open ? undefined : 'none'}
        role="group"
        aria-label={t('inbox.filters')}
      >
        <Select
          label={t('inbox.channel')}
          placeholder={t('inbox.anyChannel')}
          clearable
          clearButtonProps={{ 'aria-label': t('inbox.clearFilter', { filter: t('inbox.channel') }) }}
          data={CHANNEL_KINDS.map((kind) => ({ value: kind, label: t(`channels.kinds.${kind}`) }))}
          value={filters.channel ?? null}
          onChange={(value) => onChange({ ...filters, channel: (value as ChannelKind) ?? undefined })}
        />
        <Select
          label={t('inbox.statusLabel')}
          placeholder={t('inbox.anyStatus')}
          clearable
          clearButtonProps={{ 'aria-label': t('inbox.clearFilter', { filter: t('inbox.statusLabel') }) }}
          data={CONVERSATION_STATUSES.map((status) => ({ value: status, label: t(`inbox.statuses.${status}`) }))}
          value={filters.status ?? null}
          onChange={(value) => onChange({ ...filters, status: (value as ConversationStatus) ?? undefined })}
        />
        <Select
          label={t('inbox.assignee')}
          placeholder={t('inbox.anyAssignee')}
          clearable
          clearButtonProps={{ 'aria-label': t('inbox.clearFilter', { filter: t('inbox.assignee') }) }}
          data={[
            { value: 'me', label: t('inbox.assignedToMe') },
            { value: 'none', label: t('inbox.unassigned') },
            ...(members ?? []).map((member) => ({ value: member.userId, label: member.name })),
          ]}
          value={filters.assignee ?? null}
          onChange={(value) => onChange({ ...filters, assignee: value ?? undefined })}
        />
        <TextInput
          label={t('inbox.label')}
          placeholder={t('inbox.anyLabel')}
          value={filters.label ?? ''}
          onChange={(event) => onChange({ ...filters, label: event.currentTarget.value.trim() || undefined })}
        />
        <Checkbox
          label={t('inbox.onlyUnread')}
          checked={Boolean(filters.unread)}
          onChange={(event) => onChange({ ...filters, unread: event.currentTarget.checked || undefined })}
        />
      </Stack>
    </Stack>
  );
}

interface ConversationListProps {
  tenantId: string;
  filters: ConversationFilters;
  selectedId: string | undefined;
  members: Member[] | undefined;
  onFiltersChange(filters: ConversationFilters): void;
}

/** The conversations, newest first, polled so a new message moves its conversation up at once. */
export function ConversationList({ tenantId, filters, selectedId, members, onFiltersChange }: ConversationListProps) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  const conversations = useConversations(tenantId, filters);
  const timeOf = useMessageTime();
  const search = searchOf(filters);
  // Pages after the first, asked for on demand; the first page is the polled one.
  const [more, setMore] = useState<{ key: string; conversations: Conversation[]; cursor?: string | undefined }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more?.key === search ? more : undefined;
  const nextCursor = extra ? extra.cursor : conversations.data?.cursor;
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await inboxApi.conversations(tenantId, filters, nextCursor);
      setMore({
        key: search,
        conversations: [...(extra?.conversations ?? []), ...page.conversations],
        cursor: page.cursor,
      });
    } catch (error) {
      notify.error(describe(error));
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <>
      <Filters filters={filters} members={members} onChange={onFiltersChange} />
      <QueryState query={conversations}>
        {(first) => {
          const seen = new Set(first.conversations.map((conversation) => conversation.id));
          const page = {
            conversations: [
              ...first.conversations,
              ...(extra?.conversations ?? []).filter((conversation) => !seen.has(conversation.id)),
            ],
          };
          return page.conversations.length === 0 ? (
            <Text c="dimmed" size="sm" role="status">
              {Object.values(filters).some(Boolean) ? t('inbox.noMatches') : t('inbox.empty')}
            </Text>
          ) : (
            <Stack
              component="ul"
              gap={2}
              p={0}
              m={0}
              style={{ listStyle: 'none' }}
              aria-label={t('inbox.listTitle')}
              data-testid="conversation-list"
            >
              {page.conversations.map((conversation) => {
                const name = contactName(conversation, t('inbox.unknownContact'));
                const current = conversation.id === selectedId;
                return (
                  <li key={conversation.id}>
                    <Link
                      className="inbox-row"
                      to={`/b/${tenantId}/inbox/${encodeURIComponent(conversation.id)}${search}`}
                      aria-current={current ? 'page' : undefined}
                      data-testid="conversation-row"
                      data-conversation-id={conversation.id}
                    >
                      <Group justify="space-between" gap="xs" wrap="nowrap">
                        <Text size="sm" fw={conversation.unreadCount > 0 ? 700 : 500} truncate>
                          {name}
                        </Text>
                        <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
                          {timeOf(conversation.lastMessageAt)}
                        </Text>
                      </Group>
                      <Group justify="space-between" gap="xs" wrap="nowrap">
                        <Text size="sm" c="gray.7" truncate>
                          {conversation.preview ?? ''}
                        </Text>
                        {conversation.unreadCount > 0 && (
                          <Badge
                            size="sm"
                            circle
                            color="blue.8"
                            aria-label={t('inbox.unread', { count: conversation.unreadCount })}
                          >
                            {conversation.unreadCount}
                          </Badge>
                        )}
                      </Group>
                      <Group gap={4} mt={2}>
                        <Badge size="xs" variant="light" color="gray" c="gray.8">
                          {t(`channels.kinds.${conversation.channel.kind}`)}
                        </Badge>
                        {conversation.status !== 'open' && (
                          <Badge size="xs" variant="light" color="gray" c="gray.8">
                            {t(`inbox.statuses.${conversation.status}`)}
                          </Badge>
                        )}
                        {conversation.labels.map((label) => (
                          <Badge key={label} size="xs" variant="outline" color="gray.7" c="gray.8" tt="none">
                            {label}
                          </Badge>
                        ))}
                      </Group>
                    </Link>
                  </li>
                );
              })}
              {nextCursor && (
                <li>
                  <Button variant="default" fullWidth mt="xs" loading={loadingMore} onClick={() => void loadMore()}>
                    {t('inbox.moreConversations')}
                  </Button>
                </li>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
}
