import {
  AD_RECOMMENDATION_KINDS,
  type AdRecommendation,
  type AdRow,
  type AdsInsightsAnswer,
  type AdsRecommendationsAnswer,
} from '@asistone/contract/ads';
import { DEFAULT_AGENT_MODEL } from '@asistone/contract/ai';
import type { AgentModel } from '../ai/model.js';
import { NotFoundError } from '../platform/errors.js';
import type { AdsStore } from './records.js';

/**
 * Recommendations on request: the model reads the insights table (ids, names the business gave
 * its campaigns and ads, and figures; never a customer) and proposes budget shifts, pauses and
 * creative ideas, each citing the figures it rests on. Every cited figure is checked against the
 * table; a proposal citing one that is not there is dropped and counted. A person decides:
 * nothing here writes to Meta.
 */

/** The figures a recommendation may cite, as the table names them. */
export const CITABLE_METRICS = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cpm',
  'purchases',
  'purchaseValue',
  'roas',
  'conversations',
  'orders',
  'revenue',
] as const;
type Metric = (typeof CITABLE_METRICS)[number];

/** At most this many rows go to the model (the ones that spent most). */
const TABLE_ROWS = 30;
const MAX_RECOMMENDATIONS = 6;

/** The first words of the instructions: the local fake model knows the request by them. */
export const RECOMMENDATIONS_PROMPT_START = 'You review Meta ad performance for a shop';

/** The table the model reads: one line of JSON, numbers as the page shows them. */
export function recommendationTable(answer: AdsInsightsAnswer) {
  return {
    currency: answer.currency,
    level: answer.level,
    from: answer.from,
    to: answer.to,
    rows: answer.rows.slice(0, TABLE_ROWS).map((row) => ({
      id: row.id,
      name: row.name,
      ...Object.fromEntries(CITABLE_METRICS.map((metric) => [metric, row[metric]])),
    })),
  };
}

export function recommendationPrompt(answer: AdsInsightsAnswer): string {
  return [
    `${RECOMMENDATIONS_PROMPT_START}. You read the table below and propose up to ${MAX_RECOMMENDATIONS} changes the owner could make:`,
    'budget shifts between campaigns or ads (from low ROAS to high ROAS), pausing what spends without results,',
    'and creative ideas where click-through is low. Each proposal cites, in evidence, the exact figures from the table',
    'it rests on: the row id, the metric name and the value as written in the table. Cite nothing that is not in the table.',
    'Write titles and reasons in the language of the campaign names (Turkish if unsure). Money is in the table currency.',
    JSON.stringify(recommendationTable(answer)),
  ].join('\n');
}

/** The strict JSON schema of the model's answer. */
export const RECOMMENDATIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['recommendations'],
  properties: {
    recommendations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'title', 'why', 'evidence'],
        properties: {
          kind: { type: 'string', enum: [...AD_RECOMMENDATION_KINDS] },
          title: { type: 'string' },
          why: { type: 'string' },
          evidence: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'metric', 'value'],
              properties: {
                id: { type: 'string' },
                metric: { type: 'string', enum: [...CITABLE_METRICS] },
                value: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The same number however it is written ("3.20", "3.2", "3,20"); text otherwise. */
const normal = (value: unknown) => {
  const text = String(value ?? '')
    .trim()
    .replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? String(Number(text)) : text;
};

/**
 * The model's proposals, kept only when every figure they cite is the table's: the row exists,
 * the metric is one of the table's, and the value is the one written there.
 */
export function checkedRecommendations(
  raw: string | undefined,
  answer: AdsInsightsAnswer,
): { recommendations: AdRecommendation[]; dropped: number } {
  let parsed: { recommendations?: unknown };
  try {
    parsed = JSON.parse(raw ?? '') as { recommendations?: unknown };
  } catch {
    return { recommendations: [], dropped: 0 };
  }
  const proposals = Array.isArray(parsed.recommendations) ? parsed.recommendations : [];
  const rows = new Map(answer.rows.slice(0, TABLE_ROWS).map((row) => [row.id, row]));
  const recommendations: AdRecommendation[] = [];
  let dropped = 0;
  for (const proposal of proposals.slice(0, MAX_RECOMMENDATIONS * 2) as Record<string, unknown>[]) {
    const evidence = Array.isArray(proposal.evidence) ? (proposal.evidence as Record<string, unknown>[]) : [];
    const cited = evidence.map((figure) => {
      const row = rows.get(String(figure.id));
      const metric = String(figure.metric) as Metric;
      if (!row || !CITABLE_METRICS.includes(metric)) return undefined;
      const value = (row as AdRow)[metric];
      if (value === null || normal(value) !== normal(figure.value)) return undefined;
      return { level: answer.level, id: row.id, name: row.name, metric, value: String(value) };
    });
    const kind = AD_RECOMMENDATION_KINDS.find((known) => known === proposal.kind) ?? 'other';
    const title = String(proposal.title ?? '').trim();
    if (cited.length === 0 || cited.some((figure) => !figure) || !title) {
      dropped += 1;
      continue;
    }
    recommendations.push({
      kind,
      title: title.slice(0, 200),
      why: String(proposal.why ?? '')
        .trim()
        .slice(0, 1000),
      evidence: cited as AdRecommendation['evidence'],
    });
    if (recommendations.length >= MAX_RECOMMENDATIONS) break;
  }
  return { recommendations, dropped };
}

/** Asks the model and keeps what it proposed, checked, for the account and range. */
export async function recommend(
  deps: { store: AdsStore; model: AgentModel; modelName?: string },
  request: { tenantId: string; accountId: string; requestedBy: string; createdAt: number },
  answer: AdsInsightsAnswer,
): Promise<AdsRecommendationsAnswer> {
  const turn = await deps.model.complete({
    model: deps.modelName ?? DEFAULT_AGENT_MODEL,
    messages: [
      { role: 'system', content: recommendationPrompt(answer) },
      { role: 'user', content: 'Propose the changes, with their evidence.' },
    ],
    tools: [],
    maxTokens: 1_500,
    answerFormat: { name: 'ads_recommendations', schema: RECOMMENDATIONS_SCHEMA },
  });
  const { recommendations, dropped } = checkedRecommendations(turn.text, answer);
  await deps.store.entities.adRecommendation
    .put({
      tenantId: request.tenantId,
      accountId: request.accountId,
      createdAt: request.createdAt,
      from: answer.from,
      to: answer.to,
      recommendations,
      dropped,
      requestedBy: request.requestedBy,
    })
    .go({ response: 'none' });
  return {
    accountId: request.accountId,
    from: answer.from,
    to: answer.to,
    createdAt: new Date(request.createdAt).toISOString(),
    recommendations,
    dropped,
  };
}

/** The newest recommendations for an account, if any were asked for. */
export async function latestRecommendations(
  store: AdsStore,
  tenantId: string,
  accountId: string,
): Promise<AdsRecommendationsAnswer | null> {
  const account = (await store.entities.adAccount.get({ tenantId, accountId }).go()).data;
  if (!account) throw new NotFoundError('No such ad account');
  const { data } = await store.entities.adRecommendation.query
    .byAccount({ tenantId, accountId })
    .go({ order: 'desc', limit: 1 });
  const item = data[0];
  if (!item) return null;
  return {
    accountId,
    from: item.from,
    to: item.to,
    createdAt: new Date(item.createdAt).toISOString(),
    recommendations: item.recommendations as AdRecommendation[],
    dropped: item.dropped,
  };
}
