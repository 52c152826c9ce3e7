import type { z } from 'zod';
import { MetaDelivery } from '../../channels/meta/envelope.js';
import type { QueueName } from './declarations.js';

/** One schema per queue: producers and workers both validate against it. */
export const QUEUE_MESSAGES = {
  'meta-events': MetaDelivery,
} as const satisfies Record<QueueName, z.ZodType<{ tenantId: string }>>;

export type QueueMessage<Q extends QueueName> = z.infer<(typeof QUEUE_MESSAGES)[Q]>;
