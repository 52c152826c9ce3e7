import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * The AI agent's settings and knowledge base, in the business's partition (`t#<tenant>`).
 *
 * Settings are never overwritten: every save is a new item `aiagent#v#<000000001>`, created only
 * if that number is free, so two saves at once can never share a number and the history has no
 * gaps. The newest item is the version in force; rolling back writes a new version copying an
 * old one, so the history still tells who changed what when.
 *
 * Knowledge entries are the merchant's own texts (returns, shipping, opening hours), but a
 * merchant may paste anything into them (a phone number, a supplier's name), so title and body
 * are sealed with the business's key like notes are.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** Zero-padded so the sort key orders versions numerically (Query newest first = version in force). */
export const versionKey = (version: number): string => String(version).padStart(9, '0');

export const AiAgentVersionRecord = new Entity({
  model: { entity: 'aiAgentVersion', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    version: { type: 'number', required: true, readOnly: true },
    versionKey: { type: 'string', required: true, readOnly: true },
    /** contract/ai.ts AgentSettings, checked at save. The business's own wording and limits: not personal. */
    settings: { type: 'any', required: true, readOnly: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    note: { type: 'string', readOnly: true },
    /** Set when this version copies an older one (a rollback). */
    restoredFrom: { type: 'number', readOnly: true },
  },
  indexes: {
    byVersion: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['versionKey'], template: 'aiagent#v#${versionKey}', casing: 'none' },
    },
  },
});

export const AiKnowledgeEntryRecord = new Entity({
  model: { entity: 'aiKnowledgeEntry', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    entryId: { type: 'string', required: true, readOnly: true },
    /** Sealed (`aiknowledge`/`title`|`body`, bound to the entry id). */
    title: { type: 'string', required: true },
    body: { type: 'string', required: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    updatedBy: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true },
  },
  indexes: {
    byEntry: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['entryId'], template: 'aiknowledge#${entryId}', casing: 'none' },
    },
  },
});

export const AI_SETTINGS_RECORDS = {
  aiAgentVersion: AiAgentVersionRecord,
  aiKnowledgeEntry: AiKnowledgeEntryRecord,
};
export type AiSettingsStore = Store<typeof AI_SETTINGS_RECORDS>;

export const AI_SETTINGS_DATA_CLASSES: DataClass[] = [
  {
    name: 'ai.agent-versions',
    description:
      "Every version of the AI agent's settings: on/off, channels, the merchant's prompt, guardrails, model, who saved it and when",
    personal: false,
    // The history is what makes a rollback and an audit possible: kept while the business lives.
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'aiagent#' }]),
  },
  {
    name: 'ai.knowledge',
    description: 'The knowledge base the merchant writes for the AI agent (title and text, sealed)',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'aiknowledge#' }]),
  },
];
