import { stockAdjustmentAnswer, stockAdjustmentBody, stockAnswer } from '@asistone/contract/stock';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { adjustStock, type StockDeps, stockView } from '@asistone/core/shopify/stock';
import { SHOPIFY_STOCK_RECORDS } from '@asistone/core/shopify/stock-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { log } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/**
 * Stock per location and the adjustments made in Asistone. Adjusting is `stock.manage` (owners
 * and admins): it changes what Shopify sells. Reading is `conversations.read`, like the rest of
 * the store: agents answer customers about what is in stock.
 */

const deps = once(async (): Promise<StockDeps> => {
  const { storeOf, producer } = platform();
  const store = storeOf({ ...SHOPIFY_STORE_RECORDS, ...SHOPIFY_STOCK_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS });
  // The log: an adjustment whose queue send failed is answered 'pending' and warned of here.
  return { store, producer, log };
});

const STOCK = '/businesses/:tenantId/stock';

export const stockRoutes = [
  defineRoute({
    method: 'get',
    path: STOCK,
    access: 'conversations.read',
    summary: 'Stock per product variant and location, with the latest adjustments and their push to Shopify',
    answers: { 200: { description: 'Stock levels and recent adjustments', schema: stockAnswer } },
    async handle({ c, business }) {
      return c.json(await stockView((await deps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${STOCK}/adjustments`,
    access: 'stock.manage',
    summary: 'Adjusts stock at a location (applied here at once, pushed to Shopify in the background)',
    body: stockAdjustmentBody,
    answers: { 202: { description: 'Recorded; its push is pending', schema: stockAdjustmentAnswer } },
    async handle({ c, business, caller, body }) {
      const made = await adjustStock(
        await deps(),
        { userId: caller.userId, role: business.role },
        business.tenantId,
        body,
      );
      const { tenantId: _tenant, pushAttempts: _attempts, ...adjustment } = made;
      return c.json({ adjustment }, 202);
    },
  }),
];
