import * as z from 'zod';

/**
 * The parts of a WhatsApp Cloud API webhook that Asistone reads. Unknown fields pass through
 * untouched: Meta adds fields without notice, and a new field must never fail a delivery.
 */
const media = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Audio recorded in WhatsApp as a voice note. */
  voice: z.boolean().optional(),
});

const reply = z.object({ id: z.string(), title: z.string() });

export const WhatsAppMessage = z
  .looseObject({
    /** The customer's number; since 2026 absent for customers who use a username. */
    from: z.string().min(1).optional(),
    /** The business-scoped user id (BSUID), present since 2026. */
    from_user_id: z.string().min(1).optional(),
    id: z.string().min(1),
    timestamp: z.string().regex(/^\d+$/),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    image: media.optional(),
    audio: media.optional(),
    video: media.optional(),
    document: media.optional(),
    sticker: media.optional(),
    /** A removed reaction arrives with the emoji empty or missing. */
    reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
    location: z
      .object({
        latitude: z.number(),
        longitude: z.number(),
        name: z.string().optional(),
        address: z.string().optional(),
      })
      .optional(),
    /** Shared contact cards, kept as sent. */
    contacts: z.array(z.unknown()).optional(),
    interactive: z
      .looseObject({ type: z.string(), button_reply: reply.optional(), list_reply: reply.optional() })
      .optional(),
    /** A tap on a template's quick-reply button. */
    button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
    order: z.looseObject({ catalog_id: z.string(), product_items: z.array(z.unknown()).optional() }).optional(),
    system: z.looseObject({ body: z.string().optional(), type: z.string().optional() }).optional(),
    /** A click-to-WhatsApp ad the customer came from; kept as sent. */
    referral: z.record(z.string(), z.unknown()).optional(),
    unsupported: z.object({ type: z.string().optional() }).optional(),
    errors: z.array(z.looseObject({ code: z.number().optional() })).optional(),
    context: z.object({ from: z.string().optional(), id: z.string().optional() }).optional(),
  })
  .refine((message) => message.from || message.from_user_id, { path: ['from'], message: 'no sender' });

export const WhatsAppStatus = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  pricing: z.looseObject({ category: z.string().optional() }).optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
  /**
   * What the send asked Meta to echo back (`biz_opaque_callback_data`): campaigns name the
   * campaign and contact in it. Read as-is; its reader validates it (a bad one must not cost the status).
   */
  biz_opaque_callback_data: z.unknown().optional(),
});

export const WhatsAppContact = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.object({ name: z.string() }).optional(),
});

/**
 * A `messages` change. Its lists are read item by item ({@link WhatsAppMessage},
 * {@link WhatsAppContact}): one malformed message must not cost the others in the same change.
 */
export const WhatsAppValue = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

/** One change of a WhatsApp entry; its value is read according to its field. */
export const WhatsAppChange = z.looseObject({ field: z.string(), value: z.unknown() });

/** One entry: `id` is the WhatsApp Business Account id (`"0"` for a Dashboard test event). */
export const WhatsAppEntry = z.looseObject({
  id: z.string(),
  changes: z.array(z.unknown()),
});

export type WhatsAppMessage = z.infer<typeof WhatsAppMessage>;
export type WhatsAppValue = z.infer<typeof WhatsAppValue>;
export type WhatsAppContact = z.infer<typeof WhatsAppContact>;
