import * as z from 'zod';

/**
 * Meta deliveries belong to no business when they are queued: one POST may carry changes for
 * several, and the worker finds each change's business in the payload. Queue bookkeeping
 * (claim-check bodies under `tenants/meta/`, settlements) is kept under this platform id,
 * which generated business ids (`b…`) can never take.
 */
export const META_DELIVERY_TENANT = 'meta';

/**
 * What the Meta webhook puts on the `meta-events` queue: the signed body, untouched, base64
 * encoded. SQS only carries some Unicode (the local emulator even refuses characters above
 * U+FFFF, such as a raw emoji in a reaction), while base64 is plain ASCII: the bytes Meta signed
 * arrive at the worker exactly as they were. Base64 grows a body by a third; the producer
 * measures the encoded message, so larger bodies still go by claim check.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const MetaDelivery = z.object({
  tenantId: z.literal(META_DELIVERY_TENANT),
  receivedAt: z.number().int().positive(),
  /**
   * The raw body exactly as Meta sent it, base64. Checked by one plain character-class scan:
   * the same strings pass as with `z.base64()`, in a third of the time, and this check runs on
   * every webhook call before Meta gets its answer.
   */
  bodyBase64: z
    .string()
    .min(4)
    .refine((text) => text.length % 4 === 0 && BASE64.test(text), 'Invalid base64'),
});

export type MetaDelivery = z.infer<typeof MetaDelivery>;

/** The delivery for a body as received. */
export function metaDelivery(body: Buffer, receivedAt: number): MetaDelivery {
  return { tenantId: META_DELIVERY_TENANT, receivedAt, bodyBase64: body.toString('base64') };
}

/** The body's text, byte for byte what Meta signed, decoded as UTF-8. */
export function metaDeliveryText(delivery: MetaDelivery): string {
  return Buffer.from(delivery.bodyBase64, 'base64').toString('utf8');
}
