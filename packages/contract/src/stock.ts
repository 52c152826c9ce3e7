import * as z from 'zod';

/**
 * The back office's stock: locations (Shopify's and Asistone's own, such as a back room), stock
 * per variant and location kept as an append-only ledger, transfers between locations, low-stock
 * thresholds and alerts, and the reconciliation with Shopify. Moves made here at a Shopify
 * location are pushed to Shopify (compare-and-set, idempotent): each push is a
 * `StockAdjustment` with its own state.
 */

/** Why a member moved stock by a number of units. */
export const STOCK_REASONS = ['received', 'damaged', 'correction', 'sold-offline', 'returned'] as const;
/**
 * Every reason a ledger entry can have: a member's move, a count (the difference to what was
 * counted), the two legs of a transfer, Shopify's own change (a sale, an edit in its admin), and
 * a repair that takes Shopify's number after a reconciliation.
 */
export const LEDGER_REASONS = [
  ...STOCK_REASONS,
  'counted',
  'transfer-out',
  'transfer-in',
  'shopify',
  'repair',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];
/** What a push to Shopify can carry: every reason made in Asistone. */
export const PUSHED_REASONS = [...STOCK_REASONS, 'counted', 'transfer-out', 'transfer-in'] as const;
export const STOCK_ADJUSTMENT_STATES = ['pending', 'pushed', 'resolved-stale', 'failed'] as const;

/** An Asistone-only location's id: `as-` and 10 letters or digits (never a Shopify number). */
export const OWN_LOCATION_ID = /^as-[0-9a-z]{10}$/;
/** A location's id: Shopify's digits (or GID), or an Asistone-only location's. */
export const locationIdSchema = z
  .string()
  .trim()
  .regex(/^((gid:\/\/shopify\/Location\/)?[0-9]{1,20}|as-[0-9a-z]{10})$/, 'Choose one of the locations');

