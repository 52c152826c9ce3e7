import { Hono } from 'hono';
import * as z from 'zod';
import { fillDemoShopHistory } from '../demo-shop-history.js';
import { type FakeShopState, fakeShop } from './shopify-state.js';

/**
 * `POST /dev/shopify/demo-history {shopDomain}`: gives an empty shop the demo shop's history
 * (demo-shop-history.ts: customers, products with stock at two locations, 120 orders over 90
 * days), no webhooks sent, so its first backfill has something to import: the browser test
 * watches the store page count it in. A shop that already has data is left as it is (409).
 */
const body = z.object({ shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/) });

export function shopifyDemoRoutes(shops: FakeShopState, options: { save?: () => void } = {}) {
  const app = new Hono();
  app.post('/demo-history', async (c) => {
    const parsed = body.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const shop = fakeShop(shops, parsed.data.shopDomain);
    if (!fillDemoShopHistory(shop)) return c.json({ error: 'conflict', message: 'The shop already has data' }, 409);
    options.save?.();
    return c.json({
      shopDomain: shop.domain,
      customers: shop.customers.length,
      products: shop.products.length,
      orders: shop.orders.length,
      stockLevels: shop.inventory.length,
    });
  });
  return app;
}
