import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import type { Store } from '../platform/store/service.js';

/**
 * The AI agent's trial in the sandbox simulator: at most one per business, one item `aitrial` in
 * the business's partition, so the inference step finds it with one GetItem. It names the
 * settings that answer the sandbox while the merchant tries them: the version in force, or an
 * unsaved draft (the merchant's own wording and limits, like a version's: not personal).
 */

export const AiTrialRecord = new Entity({
  model: { entity: 'aiTrial', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    source: { type: ['current', 'draft'] as const, required: true },
    /** `draft`: contract/ai.ts AgentSettings, checked like a save. */
    settings: { type: 'any' },
    startedBy: { type: 'string', required: true },
    startedAt: { type: 'number', required: true },
    /** Epoch seconds, the unit DynamoDB's TTL reads; the code checks it itself too (TTL runs late). */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'aitrial', casing: 'none' },
    },
  },
});

export const AI_TRIAL_RECORDS = { aiTrial: AiTrialRecord };
export type AiTrialStore = Store<typeof AI_TRIAL_RECORDS>;

export const AI_TRIAL_DATA_CLASSES: DataClass[] = [
  {
    name: 'ai.trial',
    description:
      'The AI agent settings being tried in the sandbox simulator (the version in force or an unsaved draft), who started it and when',
    personal: false,
    // A day at most: DynamoDB's TTL removes it after `expiresAt`, the tenant purge with the business.
    retention: { days: 1, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'aitrial' }]),
  },
];