/** A Shopify id: its digits or its GID. */
const shopifyId = (kind: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^(gid://shopify/${kind}/)?[0-9]{1,20}$`), `Enter the ${kind}'s Shopify id`);

/** Larger than any shelf: a typo, not a delivery. */
export const MAX_UNITS = 1_000_000;

/**
 * The form's own id for one move: the same move sent again (an answer lost, a double click) is
 * recorded once and answered with the entry it made.
 */
const moveIdSchema = z.uuid().optional();

/**
 * `POST /businesses/:tenantId/stock/adjustments`: a move by a number of units, or a count (the
 * number on the shelf; the ledger records the difference).
 */
export const stockAdjustmentBody = z.union([
  z.object({
    inventoryItemId: shopifyId('InventoryItem'),
    locationId: locationIdSchema,
    /** Units added (positive) or removed (negative); never 0. */
    delta: z
      .number()
      .int()
      .min(-MAX_UNITS)
      .max(MAX_UNITS)
      .refine((delta) => delta !== 0, 'The change cannot be 0'),
    reason: z.enum(STOCK_REASONS),
    note: z.string().trim().max(200).optional(),
    moveId: moveIdSchema,
  }),
  z.object({
    inventoryItemId: shopifyId('InventoryItem'),
    locationId: locationIdSchema,
    reason: z.literal('counted'),
    /** What is on the shelf. */
    counted: z.number().int().min(0).max(MAX_UNITS),
    note: z.string().trim().max(200).optional(),
    moveId: moveIdSchema,
  }),
]);
export type StockAdjustmentBody = z.input<typeof stockAdjustmentBody>;

export const stockAdjustment = z.object({
  adjustmentId: z.string(),
  inventoryItemId: z.string(),
  locationId: z.string(),
  delta: z.number().int(),
  reason: z.enum(PUSHED_REASONS),
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

/** One line of a variant's ledger at one location: the move and the stock after it. */
export const ledgerEntry = z.object({
  inventoryItemId: z.string(),
  locationId: z.string(),
  /** 1, 2, 3…: the entry's place in this variant's ledger at this location (no gaps). */
  seq: z.number().int(),
  delta: z.number().int(),
  /** Stock after this entry: the running balance. */
  balanceAfter: z.number().int(),
  reason: z.enum(LEDGER_REASONS),
  /** The member who made it; absent for Shopify's own changes. */
  actorId: z.string().optional(),
  at: z.number(),
  note: z.string().optional(),
  transferId: z.string().optional(),
  /** The push to Shopify this entry made (its adjustment id), when the location is Shopify's. */
  pushId: z.string().optional(),
});
export type LedgerEntry = z.output<typeof ledgerEntry>;

/** The entry recorded and, at a Shopify location, its push (pending). */
export const stockAdjustmentAnswer = z.object({ entry: ledgerEntry, adjustment: stockAdjustment.optional() });

/** A place stock is kept: one of Shopify's locations, or Asistone's own (a back room, a van). */
export const stockLocation = z.object({
  locationId: z.string(),
  name: z.string(),
  source: z.enum(['shopify', 'asistone']),
  /** Shopify ships online orders from it (Asistone's own never do). */
  fulfillsOnlineOrders: z.boolean(),
});
export type StockLocation = z.output<typeof stockLocation>;

/** `POST /businesses/:tenantId/stock/locations`: an Asistone-only location. */
export const stockLocationBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the location')
    .max(80)
    .refine((name) => !/[\p{Cc}]/u.test(name), 'The name has a control character'),
});
export const stockLocationsAnswer = z.object({ locations: z.array(stockLocation) });
export const stockLocationAnswer = z.object({ location: stockLocation });

/** Stock of one variant at one location, with its low-stock threshold. */
export const stockLevel = z.object({
  inventoryItemId: z.string(),
  locationId: z.string(),
  available: z.number().int(),
  /** Entries in its ledger. */
  seq: z.number().int(),
  updatedAt: z.number(),
  /** Alert when stock falls to this number or below; absent: no alert. */
  threshold: z.number().int().optional(),
  /** At or below the threshold. */
  low: z.boolean(),
  productId: z.string().optional(),
  productTitle: z.string().optional(),
  variantTitle: z.string().optional(),
  sku: z.string().optional(),
});
export type StockLevel = z.output<typeof stockLevel>;

/** `GET /businesses/:tenantId/stock`. */
export const stockAnswer = z.object({
  levels: z.array(stockLevel),
  locations: z.array(stockLocation),
  /** Newest first, the last 50 pushes to Shopify. */
  adjustments: z.array(stockAdjustment),
});
export type StockView = z.output<typeof stockAnswer>;

/** `GET /businesses/:tenantId/stock/ledger?inventoryItemId&locationId&before`: newest first. */
export const stockLedgerQuery = z.object({
  inventoryItemId: shopifyId('InventoryItem'),
  locationId: locationIdSchema,
  /** Entries older than this seq (the last one of the page before). */
  before: z.coerce.number().int().min(1).max(1e12).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const stockLedgerAnswer = z.object({ entries: z.array(ledgerEntry), level: stockLevel.optional() });

/** `POST /businesses/:tenantId/stock/transfers`. */
export const stockTransferBody = z
  .object({
    inventoryItemId: shopifyId('InventoryItem'),
    fromLocationId: locationIdSchema,
    toLocationId: locationIdSchema,
    quantity: z.number().int().min(1).max(MAX_UNITS),
    note: z.string().trim().max(200).optional(),
  })
  .refine((transfer) => transfer.fromLocationId !== transfer.toLocationId, {
    message: 'Choose two different locations',
    path: ['toLocationId'],
  });
export type StockTransferBody = z.input<typeof stockTransferBody>;

export const TRANSFER_STATES = ['pending', 'done'] as const;
export const stockTransfer = z.object({
  transferId: z.string(),
  inventoryItemId: z.string(),
  fromLocationId: z.string(),
  toLocationId: z.string(),
  quantity: z.number().int(),
  note: z.string().optional(),
  actorId: z.string(),
  createdAt: z.number(),
  /** `pending` until both legs are in the ledger; never half done for long (the worker retries). */
  state: z.enum(TRANSFER_STATES),
  doneAt: z.number().optional(),
});
export type StockTransfer = z.output<typeof stockTransfer>;
export const stockTransferAnswer = z.object({ transfer: stockTransfer });
export const stockTransfersAnswer = z.object({ transfers: z.array(stockTransfer) });

/** `PUT /businesses/:tenantId/stock/thresholds`. Null removes the threshold. */
export const stockThresholdBody = z.object({
  inventoryItemId: shopifyId('InventoryItem'),
  locationId: locationIdSchema,
  threshold: z.number().int().min(0).max(MAX_UNITS).nullable(),
});
export const stockLevelAnswer = z.object({ level: stockLevel });

/** A variant's stock fell to its threshold or below at a location: raised once per crossing. */
export const stockAlert = z.object({
  alertId: z.string(),
  inventoryItemId: z.string(),
  locationId: z.string(),
  threshold: z.number().int(),
  /** Stock when it crossed. */
  available: z.number().int(),
  at: z.number(),
  /** Set when stock rose above the threshold again (the next fall alerts again). */
  clearedAt: z.number().optional(),
  productTitle: z.string().optional(),
  variantTitle: z.string().optional(),
  sku: z.string().optional(),
});
export type StockAlert = z.output<typeof stockAlert>;
export const stockAlertsAnswer = z.object({ alerts: z.array(stockAlert) });

/** One variant at one Shopify location where Asistone and Shopify disagree. */
export const reconciliationRow = z.object({
  inventoryItemId: z.string(),
  locationId: z.string(),
  /** Absent: Asistone has no stock record there. */
  asistone: z.number().int().optional(),
  /** Absent: Shopify does not stock the item there. */
  shopify: z.number().int().optional(),
  /** Shopify's minus Asistone's. */
  difference: z.number().int(),
  /** A push made here is still on its way: the difference may close by itself. */
  pushPending: z.boolean(),
  productTitle: z.string().optional(),
  variantTitle: z.string().optional(),
  sku: z.string().optional(),
});
export type ReconciliationRow = z.output<typeof reconciliationRow>;

/** `POST /businesses/:tenantId/stock/reconciliation`: compares both sides now. */
export const reconciliationAnswer = z.object({
  checkedAt: z.number(),
  /** Variant-location pairs compared. */
  compared: z.number().int(),
  differences: z.array(reconciliationRow),
});
export type Reconciliation = z.output<typeof reconciliationAnswer>;

/**
 * `POST /businesses/:tenantId/stock/reconciliation/repair`: `from-shopify` records the
 * difference in the ledger (Asistone takes Shopify's number); `to-shopify` pushes Asistone's
 * number to Shopify.
 */
export const REPAIR_DIRECTIONS = ['from-shopify', 'to-shopify'] as const;
export const repairBody = z.object({
  inventoryItemId: shopifyId('InventoryItem'),
  locationId: shopifyId('Location'),
  direction: z.enum(REPAIR_DIRECTIONS),
});
export const repairAnswer = z.object({
  direction: z.enum(REPAIR_DIRECTIONS),
  /** The number both sides will hold. */
  available: z.number().int(),
  entry: ledgerEntry.optional(),
  adjustment: stockAdjustment.optional(),
});
