import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdRow, AdsInsightsAnswer } from '../../contract/src/ads.js';
import { type FakeOpenAi, startFakeOpenAi } from '../../local/src/fakes/openai.js';
import { latestRecommendations, recommend, recommendationTable } from '../src/ads/recommendations.js';
import { ADS_RECORDS } from '../src/ads/records.js';
import { openAiModel } from '../src/ai/model.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Recommendations through the real OpenAI client against the fake OpenAI: the model reads the
 * figures table (no customer in it), and each proposal it makes is kept only when every figure it
 * cites is the table's own; one citing a figure that is not there is dropped and counted.
 */

const TENANT = 't_ads_reco';
const ACCOUNT = '100000000000555';
let test: TestPlatform;
let openai: FakeOpenAi;

const figures = (spend: string, roas: string | null, purchases: number): Omit<AdRow, 'id' | 'name' | 'parent'> => ({
  spend,
  impressions: 10_000,
  reach: 8_000,
  clicks: 300,
  linkClicks: 250,
  ctr: '3.00',
  cpc: '1.00',
  cpm: '30.00',
  purchases,
  purchaseValue: roas ? (Number(spend) * Number(roas)).toFixed(2) : '0.00',
  roas,
  conversations: 2,
  orders: 1,
  revenue: '120.00',
});

const answer: AdsInsightsAnswer = {
  accountId: ACCOUNT,
  currency: 'TRY',
  level: 'campaign',
  from: '2026-10-01',
  to: '2026-10-31',
  totals: figures('1500.00', '2.00', 12),
  days: [],
  rows: [
    { id: '101', name: 'Sevgililer Günü', parent: null, ...figures('800.00', '4.10', 10) },
    { id: '102', name: 'Anneler Günü', parent: null, ...figures('500.00', '0.60', 2) },
    { id: '103', name: 'Marka bilinirliği', parent: null, ...figures('200.00', '0.00', 0) },
  ],
  series: [],
};

const deps = () => ({
  store: test.platform.storeOf(ADS_RECORDS),
  model: openAiModel({ baseUrl: openai.baseUrl, apiKey: openai.apiKey }),
});

beforeAll(async () => {
  test = await startTestPlatform();
  openai = await startFakeOpenAi();
  await test.platform
    .storeOf(ADS_RECORDS)
    .entities.adAccount.create({
      tenantId: TENANT,
      accountId: ACCOUNT,
      name: 'Çiçekçi reklam hesabı',
      currency: 'TRY',
      timezone: 'Europe/Istanbul',
      status: 'connected',
      connectedAt: Date.now(),
      connectedBy: 'u_owner',
      backfillFrom: '2025-05-01',
      backfillState: 'done',
    })
    .go();
}, 60_000);
afterAll(async () => {
  await openai?.stop();
  await test?.stop();
});

describe('recommendations', () => {
  it('cite the figures they rest on, exactly as the table shows them', async () => {
    const request = { tenantId: TENANT, accountId: ACCOUNT, requestedBy: 'u_owner', createdAt: Date.now() };
    const result = await recommend(deps(), request, answer);
    expect(result.dropped).toBe(0);
    expect(result.recommendations.map((r) => r.kind)).toEqual(['budget-shift', 'pause']);
    const shift = result.recommendations[0];
    expect(shift?.evidence).toEqual(
      expect.arrayContaining([
        { level: 'campaign', id: '103', name: 'Marka bilinirliği', metric: 'roas', value: '0.00' },
        { level: 'campaign', id: '101', name: 'Sevgililer Günü', metric: 'roas', value: '4.10' },
      ]),
    );
    // Kept, and read back as the page shows it.
    expect(await latestRecommendations(deps().store, TENANT, ACCOUNT)).toEqual(result);
    // The model saw the figures table and nothing else of the business.
    const [request0] = openai.state.requests.slice(-1);
    const system = String(request0?.body?.messages?.[0]?.content);
    expect(system.split('\n').at(-1)).toBe(JSON.stringify(recommendationTable(answer)));
  });

  it('drops a proposal citing a figure that is not in the table, and says how many', async () => {
    openai.script({
      text: JSON.stringify({
        recommendations: [
          {
            kind: 'pause',
            title: 'Marka bilinirliğini duraklatın',
            why: 'Satış getirmedi.',
            evidence: [{ id: '103', metric: 'purchases', value: '0' }],
          },
          {
            kind: 'budget-shift',
            title: 'Bütçeyi artırın',
            why: 'ROAS 9,5',
            evidence: [{ id: '101', metric: 'roas', value: '9.50' }],
          },
          {
            kind: 'creative',
            title: 'Yeni görsel',
            why: 'Bilinmeyen kampanya',
            evidence: [{ id: '999', metric: 'ctr', value: '3.00' }],
          },
        ],
      }),
      raw: true,
    });
    const request = { tenantId: TENANT, accountId: ACCOUNT, requestedBy: 'u_owner', createdAt: Date.now() + 1 };
    const result = await recommend(deps(), request, answer);
    expect(result.recommendations).toHaveLength(1);
    expect(result.recommendations[0]?.evidence).toEqual([
      { level: 'campaign', id: '103', name: 'Marka bilinirliği', metric: 'purchases', value: '0' },
    ]);
    expect(result.dropped).toBe(2);
  });
});
