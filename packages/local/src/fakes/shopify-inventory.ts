import { Hono } from 'hono';
import * as z from 'zod';
import { type FakeShop, type FakeShopState, fakeShop, shopOfAccessToken } from './shopify-state.js';
import { sendShopifyWebhook } from './shopify-webhooks.js';

/**
 * The fake Shopify's inventory: quantities per item and location in each shop's `inventory`,
 * changed by `inventoryAdjustQuantities` as Shopify 2026-10 does it:
 * - `changeFromQuantity` is compare-and-set: when it differs from the quantity held, nothing
 *   changes and the answer is the userError `CHANGE_FROM_QUANTITY_STALE` (explicit null opts out);
 * - `@idempotent(key:)` is required; the same key again gets the first answer, applied once;
 * and the `inventoryItem { inventoryLevel }` query that reads a quantity. Both are answered on the
 * GraphQL endpoint before shopify-graphql.ts, which gets every other operation (`next()`).
 *
 * Dev routes (under `/dev/shopify`): `POST /inventory` sets a quantity (seeding); `POST /sell`
 * sells units in the shop, so Shopify's quantity moves without Asistone; `GET /inventory` reads
 * a shop's quantities and how many adjustments were applied. Each change sends
 * `inventory_levels/update` when the local stack listens, as Shopify does.
 */

export interface FakeInventoryLevel {
  inventoryItemId: string;
  locationId: string;
  available: number;
  /** ISO. */
  updatedAt: string;
}

/** Idempotency keys already answered, per shop (not persisted: Shopify keeps them about a day). */
export interface FakeInventoryLedger {
  answers: Map<string, unknown>;
  /** Adjustments applied, per shop: a retried push must not add one. */
  applied: Map<string, number>;
}

const GID = (kind: string) => z.string().regex(new RegExp(`^gid://shopify/${kind}/\\d+$`));
const SHOP_DOMAIN = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/);

const changeSchema = z.object({
  inventoryItemId: GID('InventoryItem'),
  locationId: GID('Location'),
  delta: z.number().int(),
  changeFromQuantity: z.number().int().nullable().optional(),
});
const adjustInput = z.object({
  name: z.string(),
  reason: z.string(),
  referenceDocumentUri: z.string().optional(),
  changes: z.array(changeSchema).min(1),
});

const levelsOf = (shop: FakeShop) => shop.inventory as unknown as FakeInventoryLevel[];

export function fakeInventoryLevel(shop: FakeShop, inventoryItemId: string, locationId: string) {
  return levelsOf(shop).find((l) => l.inventoryItemId === inventoryItemId && l.locationId === locationId);
}

/** Sets (or creates) a level and stamps it now. */
export function setFakeInventory(shop: FakeShop, level: Omit<FakeInventoryLevel, 'updatedAt'>, now = Date.now()) {
  const found = fakeInventoryLevel(shop, level.inventoryItemId, level.locationId);
  const updatedAt = new Date(Math.max(now, found ? Date.parse(found.updatedAt) + 1 : 0)).toISOString();
  if (found) Object.assign(found, { available: level.available, updatedAt });
  else levelsOf(shop).push({ ...level, updatedAt });
  return fakeInventoryLevel(shop, level.inventoryItemId, level.locationId) as FakeInventoryLevel;
}

/** The REST body of `inventory_levels/update`. */
const webhookPayload = (level: FakeInventoryLevel) => ({
  inventory_item_id: Number(level.inventoryItemId.split('/').pop()),
  location_id: Number(level.locationId.split('/').pop()),
  available: level.available,
  updated_at: level.updatedAt,
});

const idempotencyKeyOf = (query: string, variables: Record<string, unknown>): string | undefined => {
  const match = /@idempotent\s*\(\s*key\s*:\s*(?:"([^"]+)"|\$(\w+))\s*\)/.exec(query);
  if (!match) return undefined;
  const key = match[1] ?? variables[match[2] as string];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
};

export interface FakeInventoryOptions {
  save?: () => void;
  /** The local stack's `/webhooks/shopify`, when it listens. */
  webhookUrl?: () => string | undefined;
  now?: () => number;
}

