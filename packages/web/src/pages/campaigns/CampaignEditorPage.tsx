import {
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useContentDraftChanges, useContentDrafts } from '../../api/ai-content';
import { useAudiencePreview } from '../../api/campaign-audience';
import {
  type CampaignPreviewAnswer,
  type CampaignTemplateOption,
  type CampaignView,
  MAX_SCHEDULE_DAYS,
  useCampaign,
  useCampaignChanges,
  useCampaignTemplates,
  type VariableSource,
} from '../../api/campaigns';
import { useChannels } from '../../api/channels';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { AudienceResult } from './AudienceCheck';
import { AudiencePicker, type AudienceSource } from './AudiencePicker';

/**
 * Composing a WhatsApp campaign: its name and number, the audience (lists or the inbox's WhatsApp
 * customers, checked as on the audience page), an approved MARKETING template with a value for
 * each of its variables, a preview of what the first customers would read, the holdout and the
 * attribution window, then send now or at a time. The draft is saved before a preview or a send,
 * so what is previewed is what is sent. After sending, the campaign's own page follows.
 */

type SourceKind = 'firstName' | 'name' | 'column' | 'fixed';

interface MappingRow {
  kind: SourceKind;
  /** The column header (column) or the text (fixed). */
  value: string;
  fallback: string;
}

const emptyRow = (): MappingRow => ({ kind: 'firstName', value: '', fallback: '' });

function rowOf(source: VariableSource): MappingRow {
  if (source.source === 'contact') return { kind: source.field, value: '', fallback: source.fallback };
  if (source.source === 'column') return { kind: 'column', value: source.column, fallback: source.fallback };
  return { kind: 'fixed', value: source.text, fallback: '' };
}

function sourceOf(row: MappingRow): VariableSource {
  if (row.kind === 'fixed') return { source: 'fixed', text: row.value.trim() };
  if (row.kind === 'column') return { source: 'column', column: row.value.trim(), fallback: row.fallback.trim() };
  return { source: 'contact', field: row.kind, fallback: row.fallback.trim() };
}

/** A `datetime-local` value (the browser's time zone) as an ISO instant. */
const instantOf = (local: string) => (local ? new Date(local).toISOString() : null);

function VariableRow({
  index,
  row,
  onChange,
}: {
  index: number;
  row: MappingRow;
  onChange: (row: MappingRow) => void;
}) {
  const { t } = useTranslation();
  const variable = `{{${index + 1}}}`;
  return (
    <Group grow align="flex-start" data-testid={`variable-row-${index + 1}`}>
      <Select
        label={t('campaignEditor.template.source', { variable })}
        data={[
          { value: 'firstName', label: t('campaignEditor.template.firstName') },
          { value: 'name', label: t('campaignEditor.template.fullName') },
          { value: 'column', label: t('campaignEditor.template.column') },
          { value: 'fixed', label: t('campaignEditor.template.fixed') },
        ]}
        value={row.kind}
        allowDeselect={false}
        onChange={(kind) => onChange({ ...row, kind: (kind ?? 'firstName') as SourceKind })}
      />
      {row.kind === 'column' && (
        <TextInput
          label={t('campaignEditor.template.columnName', { variable })}
          value={row.value}
          maxLength={100}
          required
          onChange={(event) => onChange({ ...row, value: event.currentTarget.value })}
        />
      )}
      {row.kind === 'fixed' ? (
        <TextInput
          label={t('campaignEditor.template.fixedText', { variable })}
          value={row.value}
          maxLength={1000}
          required
          onChange={(event) => onChange({ ...row, value: event.currentTarget.value })}
        />
      ) : (
        <TextInput
          label={t('campaignEditor.template.fallback', { variable })}
          description={t('campaignEditor.template.fallbackHint')}
          value={row.fallback}
          maxLength={60}
          onChange={(event) => onChange({ ...row, fallback: event.currentTarget.value })}
        />
      )}
    </Group>
  );
}

