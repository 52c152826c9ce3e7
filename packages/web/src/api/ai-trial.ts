import type { TrialAnswer, TrialBody } from '@asistone/contract/ai-trial';
import type { sandboxThreadAnswer } from '@asistone/contract/channels';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { channelKeys } from './channels';
import { query, request, seg } from './client';
import { INBOX_POLL_MS } from './inbox';

export type { TrialAnswer, TrialBody, TrialView } from '@asistone/contract/ai-trial';

/**
 * Trying the AI agent in the sandbox simulator (docs/ai-agent.md, "Trying the agent"): the
 * version in force or an unsaved draft answers the sandbox only, for a day at most.
 */

const trialPath = (tenantId: string) => `/businesses/${seg(tenantId)}/ai/trial`;
const trialKey = (tenantId: string) => ['ai-trial', tenantId] as const;

export function useAgentTrial(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: trialKey(tenantId),
    queryFn: () => request<TrialAnswer>(trialPath(tenantId)),
    enabled,
  });
}

export function useStartTrial(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TrialBody) => request<TrialAnswer>(trialPath(tenantId), { method: 'PUT', body }),
    onSuccess: (answer) => client.setQueryData(trialKey(tenantId), answer),
  });
}

export function useStopTrial(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>(trialPath(tenantId), { method: 'DELETE' }),
    onSuccess: () => client.setQueryData<TrialAnswer>(trialKey(tenantId), { trial: null }),
  });
}

export type SandboxThread = z.output<typeof sandboxThreadAnswer>;
export type SandboxThreadMessage = SandboxThread['messages'][number];

/**
 * The sandbox customer's thread with its conversation id and the AI details of each reply (what
 * answered, citations, a handoff's reason). Under the channels' sandbox key, so a message sent
 * from the simulator refreshes it at once.
 */
export function useSandboxConversation(tenantId: string, customerName: string) {
  return useQuery({
    queryKey: [...channelKeys.sandbox(tenantId, customerName), 'with-ai'],
    queryFn: () =>
      request<SandboxThread>(
        `/businesses/${seg(tenantId)}/channels/sandbox/customer-messages${query({ customerName })}`,
      ),
    enabled: customerName.trim().length > 0,
    refetchInterval: INBOX_POLL_MS,
  });
}
