import { LIST_NAME_MAX } from '@asistone/contract/campaign-lists';
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  type CampaignListView,
  MAX_LIST_FILE_BYTES,
  useCampaignLists,
  useSelectCampaignList,
  useUploadCampaignList,
} from '../../api/campaign-lists';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { CampaignsList } from './CampaignsList';

/**
 * The campaigns area: recipient lists, made from an uploaded customer CSV or from the inbox's
 * WhatsApp customers, and the way to the audience check. Owners and admins only.
 */

/** The header row of a CSV, read in the browser to offer its columns (the server reads the rest). */
export async function headerOf(file: File): Promise<string[]> {
  const text = (await file.slice(0, 64 * 1024).text()).replace(/^\uFEFF/, '');
  let quoted = false;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      end = i;
      break;
    }
  }
  const line = text.slice(0, end);
  const delimiter = (line.match(/;/g)?.length ?? 0) > (line.match(/,/g)?.length ?? 0) ? ';' : ',';
  const cells: string[] = [];
  let cell = '';
  quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (char === delimiter && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells.filter((name, index) => name !== '' && cells.indexOf(name) === index);
}

/** The column whose header looks like `words` (the merchant may change the guess). */
const guess = (headers: string[], words: RegExp) => headers.find((h) => words.test(h.toLocaleLowerCase('tr'))) ?? null;

function UploadListForm({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const upload = useUploadCampaignList(tenantId);
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState<string | null>(null);
  const [nameColumn, setNameColumn] = useState<string | null>(null);
  const [consent, setConsent] = useState<string | null>(null);
  const [wording, setWording] = useState('');
  const [collectedOn, setCollectedOn] = useState('');
  const [iys, setIys] = useState(false);
  const [progress, setProgress] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setProblem(null);
    upload.reset();
    if (!chosen) return setHeaders([]);
    if (chosen.size > MAX_LIST_FILE_BYTES) setProblem(t('campaignLists.upload.tooLarge'));
    const found = await headerOf(chosen);
    setHeaders(found);
    setName((current) => current || chosen.name.replace(/\.csv$/i, '').slice(0, 80));
    setPhone(guess(found, /tel|phone|gsm|cep|numara|mobile/));
    setNameColumn(guess(found, /^ad|name|isim|müşteri/));
    setConsent(guess(found, /izin|onay|consent|opt/));
  };

  const ready = file && phone && name.trim() && !problem && (!consent || wording.trim());
  const options = headers.map((h) => ({ value: h, label: h }));

  return (
    <SectionCard titleId="campaign-upload-title" title={t('campaignLists.upload.title')}>
      <Text size="sm">{t('campaignLists.upload.description')}</Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready || !file || !phone) return;
          upload.mutate(
            {
              file,
              onProgress: setProgress,
              list: {
                name: name.trim(),
                columns: {
                  phone,
                  ...(nameColumn ? { name: nameColumn } : {}),
                  ...(consent ? { consent } : {}),
                },
                ...(consent ? { consentWording: wording.trim() } : {}),
                ...(consent && collectedOn ? { consentCollectedAt: new Date(collectedOn).toISOString() } : {}),
                ...(consent ? { iysRegistered: iys } : {}),
              },
            },
            { onSuccess: (list) => navigate(`/b/${tenantId}/campaigns/lists/${list.listId}`) },
          );
        }}
      >
        <Stack gap="sm">
          <FileInput
            label={t('campaignLists.upload.file')}
            description={t('campaignLists.upload.fileHint')}
            accept=".csv,text/csv"
            value={file}
            onChange={(chosen) => void choose(chosen)}
            clearable
            required
          />
          {problem && <ErrorAlert error={new Error(problem)} />}
          {file && headers.length > 0 && (
            <>
              <TextInput
                label={t('campaignLists.upload.name')}
                value={name}
                maxLength={LIST_NAME_MAX}
                required
                onChange={(event) => setName(event.currentTarget.value)}
              />
              <Group grow align="flex-start">
                <Select
                  label={t('campaignLists.upload.phoneColumn')}
                  data={options}
                  value={phone}
                  onChange={setPhone}
                  required
                  allowDeselect={false}
                />
                <Select
                  label={t('campaignLists.upload.nameColumn')}
                  data={options}
                  value={nameColumn}
                  onChange={setNameColumn}
                  clearable
                />
                <Select
                  label={t('campaignLists.upload.consentColumn')}
                  description={t('campaignLists.upload.consentColumnHint')}
                  data={options}
                  value={consent}
                  onChange={setConsent}
                  clearable
                />
              </Group>
              {consent && (
                <>
                  <Textarea
                    label={t('campaignLists.upload.wording')}
                    description={t('campaignLists.upload.wordingHint')}
                    value={wording}
                    maxLength={1000}
                    autosize
                    minRows={2}
                    required
                    onChange={(event) => setWording(event.currentTarget.value)}
                  />
                  <TextInput
                    type="date"
                    label={t('campaignLists.upload.collectedOn')}
                    description={t('campaignLists.upload.collectedOnHint')}
                    value={collectedOn}
                    onChange={(event) => setCollectedOn(event.currentTarget.value)}
                  />
                  <Checkbox
                    label={t('campaignLists.upload.iys')}
                    checked={iys}
                    onChange={(event) => setIys(event.currentTarget.checked)}
                  />
                </>
              )}
            </>
          )}
          {upload.isPending && (
            <Progress value={progress * 100} aria-label={t('campaignLists.upload.progress')} size="sm" />
          )}
          {upload.isError && <ErrorAlert error={upload.error} />}
          <div>
            <Button type="submit" disabled={!ready} loading={upload.isPending}>
              {t('campaignLists.upload.submit')}
            </Button>
          </div>
        </Stack>
      </form>
    </SectionCard>
  );
}

