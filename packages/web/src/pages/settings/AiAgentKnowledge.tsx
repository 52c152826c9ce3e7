import { MAX_KNOWLEDGE_BODY_CHARS, MAX_KNOWLEDGE_TITLE_CHARS } from '@asistone/contract/ai';
import { Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type KnowledgeEntryView, useKnowledge, useKnowledgeChanges } from '../../api/ai-settings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';

type Draft = { title: string; body: string };

function EntryForm({
  initial,
  testId,
  pending,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: Draft;
  testId: string;
  pending: boolean;
  submitLabel: string;
  onSubmit: (draft: Draft, reset: () => void) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  return (
    <form
      noValidate
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(draft, () => setDraft({ title: '', body: '' }));
      }}
    >
      <Stack gap="xs">
        <TextInput
          label={t('ai.settings.entryTitle')}
          required
          maxLength={MAX_KNOWLEDGE_TITLE_CHARS}
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.currentTarget.value })}
        />
        <Textarea
          label={t('ai.settings.entryBody')}
          description={t('ai.settings.chars', { count: draft.body.length, max: MAX_KNOWLEDGE_BODY_CHARS })}
          required
          autosize
          minRows={3}
          maxLength={MAX_KNOWLEDGE_BODY_CHARS}
          value={draft.body}
          onChange={(e) => setDraft({ ...draft, body: e.currentTarget.value })}
        />
        <Group justify="flex-end" gap="xs">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('ai.settings.cancel')}
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Entry({
  entry,
  canChange,
  changes,
}: {
  entry: KnowledgeEntryView;
  canChange: boolean;
  changes: ReturnType<typeof useKnowledgeChanges>;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ai-knowledge-entry">
      {editing ? (
        <EntryForm
          initial={{ title: entry.title, body: entry.body }}
          testId="ai-knowledge-edit"
          pending={changes.update.isPending}
          submitLabel={t('ai.settings.saveEntry')}
          onCancel={() => setEditing(false)}
          onSubmit={(draft) =>
            changes.update.mutate(
              { entryId: entry.entryId, ...draft },
              {
                onSuccess: () => {
                  setEditing(false);
                  notify.success(t('ai.settings.entrySaved'));
                },
              },
            )
          }
        />
      ) : (
        <Stack gap={4}>
          <Group justify="space-between" wrap="nowrap" align="start">
            <Title order={4} size="h6">
              {entry.title}
            </Title>
            {canChange && (
              <Group gap="xs" wrap="nowrap">
                <Button
                  size="xs"
                  variant="default"
                  aria-label={t('ai.settings.editLabel', { title: entry.title })}
                  onClick={() => setEditing(true)}
                >
                  {t('ai.settings.edit')}
                </Button>
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  c="red.9"
                  aria-label={t('ai.settings.deleteLabel', { title: entry.title })}
                  loading={changes.remove.isPending && changes.remove.variables === entry.entryId}
                  onClick={() =>
                    changes.remove.mutate(entry.entryId, {
                      onSuccess: () => notify.success(t('ai.settings.entryDeleted')),
                    })
                  }
                >
                  {t('ai.settings.delete')}
                </Button>
              </Group>
            )}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {entry.body}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

/** The knowledge base the agent answers from: a list to read, and for owners and admins to edit. */
export function AiAgentKnowledge({ tenantId, canChange }: { tenantId: string; canChange: boolean }) {
  const { t } = useTranslation();
  const knowledge = useKnowledge(tenantId);
  const changes = useKnowledgeChanges(tenantId);
  const error = changes.add.error ?? changes.update.error ?? changes.remove.error;
  return (
    <SectionCard title={t('ai.settings.knowledge')} titleId="ai-knowledge-title" testId="ai-knowledge">
      <Text size="sm" c="dimmed">
        {t('ai.settings.knowledgeDescription')}
      </Text>
      {error && <ErrorAlert error={error} />}
      <QueryState query={knowledge}>
        {(data) => (
          <Stack gap="sm">
            {data.entries.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('ai.settings.knowledgeEmpty')}
              </Text>
            )}
            {data.entries.map((entry) => (
              <Entry key={entry.entryId} entry={entry} canChange={canChange} changes={changes} />
            ))}
          </Stack>
        )}
      </QueryState>
      {canChange && (
        <EntryForm
          initial={{ title: '', body: '' }}
          testId="ai-knowledge-add"
          pending={changes.add.isPending}
          submitLabel={t('ai.settings.addEntry')}
          onSubmit={(draft, reset) =>
            changes.add.mutate(draft, {
              onSuccess: () => {
                reset();
                notify.success(t('ai.settings.entryAdded'));
              },
            })
          }
        />
      )}
    </SectionCard>
  );
}
