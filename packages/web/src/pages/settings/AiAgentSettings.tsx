import {
  AGENT_CHANNELS,
  AGENT_LANGUAGES,
  AGENT_TONES,
  type AgentTone,
  BUSINESS_HOURS_ANSWER,
  MAX_PROMPT_CHARS,
  REPLY_CHARS,
} from '@asistone/contract/ai';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AgentSettings,
  type AgentVersionView,
  useAgentSettings,
  useAgentVersions,
  useRestoreAgent,
  useSaveAgent,
} from '../../api/ai-settings';
import { useMembers } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { AiAgentKnowledge } from './AiAgentKnowledge';
import { TryDraftButton } from './AiAgentTryDraft';
import { AiContentDrafts } from './AiContentDrafts';

type Guardrails = AgentSettings['guardrails'];
type Hours = NonNullable<Guardrails['businessHours']>;
type Day = Hours['days'][number]['day'];
const DAYS: readonly Day[] = [1, 2, 3, 4, 5, 6, 0];
const DEFAULT_HOURS: Hours = {
  timezone: 'Europe/Istanbul',
  answer: 'within',
  days: [1, 2, 3, 4, 5].map((day) => ({ day: day as Day, from: '09:00', to: '18:00' })),
};

/** Only the settings of a version: the API refuses any other field on a save. */
function settingsOf({ enabled, channels, prompt, guardrails, model }: AgentSettings): AgentSettings {
  return { enabled, channels, prompt, guardrails, model };
}

function BusinessHours({
  value,
  disabled,
  onChange,
}: {
  value: Guardrails['businessHours'];
  disabled: boolean;
  onChange: (next: Guardrails['businessHours']) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Switch
        label={t('ai.settings.businessHours')}
        checked={value !== undefined}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.checked ? DEFAULT_HOURS : undefined)}
        data-testid="ai-business-hours"
      />
      {value && (
        <>
          <Select
            label={t('ai.settings.hoursAnswer')}
            data={BUSINESS_HOURS_ANSWER.map((answer) => ({
              value: answer,
              label: t(`ai.settings.hoursAnswers.${answer}`),
            }))}
            value={value.answer}
            disabled={disabled}
            allowDeselect={false}
            onChange={(answer) => answer && onChange({ ...value, answer: answer as Hours['answer'] })}
            maw={420}
            data-testid="ai-hours-answer"
          />
          <TextInput
            label={t('ai.settings.timezone')}
            value={value.timezone}
            disabled={disabled}
            onChange={(e) => onChange({ ...value, timezone: e.currentTarget.value })}
            maw={280}
          />
          {DAYS.map((day) => {
            const span = value.days.find((d) => d.day === day);
            const setSpan = (next: { from: string; to: string } | undefined) =>
              onChange({
                ...value,
                days: [...value.days.filter((d) => d.day !== day), ...(next ? [{ day, ...next }] : [])].sort(
                  (a, b) => a.day - b.day,
                ),
              });
            return (
              <Group key={day} gap="sm" align="end">
                <Checkbox
                  w={130}
                  label={t(`ai.settings.day.${day}`)}
                  checked={span !== undefined}
                  disabled={disabled}
                  onChange={(e) => setSpan(e.currentTarget.checked ? { from: '09:00', to: '18:00' } : undefined)}
                />
                {span && (
                  <>
                    <TextInput
                      type="time"
                      size="xs"
                      label={`${t(`ai.settings.day.${day}`)} · ${t('ai.settings.from')}`}
                      value={span.from}
                      disabled={disabled}
                      onChange={(e) => setSpan({ ...span, from: e.currentTarget.value })}
                    />
                    <TextInput
                      type="time"
                      size="xs"
                      label={`${t(`ai.settings.day.${day}`)} · ${t('ai.settings.to')}`}
                      value={span.to}
                      disabled={disabled}
                      onChange={(e) => setSpan({ ...span, to: e.currentTarget.value })}
                    />
                  </>
                )}
              </Group>
            );
          })}
        </>
      )}
    </Stack>
  );
}