function PreviewTable({ answer }: { answer: CampaignPreviewAnswer }) {
  const { t } = useTranslation();
  if (answer.recipients.length === 0) return <Text size="sm">{t('campaignEditor.preview.empty')}</Text>;
  return (
    <Table striped withTableBorder aria-label={t('campaignEditor.preview.title')} data-testid="campaign-preview">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('campaignEditor.preview.recipient')}</Table.Th>
          <Table.Th scope="col">{t('campaignEditor.preview.text')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {answer.recipients.map((recipient) => (
          <Table.Tr key={recipient.contactId} data-testid="preview-recipient">
            <Table.Td>
              <Text size="sm" fw={600}>
                {recipient.name ?? '—'}
              </Text>
              <Text size="sm" c="dimmed">
                {recipient.phone ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
              {recipient.text ?? (
                <Text size="sm" c="red.8">
                  {t('campaignEditor.preview.missing', { n: recipient.emptyVariable ?? 0 })}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The AI content drafts' flow, for a campaign message: asked for here, reviewed in settings. */
function AiDraft({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const [brief, setBrief] = useState('');
  const [draftId, setDraftId] = useState<string | null>(null);
  const { ask } = useContentDraftChanges(tenantId);
  const drafts = useContentDrafts(tenantId);
  const draft = drafts.data?.drafts.find((one) => one.draftId === draftId);
  return (
    <SectionCard titleId="campaign-ai-title" title={t('campaignEditor.ai.title')} testId="campaign-ai-draft">
      <Textarea
        label={t('campaignEditor.ai.brief')}
        value={brief}
        maxLength={1000}
        autosize
        minRows={2}
        onChange={(event) => setBrief(event.currentTarget.value)}
      />
      <div>
        <Button
          variant="default"
          disabled={!brief.trim()}
          loading={ask.isPending}
          onClick={() =>
            ask.mutate(
              {
                kind: 'campaign-message',
                language: i18n.language === 'en' ? 'en' : 'tr',
                brief: brief.trim(),
                productIds: [],
              },
              { onSuccess: (asked) => setDraftId(asked.draftId) },
            )
          }
        >
          {t('campaignEditor.ai.ask')}
        </Button>
      </div>
      {ask.isError && <ErrorAlert error={ask.error} />}
      <div aria-live="polite">
        {draft?.status === 'writing' && <Text size="sm">{t('campaignEditor.ai.writing')}</Text>}
        {draft?.status === 'failed' && (
          <Alert color="red" variant="light">
            {t('campaignEditor.ai.failed')}
          </Alert>
        )}
        {draft && draft.status !== 'writing' && draft.status !== 'failed' && (
          <Stack gap="xs">
            <Textarea label={t('campaignEditor.ai.result')} value={draft.text} readOnly autosize minRows={3} />
            <Text size="sm" c="dimmed">
              {t('campaignEditor.ai.note')}
            </Text>
          </Stack>
        )}
      </div>
    </SectionCard>
  );
}

function Editor({ tenantId, existing }: { tenantId: string; existing: CampaignView | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const channels = useChannels(tenantId);
  const check = useAudiencePreview(tenantId);
  const changes = useCampaignChanges(tenantId);
  const [campaignId, setCampaignId] = useState<string | null>(existing?.campaignId ?? null);
  const [name, setName] = useState(existing?.name ?? '');
  const [channelId, setChannelId] = useState<string | null>(existing?.channelId ?? null);
  const [source, setSource] = useState<AudienceSource>(existing?.audience.kind ?? 'lists');
  const [listIds, setListIds] = useState<string[]>(
    existing?.audience.kind === 'lists' ? existing.audience.listIds : [],
  );
  const [labels, setLabels] = useState<string[]>(
    existing?.audience.kind === 'inbox' ? (existing.audience.filter.labels ?? []) : [],
  );
  const [consentedOnly, setConsentedOnly] = useState(
    existing?.audience.kind === 'inbox' ? existing.audience.filter.consent === 'granted' : true,
  );
  const [templateKey, setTemplateKey] = useState<string | null>(
    existing?.template ? `${existing.template.name}|${existing.template.language}` : null,
  );
  const [rows, setRows] = useState<MappingRow[]>(existing?.template?.variables.map(rowOf) ?? []);
  const [holdout, setHoldout] = useState<number>(existing?.holdoutPercent ?? 0);
  const [attribution, setAttribution] = useState<number>(existing?.attributionDays ?? 7);
  const [sendAt, setSendAt] = useState('');
  const [missingList, setMissingList] = useState(false);
  const templates = useCampaignTemplates(tenantId, channelId);
  const numbers = (channels.data ?? []).filter(
    (channel) => channel.kind === 'whatsapp' && channel.status !== 'disconnected',
  );
  const template: CampaignTemplateOption | undefined = templates.data?.templates.find(
    (option) => `${option.name}|${option.language}` === templateKey,
  );

  // One number: chosen for the merchant.
  useEffect(() => {
    if (!channelId && numbers.length === 1) setChannelId(numbers[0]?.externalId ?? null);
  }, [channelId, numbers]);

  // One mapping row per variable of the chosen template.
  useEffect(() => {
    if (!template) return;
    setRows((current) =>
      current.length === template.variables
        ? current
        : Array.from({ length: template.variables }, (_, index) => current[index] ?? emptyRow()),
    );
  }, [template]);

  const audience =
    source === 'lists'
      ? { kind: 'lists' as const, listIds }
      : {
          kind: 'inbox' as const,
          filter: {
            channels: ['whatsapp' as const],
            ...(labels.length > 0 && { labels }),
            ...(consentedOnly && { consent: 'granted' as const }),
          },
        };

  const draft = () => ({
    name: name.trim(),
    channelId: channelId ?? '',
    audience,
    template: template ? { name: template.name, language: template.language, variables: rows.map(sourceOf) } : null,
    holdoutPercent: holdout,
    attributionDays: attribution,
  });

  /** Saves the draft (created the first time) and answers its id. */
  const save = async (): Promise<string | null> => {
    if (source === 'lists' && listIds.length === 0) {
      setMissingList(true);
      return null;
    }
    setMissingList(false);
    const saved = campaignId
      ? await changes.update.mutateAsync({ campaignId, ...draft() })
      : await changes.create.mutateAsync(draft());
    setCampaignId(saved.campaignId);
    return saved.campaignId;
  };

  const run = (then: (id: string) => Promise<unknown> | undefined) => {
    void save()
      .then((id) => (id ? then(id) : undefined))
      .catch(() => undefined);
  };

  const sendTo = (at: string | null) =>
    run((id) =>
      changes.send
        .mutateAsync({ campaignId: id, at })
        .then((sent) => navigate(`/b/${tenantId}/campaigns/${sent.campaignId}`)),
    );

  const ready = Boolean(name.trim() && channelId);
  const saving = changes.create.isPending || changes.update.isPending;
  const saveError = changes.create.error ?? changes.update.error;

  return (
    <Stack gap="lg" data-testid="campaign-editor">
      <SectionCard titleId="campaign-basics-title" title={t('campaignEditor.basics')}>
        <TextInput
          label={t('campaignEditor.name')}
          value={name}
          maxLength={80}
          required
          onChange={(event) => setName(event.currentTarget.value)}
        />
        <QueryState query={channels}>
          {() =>
            numbers.length === 0 ? (
              <Alert color="yellow" variant="light">
                {t('campaignEditor.noNumber')}
              </Alert>
            ) : (
              <Select
                label={t('campaignEditor.number')}
                description={t('campaignEditor.numberHint')}
                data={numbers.map((channel) => ({ value: channel.externalId, label: channel.label }))}
                value={channelId}
                allowDeselect={false}
                required
                onChange={(value) => {
                  setChannelId(value);
                  setTemplateKey(null);
                }}
              />
            )
          }
        </QueryState>
      </SectionCard>

      <SectionCard titleId="campaign-audience-title" title={t('campaignEditor.audience.title')}>
        <AudiencePicker
          tenantId={tenantId}
          wording={{
            source: t('campaignEditor.audience.source'),
            fromLists: t('campaignEditor.audience.fromLists'),
            fromInbox: t('campaignEditor.audience.fromInbox'),
            noLists: t('campaignEditor.audience.noLists'),
            lists: t('campaignEditor.audience.lists'),
            chooseList: t('campaignEditor.audience.chooseList'),
            labels: t('campaignEditor.audience.labels'),
            consentedOnly: t('campaignEditor.audience.consentedOnly'),
          }}
          source={source}
          onSourceChange={(chosen) => {
            setSource(chosen);
            check.reset();
          }}
          listIds={listIds}
          onListIdsChange={(chosen) => {
            setListIds(chosen);
            check.reset();
          }}
          labels={labels}
          onLabelsChange={setLabels}
          consentedOnly={consentedOnly}
          onConsentedOnlyChange={setConsentedOnly}
          missingList={missingList}
        />
        <div>
          <Button
            variant="default"
            loading={check.isPending}
            onClick={() => {
              if (source === 'lists' && listIds.length === 0) return setMissingList(true);
              check.mutate({ audience });
            }}
          >
            {t('campaignEditor.audience.check')}
          </Button>
        </div>
        {check.isError && <ErrorAlert error={check.error} />}
        <div aria-live="polite">{check.data && <AudienceResult answer={check.data} />}</div>
      </SectionCard>

      <SectionCard titleId="campaign-message-title" title={t('campaignEditor.template.title')}>
        {channelId && (
          <QueryState query={templates}>
            {(answer) =>
              answer.templates.length === 0 ? (
                <Alert color="yellow" variant="light">
                  {t('campaignEditor.template.none')}
                </Alert>
              ) : (
                <Select
                  label={t('campaignEditor.template.label')}
                  description={t('campaignEditor.template.hint')}
                  data={answer.templates.map((option) => ({
                    value: `${option.name}|${option.language}`,
                    label: `${option.name} (${option.language})`,
                  }))}
                  value={templateKey}
                  onChange={setTemplateKey}
                  searchable
                />
              )
            }
          </QueryState>
        )}
        {template && (
          <>
            <Textarea
              label={t('campaignEditor.template.body')}
              value={template.body}
              readOnly
              autosize
              minRows={2}
              data-testid="template-body"
            />
            {rows.map((row, index) => (
              <VariableRow
                // The rows are the template's variables, in order.
                // biome-ignore lint/suspicious/noArrayIndexKey: one row per variable number, never reordered
                key={index}
                index={index}
                row={row}
                onChange={(next) => setRows((current) => current.map((old, i) => (i === index ? next : old)))}
              />
            ))}
          </>
        )}
        <div>
          <Button
            variant="default"
            disabled={!ready || !template}
            loading={changes.preview.isPending}
            onClick={() => run((id) => changes.preview.mutateAsync({ campaignId: id, count: 5 }))}
          >
            {t('campaignEditor.preview.run')}
          </Button>
        </div>
        {changes.preview.isError && <ErrorAlert error={changes.preview.error} />}
        <div aria-live="polite">{changes.preview.data && <PreviewTable answer={changes.preview.data} />}</div>
      </SectionCard>

      <AiDraft tenantId={tenantId} />

      <SectionCard titleId="campaign-options-title" title={t('campaignEditor.options.title')}>
        <Group grow align="flex-start">
          <NumberInput
            label={t('campaignEditor.options.holdout')}
            description={t('campaignEditor.options.holdoutHint')}
            value={holdout}
            min={0}
            max={50}
            allowDecimal={false}
            hideControls
            onChange={(value) => setHoldout(typeof value === 'number' ? value : 0)}
          />
          <NumberInput
            label={t('campaignEditor.options.attribution')}
            description={t('campaignEditor.options.attributionHint')}
            value={attribution}
            min={1}
            max={30}
            allowDecimal={false}
            hideControls
            onChange={(value) => setAttribution(typeof value === 'number' ? value : 7)}
          />
        </Group>
      </SectionCard>

      <SectionCard titleId="campaign-send-title" title={t('campaignEditor.send.title')}>
        {!template && (
          <Text size="sm" c="dimmed">
            {t('campaignEditor.send.chooseTemplate')}
          </Text>
        )}
        <Group align="flex-end">
          <Button variant="default" disabled={!ready} loading={saving} onClick={() => run(async () => undefined)}>
            {t('campaignEditor.send.save')}
          </Button>
          <Button disabled={!ready || !template} loading={changes.send.isPending} onClick={() => sendTo(null)}>
            {t('campaignEditor.send.now')}
          </Button>
        </Group>
        <Group align="flex-end">
          <TextInput
            type="datetime-local"
            label={t('campaignEditor.send.at')}
            description={t('campaignEditor.send.atHint', { days: MAX_SCHEDULE_DAYS })}
            value={sendAt}
            onChange={(event) => setSendAt(event.currentTarget.value)}
          />
          <Button
            variant="default"
            disabled={!ready || !template || !sendAt}
            loading={changes.send.isPending}
            onClick={() => sendTo(instantOf(sendAt))}
          >
            {t('campaignEditor.send.schedule')}
          </Button>
        </Group>
        {campaignId && !saveError && (changes.create.isSuccess || changes.update.isSuccess) && (
          <Text size="sm" aria-live="polite">
            {t('campaignEditor.send.saved')}
          </Text>
        )}
        {saveError && <ErrorAlert error={saveError} />}
        {changes.send.isError && <ErrorAlert error={changes.send.error} />}
      </SectionCard>
    </Stack>
  );
}

/** `/b/:tenantId/campaigns/new`, and `/b/:tenantId/campaigns/:campaignId/edit` for a draft. */
export function CampaignEditorPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { campaignId } = useParams();
  const campaign = useCampaign(tenantId, campaignId);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/b/${tenantId}/campaigns`} size="sm">
        {t('campaignEditor.back')}
      </Anchor>
      <PageHeader
        title={campaignId ? t('campaignEditor.editTitle') : t('campaignEditor.title')}
        description={t('campaignEditor.description')}
      />
      {!can('campaigns.send') ? (
        <RoleNote>{t('campaignLists.managersOnly')}</RoleNote>
      ) : campaignId ? (
        <QueryState query={campaign}>
          {(existing) =>
            existing.state === 'draft' ? (
              <Editor tenantId={tenantId} existing={existing} />
            ) : (
              <Alert color="yellow" variant="light">
                {t('campaignEditor.notDraft')}
              </Alert>
            )
          }
        </QueryState>
      ) : (
        <Editor tenantId={tenantId} existing={null} />
      )}
    </Stack>
  );
}
