import { Anchor, Box, Group, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMedia } from '../../api/inbox';
import { FAILURE_REASONS, type FailureReason, type InboxMessage, type Instant } from '../../api/inbox-types';
import { AiMark } from './AiResponder';
import { StatusTicks } from './StatusTicks';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'voice', 'document', 'sticker', 'file']);

/** "14:05" today, "3 Kas 14:05" before: a thread shows times, its day only when it is not today. */
export function useMessageTime() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'tr-TR';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dayAndTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (value: Instant | null | undefined) => {
    if (value === null || value === undefined || value === '') return '';
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    return date.toDateString() === new Date().toDateString() ? time.format(date) : dayAndTime.format(date);
  };
}

interface MediaViewProps {
  tenantId: string;
  conversationId: string;
  message: InboxMessage;
}

/** The file of a media message, through the media route's short-lived link. */
function MediaView({ tenantId, conversationId, message }: MediaViewProps) {
  const { t } = useTranslation();
  const media = useMedia(tenantId, conversationId, message.id);
  // A picture the browser could not show (an expired link, a blocked host) is still one click away.
  const [broken, setBroken] = useState(false);
  const kind = message.type;
  const name =
    message.details?.media?.filename ??
    message.details?.outboundMedia?.fileName ??
    t(`inbox.mediaKinds.${mediaKind(kind)}`);
  if (media.isPending || media.data?.status === 'pending') {
    return (
      <Group gap={6} data-testid="media-pending">
        <Loader size="xs" aria-hidden="true" />
        <Text size="sm">{t('inbox.mediaPending')}</Text>
      </Group>
    );
  }
  if (media.isError || media.data?.status !== 'stored') {
    return (
      <Text size="sm" c="red.9" data-testid="media-failed">
        {t('inbox.mediaFailed', { kind: name })}
      </Text>
    );
  }
  const { url } = media.data;
  const mime = media.data.mimeType;
  if ((kind === 'image' || kind === 'sticker' || mime.startsWith('image/')) && !broken) {
    return (
      <Anchor href={url} target="_blank" rel="noreferrer" aria-label={t('inbox.download', { name })}>
        <img className="inbox-media" src={url} alt={message.text || name} onError={() => setBroken(true)} />
      </Anchor>
    );
  }
  if (kind === 'video' || mime.startsWith('video/')) {
    // biome-ignore lint/a11y/useMediaCaption: customers' videos come without captions.
    return <video className="inbox-media" src={url} controls aria-label={name} />;
  }
  if (kind === 'audio' || kind === 'voice' || mime.startsWith('audio/')) {
    // biome-ignore lint/a11y/useMediaCaption: customers' voice notes come without captions.
    return <audio src={url} controls aria-label={name} />;
  }
  return (
    <Anchor href={url} target="_blank" rel="noreferrer" size="sm">
      {t('inbox.download', { name })}
    </Anchor>
  );
}

function mediaKind(type: string): 'image' | 'video' | 'audio' | 'document' | 'sticker' {
  if (type === 'voice') return 'audio';
  if (type === 'image' || type === 'video' || type === 'audio' || type === 'sticker') return type;
  return 'document';
}

/** What a message carries besides its text, in words: a location, a tapped button, a reaction... */
function Extras({ message }: { message: InboxMessage }) {
  const { t } = useTranslation();
  const details = message.details ?? {};
  const lines: string[] = [];
  if (details.reaction) {
    lines.push(
      details.reaction.emoji
        ? t('inbox.extras.reaction', { emoji: details.reaction.emoji })
        : t('inbox.extras.reactionRemoved'),
    );
  }
  if (details.reply?.title) lines.push(t('inbox.extras.reply', { title: details.reply.title }));
  if (details.template?.name) lines.push(t('inbox.extras.template', { name: details.template.name }));
  if (details.order) lines.push(t('inbox.extras.order', { count: details.order.itemCount }));
  if (details.contacts?.length) lines.push(t('inbox.extras.contacts', { count: details.contacts.length }));
  if (details.unsupported) lines.push(t('inbox.extras.unsupported', { type: details.unsupported.type }));
  if (details.system) lines.push(t('inbox.extras.system'));
  if (details.referral) lines.push(t('inbox.extras.referral'));
  const location = details.location;
  return (
    <>
      {lines.map((line) => (
        <Text key={line} size="sm" fs="italic">
          {line}
        </Text>
      ))}
      {location && (
        <Anchor
          size="sm"
          target="_blank"
          rel="noreferrer"
          href={`https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=17/${location.latitude}/${location.longitude}`}
        >
          {t('inbox.extras.location', { name: location.name ?? location.address ?? '' }).trim()}
        </Anchor>
      )}
    </>
  );
}

interface MessageBubbleProps {
  tenantId: string;
  conversationId: string;
  message: InboxMessage;
  authorName?: string;
}

/** One message of a thread: the customer's on the left, the business's on the right with its ticks. */
export function MessageBubble({ tenantId, conversationId, message, authorName }: MessageBubbleProps) {
  const { t } = useTranslation();
  const timeOf = useMessageTime();
  const ours = message.direction === 'outbound';
  // A customer's file, or one the team uploaded and sent: both are shown through the media route.
  const hasMedia =
    MEDIA_TYPES.has(message.type) &&
    !message.deleted &&
    (message.direction === 'inbound' || Boolean(message.details?.outboundMedia?.attachmentId));
  return (
    <Box
      component="li"
      className="inbox-bubble"
      data-side={ours ? 'ours' : 'theirs'}
      data-status={message.status}
      data-testid="message"
      data-message-id={message.id}
    >
      <Text span size="xs" c="dimmed" display="block">
        <VisuallyHiddenWho ours={ours} authorName={authorName} />
      </Text>
      {message.deleted ? (
        <Text size="sm" fs="italic" c="gray.7">
          {t('inbox.deleted')}
        </Text>
      ) : (
        <>
          {hasMedia && <MediaView tenantId={tenantId} conversationId={conversationId} message={message} />}
          {message.text && <Text size="sm">{message.text}</Text>}
          <Extras message={message} />
          <AiMark message={message} />
        </>
      )}
      <Group gap={6} justify="flex-end" mt={2} wrap="nowrap">
        <Text span size="xs" c="gray.7">
          {timeOf(message.sentAt)}
        </Text>
        {ours && <StatusTicks status={message.status} />}
      </Group>
      {message.status === 'failed' && (
        <Text size="xs" c="red.9" data-testid="failure-reason">
          {t(`inbox.failure.${failureKey(message.error?.reason)}`)}
          {message.error?.title ? ` (${message.error.title})` : ''}
        </Text>
      )}
    </Box>
  );
}

function failureKey(reason: string | null | undefined): FailureReason | 'other' {
  return FAILURE_REASONS.find((known) => known === reason) ?? 'other';
}

/** Who wrote it, for screen readers and as a small line above the business's replies. */
function VisuallyHiddenWho({ ours, authorName }: { ours: boolean; authorName?: string }) {
  const { t } = useTranslation();
  if (!ours) return <>{t('inbox.customer')}</>;
  return <>{authorName ?? t('inbox.business')}</>;
}
