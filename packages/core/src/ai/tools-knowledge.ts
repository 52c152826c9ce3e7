import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Records, Store } from '../platform/store/service.js';
import { knowledgeEntries } from './knowledge.js';
import { matchScore, searchTokens } from './search.js';
import { AI_SETTINGS_RECORDS } from './settings-records.js';
import type { Citation } from './tools.js';

/**
 * The merchant's knowledge base (knowledge.ts) ranked against the customer's question by shared
 * terms: a term in the title counts double, so "Kargo ve teslimat" wins for "kargom nerede" over
 * an entry that mentions shipping in passing. A few hundred entries at most (MAX_KNOWLEDGE_ENTRIES):
 * all are read and ranked per question.
 */

export const TOP_ENTRIES = 3;
/** Characters of one entry's text given to the model (entries may be up to 4,000). */
export const ENTRY_EXCERPT = 1_200;

export interface KnowledgeForModel {
  title: string;
  text: string;
}

export async function searchKnowledge(
  deps: { keyring: TenantKeyring; storeOf<R extends Records>(records: R): Store<R> },
  tenantId: string,
  query: string,
): Promise<{ entries: KnowledgeForModel[]; citations: Citation[] }> {
  const terms = searchTokens(query);
  if (terms.length === 0) return { entries: [], citations: [] };
  const all = await knowledgeEntries(deps.storeOf(AI_SETTINGS_RECORDS), deps.keyring, tenantId);
  const ranked = all
    .map((entry) => ({
      entry,
      score: 2 * matchScore(terms, searchTokens(entry.title)) + matchScore(terms, searchTokens(entry.body)),
    }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || b.entry.updatedAt - a.entry.updatedAt)
    .slice(0, TOP_ENTRIES);
  return {
    entries: ranked.map(({ entry }) => ({
      title: entry.title,
      text: entry.body.length > ENTRY_EXCERPT ? `${entry.body.slice(0, ENTRY_EXCERPT)}…` : entry.body,
    })),
    citations: ranked.map(({ entry }) => ({ kind: 'knowledge', id: entry.entryId, label: entry.title })),
  };
}
