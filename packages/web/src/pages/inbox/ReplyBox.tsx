import { Alert, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  UploadError,
  useSendAttachment,
  useSendMessage,
  useSyncTemplates,
  useTemplates,
  useTyping,
} from '../../api/inbox';
import type { Conversation, Template } from '../../api/inbox-types';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';
import { AttachFile } from './AttachFile';

/** How often typing is told to the customer's app at most (WhatsApp shows it for up to 25 s). */
const TYPING_EVERY_MS = 5_000;

/** True when the customer's last message is too old for a free-form reply (WhatsApp 24 h; Meta 7 days). */
export function windowClosed(conversation: Conversation, now = Date.now()): boolean {
  if (conversation.windowClosesAt === null || conversation.windowClosesAt === undefined) return false;
  const closes = new Date(conversation.windowClosesAt).getTime();
  return Number.isFinite(closes) && closes <= now;
}

function newClientId(): string {
  return crypto.randomUUID();
}

interface TemplateFormProps {
  tenantId: string;
  conversationId: string;
  onSent(): void;
}

/** Picks an approved WhatsApp template, fills its variables and sends it. */
function TemplateForm({ tenantId, conversationId, onSent }: TemplateFormProps) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const describe = useDescribeError();
  const templates = useTemplates(tenantId, conversationId);
  const sync = useSyncTemplates(tenantId);
  const send = useSendMessage(tenantId, conversationId);
  const [picked, setPicked] = useState<string | null>(null);
  const [variables, setVariables] = useState<string[]>([]);
  const clientId = useRef(newClientId());
  const approved = useMemo(
    () => (templates.data ?? []).filter((template) => template.status.toUpperCase() === 'APPROVED'),
    [templates.data],
  );
  const keyOf = (template: Template) => `${template.name}|${template.language}`;
  const template = approved.find((candidate) => keyOf(candidate) === picked);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!template) return;
    send.mutate(
      {
        kind: 'template',
        name: template.name,
        language: template.language,
        variables: variables.slice(0, template.variables),
        clientId: clientId.current,
      },
      {
        onSuccess: () => {
          clientId.current = newClientId();
          setPicked(null);
          setVariables([]);
          onSent();
        },
        onError: (error) => notify.error(describe(error)),
      },
    );
  };

  return (
    <Stack component="form" gap="xs" onSubmit={submit} aria-label={t('inbox.templateForm')}>
      <Group align="flex-end" gap="xs">
        <Select
          label={t('inbox.template')}
          placeholder={templates.isPending ? t('app.loading') : t('inbox.pickTemplate')}
          data={approved.map((candidate) => ({
            value: keyOf(candidate),
            label: `${candidate.name} (${candidate.language}) · ${t(`inbox.templateCategories.${categoryKey(candidate.category)}`)}`,
          }))}
          value={picked}
          onChange={(value) => {
            setPicked(value);
            setVariables([]);
          }}
          nothingFoundMessage={t('inbox.noTemplates')}
          searchable
          style={{ flex: 1, minWidth: 200 }}
        />
        {can('channels.manage') && (
          <Button
            variant="default"
            loading={sync.isPending}
            onClick={() =>
              sync.mutate(undefined, {
                onSuccess: () => notify.success(t('inbox.templatesSynced')),
                onError: (error) => notify.error(describe(error)),
              })
            }
          >
            {t('inbox.syncTemplates')}
          </Button>
        )}
      </Group>
      {templates.data && approved.length === 0 && (
        <Text size="sm" c="gray.7">
          {t('inbox.noTemplates')}
        </Text>
      )}
      {template &&
        Array.from({ length: template.variables }, (_, index) => (
          <TextInput
            // The variables are positional ({{1}}, {{2}}...): the index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            key={index}
            required
            label={t('inbox.variable', { n: index + 1 })}
            value={variables[index] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setVariables((list) => {
                const next = [...list];
                next[index] = value;
                return next;
              });
            }}
          />
        ))}
      {template && bodyOf(template) && (
        <Paper withBorder p="xs" bg="gray.0" data-testid="template-preview">
          <Text size="xs" c="gray.7">
            {t('inbox.templatePreview')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {fill(bodyOf(template) ?? '', variables)}
          </Text>
        </Paper>
      )}
      <Group justify="flex-end">
        <Button type="submit" disabled={!template} loading={send.isPending}>
          {t('inbox.sendTemplate')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The template's body text as Meta returned it (`components[type=BODY].text`), for the preview. */
function bodyOf(template: Template): string | undefined {
  for (const component of template.components ?? []) {
    if (component && typeof component === 'object') {
      const { type, text } = component as { type?: unknown; text?: unknown };
      if (String(type).toUpperCase() === 'BODY' && typeof text === 'string') return text;
    }
  }
  return undefined;
}

/** `{{1}}` and friends replaced by what was typed so far (the placeholder stays until then). */
function fill(body: string, variables: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (placeholder, n: string) => variables[Number(n) - 1] || placeholder);
}

function categoryKey(category: string): 'utility' | 'marketing' | 'authentication' | 'other' {
  const value = category.toLowerCase();
  return value === 'utility' || value === 'marketing' || value === 'authentication' ? value : 'other';
}

/**
 * Where a reply is written: text while the customer's window is open, an approved template
 * once it has closed (WhatsApp). Enter sends, Shift+Enter starts a new line.
 */
export function ReplyBox({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const describe = useDescribeError();
  const send = useSendMessage(tenantId, conversation.id);
  const sendFile = useSendAttachment(tenantId, conversation.id);
  const typing = useTyping(tenantId, conversation.id);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [templates, setTemplates] = useState(false);
  const clientId = useRef(newClientId());
  const lastTyping = useRef(0);
  const closed = windowClosed(conversation);
  const isWhatsApp = conversation.channel.kind === 'whatsapp';

  const busy = send.isPending || sendFile.isPending;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (busy) return;
    if (file) {
      // The text goes with the file as its caption.
      setProgress(0);
      sendFile.mutate(
        {
          file,
          contentType: file.type,
          caption: body || undefined,
          clientId: clientId.current,
          onProgress: setProgress,
        },
        {
          onSuccess: () => {
            clientId.current = newClientId();
            setText('');
            setFile(null);
          },
          onError: (error) =>
            notify.error(error instanceof UploadError ? t('inbox.attachment.uploadFailed') : describe(error)),
          onSettled: () => setProgress(null),
        },
      );
      return;
    }
    if (!body) return;
    send.mutate(
      { kind: 'text', text: body, clientId: clientId.current },
      {
        onSuccess: () => {
          // A new reply gets a new id; a retry of a failed request keeps the same one.
          clientId.current = newClientId();
          setText('');
        },
        onError: (error) => notify.error(describe(error)),
      },
    );
  };

  const onTyping = (value: string) => {
    setText(value);
    const now = Date.now();
    if (value && now - lastTyping.current > TYPING_EVERY_MS && conversation.channel.kind !== 'sandbox') {
      lastTyping.current = now;
      typing.mutate();
    }
  };

  if (closed && isWhatsApp) {
    return (
      <Stack gap="xs" data-testid="reply-box">
        <Alert
          color="yellow"
          variant="light"
          title={t('inbox.windowClosedTitle')}
          // Yellow's own title shade has 2.7:1 on its background; dark text keeps AA.
          styles={{ title: { color: 'var(--mantine-color-dark-7)' } }}
        >
          <Text size="sm">{t('inbox.windowClosed')}</Text>
        </Alert>
        <TemplateForm tenantId={tenantId} conversationId={conversation.id} onSent={() => {}} />
      </Stack>
    );
  }

  return (
    <Stack gap="xs" data-testid="reply-box">
      {closed && (
        <Alert color="yellow" variant="light">
          <Text size="sm">{t('inbox.windowClosedMeta')}</Text>
        </Alert>
      )}
      <form onSubmit={submit} aria-label={t('inbox.replyForm')}>
        <Textarea
          label={file ? t('inbox.attachment.caption') : t('inbox.reply')}
          placeholder={file ? t('inbox.attachment.captionPlaceholder') : t('inbox.replyPlaceholder')}
          autosize
          minRows={2}
          maxRows={8}
          value={text}
          onChange={(event) => onTyping(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <Group justify="space-between" mt="xs">
          <Group gap="xs">
            {isWhatsApp && (
              <Button variant="default" aria-expanded={templates} onClick={() => setTemplates((value) => !value)}>
                {templates ? t('inbox.hideTemplates') : t('inbox.useTemplate')}
              </Button>
            )}
            <AttachFile
              channel={conversation.channel.kind}
              file={file}
              onChange={setFile}
              progress={progress}
              disabled={busy}
            />
          </Group>
          <Button type="submit" loading={busy} disabled={!text.trim() && !file}>
            {t('inbox.send')}
          </Button>
        </Group>
      </form>
      {templates && isWhatsApp && (
        <TemplateForm tenantId={tenantId} conversationId={conversation.id} onSent={() => setTemplates(false)} />
      )}
    </Stack>
  );
}
