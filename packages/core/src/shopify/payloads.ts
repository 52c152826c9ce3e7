import * as z from 'zod';

/**
 * What Shopify tells us about a store's customers, orders, products, stock and checkouts, in ONE
 * shape whichever way it arrived: a webhook (REST-style JSON, snake_case, numeric ids, ISO times
 * with the shop's offset, money as decimal strings) or the reconciliation's and the backfill's
 * GraphQL queries (reconcile-queries.ts normalises those to these same types). The apply functions (apply.ts) take only
 * these: ids are Shopify GIDs, times epoch ms, money `{ amount, currencyCode }` with the amount
 * the exact decimal string Shopify sent (never a float: 0.1 + 0.2 must not reach an invoice).
 */

/** An exact decimal as Shopify writes money: `12.50`, `-3`, `0.0`. Never parsed into a number. */
export const DECIMAL = /^-?\d{1,18}(\.\d{1,9})?$/;
const Decimal = z.string().regex(DECIMAL, 'must be a decimal string');
const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');

export const Money = z.object({ amount: Decimal, currencyCode: CurrencyCode });
export type Money = z.infer<typeof Money>;

const Gid = (resource: string) =>
  z.string().regex(new RegExp(`^gid://shopify/${resource}/[0-9]+(\\?.*)?$`), `must be a ${resource} GID`);

/** Marketing consent as Shopify keeps it per channel: only these two states are a yes or a no. */
export const MarketingConsent = z.object({
  /** Shopify's state: `subscribed`, `not_subscribed`, `unsubscribed`, `pending`, `redacted`, `invalid`. */
  state: z.string(),
  /** When the customer gave or withdrew it, ms; absent when Shopify does not say. */
  updatedAt: z.number().int().optional(),
});
export type MarketingConsent = z.infer<typeof MarketingConsent>;

