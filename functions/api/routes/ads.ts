import {
  adAccountId,
  adAccountsAnswer,
  adsConnectBody,
  adsInsightsAnswer,
  adsInsightsQuery,
  adsRecommendationsAnswer,
  adsRecommendationsBody,
} from '@asistone/contract/ads';
import { connectAdAccounts, disconnectAdAccount, listAdAccounts } from '@asistone/core/ads/accounts';
import { ADS_CSV_COLUMNS, type AdsViewDeps, adsCsvRows, adsInsights } from '@asistone/core/ads/insights';
import { marketingApi } from '@asistone/core/ads/marketing-api';
import { ADS_RECOMMENDATIONS_QUEUE, ADS_SYNC_QUEUE } from '@asistone/core/ads/queue';
import { latestRecommendations } from '@asistone/core/ads/recommendations';
import { ADS_RECORDS } from '@asistone/core/ads/records';
import { adsViewDeps } from '@asistone/core/ads/view-deps';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { isLocalStack, metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { toCsv } from '@asistone/core/platform/csv';
import { ConfigError, NotFoundError } from '@asistone/core/platform/errors';
import { once } from '@asistone/core/platform/once';
import * as z from 'zod';
import { withSecrets } from '../../lib/secrets.js';
import { defineRoute } from '../lib/route.js';

/**
 * Meta ads: connecting and disconnecting ad accounts is `integrations.manage` (owners and
 * admins); the figures are `insights.read` (owners, admins and analysts). Nothing here sends
 * Meta anything but the sign-in code and the ad accounts' ids.
 */

const connectDeps = once(async () => {
  const { storeOf, keyring, producer } = platform();
  const env = await withSecrets(process.env);
  const settings = metaGraphSettings(env);
  return {
    store: storeOf({ ...ADS_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    graph: graphClient(settings),
    ads: marketingApi({ baseUrl: settings.baseUrl }),
    meta: { appId: settings.appId ?? '', appSecret: env.META_APP_SECRET ?? '' },
    queueSync: async (tenantId: string, accountId: string) => {
      await producer.send(ADS_SYNC_QUEUE, { tenantId, accountId });
    },
  };
});

const viewDeps = once(async (): Promise<AdsViewDeps> => adsViewDeps(platform()));

const ADS = '/businesses/:tenantId/ads';

export const adsRoutes = [
  defineRoute({
    method: 'get',
    path: `${ADS}/setup`,
    access: 'integrations.manage',
    summary: 'What the web app needs to open Facebook Login for ad accounts (scope ads_read, read-only)',
    answers: {
      200: {
        description: 'Public ids of the platform Meta app',
        schema: z.object({
          appId: z.string().nullable(),
          graphVersion: z.string(),
          localDialog: z.string().nullable(),
        }),
      },
    },
    async handle({ c }) {
      const deps = await connectDeps();
      const { version } = metaGraphSettings(process.env);
      return c.json({
        appId: deps.meta.appId || null,
        graphVersion: version,
        // The fake Meta's sign-in page on the local stack; Meta's own dialog elsewhere.
        localDialog: isLocalStack(platform().config) ? '/dev/meta/dialog/ads-login' : null,
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${ADS}/connect`,
    access: 'integrations.manage',
    summary: 'Connects the ad accounts a Facebook Login code (ads_read) reads; their history starts to come in',
    body: adsConnectBody,
    answers: { 201: { description: 'The ad accounts', schema: adAccountsAnswer } },
    async handle({ c, business, caller, body, origin }) {
      const deps = await connectDeps();
      if (!deps.meta.appId || !deps.meta.appSecret) {
        throw new ConfigError('META_APP_ID and META_APP_SECRET are needed to connect ad accounts');
      }
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json({ accounts: await connectAdAccounts(deps, actor, business.tenantId, body) }, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${ADS}/accounts`,
    access: 'insights.read',
    summary: 'The connected ad accounts, how far their history has come and when their sign-in lapses',
    answers: { 200: { description: 'The ad accounts', schema: adAccountsAnswer } },
    async handle({ c, business }) {
      return c.json({ accounts: await listAdAccounts((await connectDeps()).store, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'delete',
    path: `${ADS}/accounts/:accountId`,
    access: 'integrations.manage',
    summary: 'Disconnects an ad account: its sign-in is dropped, its figures stay until the business is deleted',
    answers: { 200: { description: 'The account, disconnected', schema: adAccountsAnswer.shape.accounts.element } },
    async handle({ c, business, caller, params, origin }) {
      const accountId = params.accountId ?? '';
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json(await disconnectAdAccount(await connectDeps(), actor, business.tenantId, accountId));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${ADS}/insights`,
    access: 'insights.read',
    summary: 'Figures of one ad account per entity of a level and per day, with conversations and orders from the ads',
    query: adsInsightsQuery,
    answers: { 200: { description: 'The figures', schema: adsInsightsAnswer } },
    async handle({ c, business, query }) {
      return c.json(await adsInsights(await viewDeps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${ADS}/insights.csv`,
    access: 'insights.read',
    summary: 'The same table as CSV (text/csv), safe to open in a spreadsheet',
    query: adsInsightsQuery,
    answers: { 200: { description: 'CSV: one row per entity' } },
    async handle({ c, business, query }) {
      const answer = await adsInsights(await viewDeps(), business.tenantId, query);
      return c.body(toCsv(adsCsvRows(answer), ADS_CSV_COLUMNS), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="ads-${answer.accountId}-${answer.level}-${answer.from}-${answer.to}.csv"`,
        'cache-control': 'no-store',
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${ADS}/recommendations`,
    access: 'insights.read',
    summary: 'Asks the AI for recommendations on an account and range; they come in a few seconds (GET)',
    body: adsRecommendationsBody,
    answers: { 202: { description: 'Asked', schema: z.object({ createdAt: z.string() }) } },
    async handle({ c, business, caller, body }) {
      const { store } = await connectDeps();
      const known = (
        await store.entities.adAccount.get({ tenantId: business.tenantId, accountId: body.accountId }).go()
      ).data;
      if (!known) throw new NotFoundError('No such ad account');
      const createdAt = Date.now();
      await platform().producer.send(ADS_RECOMMENDATIONS_QUEUE, {
        tenantId: business.tenantId,
        ...body,
        requestedBy: caller.userId,
        createdAt,
      });
      return c.json({ createdAt: new Date(createdAt).toISOString() }, 202);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${ADS}/recommendations`,
    access: 'insights.read',
    summary: 'The newest recommendations on an account, with the figures each cites (null before any)',
    query: z.object({ accountId: adAccountId }),
    answers: { 200: { description: 'The recommendations', schema: adsRecommendationsAnswer.nullable() } },
    async handle({ c, business, query }) {
      return c.json(await latestRecommendations((await connectDeps()).store, business.tenantId, query.accountId));
    },
  }),
];
