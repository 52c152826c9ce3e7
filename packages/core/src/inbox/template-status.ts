import { Entity } from 'electrodb';
import { isConditionFailure } from '../platform/store/service.js';
import type { InboxStore } from './records.js';

/**
 * What Meta last said about one WhatsApp template through its webhooks (status, category,
 * quality), each fact with the time Meta stamped it. Kept whether or not the template is synced
 * yet: a template approved before the business first syncs would otherwise come back as the
 * list said when it was read, and a sync that read Meta a moment before a status change must
 * not undo it. Not personal (template names and Meta's verdicts).
 */
export const TemplateStatusRecord = new Entity({
  model: { entity: 'templateStatus', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    wabaId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true, readOnly: true },
    language: { type: 'string', required: true, readOnly: true },
    status: { type: 'string' },
    /** When Meta says the status changed, ms. */
    statusAt: { type: 'number' },
    /** Meta's reason for the status (REJECTED: INVALID_FORMAT, PROMOTIONAL...; NONE otherwise). */
    statusReason: { type: 'string' },
    category: { type: 'string' },
    categoryAt: { type: 'number' },
    /** GREEN, YELLOW, RED or UNKNOWN: how customers react to it (a RED template gets paused). */
    qualityScore: { type: 'string' },
    qualityAt: { type: 'number' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['wabaId', 'name', 'language'],
        template: 'templatestatus#${wabaId}#${name}#${language}',
        casing: 'none',
      },
    },
  },
});

export const TEMPLATE_STATUS_RECORDS = { templateStatus: TemplateStatusRecord };

/** One webhook's news about a template: whichever facts it carries, stamped with Meta's time. */
export interface TemplateChange {
  wabaId: string;
  name: string;
  language: string;
  /** When Meta says it happened, ms (the entry's `time`). */
  at: number;
  status?: string | undefined;
  statusReason?: string | undefined;
  category?: string | undefined;
  qualityScore?: string | undefined;
}

type Fact = 'status' | 'category' | 'quality';

/**
 * Applies a template webhook: each fact it carries is kept if it is newer than the one known
 * (Meta does not deliver in order), and the synced template takes it when it is newer than both
 * that fact and the sync that wrote the template. Returns the facts that were news.
 *
 * @example
 * await applyTemplateChange(store, tenantId, { wabaId, name: 'order_update', language: 'tr', at, status: 'PAUSED' });
 */
export async function applyTemplateChange(
  store: InboxStore,
  tenantId: string,
  change: TemplateChange,
): Promise<Fact[]> {
  const { wabaId, name, language, at } = change;
  const key = { tenantId, wabaId, name, language };
  // Each fact: what the status record keeps, and what the synced template takes.
  const facts: [Fact, Record<string, string | number>, Record<string, string | number>][] = [];
  if (change.status) {
    const values = { status: change.status, statusAt: at };
    facts.push(['status', { ...values, statusReason: change.statusReason ?? 'NONE' }, values]);
  }
  if (change.category) {
    const values = { category: change.category, categoryAt: at };
    facts.push(['category', values, values]);
  }
  if (change.qualityScore) {
    const values = { qualityScore: change.qualityScore, qualityAt: at };
    facts.push(['quality', values, values]);
  }

  const news: Fact[] = [];
  for (const [fact, values, synced] of facts) {
    const timeField = `${fact}At`;
    const newer = await store.entities.templateStatus
      .upsert({ ...key, ...values })
      .where((attributes, { notExists, lt }) => {
        const stamp = attributes[timeField as 'statusAt'];
        return `${notExists(stamp)} OR ${lt(stamp, at)}`;
      })
      .go()
      .then(
        () => true,
        (error: unknown) => {
          if (isConditionFailure(error)) return false;
          throw error;
        },
      );
    if (!newer) continue;
    news.push(fact);
    // The synced template, when there is one and neither a sync nor a later webhook has told
    // a newer story (the quality score is only ever known from webhooks).
    await store.entities.template
      .patch(key)
      .set(synced)
      .where((attributes, { notExists, lt }) => {
        const stamp = attributes[timeField as 'statusAt'];
        return `${lt(attributes.syncedAt, at)} AND (${notExists(stamp)} OR ${lt(stamp, at)})`;
      })
      .go()
      .catch((error: unknown) => {
        // Not synced yet, or already newer: the fact waits in the status record for the sync.
        if (!isConditionFailure(error)) throw error;
      });
  }
  return news;
}

/**
 * What a sync should store besides what Meta listed: the facts webhooks reported after the sync
 * read Meta (`syncedAt`), and the quality score, which the template list does not carry.
 *
 * @example
 * await store.entities.template.put({ ...fromMeta, ...(await newerTemplateFacts(store, key, syncedAt)) }).go();
 */
export async function newerTemplateFacts(
  store: InboxStore,
  key: { tenantId: string; wabaId: string; name: string; language: string },
  syncedAt: number,
) {
  const { data } = await store.entities.templateStatus.get(key).go();
  if (!data) return {};
  return {
    ...(data.status && (data.statusAt ?? 0) > syncedAt && { status: data.status, statusAt: data.statusAt }),
    ...(data.category && (data.categoryAt ?? 0) > syncedAt && { category: data.category, categoryAt: data.categoryAt }),
    ...(data.qualityScore && { qualityScore: data.qualityScore, qualityAt: data.qualityAt }),
  };
}