function GuardrailsForm({
  value,
  disabled,
  onChange,
}: {
  value: Guardrails;
  disabled: boolean;
  onChange: (next: Guardrails) => void;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof Guardrails>(key: K, next: Guardrails[K]) => onChange({ ...value, [key]: next });
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('ai.settings.guardrails')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TagsInput
            label={t('ai.settings.allowedTopics')}
            description={t('ai.settings.topicsHint')}
            value={value.allowedTopics}
            disabled={disabled}
            onChange={(topics) => set('allowedTopics', topics)}
          />
          <TagsInput
            label={t('ai.settings.forbiddenTopics')}
            description={t('ai.settings.topicsHint')}
            value={value.forbiddenTopics}
            disabled={disabled}
            onChange={(topics) => set('forbiddenTopics', topics)}
          />
          <Select
            label={t('ai.settings.tone')}
            data={AGENT_TONES.map((tone) => ({ value: tone, label: t(`ai.settings.toneOption.${tone}`) }))}
            value={value.tone}
            allowDeselect={false}
            disabled={disabled}
            onChange={(tone) => tone && set('tone', tone as AgentTone)}
          />
          <Checkbox.Group
            label={t('ai.settings.languages')}
            value={value.languages}
            onChange={(picked) =>
              set(
                'languages',
                AGENT_LANGUAGES.filter((language) => picked.includes(language)),
              )
            }
          >
            <Group gap="md" mt={4}>
              {AGENT_LANGUAGES.map((language) => (
                <Checkbox
                  key={language}
                  value={language}
                  disabled={disabled}
                  label={t(`ai.settings.language.${language}`)}
                />
              ))}
            </Group>
          </Checkbox.Group>
          <NumberInput
            hideControls
            label={t('ai.settings.maxReplyChars')}
            min={REPLY_CHARS.min}
            max={REPLY_CHARS.max}
            allowDecimal={false}
            value={value.maxReplyChars}
            disabled={disabled}
            onChange={(n) => set('maxReplyChars', typeof n === 'number' ? n : REPLY_CHARS.default)}
            data-testid="ai-max-reply-chars"
          />
          <NumberInput
            hideControls
            label={t('ai.settings.maxDiscountPercent')}
            description={t('ai.settings.maxDiscountHint')}
            min={0}
            max={100}
            value={value.maxDiscountPercent}
            disabled={disabled}
            onChange={(n) => set('maxDiscountPercent', typeof n === 'number' ? n : 0)}
          />
        </SimpleGrid>
        <Switch
          label={t('ai.settings.mayPromiseDelivery')}
          checked={value.mayPromiseDelivery}
          disabled={disabled}
          onChange={(e) => set('mayPromiseDelivery', e.currentTarget.checked)}
        />
        <BusinessHours
          value={value.businessHours}
          disabled={disabled}
          onChange={(businessHours) => {
            const { businessHours: _old, ...rest } = value;
            onChange(businessHours ? { ...rest, businessHours } : rest);
          }}
        />
        <Title order={4} size="h6">
          {t('ai.settings.handoff')}
        </Title>
        <Checkbox
          label={t('ai.settings.onRequestForPerson')}
          checked={value.handoff.onRequestForPerson}
          disabled={disabled}
          onChange={(e) => set('handoff', { ...value.handoff, onRequestForPerson: e.currentTarget.checked })}
        />
        <Checkbox
          label={t('ai.settings.onAnger')}
          checked={value.handoff.onAnger}
          disabled={disabled}
          onChange={(e) => set('handoff', { ...value.handoff, onAnger: e.currentTarget.checked })}
        />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TagsInput
            label={t('ai.settings.onSensitiveTopics')}
            description={t('ai.settings.topicsHint')}
            value={value.handoff.onSensitiveTopics}
            disabled={disabled}
            onChange={(topics) => set('handoff', { ...value.handoff, onSensitiveTopics: topics })}
          />
          <NumberInput
            hideControls
            label={t('ai.settings.minConfidence')}
            description={t('ai.settings.minConfidenceHint')}
            min={0}
            max={1}
            step={0.1}
            decimalScale={2}
            value={value.handoff.minConfidence}
            disabled={disabled}
            onChange={(n) => set('handoff', { ...value.handoff, minConfidence: typeof n === 'number' ? n : 0.5 })}
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function AgentForm({ tenantId, initial, canChange }: { tenantId: string; initial: AgentSettings; canChange: boolean }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState(initial);
  const [note, setNote] = useState('');
  const save = useSaveAgent(tenantId);
  const disabled = !canChange;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { ...settings, ...(note.trim() && { note: note.trim() }) },
          { onSuccess: (saved) => notify.success(t('ai.settings.saved', { version: saved.version })) },
        );
      }}
    >
      <Stack gap="md">
        {save.isError && <ErrorAlert error={save.error} />}
        <Switch
          size="md"
          label={t('ai.settings.enabled')}
          description={t('ai.settings.enabledHint')}
          checked={settings.enabled}
          disabled={disabled}
          onChange={(e) => setSettings({ ...settings, enabled: e.currentTarget.checked })}
          data-testid="ai-enabled"
        />
        <Checkbox.Group
          label={t('ai.settings.channels')}
          value={settings.channels}
          onChange={(picked) =>
            setSettings({ ...settings, channels: AGENT_CHANNELS.filter((channel) => picked.includes(channel)) })
          }
        >
          <Group gap="md" mt={4}>
            {AGENT_CHANNELS.map((channel) => (
              <Checkbox key={channel} value={channel} disabled={disabled} label={t(`ai.settings.channel.${channel}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Textarea
          label={t('ai.settings.prompt')}
          description={`${t('ai.settings.promptHint')} ${t('ai.settings.chars', { count: settings.prompt.length, max: MAX_PROMPT_CHARS })}`}
          autosize
          minRows={4}
          maxLength={MAX_PROMPT_CHARS}
          value={settings.prompt}
          disabled={disabled}
          onChange={(e) => setSettings({ ...settings, prompt: e.currentTarget.value })}
          data-testid="ai-prompt"
        />
        <GuardrailsForm
          value={settings.guardrails}
          disabled={disabled}
          onChange={(guardrails) => setSettings({ ...settings, guardrails })}
        />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput
            label={t('ai.settings.model')}
            description={t('ai.settings.modelHint')}
            value={settings.model}
            disabled={disabled}
            onChange={(e) => setSettings({ ...settings, model: e.currentTarget.value })}
          />
          <TextInput
            label={t('ai.settings.note')}
            value={note}
            maxLength={200}
            disabled={disabled}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="ai-note"
          />
        </SimpleGrid>
        {canChange && (
          <Group justify="flex-end">
            <TryDraftButton tenantId={tenantId} settings={settingsOf(settings)} />
            <Button type="submit" loading={save.isPending}>
              {t('ai.settings.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function Versions({ tenantId, canChange }: { tenantId: string; canChange: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const versions = useAgentVersions(tenantId);
  const members = useMembers(tenantId);
  const restore = useRestoreAgent(tenantId);
  const nameOf = (userId: string) => members.data?.find((m) => m.userId === userId)?.name ?? userId;
  return (
    <SectionCard title={t('ai.settings.versions')} titleId="ai-versions-title" testId="ai-versions">
      {restore.isError && <ErrorAlert error={restore.error} />}
      <QueryState query={versions}>
        {(data) =>
          data.versions.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('ai.settings.versionsEmpty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('ai.settings.versionColumn')}</Table.Th>
                    <Table.Th>{t('ai.settings.stateColumn')}</Table.Th>
                    <Table.Th>{t('ai.settings.byColumn')}</Table.Th>
                    <Table.Th>{t('ai.settings.atColumn')}</Table.Th>
                    <Table.Th>{t('ai.settings.noteColumn')}</Table.Th>
                    {canChange && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.versions.map((version: AgentVersionView, index: number) => (
                    <Table.Tr key={version.version} data-testid={`ai-version-${version.version}`}>
                      <Table.Td>
                        <Group gap={6}>
                          <Text size="sm">{version.version}</Text>
                          {index === 0 && (
                            <Badge variant="light" c="gray.9">
                              {t('ai.settings.inForce')}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{version.enabled ? t('ai.settings.on') : t('ai.settings.off')}</Table.Td>
                      <Table.Td>{nameOf(version.createdBy)}</Table.Td>
                      <Table.Td>{formatDate(version.createdAt)}</Table.Td>
                      <Table.Td>
                        {version.restoredFrom !== null
                          ? t('ai.settings.restoredFrom', { version: version.restoredFrom })
                          : (version.note ?? '')}
                      </Table.Td>
                      {canChange && (
                        <Table.Td>
                          {index > 0 && (
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={t('ai.settings.restoreLabel', { version: version.version })}
                              loading={restore.isPending && restore.variables === version.version}
                              onClick={() =>
                                restore.mutate(version.version, {
                                  onSuccess: (made) =>
                                    notify.success(
                                      t('ai.settings.restored', { from: version.version, version: made.version }),
                                    ),
                                })
                              }
                            >
                              {t('ai.settings.restore')}
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </SectionCard>
  );
}

/**
 * Settings › AI agent: on/off, channels, the merchant's instructions, the guardrails and the
 * model, saved as numbered versions that can be restored; and the knowledge base it answers
 * from. Agents see it all read-only (the API refuses their changes anyway).
 */
export function AiAgentSettings() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const canChange = can('integrations.manage');
  const agent = useAgentSettings(tenantId);
  return (
    <Stack gap="md">
      <SectionCard title={t('ai.settings.title')} titleId="ai-agent-title" testId="ai-agent-settings">
        <Text size="sm" c="dimmed">
          {t('ai.settings.description')}
        </Text>
        {!canChange && (
          <Alert color="blue" variant="light">
            {t('ai.settings.readOnly')}
          </Alert>
        )}
        <QueryState query={agent}>
          {(data) => (
            <Stack gap="sm">
              <Group gap="xs">
                <Badge
                  color={data.current?.enabled ? 'green' : 'gray'}
                  variant="light"
                  c="gray.9"
                  data-testid="ai-state"
                >
                  {data.current === null
                    ? t('ai.settings.never')
                    : data.current.enabled
                      ? t('ai.settings.on')
                      : t('ai.settings.off')}
                </Badge>
              </Group>
              <AgentForm
                key={data.current?.version ?? 'defaults'}
                tenantId={tenantId}
                initial={settingsOf(data.current ?? data.defaults)}
                canChange={canChange}
              />
            </Stack>
          )}
        </QueryState>
      </SectionCard>
      <Versions tenantId={tenantId} canChange={canChange} />
      <AiAgentKnowledge tenantId={tenantId} canChange={canChange} />
      {can('campaigns.send') && <AiContentDrafts tenantId={tenantId} />}
    </Stack>
  );
}
