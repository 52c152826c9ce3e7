import {
  CONTENT_CHARS,
  CONTENT_KINDS,
  MAX_CONTENT_BRIEF_CHARS,
  MAX_CONTENT_PRODUCTS,
} from '@asistone/contract/ai-content';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  MultiSelect,
  NativeSelect,
  Paper,
  Pill,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ContentDraftView,
  type ContentKind,
  useContentDraftChanges,
  useContentDrafts,
  useDraftProducts,
} from '../../api/ai-content';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';

const KNOWN_FINDINGS = [
  'foreign-link',
  'unsupported-amount',
  'too-long',
  'discount-over-limit',
  'delivery-promise',
  'language-not-allowed',
] as const;
type KnownFinding = (typeof KNOWN_FINDINGS)[number];
const isKnown = (code: string): code is KnownFinding => (KNOWN_FINDINGS as readonly string[]).includes(code);

/** The text with the words a check flagged (a link's host, an amount) marked, so the reviewer sees where. */
function Highlighted({ text, findings }: { text: string; findings: ContentDraftView['findings'] }) {
  const marks = findings
    .filter((finding) => ['foreign-link', 'unsupported-amount'].includes(finding.code) && finding.detail)
    .map((finding) => finding.detail);
  if (marks.length === 0) return <>{text}</>;
  const pattern = new RegExp(`(${marks.map((mark) => mark.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g');
  const parts: ReactNode[] = text.split(pattern).map((part, index) =>
    marks.includes(part) ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
      <mark key={index} data-testid="ai-content-flagged">
        {part}
      </mark>
    ) : (
      part
    ),
  );
  return <>{parts}</>;
}

/** One draft under review: its findings, its text to edit, approve or discard. */
function Review({ tenantId, draft, onDone }: { tenantId: string; draft: ContentDraftView; onDone: () => void }) {
  const { t } = useTranslation();
  const changes = useContentDraftChanges(tenantId);
  const [text, setText] = useState(draft.text);
  const decide = (decision: 'approved' | 'discarded') =>
    changes.review.mutate(
      { draftId: draft.draftId, decision, ...(decision === 'approved' && text.trim() !== draft.text && { text }) },
      {
        onSuccess: () => {
          notify.success(t(decision === 'approved' ? 'aiContent.approvedNotice' : 'aiContent.discardedNotice'));
          onDone();
        },
      },
    );
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ai-content-draft">
      <Stack gap="xs">
        <Title order={4} size="h6">
          {t('aiContent.draftTitle')} · {t(`aiContent.kinds.${draft.kind}`)}
        </Title>
        {draft.findings.length > 0 ? (
          <Alert color="yellow" variant="light" c="gray.9" title={t('aiContent.findingsTitle')}>
            <List size="sm" data-testid="ai-content-findings">
              {draft.findings.map((finding) => (
                <List.Item key={`${finding.code}:${finding.detail}`}>
                  {t(`aiContent.finding.${isKnown(finding.code) ? finding.code : 'other'}`, { detail: finding.detail })}
                </List.Item>
              ))}
            </List>
            <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-line' }}>
              <Highlighted text={draft.text} findings={draft.findings} />
            </Text>
          </Alert>
        ) : (
          <Alert color="green" variant="light" c="gray.9">
            {t('aiContent.passed')}
          </Alert>
        )}
        <Textarea
          label={t('aiContent.text')}
          description={t('aiContent.chars', { count: text.length, max: CONTENT_CHARS.max })}
          autosize
          minRows={4}
          maxLength={CONTENT_CHARS.max}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="ai-content-text"
        />
        {changes.review.error && <ErrorAlert error={changes.review.error} />}
        <Group justify="flex-end" gap="xs">
          <Button
            variant="light"
            color="red"
            c="red.9"
            loading={changes.review.isPending && changes.review.variables?.decision === 'discarded'}
            onClick={() => decide('discarded')}
          >
            {t('aiContent.discard')}
          </Button>
          <Button
            disabled={!text.trim()}
            loading={changes.review.isPending && changes.review.variables?.decision === 'approved'}
            onClick={() => decide('approved')}
          >
            {t('aiContent.approve')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function RequestForm({ tenantId, onDraft }: { tenantId: string; onDraft: (draft: ContentDraftView) => void }) {
  const { t } = useTranslation();
  const products = useDraftProducts(tenantId);
  const changes = useContentDraftChanges(tenantId);
  const [kind, setKind] = useState<ContentKind>('campaign-message');
  const [language, setLanguage] = useState<'tr' | 'en'>('tr');
  const [productIds, setProductIds] = useState<string[]>([]);
  const [brief, setBrief] = useState('');
  return (
    <form
      noValidate
      data-testid="ai-content-request"
      onSubmit={(e) => {
        e.preventDefault();
        changes.ask.mutate({ kind, language, brief, productIds }, { onSuccess: onDraft });
      }}
    >
      <Stack gap="xs">
        <Group grow align="start">
          <NativeSelect
            label={t('aiContent.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as ContentKind)}
            data={CONTENT_KINDS.map((value) => ({ value, label: t(`aiContent.kinds.${value}`) }))}
          />
          <NativeSelect
            label={t('aiContent.language')}
            value={language}
            onChange={(e) => setLanguage(e.currentTarget.value as 'tr' | 'en')}
            data={(['tr', 'en'] as const).map((value) => ({ value, label: t(`aiContent.languages.${value}`) }))}
          />
        </Group>
        <MultiSelect
          label={t('aiContent.products')}
          description={t('aiContent.productsHint')}
          placeholder={t('aiContent.productsPlaceholder')}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': t('aiContent.clearProducts') }}
          renderPill={({ option, onRemove }) => (
            <Pill
              withRemoveButton
              onRemove={onRemove}
              removeButtonProps={{ 'aria-label': t('aiContent.removeProduct', { title: option.label }) }}
            >
              {option.label}
            </Pill>
          )}
          maxValues={MAX_CONTENT_PRODUCTS}
          data={(products.data ?? []).map((product) => ({ value: product.productId, label: product.title }))}
          value={productIds}
          onChange={setProductIds}
          data-testid="ai-content-products"
        />
        <Textarea
          label={t('aiContent.brief')}
          description={t('aiContent.chars', { count: brief.length, max: MAX_CONTENT_BRIEF_CHARS })}
          placeholder={t('aiContent.briefPlaceholder')}
          required
          autosize
          minRows={2}
          maxLength={MAX_CONTENT_BRIEF_CHARS}
          value={brief}
          onChange={(e) => setBrief(e.currentTarget.value)}
          data-testid="ai-content-brief"
        />
        {changes.ask.error && <ErrorAlert error={changes.ask.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={changes.ask.isPending} disabled={!brief.trim()}>
            {t('aiContent.write')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const STATUS_COLOR = {
  writing: 'blue',
  'awaiting-review': 'yellow',
  approved: 'green',
  discarded: 'gray',
  failed: 'red',
} as const;

/** A draft asked for, while the AI writes it: the list is polled meanwhile (useContentDrafts). */
function WritingDraft() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="ai-content-writing">
      <Group gap="sm" wrap="nowrap">
        <Loader size="sm" aria-hidden />
        <div role="status">
          <Text size="sm" fw={500}>
            {t('aiContent.writing')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('aiContent.writingHint')}
          </Text>
        </div>
      </Group>
    </Paper>
  );
}

/** A draft the AI could not write, with why in plain words; its hour's slot was given back. */
function FailedDraft({ draft, onDone }: { draft: ContentDraftView; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" c="gray.9" title={t('aiContent.failedTitle')} data-testid="ai-content-failed">
      <Text size="sm">{t(`aiContent.failure.${draft.failure ?? 'not-written'}`)}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('aiContent.failedNote')}
      </Text>
      <Group justify="flex-end" mt="xs">
        <Button size="xs" variant="default" onClick={onDone}>
          {t('aiContent.dismiss')}
        </Button>
      </Group>
    </Alert>
  );
}

/** The draft just asked for or picked from the list, as it stands now: writing, failed, or to review. */
function CurrentDraft({ tenantId, draft, onDone }: { tenantId: string; draft: ContentDraftView; onDone: () => void }) {
  if (draft.status === 'writing') return <WritingDraft />;
  if (draft.status === 'failed') return <FailedDraft draft={draft} onDone={onDone} />;
  if (draft.status === 'awaiting-review') return <Review tenantId={tenantId} draft={draft} onDone={onDone} />;
  return null;
}

/**
 * Settings › AI agent › drafts: owners and admins ask the AI for a campaign message or an ad
 * text, see what its checks found, edit it, and approve or discard it; the list shows every
 * draft with its status. Nothing un-approved is ever used by campaigns or ads.
 */
export function AiContentDrafts({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const drafts = useContentDrafts(tenantId);
  const format = useFormatDateTime();
  // The draft shown above the list, by id: its state is the list's (polled while it is being
  // written); the request's own answer stands in until the list has it.
  const [shownId, setShownId] = useState<string | undefined>();
  const [asked, setAsked] = useState<ContentDraftView | undefined>();
  const shown =
    drafts.data?.drafts.find((draft) => draft.draftId === shownId) ?? (asked?.draftId === shownId ? asked : undefined);
  const show = (draft: ContentDraftView | undefined) => {
    setShownId(draft?.draftId);
    if (draft?.status === 'writing') setAsked(draft);
  };
  return (
    <SectionCard title={t('aiContent.title')} titleId="ai-content-title" testId="ai-content">
      <Text size="sm" c="dimmed">
        {t('aiContent.description')}
      </Text>
      <RequestForm tenantId={tenantId} onDraft={show} />
      {shown && (
        <CurrentDraft
          key={`${shown.draftId}:${shown.status}`}
          tenantId={tenantId}
          draft={shown}
          onDone={() => show(undefined)}
        />
      )}
      <Title order={4} size="h6">
        {t('aiContent.list')}
      </Title>
      <QueryState query={drafts}>
        {(data) =>
          data.drafts.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('aiContent.empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs" data-testid="ai-content-list">
                <Table.Tbody>
                  {data.drafts.map((draft) => (
                    <Table.Tr key={draft.draftId} data-testid="ai-content-row">
                      <Table.Td>
                        <Badge color={STATUS_COLOR[draft.status]} variant="light" c="gray.9">
                          {t(`aiContent.status.${draft.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{t(`aiContent.kinds.${draft.kind}`)}</Text>
                        <Text size="xs" c="dimmed">
                          {format(draft.requestedAt)}
                          {draft.edited && ` · ${t('aiContent.edited')}`}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {draft.status === 'failed' ? (
                          <Text size="sm" c="red.9">
                            {t(`aiContent.failure.${draft.failure ?? 'not-written'}`)}
                          </Text>
                        ) : (
                          <Text size="sm" lineClamp={2}>
                            {draft.text}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {draft.status === 'awaiting-review' && shownId !== draft.draftId && (
                          <Button size="xs" variant="default" onClick={() => show(draft)}>
                            {t('aiContent.review')}
                          </Button>
                        )}
                      </Table.Td>
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
