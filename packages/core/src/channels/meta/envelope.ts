import * as z from 'zod';

/** What the Meta webhook puts on the `meta-events` queue: the signed body, untouched. */
export const MetaDelivery = z.object({
  tenantId: z.string().min(1),
  receivedAt: z.number().int().positive(),
  /** The raw JSON exactly as Meta sent it. */
  body: z.string().min(2),
});

export type MetaDelivery = z.infer<typeof MetaDelivery>;
