import {
  cartRecoverySettings,
  cartRecoverySettingsAnswer,
  cartReportAnswer,
  cartsAnswer,
  cartsQuery,
} from '@asistone/contract/cart-recovery';
import { CART_RECOVERY_RECORDS } from '@asistone/core/cart-recovery/records';
import { cartSettingsOf, saveCartSettings } from '@asistone/core/cart-recovery/settings';
import { type CartViewDeps, cartReport, cartsPage } from '@asistone/core/cart-recovery/views';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import * as z from 'zod';
import { defineRoute } from '../lib/route.js';

/**
 * Abandoned-cart recovery. The sequence is `campaigns.send` (owners and admins: what the shop's
 * customers receive as offers); the carts and the report are `insights.read` (owners, admins
 * and analysts: figures, with customers masked).
 */

const deps = once(async (): Promise<CartViewDeps> => {
  const { storeOf, keyring } = platform();
  return { store: storeOf({ ...CART_RECOVERY_RECORDS, ...SHOPIFY_STORE_RECORDS }), keyring };
});

const SETTINGS = '/businesses/:tenantId/cart-recovery/settings';

const reportQuery = z.object({ from: z.iso.date(), to: z.iso.date() });

export const cartRecoveryRoutes = [
  defineRoute({
    method: 'get',
    path: SETTINGS,
    access: 'campaigns.send',
    summary: 'The cart-recovery sequence: delay, up to three steps, quiet hours, holdout and expiry (off by default)',
    answers: { 200: { description: 'The settings', schema: cartRecoverySettingsAnswer } },
    async handle({ c, business }) {
      return c.json(await cartSettingsOf((await deps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'put',
    path: SETTINGS,
    access: 'campaigns.send',
    summary: 'Saves the cart-recovery settings, whole',
    body: cartRecoverySettings,
    answers: { 200: { description: 'The settings as saved', schema: cartRecoverySettingsAnswer } },
    async handle({ c, business, caller, body }) {
      return c.json(await saveCartSettings((await deps()).store, business.tenantId, caller.userId, body));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/cart-recovery/carts',
    access: 'insights.read',
    summary: 'Abandoned carts, newest first: status, each step sent or skipped with why, the order that recovered it',
    query: cartsQuery,
    answers: { 200: { description: 'A page of carts', schema: cartsAnswer } },
    async handle({ c, business, query }) {
      return c.json(await cartsPage(await deps(), business.tenantId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/cart-recovery/report',
    access: 'insights.read',
    summary: 'Carts abandoned, contacted and recovered per day, and the revenue recovered against the holdout',
    query: reportQuery,
    answers: { 200: { description: 'The report', schema: cartReportAnswer } },
    async handle({ c, business, query }) {
      return c.json(await cartReport(await deps(), business.tenantId, query));
    },
  }),
];
