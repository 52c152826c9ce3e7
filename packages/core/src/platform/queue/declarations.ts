/**
 * Every queue, declared once. The Queues stack builds each queue, its dead-letter queue and
 * its consumer from this table; the local runtime creates the same queues and polls them with
 * the same batch size, visibility timeout and redrive count.
 */
export interface QueueDeclaration {
  description: string;
  /** Entry point of the consumer, relative to the repository root: `<file>.<export>`. */
  consumer: string;
  /** Seconds a received message stays hidden; at least 6x the consumer's timeout, as AWS advises. */
  visibilityTimeoutSeconds: number;
  /** The consumer's own timeout. */
  consumerTimeoutSeconds: number;
  batchSize: number;
  /** Receives before a message is moved to the dead-letter queue. */
  maxReceiveCount: number;
}

export const QUEUES = {
  'meta-events': {
    description: 'Signed Meta webhook deliveries (WhatsApp, Instagram, Messenger) awaiting processing',
    consumer: 'functions/workers/meta-events.handler',
    visibilityTimeoutSeconds: 180,
    consumerTimeoutSeconds: 30,
    batchSize: 10,
    maxReceiveCount: 5,
  },
} as const satisfies Record<string, QueueDeclaration>;

export type QueueName = keyof typeof QUEUES;

export const queueNames = Object.keys(QUEUES) as QueueName[];

/** The dead-letter queue's logical name. */
export const deadLetterQueueName = (queue: QueueName) => `${queue}-dlq` as const;

/** Largest message body a queue takes; larger bodies travel through S3 (claim check). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
