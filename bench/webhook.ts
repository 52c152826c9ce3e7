import { createHmac } from 'node:crypto';
import type { MetaDelivery } from '@asistone/core/channels/meta/envelope';
import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { metaReceiver } from '@asistone/core/channels/meta/receive';
import { createProducer, type QueueSink } from '@asistone/core/platform/queue/producer';
import { atMost, type Comparison, compare, type GoalCheck, type MeasureOptions } from './lib/measure.js';
import { signedMetaRequest, whatsappTextDelivery } from './lib/whatsapp.js';
import { MESSAGE_TEXT } from './seal.js';

/** The platform Meta app's deployment secrets, as the webhook reads them once per container. */
export const SECRETS = { appSecret: 'bench-app-secret-3f9a1c7e5b2d4f60', verifyToken: 'bench-verify-token' };

/** The least any receiver must do: HMAC-SHA256 hex of the raw body, and parse it once. */
export const webhookFloor = (body: Buffer) => () => {
  createHmac('sha256', SECRETS.appSecret).update(body).digest('hex');
  return JSON.parse(body.toString('utf8'));
};

export interface WebhookRow extends Comparison, GoalCheck {
  name: string;
  bodyBytes: number;
}

/** Keeps what was enqueued, bounded: a long run must not measure the garbage collector. */
function inMemorySink<T>() {
  const items: T[] = [];
  return {
    items,
    push(item: T) {
      if (items.length >= 1024) items.length = 0;
      items.push(item);
    },
  };
}

/**
 * The Meta webhook's domain receiver (signature, routing, parse, enqueue) against the least
 * any receiver must do: HMAC-SHA256 of the body and one JSON.parse. Goal: at most twice the
 * floor's time per call. A second row enqueues through the real producer (zod-validated,
 * serialized) into an in-memory queue sink: the Lambda's path minus SQS; validating and
 * serializing the message may cost one more floor at most (goal: 3×).
 */
export async function benchWebhook(options: MeasureOptions): Promise<WebhookRow[]> {
  const body = whatsappTextDelivery(MESSAGE_TEXT);
  const request = signedMetaRequest(SECRETS.appSecret, body);
  const floor = webhookFloor(body);

  const deliveries = inMemorySink<MetaDelivery>();
  const receive = metaReceiver({
    secrets: async () => SECRETS,
    enqueue: async (delivery) => deliveries.push(delivery),
  });
  const messages = inMemorySink<string>();
  const sink: QueueSink = {
    send: async (_queue, message) => messages.push(message),
    sendBatch: async () => ({ failed: [] }),
  };
  const producer = createProducer(sink);
  const receiveWithProducer = metaReceiver({
    secrets: async () => SECRETS,
    enqueue: (delivery) => producer.send(META_EVENTS_QUEUE, delivery),
  });

  for (const candidate of [receive, receiveWithProducer]) {
    const { outcome } = await candidate(request);
    if (outcome !== 'queued') throw new Error(`the bench delivery was not queued (${outcome}): nothing to measure`);
  }

  const direct = await compare(() => receive(request), floor, options);
  const produced = await compare(() => receiveWithProducer(request), floor, options);
  return [
    {
      name: 'metaReceiver → in-memory sink',
      bodyBytes: body.length,
      ...direct,
      ...atMost(direct.timeRatio, 2, 'time'),
    },
    {
      name: 'metaReceiver → producer → in-memory queue',
      bodyBytes: body.length,
      ...produced,
      ...atMost(produced.timeRatio, 3, 'time'),
    },
  ];
}
