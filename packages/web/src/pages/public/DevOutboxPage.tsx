import { Alert, Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useOutbox } from '../../api/queries';
import type { OutboxMail } from '../../api/types';
import { useFormatDateTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { QueryState } from '../../components/QueryState';

const URL_PATTERN = /https?:\/\/[^\s<>"')]+/g;

/** Links in a mail point at the configured app URL; on this machine they open in this app. */
function sameApp(href: string): string {
  try {
    const url = new URL(href);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    return local ? `${url.pathname}${url.search}${url.hash}` : href;
  } catch {
    return href;
  }
}

/** The mail's text with every URL turned into a link. */
function Linkified({ text }: { text: string }) {
  // Keyed by their offset in the text, which is what identifies a part.
  const parts: { at: number; text: string; link: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ at: last, text: text.slice(last, index), link: false });
    parts.push({ at: index, text: match[0], link: true });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ at: last, text: text.slice(last), link: false });
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {parts.map((part) =>
        part.link ? (
          <Anchor key={part.at} href={sameApp(part.text)}>
            {part.text}
          </Anchor>
        ) : (
          <Fragment key={part.at}>{part.text}</Fragment>
        ),
      )}
    </Text>
  );
}

function MailCard({ mail }: { mail: OutboxMail }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <Card withBorder component="article" data-testid="outbox-mail" aria-label={mail.subject}>
      <Group justify="space-between" align="flex-start" mb="xs" gap="xs">
        <div>
          <Text fw={700}>{mail.subject}</Text>
          <Text size="sm" c="dimmed">
            {t('outbox.to', { to: mail.to })}
          </Text>
        </div>
        {mail.sentAt && (
          <Badge variant="light" color="gray" c="gray.8">
            {formatDate(mail.sentAt)}
          </Badge>
        )}
      </Group>
      <Linkified text={mail.text} />
    </Card>
  );
}

/** `/dev/outbox` (local stage): the mails the product would have sent, newest first. */
export function DevOutboxPage() {
  const { t } = useTranslation();
  const outbox = useOutbox();
  const unavailable = outbox.error instanceof ApiError && outbox.error.status === 404;
  return (
    <PublicLayout size="wide">
      <PageHeader title={t('outbox.title')} description={t('outbox.description')} />
      {unavailable ? (
        <Alert color="gray" variant="light">
          {t('outbox.unavailable')}
        </Alert>
      ) : (
        <QueryState query={outbox}>
          {(mails) =>
            mails.length === 0 ? (
              <Text c="dimmed">{t('outbox.empty')}</Text>
            ) : (
              <Stack>
                {[...mails]
                  .sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''))
                  .map((mail) => (
                    <MailCard key={mail.id} mail={mail} />
                  ))}
              </Stack>
            )
          }
        </QueryState>
      )}
    </PublicLayout>
  );
}
