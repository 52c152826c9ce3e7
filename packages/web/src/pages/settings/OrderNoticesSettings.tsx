import {
  NOTICE_CHANNELS,
  NOTICE_EVENTS,
  NOTICE_LANGUAGES,
  NOTICE_PLACEHOLDERS,
  type NoticeEvent,
  type NoticeEventSettings,
  type NoticeLanguage,
  type NoticePlaceholder,
  PREVIEW_VALUES,
  renderNotice,
} from '@asistone/contract/order-notices';
import {
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type OrderNoticeSettings,
  useNoticeTemplates,
  useOrderNoticeSettings,
  useSaveOrderNoticeSettings,
} from '../../api/order-notices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

type Templates = NonNullable<ReturnType<typeof useNoticeTemplates>['data']>;

/** `{{customer}}`, written in code so i18next never reads it as its own placeholder. */
const braces = (name: string) => `{{${name}}}`;

function Wording({
  event,
  language,
  value,
  onChange,
}: {
  event: NoticeEvent;
  language: NoticeLanguage;
  value: NoticeEventSettings['wording'][NoticeLanguage];
  onChange: (next: NoticeEventSettings['wording'][NoticeLanguage]) => void;
}) {
  const { t } = useTranslation();
  const preview = { ...PREVIEW_VALUES, total: language === 'tr' ? '629,49 TRY' : '629.49 TRY' };
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t(`orderNotices.language.${language}`)}
      </Text>
      <TextInput
        label={t('orderNotices.subject')}
        value={value.subject}
        onChange={(e) => onChange({ ...value, subject: e.currentTarget.value })}
        data-testid={`notice-${event}-${language}-subject`}
      />
      <Textarea
        label={t('orderNotices.text')}
        description={t('orderNotices.textHint')}
        autosize
        minRows={3}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.currentTarget.value })}
        data-testid={`notice-${event}-${language}-text`}
      />
      <Paper withBorder p="xs" bg="gray.0" data-testid={`notice-${event}-${language}-preview`}>
        <Text size="xs" c="dimmed">
          {t('orderNotices.preview')}
        </Text>
        <Text size="sm" fw={600}>
          {renderNotice(value.subject, preview)}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {renderNotice(value.text, preview)}
        </Text>
      </Paper>
    </Stack>
  );
}

function TemplatePicker({
  event,
  value,
  templates,
  onChange,
}: {
  event: NoticeEvent;
  value: NoticeEventSettings['whatsappTemplate'];
  templates: Templates;
  onChange: (next: NoticeEventSettings['whatsappTemplate']) => void;
}) {
  const { t } = useTranslation();
  // Only an approved utility template may carry order news (Meta's rule for business-initiated messages).
  const usable = templates.filter((tpl) => tpl.status === 'APPROVED' && tpl.category === 'UTILITY');
  const key = (tpl: { name: string; language: string }) => `${tpl.name}|${tpl.language}`;
  const chosen = value ? usable.find((tpl) => key(tpl) === key(value)) : undefined;
  const placeholderOptions = NOTICE_PLACEHOLDERS.map((name) => ({ value: name, label: braces(name) }));
  return (
    <Stack gap="xs">
      <Select
        label={t('orderNotices.template')}
        description={usable.length === 0 ? t('orderNotices.noTemplates') : t('orderNotices.templateHint')}
        placeholder={t('orderNotices.pickTemplate')}
        clearable
        data={usable.map((tpl) => ({ value: key(tpl), label: `${tpl.name} · ${tpl.language}` }))}
        value={value ? key(value) : null}
        onChange={(picked) => {
          const tpl = usable.find((candidate) => key(candidate) === picked);
          onChange(
            tpl
              ? {
                  name: tpl.name,
                  language: tpl.language,
                  variables: Array.from({ length: tpl.variables }, (_, i) => value?.variables[i] ?? 'order'),
                }
              : null,
          );
        }}
        data-testid={`notice-${event}-template`}
      />
      {value && chosen === undefined && (
        <Text size="sm" c="orange.8">
          {t('orderNotices.templateGone', { name: value.name })}
        </Text>
      )}
      {value?.variables.map((variable, index) => (
        <Select
          // biome-ignore lint/suspicious/noArrayIndexKey: a template's variables are positional ({{1}}, {{2}}…).
          key={index}
          label={t('orderNotices.variable', { n: index + 1 })}
          data={placeholderOptions}
          value={variable}
          allowDeselect={false}
          onChange={(picked) =>
            onChange({
              ...value,
              variables: value.variables.map((old, i) => (i === index ? (picked as NoticePlaceholder) : old)),
            })
          }
        />
      ))}
    </Stack>
  );
}

