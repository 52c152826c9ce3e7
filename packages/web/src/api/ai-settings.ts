import type {
  AgentAnswer,
  AgentSaveBody,
  AgentVersionsAnswer,
  AgentVersionView,
  KnowledgeAnswer,
  KnowledgeEntryBody,
  KnowledgeEntryView,
} from '@asistone/contract/ai';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';

export type {
  AgentAnswer,
  AgentSettings,
  AgentVersionView,
  KnowledgeEntryView,
} from '@asistone/contract/ai';

/**
 * The AI agent's settings and knowledge base (docs/ai-agent.md): everyone who reads
 * conversations sees them; owners and admins change them. Each save is a new version.
 */

const agentPath = (tenantId: string) => `/businesses/${seg(tenantId)}/ai/agent`;
const knowledgePath = (tenantId: string) => `/businesses/${seg(tenantId)}/ai/knowledge`;

export const aiSettingsKeys = {
  all: (tenantId: string) => ['ai-settings', tenantId] as const,
  agent: (tenantId: string) => ['ai-settings', tenantId, 'agent'] as const,
  versions: (tenantId: string) => ['ai-settings', tenantId, 'versions'] as const,
  knowledge: (tenantId: string) => ['ai-settings', tenantId, 'knowledge'] as const,
};

export function useAgentSettings(tenantId: string) {
  return useQuery({
    queryKey: aiSettingsKeys.agent(tenantId),
    queryFn: () => request<AgentAnswer>(agentPath(tenantId)),
  });
}

export function useAgentVersions(tenantId: string) {
  return useQuery({
    queryKey: aiSettingsKeys.versions(tenantId),
    queryFn: () => request<AgentVersionsAnswer>(`${agentPath(tenantId)}/versions`),
  });
}

/** A save or a restore both make a new version: the current one and the list are read again. */
function useNewVersion<V>(tenantId: string, call: (input: V) => Promise<AgentVersionView>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: aiSettingsKeys.agent(tenantId) });
      void client.invalidateQueries({ queryKey: aiSettingsKeys.versions(tenantId) });
    },
  });
}

export function useSaveAgent(tenantId: string) {
  return useNewVersion(tenantId, (body: AgentSaveBody) =>
    request<AgentVersionView>(agentPath(tenantId), { method: 'PUT', body }),
  );
}

export function useRestoreAgent(tenantId: string) {
  return useNewVersion(tenantId, (version: number) =>
    request<AgentVersionView>(`${agentPath(tenantId)}/versions/${version}/restore`, { method: 'POST' }),
  );
}

export function useKnowledge(tenantId: string) {
  return useQuery({
    queryKey: aiSettingsKeys.knowledge(tenantId),
    queryFn: () => request<KnowledgeAnswer>(knowledgePath(tenantId)),
  });
}

export function useKnowledgeChanges(tenantId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: aiSettingsKeys.knowledge(tenantId) });
  return {
    add: useMutation({
      mutationFn: (body: KnowledgeEntryBody) =>
        request<KnowledgeEntryView>(knowledgePath(tenantId), { method: 'POST', body }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ entryId, ...body }: KnowledgeEntryBody & { entryId: string }) =>
        request<KnowledgeEntryView>(`${knowledgePath(tenantId)}/${seg(entryId)}`, { method: 'PUT', body }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (entryId: string) =>
        request<void>(`${knowledgePath(tenantId)}/${seg(entryId)}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}
