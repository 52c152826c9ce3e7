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
});

export const WhatsAppMessage = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  context: z.object({ from: z.string().optional(), id: z.string().optional() }).optional(),
});

export const WhatsAppStatus = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string().optional(),
});

export const WhatsAppContact = z.looseObject({
  wa_id: z.string(),
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
