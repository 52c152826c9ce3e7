import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * Meta's own webhook examples (WhatsApp: facebook/openapi's business-messaging document, with the
 * ids moved to the demo business; Messenger and Instagram: the shapes of Meta's webhook reference),
 * kept in events/meta/, posted to the real `/webhooks/meta` of a running `npm start`, each three
 * times and all in shuffled order, as Meta's at-least-once, unordered delivery may bring them:
 * every sample has its effect once, receipts find their message whichever came first, and
 * nothing is dead-lettered.
 */
const APP_SECRET = 'asistone-demo-app-secret';
const SAMPLES_DIR = join(ROOT, 'events/meta');
const sign = (body: Buffer) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

/** The samples byte for byte as written (raw emoji, escapes): never re-serialized before signing. */
const samples = readdirSync(SAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, body: readFileSync(join(SAMPLES_DIR, name)) }));

/** Every message a sample carries (customer messages and echoes), by the provider's id. */
function messageIdsOf(body: Buffer): string[] {
  const payload = JSON.parse(body.toString('utf8'));
  if (payload.object === 'whatsapp_business_account') {
    return payload.entry.flatMap((entry: { changes: { field: string; value: { messages?: { id: string }[] } }[] }) =>
      entry.changes
        .flatMap((change) => (change.field === 'messages' ? (change.value.messages ?? []) : []))
        .map((m) => m.id),
    );
  }
  return payload.entry.flatMap(
    (entry: { id: string; messaging?: Record<string, { mid?: string; is_deleted?: boolean }>[] }) =>
      entry.id === '0'
        ? []
        : (entry.messaging ?? []).flatMap((event) =>
            event.message?.mid && !event.message.is_deleted ? [event.message.mid] : [],
          ),
  );
}

/** A seeded shuffle, so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
});
afterAll(async () => {
  await stack?.stop();
});

const processed = () => (stack.output().match(/meta delivery processed/g) ?? []).length;

async function deadLettered(queue: string): Promise<number> {
  const out = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: aws.env[`QUEUE_URL_${queue}_DLQ`],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

/** The demo business's messages and conversations as the inbox holds them, opened. */
async function demoInbox() {
  const tenantId = 'demo';
  const store = core.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
  const keys = await core.keyring.forTenant(tenantId);
  const conversations = (await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' })).data;
  const messages = [];
  for (const conversation of conversations) {
    const contact = (await store.entities.contact.get({ tenantId, contactId: conversation.contactId }).go()).data;
    const page = await store.entities.message.query
      .byConversation({ tenantId, conversationId: conversation.conversationId })
      .go({ pages: 'all' });
    for (const message of page.data) {
      messages.push({
        ...message,
        conversation,
        contact: {
          phone: contact?.phone && keys.open('contact', 'phone', contact.contactId, contact.phone),
          userId: contact?.userId && keys.open('contact', 'userId', contact.contactId, contact.userId),
        },
        provider:
          message.providerMessageId &&
          keys.open('message', 'providerMessageId', message.messageId, message.providerMessageId),
        text: message.text && keys.open('message', 'text', message.messageId, message.text),
      });
    }
  }
  return messages;
}

describe("Meta's webhook examples, delivered three times in shuffled order", () => {
  it('takes every sample with 200 and has each one’s effect once, with nothing dead-lettered', async () => {
    expect(samples.length).toBeGreaterThan(30);
    const before = processed();
    const deliveries = shuffled([...samples, ...samples, ...samples], 20261130);
    // A few at a time, as Meta's parallel deliveries arrive.
    for (let i = 0; i < deliveries.length; i += 6) {
      const answers = await Promise.all(
        deliveries.slice(i, i + 6).map(({ body }) =>
          fetch(`${stack.url}/webhooks/meta`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
            body: new Uint8Array(body),
          }),
        ),
      );
      for (const [n, answer] of answers.entries()) {
        expect(answer.status, deliveries[i + n]?.name).toBe(200);
      }
    }
    await eventually(async () => (processed() >= before + deliveries.length ? true : undefined), 90_000);

    const inbox = await demoInbox();
    const expected = [...new Set(samples.flatMap(({ body }) => messageIdsOf(body)))];
    expect(expected.length).toBeGreaterThan(20);
    for (const id of expected) {
      expect(inbox.filter((message) => message.provider === id).length, id).toBe(1);
    }

    // Receipts found their message whatever the order: Messenger's read up to a time (and its
    // delivery by id), Instagram's read by id.
    const byProvider = (id: string) => inbox.find((message) => message.provider === id);
    expect(byProvider('m_ECHO00000000000000000000000000001')).toMatchObject({
      direction: 'outbound',
      status: 'read',
    });
    expect(byProvider('aWdfECHO000000000000000000000000001')).toMatchObject({ direction: 'outbound', status: 'read' });
    // Unsent on Instagram, before or after it was stored: the fact is kept, the text is not.
    const unsent = byProvider('aWdfUNSENT00000000000000000000000001');
    expect(unsent?.deletedAt).toBeGreaterThan(0);
    expect(unsent?.text).toBeUndefined();
    // A customer with a username and no number: one contact, known by their user id alone.
    const noPhone = byProvider('wamid.HBgLVVNFUklEX09OTFkVAgASGBQzQUJDMTIzNDU2Nzg5MEFCQ0RFRgA=');
    expect(noPhone?.contact).toEqual({ phone: undefined, userId: 'US.13491208655302741918' });
    // Unread once per customer message, whatever the redeliveries.
    const unreadOf = (id: string) => byProvider(id)?.conversation.unreadCount;
    const inboundOf = (id: string) =>
      inbox.filter(
        (m) =>
          m.conversation.conversationId === byProvider(id)?.conversation.conversationId && m.direction === 'inbound',
      ).length;
    for (const id of [
      'm_IMAGE000000000000000000000000000001',
      'aWdfSTORYREPLY0000000000000000000001',
      'wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==',
    ]) {
      expect(unreadOf(id), id).toBe(inboundOf(id));
    }
    expect(unreadOf('m_IMAGE000000000000000000000000000001')).toBe(4);

    expect(stack.output()).toContain('meta dashboard test event');
    expect(stack.output()).not.toContain('webhook failed');
    expect(await deadLettered('META_EVENTS')).toBe(0);
  }, 180_000);
});