export function shopifyInventoryRoutes(shops: FakeShopState, options: FakeInventoryOptions = {}) {
  const ledger: FakeInventoryLedger = { answers: new Map(), applied: new Map() };
  const now = options.now ?? Date.now;
  const app = new Hono();

  const announce = (shopDomain: string, level: FakeInventoryLevel) => {
    const url = options.webhookUrl?.();
    if (!url) return;
    // As Shopify: the webhook follows the change, and its failure does not undo it.
    sendShopifyWebhook(shops, url, {
      topic: 'inventory_levels/update',
      shop: shopDomain,
      payload: webhookPayload(level),
      triggeredAt: level.updatedAt,
    }).catch(() => undefined);
  };

  app.post('/:shop/admin/api/:version/graphql.json', async (c, next) => {
    const body = (await c.req.raw
      .clone()
      .json()
      .catch(() => undefined)) as { query?: unknown; variables?: Record<string, unknown> } | undefined;
    const query = typeof body?.query === 'string' ? body.query : '';
    const isAdjust = /\binventoryAdjustQuantities\s*\(/.test(query);
    const isRead = /\binventoryItem\s*\(/.test(query);
    if (!isAdjust && !isRead) return next();
    const shopDomain = c.req.param('shop');
    const shop = shopOfAccessToken(shops, shopDomain, c.req.header('x-shopify-access-token'));
    if (!shop) {
      return c.json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, 401);
    }
    const variables = body?.variables ?? {};
    const cost = {
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 50 },
    };

    if (isRead) {
      const level = fakeInventoryLevel(shop, String(variables.item), String(variables.location));
      return c.json({
        data: {
          inventoryItem: {
            id: variables.item,
            inventoryLevel: level
              ? { updatedAt: level.updatedAt, quantities: [{ name: 'available', quantity: level.available }] }
              : null,
          },
        },
        extensions: { cost },
      });
    }

    const key = idempotencyKeyOf(query, variables);
    if (!key) {
      return c.json({
        errors: [
          {
            message: 'The @idempotent directive is required for this mutation',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    }
    const remembered = ledger.answers.get(`${shopDomain}:${key}`);
    if (remembered) return c.json(remembered as object);

    const parsed = adjustInput.safeParse(variables.input);
    let answer: object;
    if (!parsed.success) {
      answer = {
        data: {
          inventoryAdjustQuantities: {
            inventoryAdjustmentGroup: null,
            userErrors: [{ field: ['input'], message: 'The input is invalid', code: 'INVALID' }],
          },
        },
        extensions: { cost },
      };
    } else {
      const input = parsed.data;
      // All or nothing, as Shopify: every compare is checked before any change is made.
      const userErrors = input.changes.flatMap((change, index) => {
        const level = fakeInventoryLevel(shop, change.inventoryItemId, change.locationId);
        if (!level) {
          return [
            {
              field: ['input', 'changes', String(index)],
              message: 'The item is not stocked at the location',
              code: 'ITEM_NOT_STOCKED_AT_LOCATION',
            },
          ];
        }
        if (
          change.changeFromQuantity !== undefined &&
          change.changeFromQuantity !== null &&
          change.changeFromQuantity !== level.available
        ) {
          return [
            {
              field: ['input', 'changes', String(index), 'changeFromQuantity'],
              message: 'The quantity has changed since it was read',
              code: 'CHANGE_FROM_QUANTITY_STALE',
            },
          ];
        }
        return [];
      });
      if (userErrors.length) {
        answer = {
          data: { inventoryAdjustQuantities: { inventoryAdjustmentGroup: null, userErrors } },
          extensions: { cost },
        };
      } else {
        const at = now();
        const changes = input.changes.map((change) => {
          const level = fakeInventoryLevel(shop, change.inventoryItemId, change.locationId) as FakeInventoryLevel;
          const changed = setFakeInventory(shop, { ...change, available: level.available + change.delta }, at);
          announce(shopDomain, changed);
          return {
            name: input.name,
            delta: change.delta,
            quantityAfterChange: changed.available,
            item: { id: change.inventoryItemId },
            location: { id: change.locationId },
          };
        });
        ledger.applied.set(shopDomain, (ledger.applied.get(shopDomain) ?? 0) + 1);
        options.save?.();
        answer = {
          data: {
            inventoryAdjustQuantities: {
              inventoryAdjustmentGroup: { createdAt: new Date(at).toISOString(), reason: input.reason, changes },
              userErrors: [],
            },
          },
          extensions: { cost },
        };
      }
    }
    ledger.answers.set(`${shopDomain}:${key}`, answer);
    return c.json(answer);
  });

  const levelBody = z.object({
    shopDomain: SHOP_DOMAIN,
    inventoryItemId: GID('InventoryItem'),
    locationId: GID('Location'),
  });
  app.post('/dev/shopify/inventory', async (c) => {
    const parsed = levelBody
      // `webhook: false`: the change is made and its webhook lost, as happens (the reconciliation finds it).
      .extend({ available: z.number().int(), webhook: z.boolean().optional() })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const { shopDomain, webhook, ...level } = parsed.data;
    const set = setFakeInventory(fakeShop(shops, shopDomain), level, now());
    options.save?.();
    if (webhook !== false) announce(shopDomain, set);
    return c.json({ level: set });
  });
  app.post('/dev/shopify/sell', async (c) => {
    const parsed = levelBody
      .extend({ quantity: z.number().int().positive().max(100_000) })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const { shopDomain, quantity, ...at } = parsed.data;
    const shop = fakeShop(shops, shopDomain);
    const level = fakeInventoryLevel(shop, at.inventoryItemId, at.locationId);
    if (!level) return c.json({ error: 'not_stocked' }, 404);
    const sold = setFakeInventory(shop, { ...at, available: level.available - quantity }, now());
    options.save?.();
    announce(shopDomain, sold);
    return c.json({ level: sold });
  });
  app.get('/dev/shopify/inventory', (c) => {
    const shopDomain = c.req.query('shopDomain') ?? '';
    const shop = shops.shops[shopDomain];
    if (!shop) return c.json({ error: 'unknown shop' }, 404);
    return c.json({ levels: levelsOf(shop), adjustmentsApplied: ledger.applied.get(shopDomain) ?? 0 });
  });
  return app;
}
