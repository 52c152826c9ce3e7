import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../../packages/core/src/channels/meta/envelope.js';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * The thin path through every layer, against a real `npm start`: a WhatsApp text message
 * signed exactly as Meta signs it, through the gateway, the webhook function, SQS, the worker,
 * and into DynamoDB with every personal field sealed.
 */
const APP_SECRET = 'asistone-demo-app-secret';
const sample = readFileSync(join(ROOT, 'events/meta/whatsapp-text.json'), 'utf8');
const PLAINTEXTS = [
  '905551112233',
  '5551112233',
  'Merhaba',
  'sipari',
  'kargoya',
  'Ayşe',
  'Yılmaz',
  'HBgMOTA1NTUxMTEyMjMz',
  APP_SECRET,
];

const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let startedInMs = 0;

function post(body: string, headers: Record<string, string>) {
  return fetch(`${stack.url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

const messages = async () => (await aws.dumpTable()).filter((item) => item.__edb_e__ === 'message');

beforeAll(async () => {
  const begin = Date.now();
  stack = await startStack();
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  startedInMs = Date.now() - begin;
  aws = localAws(stack.dataDir);
});
afterAll(async () => {
  await stack?.stop();
});

describe('WhatsApp webhook → queue → inbox, on the local stack', () => {
  it('reports every local component healthy', async () => {
    const health = await (await fetch(`${stack.url}/api/health`)).json();
    expect(health.status).toBe('ok');
    expect(Object.keys(health.components)).toEqual(
      expect.arrayContaining(['table', 'media', 'queues', 'gateway', 'web', 'pollers', 'scheduler', 'keys']),
    );
    process.stdout.write(`local stack answered /api/health ${startedInMs} ms after start\n`);
  });

  it('answers Meta’s verification handshake', async () => {
    const ok = await fetch(
      `${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=asistone-demo-verify-token`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess`);
    expect(wrong.status).toBe(403);
  });

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const forged = sample.replace('wamid.HBgM', 'wamid.FORGED');
    expect((await post(forged, { 'x-hub-signature-256': sign(forged, 'not-the-secret') })).status).toBe(401);
    expect((await post(forged, {})).status).toBe(401);
    // The body Meta signed, re-serialised: same meaning, different bytes.
    const reserialised = JSON.stringify(JSON.parse(sample));
    expect((await post(reserialised, { 'x-hub-signature-256': sign(sample) })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await aws.dumpTable()).not.toContainEqual(expect.objectContaining({ __edb_e__: 'message' }));
    expect(stack.output()).not.toContain('meta delivery processed');
  });

  it('lands a signed text message as a contact, a conversation and a message, sealed at rest', async () => {
    const response = await post(sample, { 'x-hub-signature-256': sign(sample) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('EVENT_RECEIVED');

    const items = await eventually(async () => {
      const all = await aws.dumpTable();
      return all.some((item) => item.__edb_e__ === 'message') ? all : undefined;
    });
    const kinds = items.map((item) => item.__edb_e__);
    expect(kinds).toEqual(expect.arrayContaining(['contact', 'conversation', 'message']));

    // Templates and the cart reminders' wording are the business's own (the demo's say "Merhaba
    // {{1}}" and "Merhaba {{customer}}"), not a customer's.
    const dump = items
      .filter((item) => item.__edb_e__ !== 'template' && item.__edb_e__ !== 'cartRecoverySettings')
      .map((item) => JSON.stringify(item))
      .join('\n');
    process.stdout.write(`raw table dump after the message (${items.length} items):\n${dump}\n`);
    for (const plaintext of PLAINTEXTS) expect(dump).not.toContain(plaintext);
    const message = items.find((item) => item.__edb_e__ === 'message');
    expect(message).toMatchObject({ direction: 'inbound', type: 'text', tenantId: 'demo' });
    expect(String(message?.text)).toMatch(/^v1\./);
  });

  it('applies a redelivery once', async () => {
    expect((await post(sample, { 'x-hub-signature-256': sign(sample) })).status).toBe(200);
    await eventually(async () => ((stack.output().match(/"duplicates":1/g) ?? []).length >= 1 ? true : undefined));
    expect(await messages()).toHaveLength(1);
  });

  it('sends a poison queue message to the DLQ with its reason, shown by `npm run dlq`', async () => {
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: aws.env.QUEUE_URL_META_EVENTS,
        MessageBody: '{"tenantId":"meta","oops":true}',
      }),
    );
    await eventually(async () => {
      const out = await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: aws.env.QUEUE_URL_META_EVENTS_DLQ,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(out.Attributes?.ApproximateNumberOfMessages) === 1 ? true : undefined;
    });
    const cli = spawnSync('npm', ['run', '--silent', 'dlq', '--', 'list', 'meta-events'], {
      cwd: ROOT,
      env: { ...process.env, ASISTONE_DATA_DIR: stack.dataDir },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(
      'reason: PoisonMessageError: message does not match the meta-events schema at receivedAt, bodyBase64',
    );

    // Replayed, it is tried again; still poison, it comes back with its reason.
    const replay = spawnSync('npm', ['run', '--silent', 'dlq', '--', 'replay', 'meta-events'], {
      cwd: ROOT,
      env: { ...process.env, ASISTONE_DATA_DIR: stack.dataDir },
      encoding: 'utf8',
    });
    expect(replay.stdout).toContain('replayed 1 messages to meta-events');
    await eventually(async () =>
      (stack.output().match(/message moved to dead-letter queue/g) ?? []).length === 2 ? true : undefined,
    );
  });

  it('refuses oversized bodies and unknown providers', async () => {
    const big = `{"object":"whatsapp_business_account","pad":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    expect((await post(big, { 'x-hub-signature-256': sign(big) })).status).toBe(413);
    const huge = 'x'.repeat(7 * 1024 * 1024);
    expect((await post(huge, { 'x-hub-signature-256': sign(huge) })).status).toBe(413);
    expect((await fetch(`${stack.url}/webhooks/nobody/demo`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('keeps personal data and secrets out of every log line', () => {
    const logs = stack.output();
    expect(logs).toContain('"outcome":"queued"');
    for (const plaintext of PLAINTEXTS) expect(logs).not.toContain(plaintext);
  });

  it('stops cleanly on SIGTERM and keeps queued work and media for the next start', async () => {
    expect(await stack.stop('SIGTERM')).toBe(0);
    expect(stack.output()).toContain('stopped cleanly');

    // While it is down, a delivery waits in the queue and a file in storage (as after a crash).
    const { startEmulators } = await import('../../packages/local/src/emulators.js');
    const emulators = await startEmulators(stack.dataDir);
    const later = sample.replace('"1764374400"', '"1764378000"').replace('wamid.HBgM', 'wamid.LATER');
    const { SQSClient } = await import('@aws-sdk/client-sqs');
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const sqs = new SQSClient({
      region: 'eu-central-1',
      credentials,
      endpoint: emulators.awsEndpoint,
      useQueueUrlAsEndpoint: false,
    });
    const s3 = new S3Client({
      region: 'eu-central-1',
      credentials,
      endpoint: emulators.awsEndpoint,
      forcePathStyle: true,
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: emulators.env.QUEUE_URL_META_EVENTS,
        MessageBody: JSON.stringify(metaDelivery(Buffer.from(later, 'utf8'), Date.now())),
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: emulators.env.MEDIA_BUCKET, Key: 'tenants/demo/media/kept.txt', Body: 'kept' }),
    );
    await emulators.stop();

    stack = await startStack({ dataDir: stack.dataDir });
    aws = localAws(stack.dataDir);
    await eventually(async () => ((await messages()).length === 2 ? true : undefined));
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const kept = await aws.s3.send(
      new GetObjectCommand({ Bucket: aws.env.MEDIA_BUCKET, Key: 'tenants/demo/media/kept.txt' }),
    );
    expect(await kept.Body?.transformToString()).toBe('kept');
  });
});