export const ShopifyCustomer = z.object({
  id: Gid('Customer'),
  email: z.string().optional(),
  /** E.164 as Shopify stores it (`+905551112233`). */
  phone: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  /** `enabled`, `disabled`, `invited`, `declined`. */
  state: z.string().optional(),
  tags: z.array(z.string()),
  emailMarketing: MarketingConsent.optional(),
  smsMarketing: MarketingConsent.optional(),
  /** Shopify keeps WhatsApp marketing consent since 2026-07. */
  whatsappMarketing: MarketingConsent.optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ShopifyCustomer = z.infer<typeof ShopifyCustomer>;

export const Address = z.object({
  name: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  province: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  countryCode: z.string().optional(),
  phone: z.string().optional(),
});
export type Address = z.infer<typeof Address>;

export const OrderLineItem = z.object({
  id: Gid('LineItem'),
  title: z.string(),
  variantTitle: z.string().optional(),
  sku: z.string().optional(),
  productId: Gid('Product').optional(),
  variantId: Gid('ProductVariant').optional(),
  quantity: z.number().int().nonnegative(),
  /** What is still to ship (refunded and removed units excluded). */
  fulfillableQuantity: z.number().int().nonnegative().optional(),
  unitPrice: Money,
  totalDiscount: Money,
});

export const Fulfillment = z.object({
  id: Gid('Fulfillment'),
  /** `pending`, `open`, `success`, `cancelled`, `error`, `failure`. */
  status: z.string(),
  /** The carrier's latest news: `in_transit`, `out_for_delivery`, `delivered`, ... */
  shipmentStatus: z.string().optional(),
  trackingCompany: z.string().optional(),
  trackingNumbers: z.array(z.string()),
  trackingUrls: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ShopifyFulfillment = z.infer<typeof Fulfillment>;

export const ShopifyOrder = z.object({
  id: Gid('Order'),
  /** The merchant's order name, `#1001`. */
  name: z.string(),
  customerId: Gid('Customer').optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  currencyCode: CurrencyCode,
  /** `pending`, `authorized`, `paid`, `partially_paid`, `refunded`, `voided`, ... */
  financialStatus: z.string().optional(),
  /** `unfulfilled` (Shopify sends null), `partial`, `fulfilled`, `restocked`. */
  fulfillmentStatus: z.string(),
  cancelledAt: z.number().int().optional(),
  cancelReason: z.string().optional(),
  closedAt: z.number().int().optional(),
  lineItems: z.array(OrderLineItem),
  discountCodes: z.array(z.object({ code: z.string(), amount: Money, type: z.string().optional() })),
  shippingAddress: Address.optional(),
  shippingLines: z.array(z.object({ title: z.string(), price: Money })),
  fulfillments: z.array(Fulfillment),
  subtotal: Money,
  totalDiscounts: Money,
  totalShipping: Money.optional(),
  totalTax: Money,
  total: Money,
  /** The checkout it was placed from (a checkout's `token`), to mark that checkout completed. */
  checkoutToken: z.string().optional(),
  /**
   * The language the customer shopped the storefront in (`tr`, `en-US`): what the order's notices
   * speak, which the shipping country only guesses at (an English speaker ships to İstanbul too).
   */
  customerLocale: z.string().optional(),
  /**
   * The sales channel the order came through, in Shopify's words: `web` (online store), `pos`,
   * `shopify_draft_order`, an app's own name, ... The back office's orders view and sales report
   * tell channels apart by it.
   */
  sourceName: z.string().optional(),
  /** Where a retail (POS) order was made; absent for online orders, which the sales report counts as online. */
  locationId: Gid('Location').optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const ShopifyProduct = z.object({
  id: Gid('Product'),
  title: z.string(),
  handle: z.string().optional(),
  /** `active`, `draft`, `archived`. */
  status: z.string(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  tags: z.array(z.string()),
  variants: z.array(
    z.object({
      id: Gid('ProductVariant'),
      title: z.string(),
      sku: z.string().optional(),
      barcode: z.string().optional(),
      /** In the shop's currency, which Shopify's product payloads do not name. */
      price: Decimal,
      compareAtPrice: Decimal.optional(),
      inventoryItemId: Gid('InventoryItem').optional(),
      position: z.number().int().optional(),
    }),
  ),
  images: z.array(
    z.object({ id: Gid('ProductImage').or(Gid('MediaImage')), url: z.string(), alt: z.string().optional() }),
  ),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ShopifyProduct = z.infer<typeof ShopifyProduct>;

export const ShopifyInventoryLevel = z.object({
  inventoryItemId: Gid('InventoryItem'),
  locationId: Gid('Location'),
  available: z.number().int(),
  updatedAt: z.number().int(),
});
export type ShopifyInventoryLevel = z.infer<typeof ShopifyInventoryLevel>;

export const CHECKOUT_STATES = ['open', 'completed', 'deleted'] as const;

export const ShopifyCheckout = z.object({
  /** The checkout's token: since API 2026-04 its numeric id is gone from webhooks. */
  token: z.string().min(1).max(255),
  customerId: Gid('Customer').optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** `abandoned_checkout_url`: where the customer finishes the purchase. */
  recoveryUrl: z.string().optional(),
  state: z.enum(CHECKOUT_STATES),
  completedAt: z.number().int().optional(),
  currencyCode: CurrencyCode.optional(),
  lineItems: z.array(
    z.object({
      title: z.string(),
      variantTitle: z.string().optional(),
      sku: z.string().optional(),
      /** The product the variant belongs to: where its stock is found. */
      productId: Gid('Product').optional(),
      variantId: Gid('ProductVariant').optional(),
      quantity: z.number().int().nonnegative(),
      unitPrice: Decimal.optional(),
    }),
  ),
  subtotal: Money.optional(),
  total: Money.optional(),
  createdAt: z.number().int().optional(),
  updatedAt: z.number().int(),
});
export type ShopifyCheckout = z.infer<typeof ShopifyCheckout>;

// ---- Webhook bodies (REST-style JSON) and their normalisation ----

/**
 * A Shopify REST id: a JSON number or a digit string. A number beyond 2^53 has already lost digits
 * in JSON.parse, so objects are named by their `admin_graphql_api_id` when they carry one
 * (webhooks do), and a bare unsafe number is refused rather than stored as another object's id.
 */
const RestId = z.union([
  z.number().refine((n) => Number.isInteger(n) && n >= 0, 'must be an id'),
  z.string().regex(/^[0-9]{1,20}$/),
]);
type RestId = z.infer<typeof RestId>;
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const text = opt(z.string());
const GidText = opt(z.string());
/** Shopify's times: ISO 8601 with the shop's offset (`2026-11-30T14:03:11+03:00`). */
const Time = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a time');
const RestMoney = z.object({ amount: Decimal, currency_code: CurrencyCode });
const MoneySet = z.object({ shop_money: RestMoney });

const RestConsent = z
  .object({ state: z.string(), consent_updated_at: opt(Time) })
  .nullish()
  .transform((consent) =>
    consent
      ? {
          state: consent.state,
          ...(consent.consent_updated_at && { updatedAt: Date.parse(consent.consent_updated_at) }),
        }
      : undefined,
  );

/** The object's GID: Shopify's own `admin_graphql_api_id` when given, else built from an exact id. */
function gidOf(resource: string, id: RestId, given?: string): string {
  if (given && new RegExp(`^gid://shopify/${resource}/[0-9]+$`).test(given)) return given;
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    throw new Error(`a ${resource} id past exact JSON numbers, without its admin_graphql_api_id`);
  }
  return `gid://shopify/${resource}/${id}`;
}
const ms = (value: string) => Date.parse(value);
/**
 * A POS order's location as a GID. The webhook names it only by a bare number (no
 * `admin_graphql_api_id`); one past exact JSON numbers is left out rather than failing the order.
 */
const locationOf = (id: RestId | undefined) =>
  id === undefined || (typeof id === 'number' && !Number.isSafeInteger(id)) ? undefined : gidOf('Location', id);
/** A field that may be missing, null or empty: all mean "none". */
const present = (value: string | undefined) => (value ? value : undefined);
const tagsOf = (tags: string | string[] | undefined | null) =>
  (Array.isArray(tags) ? tags : (tags ?? '').split(',')).map((tag) => tag.trim()).filter(Boolean);

const RestCustomer = z.object({
  id: RestId,
  admin_graphql_api_id: GidText,
  email: text,
  phone: text,
  first_name: text,
  last_name: text,
  state: text,
  tags: opt(z.union([z.string(), z.array(z.string())])),
  email_marketing_consent: RestConsent,
  sms_marketing_consent: RestConsent,
  whatsapp_marketing_consent: RestConsent,
  created_at: Time,
  updated_at: Time,
});

/** `customers/create` and `customers/update`. */
export const CustomerWebhook = RestCustomer.transform(
  (c): ShopifyCustomer => ({
    id: gidOf('Customer', c.id, c.admin_graphql_api_id),
    ...(present(c.email) && { email: c.email }),
    ...(present(c.phone) && { phone: c.phone }),
    ...(present(c.first_name) && { firstName: c.first_name }),
    ...(present(c.last_name) && { lastName: c.last_name }),
    ...(c.state && { state: c.state }),
    tags: tagsOf(c.tags),
    ...(c.email_marketing_consent && { emailMarketing: c.email_marketing_consent }),
    ...(c.sms_marketing_consent && { smsMarketing: c.sms_marketing_consent }),
    ...(c.whatsapp_marketing_consent && { whatsappMarketing: c.whatsapp_marketing_consent }),
    createdAt: ms(c.created_at),
    updatedAt: ms(c.updated_at),
  }),
);

const RestAddress = z
  .object({
    name: text,
    first_name: text,
    last_name: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    zip: text,
    country: text,
    country_code: text,
    phone: text,
  })
  .nullish()
  .transform((a): Address | undefined => {
    if (!a) return undefined;
    const name = a.name ?? ([a.first_name, a.last_name].filter(Boolean).join(' ') || undefined);
    const fields = {
      name,
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      province: a.province,
      zip: a.zip,
      country: a.country,
      countryCode: a.country_code,
      phone: a.phone,
    };
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value)) as Address;
  });

/** Money from a REST `*_set` when present (it names its currency), else the bare amount in the order's currency. */
function moneyOf(set: z.infer<typeof MoneySet> | undefined, amount: string | undefined, currency: string): Money {
  if (set) return { amount: set.shop_money.amount, currencyCode: set.shop_money.currency_code };
  return { amount: amount ?? '0.00', currencyCode: currency };
}

const RestOrder = z.object({
  id: RestId,
  admin_graphql_api_id: GidText,
  name: z.string(),
  email: text,
  phone: text,
  customer: opt(z.object({ id: RestId, admin_graphql_api_id: GidText })),
  currency: CurrencyCode,
  financial_status: text,
  fulfillment_status: text,
  cancelled_at: opt(Time),
  cancel_reason: text,
  closed_at: opt(Time),
  checkout_token: text,
  customer_locale: text,
  source_name: text,
  location_id: opt(RestId),
  line_items: z.array(
    z.object({
      id: RestId,
      admin_graphql_api_id: GidText,
      title: z.string(),
      variant_title: text,
      sku: text,
      product_id: opt(RestId),
      variant_id: opt(RestId),
      quantity: z.number().int().nonnegative(),
      fulfillable_quantity: opt(z.number().int().nonnegative()),
      price: Decimal,
      price_set: opt(MoneySet),
      total_discount: opt(Decimal),
      total_discount_set: opt(MoneySet),
    }),
  ),
  discount_codes: opt(z.array(z.object({ code: z.string(), amount: Decimal, type: text }))),
  shipping_address: RestAddress,
  shipping_lines: opt(z.array(z.object({ title: z.string(), price: Decimal, price_set: opt(MoneySet) }))),
  fulfillments: opt(
    z.array(
      z.object({
        id: RestId,
        admin_graphql_api_id: GidText,
        status: z.string(),
        shipment_status: text,
        tracking_company: text,
        tracking_number: text,
        tracking_numbers: opt(z.array(z.string())),
        tracking_url: text,
        tracking_urls: opt(z.array(z.string())),
        created_at: Time,
        updated_at: Time,
      }),
    ),
  ),
  subtotal_price: opt(Decimal),
  subtotal_price_set: opt(MoneySet),
  total_discounts: opt(Decimal),
  total_discounts_set: opt(MoneySet),
  total_shipping_price_set: opt(MoneySet),
  total_tax: opt(Decimal),
  total_tax_set: opt(MoneySet),
  total_price: Decimal,
  total_price_set: opt(MoneySet),
  created_at: Time,
  updated_at: Time,
});

/** `orders/create`, `orders/updated`, `orders/paid`, `orders/cancelled`, `orders/fulfilled`: the whole order each time. */
export const OrderWebhook = RestOrder.transform((o): ShopifyOrder => {
  const currency = o.currency;
  return {
    id: gidOf('Order', o.id, o.admin_graphql_api_id),
    name: o.name,
    ...(o.customer && { customerId: gidOf('Customer', o.customer.id, o.customer.admin_graphql_api_id) }),
    ...(present(o.email) && { email: o.email }),
    ...(present(o.phone) && { phone: o.phone }),
    currencyCode: currency,
    ...(o.financial_status && { financialStatus: o.financial_status }),
    fulfillmentStatus: o.fulfillment_status ?? 'unfulfilled',
    ...(o.cancelled_at && { cancelledAt: ms(o.cancelled_at) }),
    ...(o.cancel_reason && { cancelReason: o.cancel_reason }),
    ...(o.closed_at && { closedAt: ms(o.closed_at) }),
    lineItems: o.line_items.map((line) => ({
      id: gidOf('LineItem', line.id, line.admin_graphql_api_id),
      title: line.title,
      ...(line.variant_title && { variantTitle: line.variant_title }),
      ...(line.sku && { sku: line.sku }),
      ...(line.product_id && { productId: gidOf('Product', line.product_id) }),
      ...(line.variant_id && { variantId: gidOf('ProductVariant', line.variant_id) }),
      quantity: line.quantity,
      ...(line.fulfillable_quantity !== undefined && { fulfillableQuantity: line.fulfillable_quantity }),
      unitPrice: moneyOf(line.price_set, line.price, currency),
      totalDiscount: moneyOf(line.total_discount_set, line.total_discount, currency),
    })),
    discountCodes: (o.discount_codes ?? []).map((discount) => ({
      code: discount.code,
      amount: { amount: discount.amount, currencyCode: currency },
      ...(discount.type && { type: discount.type }),
    })),
    ...(o.shipping_address && { shippingAddress: o.shipping_address }),
    shippingLines: (o.shipping_lines ?? []).map((line) => ({
      title: line.title,
      price: moneyOf(line.price_set, line.price, currency),
    })),
    fulfillments: (o.fulfillments ?? []).map(fulfillmentOf),
    subtotal: moneyOf(o.subtotal_price_set, o.subtotal_price, currency),
    totalDiscounts: moneyOf(o.total_discounts_set, o.total_discounts, currency),
    ...(o.total_shipping_price_set && { totalShipping: moneyOf(o.total_shipping_price_set, undefined, currency) }),
    totalTax: moneyOf(o.total_tax_set, o.total_tax, currency),
    total: moneyOf(o.total_price_set, o.total_price, currency),
    ...(o.checkout_token && { checkoutToken: o.checkout_token }),
    ...(o.customer_locale && { customerLocale: o.customer_locale }),
    ...(o.source_name && { sourceName: o.source_name }),
    ...(locationOf(o.location_id) && { locationId: locationOf(o.location_id) }),
    createdAt: ms(o.created_at),
    updatedAt: ms(o.updated_at),
  };
});

const RestProduct = z.object({
  id: RestId,
  admin_graphql_api_id: GidText,
  title: z.string(),
  handle: text,
  status: opt(z.string()),
  vendor: text,
  product_type: text,
  tags: opt(z.union([z.string(), z.array(z.string())])),
  variants: opt(
    z.array(
      z.object({
        id: RestId,
        admin_graphql_api_id: GidText,
        title: z.string(),
        sku: text,
        barcode: text,
        price: Decimal,
        compare_at_price: opt(Decimal),
        inventory_item_id: opt(RestId),
        position: opt(z.number().int()),
      }),
    ),
  ),
  images: opt(z.array(z.object({ id: RestId, admin_graphql_api_id: GidText, src: z.string(), alt: text }))),
  created_at: Time,
  updated_at: Time,
});

/** `products/create` and `products/update`. */
export const ProductWebhook = RestProduct.transform(
  (p): ShopifyProduct => ({
    id: gidOf('Product', p.id, p.admin_graphql_api_id),
    title: p.title,
    ...(p.handle && { handle: p.handle }),
    status: p.status ?? 'active',
    ...(p.vendor && { vendor: p.vendor }),
    ...(p.product_type && { productType: p.product_type }),
    tags: tagsOf(p.tags),
    variants: (p.variants ?? []).map((v) => ({
      id: gidOf('ProductVariant', v.id, v.admin_graphql_api_id),
      title: v.title,
      ...(v.sku && { sku: v.sku }),
      ...(v.barcode && { barcode: v.barcode }),
      price: v.price,
      ...(v.compare_at_price && { compareAtPrice: v.compare_at_price }),
      ...(v.inventory_item_id && { inventoryItemId: gidOf('InventoryItem', v.inventory_item_id) }),
      ...(v.position !== undefined && { position: v.position }),
    })),
    images: (p.images ?? []).map((image) => ({
      id: gidOf('ProductImage', image.id),
      url: image.src,
      ...(image.alt && { alt: image.alt }),
    })),
    createdAt: ms(p.created_at),
    updatedAt: ms(p.updated_at),
  }),
);

/** `inventory_levels/update`. */
export const InventoryLevelWebhook = z
  .object({ inventory_item_id: RestId, location_id: RestId, available: opt(z.number().int()), updated_at: Time })
  .transform(
    (level): ShopifyInventoryLevel => ({
      inventoryItemId: gidOf('InventoryItem', level.inventory_item_id),
      locationId: gidOf('Location', level.location_id),
      // Null means the item is not tracked at the location: nothing available to promise.
      available: level.available ?? 0,
      updatedAt: ms(level.updated_at),
    }),
  );

const RestCheckout = z.object({
  token: z.string().min(1).max(255),
  email: text,
  phone: text,
  customer: opt(z.object({ id: RestId, admin_graphql_api_id: GidText })),
  abandoned_checkout_url: text,
  completed_at: opt(Time),
  currency: opt(CurrencyCode),
  presentment_currency: opt(CurrencyCode),
  line_items: opt(
    z.array(
      z.object({
        title: z.string(),
        variant_title: text,
        sku: text,
        product_id: opt(RestId),
        variant_id: opt(RestId),
        quantity: z.number().int().nonnegative(),
        price: opt(Decimal),
      }),
    ),
  ),
  subtotal_price: opt(Decimal),
  total_price: opt(Decimal),
  created_at: opt(Time),
  updated_at: Time,
});

/** `checkouts/create` and `checkouts/update` (a `completed_at` means the order was placed). */
export const CheckoutWebhook = RestCheckout.transform((c): ShopifyCheckout => {
  const currency = c.currency ?? c.presentment_currency;
  const money = (amount: string | undefined) =>
    amount !== undefined && currency ? { amount, currencyCode: currency } : undefined;
  const subtotal = money(c.subtotal_price);
  const total = money(c.total_price);
  return {
    token: c.token,
    ...(c.customer && { customerId: gidOf('Customer', c.customer.id, c.customer.admin_graphql_api_id) }),
    ...(present(c.email) && { email: c.email }),
    ...(present(c.phone) && { phone: c.phone }),
    ...(c.abandoned_checkout_url && { recoveryUrl: c.abandoned_checkout_url }),
    state: c.completed_at ? 'completed' : 'open',
    ...(c.completed_at && { completedAt: ms(c.completed_at) }),
    ...(currency && { currencyCode: currency }),
    lineItems: (c.line_items ?? []).map((line) => ({
      title: line.title,
      ...(line.variant_title && { variantTitle: line.variant_title }),
      ...(line.sku && { sku: line.sku }),
      ...(line.product_id && { productId: gidOf('Product', line.product_id) }),
      ...(line.variant_id && { variantId: gidOf('ProductVariant', line.variant_id) }),
      quantity: line.quantity,
      ...(line.price && { unitPrice: line.price }),
    })),
    ...(subtotal && { subtotal }),
    ...(total && { total }),
    ...(c.created_at && { createdAt: ms(c.created_at) }),
    updatedAt: ms(c.updated_at),
  };
});

/**
 * `checkouts/delete` names the checkout and little else, and has no `updated_at`: the delivery's
 * `X-Shopify-Triggered-At` is its time, so a late delete never removes a checkout updated after it.
 */
export function deletedCheckout(body: unknown, triggeredAt: number): ShopifyCheckout {
  const { token } = z.object({ token: z.string().min(1).max(255) }).parse(body);
  return { token, state: 'deleted', lineItems: [], updatedAt: triggeredAt };
}

const RestFulfillment = z.object({
  id: RestId,
  admin_graphql_api_id: GidText,
  order_id: RestId,
  status: z.string(),
  shipment_status: text,
  tracking_company: text,
  tracking_number: text,
  tracking_numbers: opt(z.array(z.string())),
  tracking_url: text,
  tracking_urls: opt(z.array(z.string())),
  created_at: Time,
  updated_at: Time,
});

/** One fulfillment as the order's webhooks and the fulfillment topics carry it. */
function fulfillmentOf(f: Omit<z.infer<typeof RestFulfillment>, 'order_id'>): ShopifyFulfillment {
  return {
    id: gidOf('Fulfillment', f.id, f.admin_graphql_api_id),
    status: f.status,
    ...(f.shipment_status && { shipmentStatus: f.shipment_status }),
    ...(f.tracking_company && { trackingCompany: f.tracking_company }),
    trackingNumbers: f.tracking_numbers ?? (f.tracking_number ? [f.tracking_number] : []),
    trackingUrls: f.tracking_urls ?? (f.tracking_url ? [f.tracking_url] : []),
    createdAt: ms(f.created_at),
    updatedAt: ms(f.updated_at),
  };
}

/**
 * `fulfillments/create` and `fulfillments/update`: one fulfillment and the order it ships. The
 * body names its order only by `order_id`, a bare number that JSON.parse rounds past 2^53 (order
 * ids are that large), so the exact digits are read from the signed text itself, as the
 * compliance topics read `orders_to_redact`.
 */
export function fulfillmentWebhook(json: unknown, text: string): { orderId: string; fulfillment: ShopifyFulfillment } {
  const body = RestFulfillment.parse(json);
  let orderId = String(body.order_id);
  if (typeof body.order_id === 'number' && !Number.isSafeInteger(body.order_id)) {
    const exact = /"order_id"\s*:\s*"?([0-9]{1,20})"?/.exec(text)?.[1];
    if (!exact) throw new Error('an order_id past exact JSON numbers that the text does not show');
    orderId = exact;
  }
  return { orderId, fulfillment: fulfillmentOf(body) };
}

/** The topics the worker applies, by what they carry. */
export const SHOPIFY_TOPICS = {
  customer: ['customers/create', 'customers/update'],
  order: ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled'],
  product: ['products/create', 'products/update'],
  inventoryLevel: ['inventory_levels/update'],
  checkout: ['checkouts/create', 'checkouts/update'],
  checkoutDelete: ['checkouts/delete'],
  fulfillment: ['fulfillments/create', 'fulfillments/update'],
  uninstalled: ['app/uninstalled'],
} as const;
