import type { BusinessData } from '../platform/area.js';
import { contentDrafts } from './content.js';
import { AI_CONTENT_RECORDS } from './content-records.js';
import { knowledgeEntries } from './knowledge.js';
import { agentVersions } from './settings.js';
import { AI_SETTINGS_RECORDS } from './settings-records.js';

/**
 * The AI agent's part of the account export: every version of the settings (who saved it and
 * when, the prompt and guardrails as written), the knowledge base and the drafts written on
 * request, opened.
 */
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export const AI_BUSINESS_DATA: readonly BusinessData[] = [
  {
    dataClass: 'ai.agent-versions',
    async export({ tenantId, storeOf }) {
      const versions = await agentVersions(storeOf(AI_SETTINGS_RECORDS), tenantId);
      return {
        'ai-agent-versions': versions.map((version) => ({
          version: version.version,
          enabled: version.enabled,
          channels: version.channels,
          model: version.model,
          prompt: version.prompt,
          guardrails: version.guardrails,
          createdBy: version.createdBy,
          createdAt: iso(version.createdAt),
          note: version.note ?? null,
          restoredFrom: version.restoredFrom ?? null,
        })),
      };
    },
  },
  {
    dataClass: 'ai.knowledge',
    async export({ tenantId, storeOf, keys }) {
      const entries = await knowledgeEntries(storeOf(AI_SETTINGS_RECORDS), { forTenant: async () => keys }, tenantId);
      return {
        'ai-knowledge': entries.map((entry) => ({
          entryId: entry.entryId,
          title: entry.title,
          body: entry.body,
          updatedAt: iso(entry.updatedAt),
          updatedBy: entry.updatedBy,
        })),
      };
    },
  },
  {
    dataClass: 'ai.content-drafts',
    async export({ tenantId, storeOf, keys }) {
      const drafts = await contentDrafts(storeOf(AI_CONTENT_RECORDS), { forTenant: async () => keys }, tenantId, 'all');
      return {
        'ai-content-drafts': drafts.map((draft) => ({
          draftId: draft.draftId,
          kind: draft.kind,
          language: draft.language,
          status: draft.status,
          brief: draft.brief,
          text: draft.text,
          edited: draft.edited,
          productIds: draft.productIds,
          requestedBy: draft.requestedBy,
          requestedAt: iso(draft.requestedAt),
          reviewedBy: draft.reviewedBy ?? null,
          reviewedAt: iso(draft.reviewedAt),
        })),
      };
    },
  },
];
