import * as z from 'zod';
import { messageWording } from './message-wording.js';

/**
 * Abandoned-cart recovery. Shopify has no "abandoned" event: a checkout with contact details that
 * was not completed within the business's delay is an abandoned cart. A business sets up to three
 * steps (each after a delay, on one channel, in Turkish and English); each cart's status says what
 * was sent, what was skipped and why, and whether the cart came back as an order. An optional
 * random holdout of carts gets nothing, so the recovered revenue can be compared with what would
 * have come back anyway.
 */

export const CART_CHANNELS = ['whatsapp', 'email', 'sms'] as const;
export type CartChannel = (typeof CART_CHANNELS)[number];
export const CART_LANGUAGES = ['tr', 'en'] as const;
export type CartLanguage = (typeof CART_LANGUAGES)[number];
/** What a step's wording may say about the cart; anything else in `{{…}}` is refused at save. */
export const CART_PLACEHOLDERS = ['customer', 'items', 'total', 'link', 'shop'] as const;
export type CartPlaceholder = (typeof CART_PLACEHOLDERS)[number];
export const MAX_CART_STEPS = 3;

const words = messageWording(CART_PLACEHOLDERS);

/** One language's wording: the email's subject, and the text (the email's body and the SMS). */
export const cartWording = words.wording;
export type CartWording = z.output<typeof cartWording>;

/** The approved WhatsApp template of a step, and which placeholder fills each of its variables. */
export const cartTemplate = words.template;
export type CartTemplate = z.output<typeof cartTemplate>;

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'A time looks like 21:00');

export const cartStep = z.object({
  /** Minutes after the cart was found abandoned (the first step) or after the step before. */
  afterMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  channel: z.enum(CART_CHANNELS),
  wording: z.object({ tr: cartWording, en: cartWording }),
  /** Needed for WhatsApp: a utility template, or a marketing one for customers who agreed to offers. */
  whatsappTemplate: cartTemplate.nullable(),
});
export type CartStep = z.output<typeof cartStep>;

/** `GET/PUT /businesses/:tenantId/cart-recovery/settings`, whole (the last save wins). */
export const cartRecoverySettings = z
  .object({
    enabled: z.boolean(),
    /** A checkout not completed this long after its last change is abandoned. */
    delayMinutes: z
      .number()
      .int()
      .min(15)
      .max(7 * 24 * 60),
    steps: z.array(cartStep).min(1).max(MAX_CART_STEPS),
    /** No message between these times (the business's time zone, Türkiye); the step waits for the end. */
    quietHours: z.object({ from: clock, to: clock }).nullable(),
    /** Carts drawn at random to get nothing, for the lift: 0 (none) to 50 percent. */
    holdoutPercent: z.number().int().min(0).max(50),
    /** A cart not recovered this many days after it was abandoned is expired. */
    expireAfterDays: z.number().int().min(1).max(30),
    /**
     * Where online orders ship from (a Shopify location's number): a step is skipped when an item
     * is out of stock there. Null: every location Shopify ships online orders from.
     */
    shippingLocationId: z
      .string()
      .regex(/^[0-9]{1,20}$/, 'A Shopify location number')
      .nullable()
      .default(null),
  })
  .refine((settings) => settings.steps.every((step) => step.channel !== 'whatsapp' || step.whatsappTemplate), {
    message: 'A WhatsApp step needs an approved template',
    path: ['steps'],
  });
export type CartRecoverySettings = z.output<typeof cartRecoverySettings>;
export type CartRecoverySettingsBody = z.input<typeof cartRecoverySettings>;

export const cartRecoverySettingsAnswer = z.object({
  settings: cartRecoverySettings,
  /** When they were last saved (ISO), or null: never saved, the defaults (off). */
  updatedAt: z.string().nullable(),
});
export type CartRecoverySettingsAnswer = z.output<typeof cartRecoverySettingsAnswer>;

/**
 * A cart's status. `pending`: abandoned, its next step not yet due (or held back: `holdout`);
 * `contacted`: at least one step sent; `recovered`: an order completed it; `expired`: the
 * business's window passed (or Shopify deleted the checkout); `skipped`: nothing may be sent to
 * this customer (the reason says why).
 */
