import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { fakeAwsTransport } from './lib/fake-aws.js';
import { functionUrlEvent, lambdaContext, lambdaEnvironment } from './lib/lambda.js';
import { atMost, compare, type MeasureOptions } from './lib/measure.js';
import { signedMetaRequest, whatsappTextDelivery } from './lib/whatsapp.js';
import { MESSAGE_TEXT } from './seal.js';
import { SECRETS, type WebhookRow, webhookFloor } from './webhook.js';

/** Endpoints nothing listens on: a second guard, should a call ever get past the fake transport. */
const NOWHERE = 'http://127.0.0.1:9';

/** Runs `work` with stdout swallowed: the handler logs one line per call, and this is a hot loop. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The Meta webhook's Lambda handler, whole: function-URL event, middy, Powertools logger, the
 * receiver, the producer and the AWS SDK (SQS for the enqueue; the app secrets are deployment
 * settings, read once) with the network replaced by {@link fakeAwsTransport}. Everything a warm invocation
 * does except waiting for AWS; against the same floor as the receiver. The goal is a guard
 * against regressions (a client or a logger built per call, a slow middleware), not a target:
 * SigV4 signing and the SDK's serialization alone cost far more than the floor.
 */
const HANDLER_GOAL = 300;

export async function benchWebhookHandler(options: MeasureOptions): Promise<WebhookRow> {
  const keyDir = await mkdtemp(join(tmpdir(), 'asistone-bench-keys-'));
  try {
    Object.assign(process.env, lambdaEnvironment(keyDir), {
      AWS_ENDPOINT_URL_DYNAMODB: NOWHERE,
      AWS_ENDPOINT_URL_SQS: NOWHERE,
      AWS_ENDPOINT_URL_S3: NOWHERE,
      // The platform app's deployment secrets (SSM in AWS).
      META_APP_SECRET: SECRETS.appSecret,
      META_VERIFY_TOKEN: SECRETS.verifyToken,
    });
    const { aws } = queueOnlyPlatform();
    const transport = fakeAwsTransport();
    for (const client of Object.values(aws)) Object.assign(client.config, { requestHandler: transport });
    // Imported once the environment is in place, as Lambda loads it.
    const { handler } = await import('../functions/webhooks/meta.js');

    const body = whatsappTextDelivery(MESSAGE_TEXT);
    const event = functionUrlEvent('/webhooks/meta', signedMetaRequest(SECRETS.appSecret, body));
    const context = lambdaContext('asistone-bench-meta-webhook');
    const invoke = () => handler(event, context);
    return await quietly(async () => {
      const first = await invoke();
      if (first.statusCode !== 200 || transport.sent !== 1) {
        throw new Error(`the bench delivery was not queued (status ${first.statusCode}): nothing to measure`);
      }
      const comparison = await compare(invoke, webhookFloor(body), options);
      return {
        name: 'Lambda handler → SDK → fake transport',
        bodyBytes: body.length,
        ...comparison,
        ...atMost(comparison.timeRatio, HANDLER_GOAL, 'time'),
      };
    });
  } finally {
    await rm(keyDir, { recursive: true, force: true });
  }
}
