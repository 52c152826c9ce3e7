import { Anchor, Box, Button, Group, Text, Textarea, type TextareaProps } from '@mantine/core';
import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SimulatedMessage } from '../../api/channels';
import { useMessageTime } from './MessageBubble';
import { StatusTicks } from './StatusTicks';

/**
 * A thread as the customer sees it on their phone (the simulator and the dev customer page):
 * their own messages on the right, the business's replies on the left with their ticks.
 */
export function CustomerThread({
  messages,
  label,
  extra,
}: {
  messages: SimulatedMessage[];
  label: string;
  /** Shown under a message for the merchant, not the customer (the simulator: what the AI agent answered from). */
  extra?: (messageId: string) => ReactNode;
}) {
  const { t } = useTranslation();
  const timeOf = useMessageTime();
  const log = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (log.current && messages.length > 0) log.current.scrollTop = log.current.scrollHeight;
  }, [messages.length]);
  if (messages.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('simulator.empty')}
      </Text>
    );
  }
  return (
    <div
      ref={log}
      className="inbox-thread-log"
      role="log"
      aria-live="polite"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1).
      tabIndex={0}
      data-testid="customer-thread"
    >
      <ol className="inbox-thread-list">
        {messages.map((message) => {
          const mine = message.direction === 'from-customer';
          return (
            <Box
              component="li"
              key={message.id}
              className="inbox-bubble"
              // From the customer's side: their messages are "ours".
              data-side={mine ? 'ours' : 'theirs'}
              data-testid="customer-message"
              data-direction={message.direction}
              data-status={message.status}
            >
              <Text span size="xs" c="gray.7" display="block">
                {mine ? t('simulator.you') : t('simulator.business')}
              </Text>
              {message.media && <CustomerMedia media={message.media} type={message.type} />}
              {(message.text || !message.media) && (
                <Text size="sm">{message.text || t('simulator.nonText', { type: message.type ?? '' })}</Text>
              )}
              <Group gap={6} justify="flex-end" mt={2} wrap="nowrap">
                <Text span size="xs" c="gray.7">
                  {timeOf(message.at)}
                </Text>
                {!mine && message.status && <StatusTicks status={message.status} />}
              </Group>
              {extra?.(message.id)}
            </Box>
          );
        })}
      </ol>
    </div>
  );
}

/** A file the business sent: a picture is shown, anything else is a link to it. */
function CustomerMedia({ media, type }: { media: NonNullable<SimulatedMessage['media']>; type?: string | undefined }) {
  const { t } = useTranslation();
  if (media.mimeType.startsWith('image/')) {
    return <img className="inbox-media" src={media.url} alt={t('inbox.mediaKinds.image')} />;
  }
  return (
    <Anchor href={media.url} target="_blank" rel="noreferrer" size="sm">
      {t('simulator.nonText', { type: type ?? media.mimeType })}
    </Anchor>
  );
}

type CustomerMessageInputProps = Omit<TextareaProps, 'label' | 'value' | 'onChange'> & {
  value: string;
  onChange(value: string): void;
};

/**
 * What the customer types (the simulator and the dev customer page): one text message, at most
 * 4,096 characters as on WhatsApp.
 */
export function CustomerMessageInput({ value, onChange, ...props }: CustomerMessageInputProps) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t('simulator.message')}
      autosize
      minRows={2}
      maxLength={4096}
      {...props}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

/** Sends what the customer typed, as the customer. */
export function SendAsCustomerButton({ loading, disabled }: { loading: boolean; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Button type="submit" loading={loading} disabled={disabled}>
      {t('simulator.send')}
    </Button>
  );
}
