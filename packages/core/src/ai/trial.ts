import { type AgentSettings, agentSettings } from '@asistone/contract/ai';
import { TRIAL_HOURS, type TrialBody, type TrialSource } from '@asistone/contract/ai-trial';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AUDIT_RECORDS } from '../audit/records.js';
import { ConflictError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import type { AiRecordsStore } from './records.js';
import { type AgentActor, type AgentVersion, currentAgent, parseAgentSettings } from './settings.js';
import type { AI_SETTINGS_RECORDS } from './settings-records.js';
import type { AI_TRIAL_RECORDS, AiTrialStore } from './trial-records.js';

/**
 * Trying the agent in the sandbox simulator before switching it on. A trial names the settings
 * that answer the sandbox's conversations: the version in force (even while the agent is off),
 * or an unsaved draft from the settings form. It is not a version: it never changes what
 * answers real customers on WhatsApp, Instagram or Messenger, and it stops by itself after
 * TRIAL_HOURS so a forgotten one does not linger.
 */

export type { TrialSource };
export { TRIAL_HOURS };

export interface AgentTrial {
  source: TrialSource;
  /** `draft` only: the settings tried. */
  settings?: AgentSettings;
  startedBy: string;
  startedAt: number;
  /** Epoch ms. */
  expiresAt: number;
}

/** The settings that answer a conversation, and whether a trial chose them. */
export type AnsweringSettings = AgentVersion & {
  /** Set when a trial answers the sandbox: `draft` settings have no version number of their own. */
  trial?: TrialSource;
};

export interface TrialDeps {
  store: Store<typeof AI_TRIAL_RECORDS & typeof AI_SETTINGS_RECORDS & typeof AUDIT_RECORDS>;
}

const TRIAL_MS = TRIAL_HOURS * 3_600_000;

/** The trial being run, or undefined (none, or past its time: DynamoDB's TTL removes it late). One GetItem. */
export async function agentTrial(store: AiTrialStore, tenantId: string, now = Date.now()) {
  const { data } = await store.entities.aiTrial.get({ tenantId }).go();
  if (!data || data.expiresAt * 1000 <= now) return undefined;
  const parsed = data.source === 'draft' ? agentSettings.safeParse(data.settings) : undefined;
  // A draft that no longer parses (saved under an older shape) is no trial: never a half-understood one.
  if (parsed && !parsed.success) return undefined;
  return {
    source: data.source,
    ...(parsed?.success && { settings: parsed.data }),
    startedBy: data.startedBy,
    startedAt: data.startedAt,
    expiresAt: data.expiresAt * 1000,
  } satisfies AgentTrial;
}

/**
 * Starts (or replaces) the business's trial. `current` needs a version in force; a draft is
 * checked exactly like a save (refused input stores nothing and audits nothing).
 */
export async function startTrial(
  deps: TrialDeps,
  actor: AgentActor,
  tenantId: string,
  input: TrialBody,
  now = Date.now(),
): Promise<{ trial: AgentTrial; version?: number }> {
  const settings = input.source === 'draft' ? parseAgentSettings(input.settings) : undefined;
  const inForce = input.source === 'current' ? await currentAgent(deps.store, tenantId) : undefined;
  if (input.source === 'current' && !inForce) {
    throw new ConflictError('There is no saved version of the AI agent settings to try yet');
  }
  const trial: AgentTrial = {
    source: input.source,
    ...(settings && { settings }),
    startedBy: actor.userId,
    startedAt: now,
    // Whole seconds, as stored for DynamoDB's TTL: the answer and a later read say the same time.
    expiresAt: Math.floor((now + TRIAL_MS) / 1000) * 1000,
  };
  await deps.store.entities.aiTrial
    .put({
      tenantId,
      source: trial.source,
      ...(settings && { settings }),
      startedBy: trial.startedBy,
      startedAt: trial.startedAt,
      expiresAt: Math.floor(trial.expiresAt / 1000),
    })
    .go();
  // Which settings, never their text: a prompt is the merchant's wording, not the log's.
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'ai.trial.started',
      actorId: actor.userId,
      target: { type: 'ai-trial', id: trial.source },
      sourceAddress: actor.sourceAddress,
      detail: { setting: 'ai.trial', source: trial.source, ...(inForce && { version: String(inForce.version) }) },
    },
    now,
  );
  return { trial, ...(inForce && { version: inForce.version }) };
}

