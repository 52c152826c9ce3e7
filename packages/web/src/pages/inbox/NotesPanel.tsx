import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddNote, useNotes } from '../../api/inbox';
import type { Member } from '../../api/types';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';

/** Private notes of the team on a conversation: the customer never sees them. */
export function NotesPanel({ conversationId, members }: { conversationId: string; members: Member[] | undefined }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();
  const notes = useNotes(tenantId, conversationId);
  const add = useAddNote(tenantId, conversationId);
  const [text, setText] = useState('');
  const nameOf = (userId: string) => members?.find((member) => member.userId === userId)?.name ?? t('common.unknown');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    add.mutate(text.trim(), {
      onSuccess: () => setText(''),
      onError: (error) => notify.error(describe(error)),
    });
  };

  return (
    <Stack gap="sm">
      <Text size="sm" c="gray.7">
        {t('inbox.notesPrivate')}
      </Text>
      <QueryState query={notes}>
        {(list) =>
          list.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('inbox.noNotes')}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('inbox.notes')}>
              {list.map((note) => (
                <Paper component="li" key={note.id} withBorder p="xs" bg="yellow.0" data-testid="note">
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {note.text}
                  </Text>
                  <Text size="xs" c="gray.7" mt={4}>
                    {nameOf(note.authorId)} · {formatDate(note.createdAt)}
                  </Text>
                </Paper>
              ))}
            </Stack>
          )
        }
      </QueryState>
      {can('conversations.reply') && (
        <form onSubmit={submit} aria-label={t('inbox.addNote')}>
          <Textarea
            label={t('inbox.newNote')}
            autosize
            minRows={2}
            maxLength={4000}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
          />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" variant="default" loading={add.isPending} disabled={!text.trim()}>
              {t('inbox.addNote')}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
