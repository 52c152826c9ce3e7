import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import * as z from 'zod';
import { type FakeShopState, fakeShop } from './shopify-state.js';
import { sendShopifyWebhook } from './shopify-webhooks.js';

/**
 * Abandoned checkouts to try cart recovery with on the local stack: `POST /dev/shopify/checkouts`
 * has the shop's first customer leave two of its products at checkout (`checkouts/create`, last
 * changed `minutesAgo` ago, two hours by default, so the business's delay has passed), and
 * `POST /dev/shopify/checkouts/complete` turns one into an order (`orders/create` with its
 * `checkout_token`), as Shopify does when the customer comes back and pays. Both send Shopify's
 * signed webhooks, REST-shaped as Shopify sends them.
 */

type Node = Record<string, unknown>;
const SHOP_DOMAIN = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/);
const numberOf = (gid: unknown) => Number(String(gid).split('/').pop());

const abandonBody = z.object({
  shopDomain: SHOP_DOMAIN,
  minutesAgo: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(120),
});
const completeBody = z.object({ shopDomain: SHOP_DOMAIN, token: z.string().regex(/^[a-z0-9_]{8,64}$/) });

/** A checkout as `checkouts/create` carries it, from a customer and products in the fake's GraphQL shape. */
function checkoutOf(domain: string, currency: string, customer: Node, products: Node[], at: string) {
  const token = `ck_${randomBytes(12).toString('hex')}`;
  const lines = products.map((product, index) => {
    const variant = ((product.variants as { nodes: Node[] }).nodes[0] ?? {}) as Node;
    return {
      title: product.title,
      variant_title: variant.title,
      product_id: numberOf(product.id),
      variant_id: numberOf(variant.id),
      quantity: index + 1,
      price: String(variant.price),
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
  const email = (customer.defaultEmailAddress as Node | undefined)?.emailAddress;
  const phone = (customer.defaultPhoneNumber as Node | undefined)?.phoneNumber;
  return {
    token,
    email,
    phone,
    customer: { id: numberOf(customer.id), admin_graphql_api_id: customer.id },
    abandoned_checkout_url: `https://${domain}/checkouts/${token}/recover`,
    currency,
    line_items: lines,
    subtotal_price: (subtotal / 100).toFixed(2),
    total_price: (subtotal / 100).toFixed(2),
    created_at: at,
    updated_at: at,
  };
}

export function shopifyCheckoutRoutes(
  state: FakeShopState,
  options: { save: () => void; webhookUrl: () => string | undefined },
) {
  const app = new Hono();
  app.post('/dev/shopify/checkouts', async (c) => {
    const parsed = abandonBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const url = options.webhookUrl();
    if (!url) return c.json({ error: 'the local stack is not listening yet' }, 503);
    const shop = fakeShop(state, parsed.data.shopDomain);
    const customer = shop.customers.find(
      (candidate) => (candidate.defaultEmailAddress as Node | undefined)?.emailAddress,
    );
    const products = shop.products.filter((product) => product.status === 'ACTIVE').slice(0, 2);
    if (!customer || products.length === 0) {
      return c.json({ error: 'not_found', message: 'The shop needs a customer with an email and a product' }, 404);
    }
    const at = new Date(Date.now() - parsed.data.minutesAgo * 60_000).toISOString();
    const checkout = checkoutOf(shop.domain, shop.currencyCode ?? 'TRY', customer, products, at);
    shop.checkouts = [...(shop.checkouts ?? []), checkout];
    options.save();
    const sent = await sendShopifyWebhook(state, url, {
      topic: 'checkouts/create',
      shop: shop.domain,
      payload: checkout,
    });
    return c.json({ checkout, delivered: sent.status });
  });
  app.post('/dev/shopify/checkouts/complete', async (c) => {
    const parsed = completeBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const url = options.webhookUrl();
    if (!url) return c.json({ error: 'the local stack is not listening yet' }, 503);
    const shop = fakeShop(state, parsed.data.shopDomain);
    const checkout = shop.checkouts?.find((candidate) => candidate.token === parsed.data.token);
    if (!checkout) return c.json({ error: 'not_found' }, 404);
    // One order per checkout: completing it again sends the same order (Shopify's redelivery).
    const index = shop.checkouts?.indexOf(checkout) ?? 0;
    const id = 9_100_000_000 + index;
    const at = new Date().toISOString();
    const order = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${5001 + index}`,
      email: checkout.email,
      phone: checkout.phone,
      customer: checkout.customer,
      currency: checkout.currency,
      financial_status: 'paid',
      // A checkout is the online store's: Shopify names its channel `web`.
      source_name: 'web',
      created_at: at,
      updated_at: at,
      // An order's lines carry ids of their own.
      line_items: (checkout.line_items as Record<string, unknown>[]).map((line, position) => ({
        ...line,
        id: id * 10 + position,
      })),
      fulfillments: [],
      total_price: checkout.total_price,
      checkout_token: checkout.token,
    };
    const sent = await sendShopifyWebhook(state, url, { topic: 'orders/create', shop: shop.domain, payload: order });
    return c.json({ order: { id: String(id), name: order.name }, delivered: sent.status });
  });
  return app;
}