/** Stops trying: the sandbox goes back to the version in force (off unless it serves the sandbox). */
export async function stopTrial(deps: TrialDeps, actor: AgentActor, tenantId: string): Promise<void> {
  const { data } = await deps.store.entities.aiTrial.get({ tenantId }).go();
  if (!data) return;
  await deps.store.entities.aiTrial.delete({ tenantId }).go();
  await recordAuditEvent(deps.store, tenantId, {
    action: 'ai.trial.stopped',
    actorId: actor.userId,
    target: { type: 'ai-trial', id: data.source },
    sourceAddress: actor.sourceAddress,
    detail: { setting: 'ai.trial', source: data.source },
  });
}

const withSandbox = (channels: AgentSettings['channels']): AgentSettings['channels'] =>
  channels.includes('sandbox') ? channels : [...channels, 'sandbox'];

/**
 * The settings that answer a conversation on `channel`: on the sandbox while a trial runs, the
 * trial's, as if the agent were on and served the sandbox; anywhere else (or with no trial) the
 * version in force, untouched. Undefined: nothing answers (never configured, or only a draft
 * trial and this is not the sandbox).
 */
export function answeringSettings(
  inForce: AgentVersion | undefined,
  trial: AgentTrial | undefined,
  channel: string,
): AnsweringSettings | undefined {
  if (!trial || channel !== 'sandbox') return inForce;
  if (trial.source === 'current') {
    return inForce && { ...inForce, enabled: true, channels: withSandbox(inForce.channels), trial: 'current' };
  }
  if (!trial.settings) return inForce;
  return {
    ...trial.settings,
    enabled: true,
    channels: withSandbox(trial.settings.channels),
    // A draft has no number: 0 stands for "none" internally; what is stored and shown says `draft`.
    version: 0,
    createdBy: trial.startedBy,
    createdAt: trial.startedAt,
    trial: 'draft',
  };
}

/** What the outcome record and the reply say answered: the version number, and the trial if one did. */
export function answeredBy(settings: AnsweringSettings): { agentVersion?: number; trial?: TrialSource } {
  return {
    ...(settings.trial !== 'draft' && { agentVersion: settings.version }),
    ...(settings.trial && { trial: settings.trial }),
  };
}

/** As many outcomes as the simulator shows messages: one per customer message, newest first. */
const OUTCOMES_SHOWN = 100;

/**
 * The agent's outcomes in one sandbox conversation, by the reply or handoff notice each sent:
 * the simulator shows beside each AI-written message which settings answered and, for a
 * handoff, why (not personal: reason codes, version numbers). One Query.
 */
export async function sandboxAiOutcomes(store: AiRecordsStore, tenantId: string, conversationId: string) {
  const { data } = await store.entities.aiReply.query
    .byConversation({ tenantId, conversationId })
    .go({ order: 'desc', limit: OUTCOMES_SHOWN });
  const outcomes = new Map<string, { handoffReason?: string; version?: number; trial?: TrialSource }>();
  for (const outcome of data) {
    if (outcome.conversationId !== conversationId || !outcome.replyMessageId) continue;
    outcomes.set(outcome.replyMessageId, {
      ...(outcome.state === 'handed-off' && outcome.reason && { handoffReason: outcome.reason }),
      ...(outcome.agentVersion !== undefined && { version: outcome.agentVersion }),
      ...(outcome.trial && { trial: outcome.trial }),
    });
  }
  return outcomes;
}
