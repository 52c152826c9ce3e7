import {
  type AgentSettings,
  agentAnswer,
  agentSaveBody,
  agentVersionsAnswer,
  agentVersionView,
  knowledgeAnswer,
  knowledgeEntryBody,
  knowledgeEntryView,
} from '@asistone/contract/ai';
import {
  addKnowledgeEntry,
  deleteKnowledgeEntry,
  type KnowledgeDeps,
  type KnowledgeEntry,
  knowledgeEntries,
  updateKnowledgeEntry,
} from '@asistone/core/ai/knowledge';
import {
  type AgentVersion,
  agentVersions,
  currentAgent,
  DEFAULT_AGENT_SETTINGS,
  restoreAgent,
  saveAgent,
} from '@asistone/core/ai/settings';
import { AI_SETTINGS_RECORDS } from '@asistone/core/ai/settings-records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { defineRoute } from '../lib/route.js';

/**
 * The AI agent's settings and knowledge base (docs/ai-agent.md). Changing them is
 * `integrations.manage` (owners and admins: they decide whether a model talks to their
 * customers, and what it may say); reading them is `conversations.read`, so agents in the inbox
 * know what the AI answers and from what.
 */

const deps = once(async (): Promise<KnowledgeDeps> => {
  const { storeOf, keyring } = platform();
  return { store: storeOf({ ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS }), keyring };
});

function versionView(version: AgentVersion) {
  const { enabled, channels, prompt, guardrails, model } = version;
  return {
    enabled,
    channels,
    prompt,
    guardrails,
    model,
    version: version.version,
    createdBy: version.createdBy,
    createdAt: new Date(version.createdAt).toISOString(),
    note: version.note ?? null,
    restoredFrom: version.restoredFrom ?? null,
  };
}

function entryView(entry: KnowledgeEntry) {
  return { ...entry, updatedAt: new Date(entry.updatedAt).toISOString() };
}

const AGENT = '/businesses/:tenantId/ai/agent';
const KNOWLEDGE = '/businesses/:tenantId/ai/knowledge';

export const aiSettingsRoutes = [
  defineRoute({
    method: 'get',
    path: AGENT,
    access: 'conversations.read',
    summary: 'The AI agent settings in force (null when never configured: off), with the defaults a form starts from',
    answers: { 200: { description: 'The version in force', schema: agentAnswer } },
    async handle({ c, business }) {
      const current = await currentAgent((await deps()).store, business.tenantId);
      return c.json({ current: current ? versionView(current) : null, defaults: DEFAULT_AGENT_SETTINGS });
    },
  }),
  defineRoute({
    method: 'put',
    path: AGENT,
    access: 'integrations.manage',
    summary: 'Saves the AI agent settings, whole, as a new version (audited)',
    body: agentSaveBody,
    answers: { 200: { description: 'The new version', schema: agentVersionView } },
    async handle({ c, business, caller, origin, body }) {
      const { note, ...settings } = body;
      const saved = await saveAgent(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        settings as AgentSettings,
        note,
      );
      return c.json(versionView(saved));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${AGENT}/versions`,
    access: 'conversations.read',
    summary: 'Every version of the AI agent settings, newest first, with who saved it and when',
    answers: { 200: { description: 'The versions', schema: agentVersionsAnswer } },
    async handle({ c, business }) {
      const versions = await agentVersions((await deps()).store, business.tenantId);
      return c.json({ versions: versions.map(versionView) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${AGENT}/versions/:agentVersion/restore`,
    access: 'integrations.manage',
    summary: "Rolls back: a new version copying that version's settings (audited)",
    answers: { 200: { description: 'The new version', schema: agentVersionView } },
    async handle({ c, business, caller, origin, params }) {
      const restored = await restoreAgent(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        // The router checked its shape (functions/api/lib/params.ts): 1 to 9 digits, no leading zero.
        Number(params.agentVersion),
      );
      return c.json(versionView(restored));
    },
  }),
  defineRoute({
    method: 'get',
    path: KNOWLEDGE,
    access: 'conversations.read',
    summary: 'The knowledge base the AI agent answers from, in the order written',
    answers: { 200: { description: 'The entries', schema: knowledgeAnswer } },
    async handle({ c, business }) {
      const { store, keyring } = await deps();
      const entries = await knowledgeEntries(store, keyring, business.tenantId);
      return c.json({ entries: entries.map(entryView) });
    },
  }),
  defineRoute({
    method: 'post',
    path: KNOWLEDGE,
    access: 'integrations.manage',
    summary: 'Adds a knowledge entry (title and text, sealed; audited)',
    body: knowledgeEntryBody,
    answers: { 201: { description: 'The entry', schema: knowledgeEntryView } },
    async handle({ c, business, caller, origin, body }) {
      const entry = await addKnowledgeEntry(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        body,
      );
      return c.json(entryView(entry), 201);
    },
  }),
  defineRoute({
    method: 'put',
    path: `${KNOWLEDGE}/:entryId`,
    access: 'integrations.manage',
    summary: 'Rewrites a knowledge entry (audited)',
    body: knowledgeEntryBody,
    answers: { 200: { description: 'The entry', schema: knowledgeEntryView } },
    async handle({ c, business, caller, origin, params, body }) {
      const entry = await updateKnowledgeEntry(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        params.entryId ?? '',
        body,
      );
      return c.json(entryView(entry));
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${KNOWLEDGE}/:entryId`,
    access: 'integrations.manage',
    summary: 'Deletes a knowledge entry (audited)',
    answers: { 204: { description: 'Deleted' } },
    async handle({ c, business, caller, origin, params }) {
      await deleteKnowledgeEntry(
        await deps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        params.entryId ?? '',
      );
      return c.body(null, 204);
    },
  }),
];
