import {
  contactOrdersAnswer,
  storeCustomersAnswer,
  storeCustomersQuery,
  storeLocationsAnswer,
  storeOrderAnswer,
  storeOrdersAnswer,
  storeOrdersQuery,
  storeProductsAnswer,
  storeProductsQuery,
  storeSyncAnswer,
} from '@asistone/contract/store';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import {
  contactOrders,
  getStoreOrder,
  listStoreCustomers,
  listStoreLocations,
  listStoreOrders,
  listStoreProducts,
  type StoreViewDeps,
  storeSync,
  storeViewDeps,
} from '@asistone/core/shopify/store-views';
import { defineRoute } from '../lib/route.js';

/**
 * The local copy of the business's Shopify store, read by the team: the store page and the
 * inbox's Orders panel. `conversations.read`, not `integrations.manage`: agents answer customers
 * about their orders; connecting the store stays with owners and admins (shopify.ts).
 */

const deps = once(async (): Promise<StoreViewDeps> => storeViewDeps(platform()));

const STORE = '/businesses/:tenantId/store';

export const storeRoutes = [
  defineRoute({
    method: 'get',
    path: `${STORE}/orders`,
    access: 'conversations.read',
    summary: 'Shopify orders, newest first, 25 a page; filtered by payment and shipping state',
    query: storeOrdersQuery,
    answers: { 200: { description: 'A page of orders', schema: storeOrdersAnswer } },
    async handle({ c, business, query }) {
      return c.json(await listStoreOrders(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STORE}/orders/:orderId`,
    access: 'conversations.read',
    summary: 'One Shopify order: lines, exact totals, discounts, shipping and tracking',
    answers: { 200: { description: 'The order', schema: storeOrderAnswer } },
    async handle({ c, business, params }) {
      return c.json(await getStoreOrder(await deps(), business.tenantId, params.orderId ?? ''));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STORE}/customers`,
    access: 'conversations.read',
    summary: 'Shopify customers, 25 a page',
    query: storeCustomersQuery,
    answers: { 200: { description: 'A page of customers', schema: storeCustomersAnswer } },
    async handle({ c, business, query }) {
      return c.json(await listStoreCustomers(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STORE}/locations`,
    access: 'conversations.read',
    summary: "The shop's locations by name, and which ship online orders",
    answers: { 200: { description: 'The locations', schema: storeLocationsAnswer } },
    async handle({ c, business }) {
      return c.json(await listStoreLocations(await deps(), business.tenantId));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STORE}/products`,
    access: 'conversations.read',
    summary: 'Shopify products with variants, SKUs, prices and stock per location, 25 a page',
    query: storeProductsQuery,
    answers: { 200: { description: 'A page of products', schema: storeProductsAnswer } },
    async handle({ c, business, query }) {
      return c.json(await listStoreProducts(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: `${STORE}/sync`,
    access: 'conversations.read',
    summary: 'When the scheduled reconciliation with Shopify last finished',
    answers: { 200: { description: 'Sync status', schema: storeSyncAnswer } },
    async handle({ c, business }) {
      return c.json(await storeSync(await deps(), business.tenantId));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/contacts/:contactId/orders',
    access: 'conversations.read',
    summary: 'The orders of the Shopify customer matched to an inbox contact (by phone or email), newest first',
    answers: { 200: { description: "The contact's orders", schema: contactOrdersAnswer } },
    async handle({ c, business, params }) {
      return c.json(await contactOrders(await deps(), business.tenantId, params.contactId ?? ''));
    },
  }),
];
