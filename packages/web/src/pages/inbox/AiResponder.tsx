import { AI_HANDOFF_REASONS } from '@asistone/contract/ai-thread';
import { Alert, Badge, Button, Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConversationResponder, useResumeAgent } from '../../api/ai-thread';
import type { InboxMessage } from '../../api/inbox-types';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';

/** The author id of the AI agent's messages (core ai/handoff.ts AI_AUTHOR). */
export const AI_AUTHOR = 'ai';

type KnownReason = (typeof AI_HANDOFF_REASONS)[number] | 'other';

/** A reply the agent wrote: the badge, and the records it answered from (its citations). */
export function AiMark({ message }: { message: InboxMessage }) {
  const { t } = useTranslation();
  if (message.direction !== 'outbound' || message.authorId !== AI_AUTHOR) return null;
  const citations = message.details?.ai?.citations ?? [];
  return (
    <>
      <Badge size="xs" variant="light" color="violet" data-testid="ai-badge">
        {t('ai.thread.badge')}
      </Badge>
      {citations.length > 0 && (
        <div data-testid="ai-citations">
          <Text size="xs" c="gray.7" mt={4}>
            {t('ai.thread.sources')}
          </Text>
          <List size="xs" c="gray.7">
            {citations.map((citation) => (
              <List.Item key={`${citation.kind}:${citation.id}`}>
                {t(`ai.thread.kind.${citation.kind}`)}: {citation.label}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </>
  );
}

/**
 * Above a thread the agent handed to people: why, and the button that hands it back (one
 * responder at a time: until then the agent stays silent here).
 */
export function AiResponderBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const describe = useDescribeError();
  const responder = useConversationResponder(tenantId, conversationId);
  const resume = useResumeAgent(tenantId, conversationId);
  const state = responder.data;
  if (state?.responder !== 'people') return null;
  const reason: KnownReason = AI_HANDOFF_REASONS.find((known) => known === state.reason) ?? 'other';
  return (
    <Alert color="violet" variant="light" title={t('ai.thread.handedOff')} data-testid="ai-handed-off">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">
          {t(`ai.thread.reason.${reason}`)}
          {state.ticketId ? ` ${t('ai.thread.ticketOpened')}` : ''}
        </Text>
        {can('conversations.reply') && (
          <Button
            size="xs"
            variant="default"
            loading={resume.isPending}
            onClick={() =>
              resume.mutate(undefined, {
                onSuccess: () => notify.success(t('ai.thread.resumed')),
                onError: (error) => notify.error(describe(error)),
              })
            }
          >
            {t('ai.thread.resume')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="gray.7">
        {t('ai.thread.silentUntil')}
      </Text>
    </Alert>
  );
}
