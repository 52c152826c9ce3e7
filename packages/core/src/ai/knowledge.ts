import { randomBytes } from 'node:crypto';
import { knowledgeEntryBody } from '@asistone/contract/ai';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AUDIT_RECORDS } from '../audit/records.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { AgentActor } from './settings.js';
import type { AI_SETTINGS_RECORDS, AiSettingsStore } from './settings-records.js';

/**
 * The knowledge base: entries the merchant writes for the agent to answer from (returns,
 * shipping times, opening hours). Title and body are sealed with the business's key; every
 * change is audited. A handful to a few hundred entries per business: one partition Query.
 */

export interface KnowledgeEntry {
  entryId: string;
  title: string;
  body: string;
  updatedAt: number;
  updatedBy: string;
}

export interface KnowledgeDeps {
  store: Store<typeof AI_SETTINGS_RECORDS & typeof AUDIT_RECORDS>;
  keyring: TenantKeyring;
}

/** Most entries a business keeps: the search tool reads them all per question. */
export const MAX_KNOWLEDGE_ENTRIES = 200;

const ENTITY = 'aiknowledge';

type EntryItem = { entryId: string; title: string; body: string; updatedAt: number; updatedBy: string };

function openEntry(keys: TenantKeys, item: EntryItem): KnowledgeEntry {
  return {
    entryId: item.entryId,
    title: keys.open(ENTITY, 'title', item.entryId, item.title),
    body: keys.open(ENTITY, 'body', item.entryId, item.body),
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy,
  };
}

function parseEntry(input: unknown): { title: string; body: string } {
  const parsed = knowledgeEntryBody.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The knowledge entry is not valid',
      parsed.error.issues.map((issue) => issue.path.join('.') || issue.message),
    );
  }
  return parsed.data;
}

/** Every entry of the business, opened, in the order they were written (entry ids sort by time). */
export async function knowledgeEntries(
  store: AiSettingsStore,
  keyring: Pick<TenantKeyring, 'forTenant'>,
  tenantId: string,
): Promise<KnowledgeEntry[]> {
  const { data } = await store.entities.aiKnowledgeEntry.query.byEntry({ tenantId }).go({ pages: 'all' });
  if (data.length === 0) return [];
  const keys = await keyring.forTenant(tenantId);
  return data.map((item) => openEntry(keys, item));
}

async function audit(deps: KnowledgeDeps, actor: AgentActor, tenantId: string, entryId: string, change: string) {
  await recordAuditEvent(deps.store, tenantId, {
    action: 'settings.changed',
    actorId: actor.userId,
    target: { type: 'ai-knowledge', id: entryId },
    sourceAddress: actor.sourceAddress,
    detail: { setting: 'ai.knowledge', change },
  });
}

export async function addKnowledgeEntry(
  deps: KnowledgeDeps,
  actor: AgentActor,
  tenantId: string,
  input: unknown,
): Promise<KnowledgeEntry> {
  const { title, body } = parseEntry(input);
  const { data: existing } = await deps.store.entities.aiKnowledgeEntry.query
    .byEntry({ tenantId })
    .go({ pages: 'all', attributes: ['entryId'] });
  if (existing.length >= MAX_KNOWLEDGE_ENTRIES) {
    throw new ValidationError(`A knowledge base holds at most ${MAX_KNOWLEDGE_ENTRIES} entries`);
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const now = Date.now();
  // Time first so the list reads in the order written; random tail so two at once never collide.
  const entryId = `kb_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
  await deps.store.entities.aiKnowledgeEntry
    .create({
      tenantId,
      entryId,
      title: keys.seal(ENTITY, 'title', entryId, title),
      body: keys.seal(ENTITY, 'body', entryId, body),
      createdBy: actor.userId,
      createdAt: now,
      updatedBy: actor.userId,
      updatedAt: now,
    })
    .go();
  await audit(deps, actor, tenantId, entryId, 'created');
  return { entryId, title, body, updatedAt: now, updatedBy: actor.userId };
}

export async function updateKnowledgeEntry(
  deps: KnowledgeDeps,
  actor: AgentActor,
  tenantId: string,
  entryId: string,
  input: unknown,
): Promise<KnowledgeEntry> {
  const { title, body } = parseEntry(input);
  const keys = await deps.keyring.forTenant(tenantId);
  const now = Date.now();
  try {
    // patch() updates only an entry that exists: an unknown id is a 404, never a new entry.
    await deps.store.entities.aiKnowledgeEntry
      .patch({ tenantId, entryId })
      .set({
        title: keys.seal(ENTITY, 'title', entryId, title),
        body: keys.seal(ENTITY, 'body', entryId, body),
        updatedBy: actor.userId,
        updatedAt: now,
      })
      .go();
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError('There is no such knowledge entry');
    throw error;
  }
  await audit(deps, actor, tenantId, entryId, 'updated');
  return { entryId, title, body, updatedAt: now, updatedBy: actor.userId };
}

export async function deleteKnowledgeEntry(
  deps: KnowledgeDeps,
  actor: AgentActor,
  tenantId: string,
  entryId: string,
): Promise<void> {
  try {
    await deps.store.entities.aiKnowledgeEntry.remove({ tenantId, entryId }).go();
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError('There is no such knowledge entry');
    throw error;
  }
  await audit(deps, actor, tenantId, entryId, 'deleted');
}
