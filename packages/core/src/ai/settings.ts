import {
  type AgentGuardrails,
  type AgentSettings,
  agentSettings,
  DEFAULT_AGENT_MODEL,
  REPLY_CHARS,
} from '@asistone/contract/ai';
import type { AuditAction } from '@asistone/contract/audit';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AUDIT_RECORDS } from '../audit/records.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { type AI_SETTINGS_RECORDS, type AiSettingsStore, versionKey } from './settings-records.js';

export type { AgentGuardrails, AgentSettings };

/**
 * The AI agent's settings, versioned. Every save is a new version numbered one past the newest,
 * created only if that number is still free: two saves at once cannot share a number, and the
 * one that lost retries on the next number, so the history has no gaps. Nothing is ever
 * overwritten; a rollback is a new version copying an old one.
 */

export interface AgentVersion extends AgentSettings {
  version: number;
  createdBy: string;
  createdAt: number;
  note?: string;
  /** This version copies that older one (a rollback). */
  restoredFrom?: number;
}

/** Who made a change, for the version and the audit log. */
export interface AgentActor {
  userId: string;
  sourceAddress?: string | undefined;
}

export interface AgentSettingsDeps {
  store: Store<typeof AI_SETTINGS_RECORDS & typeof AUDIT_RECORDS>;
}

/** Off, no channel, no prompt, careful guardrails: what a form starts from before the first save. */
export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  enabled: false,
  channels: [],
  prompt: '',
  guardrails: {
    allowedTopics: [],
    forbiddenTopics: [],
    tone: 'friendly',
    languages: ['tr'],
    maxReplyChars: REPLY_CHARS.default,
    maxDiscountPercent: 0,
    mayPromiseDelivery: false,
    handoff: { onRequestForPerson: true, onAnger: true, onSensitiveTopics: [], minConfidence: 0.5 },
  },
  model: DEFAULT_AGENT_MODEL,
};

/** Retries of a save that lost its number to a concurrent one; each retry reads the newest again. */
const SAVE_ATTEMPTS = 5;

type VersionItem = {
  version: number;
  settings: unknown;
  createdBy: string;
  createdAt: number;
  note?: string | undefined;
  restoredFrom?: number | undefined;
};

/**
 * A stored version as the agent reads it. The settings were checked at save; they are parsed
 * again so a version saved under an older shape reads with today's defaults filled in, and one
 * that no longer parses reads as off (never as a half-understood "on").
 */
function toVersion(item: VersionItem): AgentVersion {
  const parsed = agentSettings.safeParse(item.settings);
  const settings = parsed.success ? parsed.data : { ...DEFAULT_AGENT_SETTINGS };
  return {
    ...settings,
    version: item.version,
    createdBy: item.createdBy,
    createdAt: item.createdAt,
    ...(item.note !== undefined && { note: item.note }),
    ...(item.restoredFrom !== undefined && { restoredFrom: item.restoredFrom }),
  };
}

/** The version in force (enabled or not); undefined = never configured = off. */
export async function currentAgent(store: AiSettingsStore, tenantId: string): Promise<AgentVersion | undefined> {
  const { data } = await store.entities.aiAgentVersion.query
    .byVersion({ tenantId })
    .go({ order: 'desc', limit: 1, consistent: true });
  const newest = data[0];
  return newest ? toVersion(newest) : undefined;
}

export async function agentVersion(
  store: AiSettingsStore,
  tenantId: string,
  version: number,
): Promise<AgentVersion | undefined> {
  if (!Number.isSafeInteger(version) || version < 1) return undefined;
  const { data } = await store.entities.aiAgentVersion.get({ tenantId, versionKey: versionKey(version) }).go();
  return data ? toVersion(data) : undefined;
}

/** Every version, newest first (a business saves a handful a month; one page is enough for years). */
export async function agentVersions(store: AiSettingsStore, tenantId: string): Promise<AgentVersion[]> {
  const { data } = await store.entities.aiAgentVersion.query
    .byVersion({ tenantId })
    .go({ order: 'desc', pages: 'all' });
  return data.map(toVersion);
}

/** Checks settings from any caller (the API checked them already); refused input saves nothing. */
export function parseAgentSettings(input: unknown): AgentSettings {
  const parsed = agentSettings.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The AI agent settings are not valid',
      parsed.error.issues.map((issue) => issue.path.join('.') || issue.message),
    );
  }
  return parsed.data;
}

/** Switching the agent on or off is its own audit action: it decides whether customers talk to a model. */
function auditActionOf(before: AgentVersion | undefined, after: AgentSettings): AuditAction {
  const wasOn = before?.enabled ?? false;
  if (after.enabled && !wasOn) return 'ai.enabled';
  if (!after.enabled && wasOn) return 'ai.disabled';
  return 'settings.changed';
}

async function createVersion(
  deps: AgentSettingsDeps,
  actor: AgentActor,
  tenantId: string,
  settings: AgentSettings,
  extra: { note?: string | undefined; restoredFrom?: number },
): Promise<AgentVersion> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const before = await currentAgent(deps.store, tenantId);
    const version = (before?.version ?? 0) + 1;
    const createdAt = Date.now();
    try {
      // create() = put only if no item has this key: the number is ours or the save retries.
      await deps.store.entities.aiAgentVersion
        .create({
          tenantId,
          version,
          versionKey: versionKey(version),
          settings,
          createdBy: actor.userId,
          createdAt,
          ...(extra.note && { note: extra.note }),
          ...(extra.restoredFrom !== undefined && { restoredFrom: extra.restoredFrom }),
        })
        .go();
    } catch (error) {
      if (isConditionFailure(error)) continue;
      throw error;
    }
    await recordAuditEvent(deps.store, tenantId, {
      action: auditActionOf(before, settings),
      actorId: actor.userId,
      target: { type: 'ai-agent', id: String(version) },
      sourceAddress: actor.sourceAddress,
      detail: {
        setting: 'ai.agent',
        version: String(version),
        ...(extra.restoredFrom !== undefined && { restoredFrom: String(extra.restoredFrom) }),
      },
    });
    return {
      ...settings,
      version,
      createdBy: actor.userId,
      createdAt,
      ...(extra.note && { note: extra.note }),
      ...(extra.restoredFrom !== undefined && { restoredFrom: extra.restoredFrom }),
    };
  }
  throw new ConflictError('The AI agent settings are being changed by someone else; try again');
}

/** A new version (two saves never share a number), audited with who and when. */
export async function saveAgent(
  deps: AgentSettingsDeps,
  actor: AgentActor,
  tenantId: string,
  settings: AgentSettings,
  note?: string,
): Promise<AgentVersion> {
  return createVersion(deps, actor, tenantId, parseAgentSettings(settings), { note });
}

/** Rollback: a new version copying version `version`'s settings (the history keeps both). */
export async function restoreAgent(
  deps: AgentSettingsDeps,
  actor: AgentActor,
  tenantId: string,
  version: number,
): Promise<AgentVersion> {
  const old = await agentVersion(deps.store, tenantId, version);
  if (!old) throw new NotFoundError(`There is no version ${version} of the AI agent settings`);
  const { enabled, channels, prompt, guardrails, model } = old;
  return createVersion(
    deps,
    actor,
    tenantId,
    { enabled, channels, prompt, guardrails, model },
    {
      note: `Restored from version ${version}`,
      restoredFrom: version,
    },
  );
}
