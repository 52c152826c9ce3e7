import type { ConversationResponder } from '@asistone/contract/ai-thread';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import { INBOX_POLL_MS } from './inbox';

export type { ConversationResponder } from '@asistone/contract/ai-thread';

/**
 * The AI agent in one conversation (docs/ai-agent.md): whether it or people answer, and handing
 * it back after a handoff. Polled with the thread, so a handoff shows while the team looks.
 */
const path = (tenantId: string, conversationId: string) =>
  `/businesses/${seg(tenantId)}/conversations/${seg(conversationId)}/ai`;

const key = (tenantId: string, conversationId: string) => ['ai-responder', tenantId, conversationId] as const;

export function useConversationResponder(tenantId: string, conversationId: string) {
  return useQuery({
    queryKey: key(tenantId, conversationId),
    queryFn: () => request<ConversationResponder>(path(tenantId, conversationId)),
    refetchInterval: INBOX_POLL_MS * 4,
  });
}

export function useResumeAgent(tenantId: string, conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<ConversationResponder>(`${path(tenantId, conversationId)}/resume`, { method: 'POST' }),
    onSuccess: (answer) => client.setQueryData(key(tenantId, conversationId), answer),
  });
}
