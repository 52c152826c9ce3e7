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
  /**
   * Most consumer instances at once (Lambda's SQS maximum concurrency, 2 or more), for
   * consumers that call a rate-limited provider. Locally each queue has one poller anyway.
   */
  maxConcurrency?: number;
  /** Handle a batch's messages one after another instead of in parallel (rate-limited providers). */
  sequential?: boolean;
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
  mail: {
    description: 'Mails to people (sign-up, password reset, invitations): decided, rendered and sent through Resend',
    consumer: 'functions/workers/mail.handler',
    // A Resend call is bounded (5 s, one short retry-after wait); a batch of 5 in turn fits in 30 s.
    visibilityTimeoutSeconds: 180,
    consumerTimeoutSeconds: 30,
    batchSize: 5,
    // A failed send comes back after the visibility timeout: 8 receives ride out ~25 minutes of a
    // Resend outage or rate limiting before the mail waits in the dead-letter queue for a replay.
    maxReceiveCount: 8,
    // Resend allows a few requests per second per team: two consumers sending one mail at a time.
    maxConcurrency: 2,
    sequential: true,
  },
} as const satisfies Record<string, QueueDeclaration>;

export type QueueName = keyof typeof QUEUES;

export const queueNames = Object.keys(QUEUES) as QueueName[];

/** The dead-letter queue's logical name. */
export const deadLetterQueueName = (queue: QueueName) => `${queue}-dlq` as const;

/** Largest message body a queue takes; larger bodies travel through S3 (claim check). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
