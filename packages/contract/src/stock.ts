import * as z from 'zod';

/**
 * Stock per item and location, and the adjustments made in Asistone that are pushed to Shopify
 * (compare-and-set, idempotent): the store page's adjustment form and its history.
 */

/** Why stock moved. */
export const STOCK_REASONS = ['received', 'damaged', 'correction', 'sold-offline', 'returned'] as const;
export const STOCK_ADJUSTMENT_STATES = ['pending', 'pushed', 'resolved-stale', 'failed'] as const;

/** A Shopify id: its digits or its GID. */
const shopifyId = (kind: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^(gid://shopify/${kind}/)?[0-9]{1,20}$`), `Enter the ${kind}'s Shopify id`);

/** `POST /businesses/:tenantId/stock/adjustments`. */
export const stockAdjustmentBody = z.object({
  inventoryItemId: shopifyId('InventoryItem'),
  locationId: shopifyId('Location'),
  /** Units added (positive) or removed (negative); never 0. */
  delta: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((delta) => delta !== 0, 'The change cannot be 0'),
  reason: z.enum(STOCK_REASONS),
});
export type StockAdjustmentBody = z.input<typeof stockAdjustmentBody>;

export const stockAdjustment = z.object({
  adjustmentId: z.string(),
  inventoryItemId: z.string(),
  locationId: z.string(),
  delta: z.number().int(),
  reason: z.enum(STOCK_REASONS),
  /** The member who made it. */
  actorId: z.string(),
  createdAt: z.number(),
  status: z.enum(STOCK_ADJUSTMENT_STATES),
  /** What we believed Shopify had. */
  quantityBefore: z.number().int(),
  /** What Shopify actually had, when the push found it moved (resolved by the stale rule). */
  shopifyFound: z.number().int().optional(),
  shopifyAfter: z.number().int().optional(),
  failureReason: z.string().optional(),
});
export type StockAdjustment = z.output<typeof stockAdjustment>;

export const stockAdjustmentAnswer = z.object({ adjustment: stockAdjustment });

/** `GET /businesses/:tenantId/stock`. */
export const stockAnswer = z.object({
  levels: z.array(
    z.object({
      inventoryItemId: z.string(),
      locationId: z.string(),
      available: z.number().int(),
      updatedAt: z.number(),
      productId: z.string().optional(),
      productTitle: z.string().optional(),
      variantTitle: z.string().optional(),
      sku: z.string().optional(),
    }),
  ),
  /** Newest first, the last 50. */
  adjustments: z.array(stockAdjustment),
});
export type StockView = z.output<typeof stockAnswer>;
