import {
  shopifyConnectionAnswer,
  shopifyCustomAppBody,
  shopifyInstallAnswer,
  shopifyInstallBody,
} from '@asistone/contract/shopify';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { startShopBackfill } from '@asistone/core/shopify/backfill';
import { SHOPIFY_BACKFILL_RECORDS } from '@asistone/core/shopify/backfill-records';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { connectCustomApp } from '@asistone/core/shopify/custom-app';
import {
  disconnectShop,
  finishShopInstall,
  type ShopOAuthDeps,
  shopConnectionView,
  startShopInstall,
} from '@asistone/core/shopify/oauth';
import { shopifyAppSettings } from '@asistone/core/shopify/settings';
import { withSecrets } from '../../lib/secrets.js';
import { accounts, log } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/** What the Shopify routes need, built on first use: the app's client id and secret are read once. */
const shopifyDeps = once(async (): Promise<ShopOAuthDeps> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    log,
    settings: shopifyAppSettings(await withSecrets(process.env)),
    startBackfill: (tenantId, shopDomain) =>
      startShopBackfill({ store: storeOf(SHOPIFY_BACKFILL_RECORDS), producer }, tenantId, shopDomain),
  };
});

/** Where Shopify sends the merchant back: registered as the app's redirect URL in `shopify.app.toml`. */
export const SHOPIFY_CALLBACK_PATH = '/api/shopify/callback';

const SHOPIFY = '/businesses/:tenantId/shopify';

/** The store page's connection: install through Shopify's OAuth, status, disconnect. */
export const shopifyRoutes = [
  defineRoute({
    method: 'post',
    path: `${SHOPIFY}/install`,
    access: 'integrations.manage',
    summary: "Starts connecting a Shopify store: the shop's authorize page to send the merchant to",
    body: shopifyInstallBody,
    answers: { 200: { description: 'Where to send the merchant', schema: shopifyInstallAnswer } },
    async handle({ c, business, caller, body }) {
      const { appUrl } = await accounts();
      const answer = await startShopInstall(await shopifyDeps(), {
        tenantId: business.tenantId,
        memberId: caller.userId,
        shop: body.shop,
        redirectUri: `${appUrl}${SHOPIFY_CALLBACK_PATH}`,
      });
      return c.json(answer);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/shopify/callback',
    // Public: Shopify's redirect carries no session of ours. Its query HMAC, the one-time state
    // bound to the business and member, and the shop domain are what admit it.
    access: 'public',
    summary: "Shopify's OAuth redirect: verifies it, stores the connection, sends the merchant to the store page",
    answers: { 302: { description: "To the web app's store page" } },
    async handle({ c, origin }) {
      const query = new URL(c.req.url).searchParams;
      const { tenantId } = await finishShopInstall(await shopifyDeps(), query, origin.sourceAddress);
      const { appUrl } = await accounts();
      c.header('cache-control', 'no-store');
      return c.redirect(`${appUrl}/b/${encodeURIComponent(tenantId)}/store?shopify=connected`, 302);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${SHOPIFY}/custom-app`,
    access: 'integrations.manage',
    summary:
      "Connects a Shopify store with the merchant's own custom app (client id and secret; 24-hour tokens from the client credentials grant)",
    body: shopifyCustomAppBody,
    // A 400 (nothing stored) when Shopify does not accept the credentials or the app lacks scopes.
    answers: { 200: { description: 'Connection', schema: shopifyConnectionAnswer } },
    async handle({ c, business, caller, origin, body }) {
      const view = await connectCustomApp(
        await shopifyDeps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
        body,
      );
      return c.json(view);
    },
  }),
  defineRoute({
    method: 'get',
    path: SHOPIFY,
    access: 'integrations.manage',
    summary: "The business's Shopify connection (never its tokens)",
    answers: { 200: { description: 'Connection', schema: shopifyConnectionAnswer } },
    async handle({ c, business }) {
      return c.json(await shopConnectionView((await shopifyDeps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'delete',
    path: SHOPIFY,
    access: 'integrations.manage',
    summary: 'Disconnects the Shopify store: syncing stops and the tokens are dropped; synced data is kept',
    answers: { 200: { description: 'Connection after disconnecting', schema: shopifyConnectionAnswer } },
    async handle({ c, business, caller, origin }) {
      const view = await disconnectShop(
        await shopifyDeps(),
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        business.tenantId,
      );
      return c.json(view);
    },
  }),
];
