import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOpenTicket, useTickets, useUpdateTicket } from '../../api/inbox';
import { TICKET_STATUSES, type TicketStatus } from '../../api/inbox-types';
import type { Member } from '../../api/types';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * Handoff tickets of a conversation: opened by a person now (by the AI agent later), each with
 * its status and assignee.
 */
export function TicketsPanel({ conversationId, members }: { conversationId: string; members: Member[] | undefined }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();
  const tickets = useTickets(tenantId, conversationId);
  const open = useOpenTicket(tenantId, conversationId);
  const update = useUpdateTicket(tenantId);
  const [title, setTitle] = useState('');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const editable = can('conversations.reply');
  const onError = (error: unknown) => notify.error(describe(error));
  const people = (members ?? [])
    .filter((member) => member.role !== 'analyst')
    .map((member) => ({ value: member.userId, label: member.name }));
  const nameOf = (userId: string) => members?.find((member) => member.userId === userId)?.name ?? t('common.unknown');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    open.mutate(
      { title: title.trim(), assigneeId: assigneeId ?? undefined },
      {
        onSuccess: () => {
          setTitle('');
          setAssigneeId(null);
          notify.success(t('inbox.ticketOpened'));
        },
        onError,
      },
    );
  };

  return (
    <Stack gap="sm">
      <QueryState query={tickets}>
        {(all) => {
          const list = all.filter((ticket) => ticket.conversationId === conversationId);
          return list.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('inbox.noTickets')}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('inbox.tickets')}>
              {list.map((ticket) => (
                <Paper component="li" key={ticket.id} withBorder p="xs" data-testid="ticket">
                  <Group justify="space-between" gap="xs">
                    <Text size="sm" fw={600}>
                      {ticket.title}
                    </Text>
                    <Badge variant="light" color="gray" c="gray.8">
                      {ticket.openedBy?.kind === 'ai'
                        ? t('inbox.openedByAi')
                        : t('inbox.openedBy', { name: nameOf(ticket.openedBy.id) })}
                    </Badge>
                  </Group>
                  <Text size="xs" c="gray.7">
                    {formatDate(ticket.createdAt)}
                  </Text>
                  <Group gap="xs" mt="xs" align="flex-end">
                    <Select
                      size="xs"
                      label={t('inbox.ticketStatus')}
                      data={TICKET_STATUSES.map((status) => ({
                        value: status,
                        label: t(`inbox.ticketStatuses.${status}`),
                      }))}
                      value={ticket.status}
                      allowDeselect={false}
                      disabled={!editable}
                      onChange={(value) =>
                        value &&
                        update.mutate({ ticketId: ticket.id, patch: { status: value as TicketStatus } }, { onError })
                      }
                      w={150}
                    />
                    <Select
                      size="xs"
                      label={t('inbox.assignee')}
                      placeholder={t('inbox.unassigned')}
                      data={people}
                      value={ticket.assigneeId ?? null}
                      clearable
                      clearButtonProps={{ 'aria-label': t('inbox.clearAssignee') }}
                      disabled={!editable}
                      onChange={(value) =>
                        update.mutate({ ticketId: ticket.id, patch: { assigneeId: value ?? null } }, { onError })
                      }
                      w={180}
                    />
                  </Group>
                </Paper>
              ))}
            </Stack>
          );
        }}
      </QueryState>
      {editable && (
        <form onSubmit={submit} aria-label={t('inbox.openTicket')}>
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('inbox.ticketTitle')}
              required
              maxLength={200}
              value={title}
              onChange={(event) => setTitle(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Select
              label={t('inbox.assignee')}
              placeholder={t('inbox.unassigned')}
              data={people}
              value={assigneeId}
              clearable
              clearButtonProps={{ 'aria-label': t('inbox.clearAssignee') }}
              onChange={setAssigneeId}
              w={{ base: '100%', xs: 180 }}
            />
            <Button type="submit" variant="default" loading={open.isPending} disabled={!title.trim()}>
              {t('inbox.openTicket')}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