function EventSettings({
  event,
  value,
  templates,
  onChange,
}: {
  event: NoticeEvent;
  value: NoticeEventSettings;
  templates: Templates;
  onChange: (next: NoticeEventSettings) => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid={`notice-${event}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t(`orderNotices.event.${event}`)}
          </Title>
          <Badge color={value.channels.length > 0 ? 'green' : 'gray'} variant="light" c="gray.9">
            {value.channels.length > 0 ? t('orderNotices.on') : t('orderNotices.off')}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t(`orderNotices.when.${event}`)}
        </Text>
        <Checkbox.Group
          label={t('orderNotices.channels')}
          value={value.channels}
          onChange={(picked) =>
            onChange({ ...value, channels: NOTICE_CHANNELS.filter((channel) => picked.includes(channel)) })
          }
        >
          <Group gap="md" mt={4}>
            {NOTICE_CHANNELS.map((channel) => (
              <Checkbox key={channel} value={channel} label={t(`orderNotices.channel.${channel}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {NOTICE_LANGUAGES.map((language) => (
            <Wording
              key={language}
              event={event}
              language={language}
              value={value.wording[language]}
              onChange={(wording) => onChange({ ...value, wording: { ...value.wording, [language]: wording } })}
            />
          ))}
        </SimpleGrid>
        {value.channels.includes('whatsapp') && (
          <TemplatePicker
            event={event}
            value={value.whatsappTemplate}
            templates={templates}
            onChange={(whatsappTemplate) => onChange({ ...value, whatsappTemplate })}
          />
        )}
      </Stack>
    </Paper>
  );
}

function SettingsForm({ tenantId, initial }: { tenantId: string; initial: OrderNoticeSettings }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState(initial);
  const save = useSaveOrderNoticeSettings(tenantId);
  const templates = useNoticeTemplates(tenantId);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(settings, { onSuccess: () => notify.success(t('orderNotices.saved')) });
      }}
    >
      <Stack gap="md">
        <Text size="sm">
          {t('orderNotices.placeholders')}{' '}
          {NOTICE_PLACEHOLDERS.map((name) => (
            <Code key={name} mr={4}>
              {braces(name)}
            </Code>
          ))}
        </Text>
        {save.isError && <ErrorAlert error={save.error} />}
        {NOTICE_EVENTS.map((event) => (
          <EventSettings
            key={event}
            event={event}
            value={settings[event]}
            templates={templates.data ?? []}
            onChange={(next) => setSettings((current) => ({ ...current, [event]: next }))}
          />
        ))}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('orderNotices.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Settings › Order notifications: what the shop's customers get when an order is confirmed and
 * when it ships, on which channels, in Turkish and English, with a preview on sample values.
 */
export function OrderNoticesSettings() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const settings = useOrderNoticeSettings(tenantId);
  return (
    <SectionCard title={t('orderNotices.title')} titleId="order-notices-title" testId="order-notices-settings">
      <Text size="sm" c="dimmed">
        {t('orderNotices.description')}
      </Text>
      <QueryState query={settings}>
        {(data) => <SettingsForm key={data.updatedAt ?? 'defaults'} tenantId={tenantId} initial={data.settings} />}
      </QueryState>
    </SectionCard>
  );
}
