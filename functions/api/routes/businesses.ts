import { gettingStartedAnswer, newBusinessAnswer, newBusinessBody } from '@asistone/contract/businesses';
import { gettingStarted, startBusiness } from '@asistone/core/accounts/businesses';
import { platform } from '@asistone/core/platform/context';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { connectedShop } from '@asistone/core/shopify/tokens';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/** A person's businesses: starting another one, and the first steps of each. */
export const businessRoutes = [
  defineRoute({
    method: 'post',
    path: '/businesses',
    access: 'authenticated',
    summary: 'Start a business; the caller becomes its owner (a few a day per account)',
    body: newBusinessBody,
    answers: { 201: { description: 'Started', schema: newBusinessAnswer } },
    async handle({ c, caller, body, origin }) {
      const business = await startBusiness(await accounts(), { ...origin, userId: caller.userId }, body.name);
      return c.json(business, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/getting-started',
    access: 'team.read',
    summary: 'Which first steps are done: a channel connected, the team invited (store and AI agent not yet)',
    answers: { 200: { description: 'Steps', schema: gettingStartedAnswer } },
    async handle({ c, business }) {
      const { tenantId } = business;
      const shops = platform().storeOf(SHOPIFY_CONNECTION_RECORDS);
      return c.json(
        await gettingStarted(
          await accounts(),
          tenantId,
          async () => (await connectedShop(shops, tenantId)) !== undefined,
        ),
      );
    },
  }),
];
