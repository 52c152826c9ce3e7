import * as z from 'zod';
import { PasswordResetRequest, SignUpRequest } from '../../accounts/mail-requests.js';
import { MetaDelivery } from '../../channels/meta/envelope.js';
import { DeliverMailMessage } from '../../notify/mail-messages.js';
import type { QueueName } from './declarations.js';

/** One schema per queue: producers and workers both validate against it. */
export const QUEUE_MESSAGES = {
  'meta-events': MetaDelivery,
  mail: z.discriminatedUnion('kind', [DeliverMailMessage, PasswordResetRequest, SignUpRequest]),
} as const satisfies Record<QueueName, z.ZodType<{ tenantId: string }>>;

export type QueueMessage<Q extends QueueName> = z.infer<(typeof QUEUE_MESSAGES)[Q]>;