export const CART_STATES = ['pending', 'contacted', 'recovered', 'expired', 'skipped'] as const;
export type CartState = (typeof CART_STATES)[number];

/** One step of one cart: sent on its channel, or skipped with the reason. */
export const cartStepView = z.object({
  step: z.number().int().min(1).max(MAX_CART_STEPS),
  channel: z.enum(CART_CHANNELS),
  outcome: z.enum(['sent', 'skipped']),
  reason: z.string().nullable(),
  at: z.string(),
});
export type CartStepView = z.output<typeof cartStepView>;

/** What fills the placeholders of one cart's message. */
export type CartValues = Record<CartPlaceholder, string>;

/** The wording with its placeholders filled; a value missing leaves the placeholder empty. */
export const renderCartText = words.render;

/** Sample values for the settings preview: never a real customer's. */
export const CART_PREVIEW_VALUES: CartValues = {
  customer: 'Ayşe Yılmaz',
  items: '2 × Gül buketi, 1 × Vazo',
  total: '629,49 TRY',
  link: 'https://cicekci.example/checkouts/recover',
  shop: 'Çiçekçi',
};

/** One cart as the carts list shows it: no address or number beyond a masked hint. */
export const cartView = z.object({
  /** The checkout's key (a blind index of its token): the cart's id in the app. */
  id: z.string(),
  state: z.enum(CART_STATES),
  /** Held back at random for the lift: never contacted. */
  holdout: z.boolean(),
  /** When it counted as abandoned (ISO). */
  abandonedAt: z.string(),
  /** The customer, masked (`a***@example.com`, `+90 5** *** **33`), or null when the checkout is gone. */
  customer: z.string().nullable(),
  /** `2 × Gül buketi, 1 × Vazo`. */
  items: z.string(),
  total: z.object({ amount: z.string(), currencyCode: z.string() }).nullable(),
  steps: z.array(cartStepView),
  /** Why it was skipped or expired. */
  reason: z.string().nullable(),
  recovered: z.object({ orderId: z.string().nullable(), amount: z.string().nullable(), at: z.string() }).nullable(),
});
export type CartView = z.output<typeof cartView>;

/** `GET /businesses/:tenantId/cart-recovery/carts`: newest abandoned first. */
export const cartsQuery = z.object({
  state: z.enum(CART_STATES).optional(),
  /** Abandoned on or after / before (ISO dates). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  cursor: z.string().max(2000).optional(),
});
export type CartsQuery = z.output<typeof cartsQuery>;

export const cartsAnswer = z.object({ carts: z.array(cartView), cursor: z.string().nullable() });
export type CartsAnswer = z.output<typeof cartsAnswer>;

const estimate = z.object({ value: z.number(), low: z.number(), high: z.number() });

/** One day of the report (the business's time zone). */
export const cartDay = z.object({
  day: z.string(),
  abandoned: z.number().int(),
  contacted: z.number().int(),
  recovered: z.number().int(),
  /** Recovered revenue that day, an exact decimal in the report's currency. */
  revenue: z.string(),
});
export type CartDay = z.output<typeof cartDay>;

/** `GET /businesses/:tenantId/cart-recovery/report?from&to`: days, and the lift over the window. */
export const cartReportAnswer = z.object({
  from: z.string(),
  to: z.string(),
  currencyCode: z.string().nullable(),
  days: z.array(cartDay),
  /** Carts sent the sequence (not held out) against the holdout, abandoned in the window. */
  lift: z.object({
    contacted: z.object({ carts: z.number(), recovered: z.number(), revenue: z.string(), rate: z.number().nullable() }),
    holdout: z.object({ carts: z.number(), recovered: z.number(), revenue: z.string(), rate: z.number().nullable() }),
    /** Recovery rate difference (contacted − holdout), with its 95% interval; null without both groups. */
    rateDifference: estimate.nullable(),
    /** Revenue the sequence added beyond what came back anyway, with its 95% interval (decimals). */
    incrementalRevenue: z.object({ value: z.string(), low: z.string(), high: z.string() }).nullable(),
  }),
});
export type CartReportAnswer = z.output<typeof cartReportAnswer>;
