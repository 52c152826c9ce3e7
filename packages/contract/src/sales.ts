import * as z from 'zod';
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES, moneySchema } from './store.js';

/**
 * The back office's read-only reports on the Shopify copy: the orders of every channel, and
 * sales by day, product, location and channel. Days are Istanbul days (the business's calendar),
 * money is an exact decimal string with its currency, and different currencies are never added.
 */

/** The report's calendar: a day is a day in Istanbul, whatever the reader's browser says. */
export const SALES_TIME_ZONE = 'Europe/Istanbul';

/** Shopify's sales channel, from the order's `sourceName`: online store, POS, a draft order, anything else. */
export const SALES_CHANNELS = ['online', 'pos', 'draft', 'other'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

/** The inbox channel of the conversation that led to an order. */
export const CONVERSATION_CHANNELS = ['whatsapp', 'instagram', 'messenger'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];

/** A channel filter: a sales channel, or an inbox channel that led to the order. */
export const ORDER_CHANNEL_FILTERS = [...SALES_CHANNELS, ...CONVERSATION_CHANNELS] as const;

/** At most this many days in one report (the ads report's limit too). */
export const SALES_MAX_DAYS = 400;

const range = {
  from: z.iso.date(),
  to: z.iso.date(),
};

export const ordersViewQuery = z.object({
  ...range,
  financialStatus: z.enum(FINANCIAL_STATUSES).optional(),
  fulfillmentStatus: z.enum(FULFILLMENT_STATUSES).optional(),
  channel: z.enum(ORDER_CHANNEL_FILTERS).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type OrdersViewQuery = z.input<typeof ordersViewQuery>;

export const ordersViewRow = z.object({
  orderId: z.string(),
  /** `#1001`. */
  name: z.string(),
  createdAt: z.string().nullable(),
  /** The Shopify customer's name, opened for the team; null for a guest or a name that does not open. */
  customerName: z.string().nullable(),
  total: moneySchema.nullable(),
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string(),
  cancelledAt: z.string().nullable(),
  salesChannel: z.enum(SALES_CHANNELS),
  /** The inbox channel a conversation in the 7 days before the order came through; null when none led to it. */
  conversationChannel: z.enum(CONVERSATION_CHANNELS).nullable(),
});
export type OrdersViewRow = z.output<typeof ordersViewRow>;

export const ordersViewAnswer = z.object({
  from: z.string(),
  to: z.string(),
  /** Newest first, at most `limit`. */
  orders: z.array(ordersViewRow),
  /** How many orders of the range match the filters (more than shown when `limit` cut the list). */
  matched: z.number().int(),
});
export type OrdersViewAnswer = z.output<typeof ordersViewAnswer>;

export const salesReportQuery = z.object(range);
export type SalesReportQuery = z.input<typeof salesReportQuery>;

/** One group's figures, money as exact decimals in its currency. */
export const salesFigures = z.object({
  orders: z.number().int(),
  units: z.number().int(),
  /** Unit prices times quantities, before discounts. */
  gross: z.string(),
  discounts: z.string(),
  /** Gross sales less discounts. */
  net: z.string(),
});
export type SalesFigures = z.output<typeof salesFigures>;

export const salesCurrencyReport = z.object({
  currency: z.string(),
  totals: salesFigures,
  /** Only days with sales, oldest first (ISO dates, Istanbul). */
  days: z.array(salesFigures.extend({ day: z.string() })),
  products: z.array(salesFigures.extend({ productId: z.string().nullable(), title: z.string() })),
  /** A POS order's location; null is the online store. */
  locations: z.array(salesFigures.extend({ locationId: z.string().nullable(), name: z.string().nullable() })),
  channels: z.array(
    salesFigures.extend({
      salesChannel: z.enum(SALES_CHANNELS),
      conversationChannel: z.enum(CONVERSATION_CHANNELS).nullable(),
    }),
  ),
});
export type SalesCurrencyReport = z.output<typeof salesCurrencyReport>;

export const salesReportAnswer = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  /** One report per currency, never summed across them; the most orders first. */
  currencies: z.array(salesCurrencyReport),
  /** Cancelled orders of the range, left out of every figure. */
  cancelledExcluded: z.number().int(),
});
export type SalesReportAnswer = z.output<typeof salesReportAnswer>;