function SelectionForm({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const select = useSelectCampaignList(tenantId);
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [since, setSince] = useState('');
  const [consent, setConsent] = useState<'any' | 'granted'>('granted');
  return (
    <SectionCard titleId="campaign-selection-title" title={t('campaignLists.selection.title')}>
      <Text size="sm">{t('campaignLists.selection.description')}</Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const chosenLabels = labels
            .split(',')
            .map((label) => label.trim())
            .filter(Boolean);
          select.mutate(
            {
              name: name.trim(),
              filter: {
                channels: ['whatsapp'],
                consent,
                ...(chosenLabels.length ? { labels: chosenLabels } : {}),
                ...(since ? { lastInboundAfter: new Date(since).toISOString() } : {}),
              },
            },
            { onSuccess: (list) => navigate(`/b/${tenantId}/campaigns/lists/${list.listId}`) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('campaignLists.selection.name')}
            value={name}
            maxLength={LIST_NAME_MAX}
            required
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('campaignLists.selection.labels')}
              description={t('campaignLists.selection.labelsHint')}
              value={labels}
              onChange={(event) => setLabels(event.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('campaignLists.selection.since')}
              value={since}
              onChange={(event) => setSince(event.currentTarget.value)}
            />
            <Select
              label={t('campaignLists.selection.consent')}
              data={[
                { value: 'granted', label: t('campaignLists.selection.consentGranted') },
                { value: 'any', label: t('campaignLists.selection.consentAny') },
              ]}
              value={consent}
              onChange={(value) => setConsent(value === 'any' ? 'any' : 'granted')}
              allowDeselect={false}
            />
          </Group>
          {select.isError && <ErrorAlert error={select.error} />}
          <div>
            <Button type="submit" variant="light" disabled={!name.trim()} loading={select.isPending}>
              {t('campaignLists.selection.submit')}
            </Button>
          </div>
        </Stack>
      </form>
    </SectionCard>
  );
}

export const STATE_COLORS: Record<CampaignListView['state'], string> = {
  importing: 'blue',
  ready: 'green',
  failed: 'red',
  deleting: 'gray',
};

function ListsTable({ tenantId, lists }: { tenantId: string; lists: CampaignListView[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  if (lists.length === 0) return <Text size="sm">{t('campaignLists.lists.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('campaignLists.lists.name')}</Table.Th>
            <Table.Th>{t('campaignLists.lists.source')}</Table.Th>
            <Table.Th>{t('campaignLists.lists.state')}</Table.Th>
            <Table.Th>{t('campaignLists.lists.members')}</Table.Th>
            <Table.Th>{t('campaignLists.lists.rejected')}</Table.Th>
            <Table.Th>{t('campaignLists.lists.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lists.map((list) => (
            <Table.Tr key={list.listId}>
              <Table.Td>
                <Anchor component={Link} to={`/b/${tenantId}/campaigns/lists/${list.listId}`} c="blue.9">
                  {list.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`campaignLists.source.${list.source}`)}</Table.Td>
              <Table.Td>
                <Badge color={STATE_COLORS[list.state]} variant="light" c="gray.9">
                  {t(`campaignLists.state.${list.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{list.counts.accepted}</Table.Td>
              <Table.Td>{list.counts.rejected}</Table.Td>
              <Table.Td>{formatDate(list.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function CampaignsPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const allowed = can('campaigns.send');
  const lists = useCampaignLists(tenantId);
  return (
    <Stack gap="lg">
      <PageHeader title={t('campaignLists.title')} description={t('campaignLists.description')} />
      {allowed ? (
        <>
          <Group gap="lg">
            <Anchor component={Link} to={`/b/${tenantId}/campaigns/audience`} size="sm" c="blue.9">
              {t('campaignLists.toAudience')}
            </Anchor>
            <Anchor component={Link} to={`/b/${tenantId}/campaigns/carts`} size="sm" c="blue.9">
              {t('cartRecovery.link')}
            </Anchor>
          </Group>
          <CampaignsList tenantId={tenantId} />
          <SectionCard titleId="campaign-lists-title" title={t('campaignLists.lists.title')}>
            <QueryState query={lists}>{(data) => <ListsTable tenantId={tenantId} lists={data} />}</QueryState>
          </SectionCard>
          <UploadListForm tenantId={tenantId} />
          <SelectionForm tenantId={tenantId} />
        </>
      ) : (
        <RoleNote>{t('campaignLists.managersOnly')}</RoleNote>
      )}
    </Stack>
  );
}
