import { createHmac } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../../packages/core/src/tenancy/tenants.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * One Meta app for every business, against a real `npm start`: deliveries go to `/webhooks/meta`
 * (no business in the URL), signed with the app secret or the Instagram app secret, and the
 * worker finds each change's business from the payload. A second business, with its own
 * WhatsApp number, is seeded next to the demo one.
 */
const APP_SECRET = 'asistone-demo-app-secret';
const INSTAGRAM_APP_SECRET = 'asistone-demo-instagram-app-secret';
const DEMO = { tenantId: 'demo', number: '100000000000001', waba: '100000000000002' };
const CAFE = { tenantId: 'b_e2e_cafe', number: '100000000000201', waba: '100000000000202' };

const sign = (body: Buffer, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
  const deps = { store: core.storeOf(TENANCY_RECORDS), keyring: core.keyring };
  await createTenant(deps, CAFE.tenantId, 'Çay Bahçesi');
  await connectWhatsAppNumber(deps, CAFE.tenantId, CAFE.number, 'Bahçe WhatsApp', CAFE.waba);
});
afterAll(async () => {
  await stack?.stop();
});

function post(body: Buffer, headers: Record<string, string>, path = '/webhooks/meta') {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: new Uint8Array(body),
  });
}

let sequence = 0;
const change = (number: string, text: string, from = '905551110001') => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '905550009988', phone_number_id: number },
    contacts: [{ profile: { name: 'Deniz Kaya' }, wa_id: from }],
    messages: [
      { from, id: `wamid.E2E${Date.now()}x${++sequence}`, timestamp: '1764374400', type: 'text', text: { body: text } },
    ],
  },
});
const whatsapp = (entries: { id: string; changes: unknown[] }[]) =>
  Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: entries }), 'utf8');

/** Every message text a business has, opened with its key, as the inbox will show them. */
async function textsOf(tenantId: string): Promise<string[]> {
  const store = core.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
  const keys = await core.keyring.forTenant(tenantId);
  const texts: string[] = [];
  const conversations = await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' });
  for (const { conversationId } of conversations.data) {
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId })
      .go({ pages: 'all' });
    for (const message of messages.data) {
      if (message.text) texts.push(keys.open('message', 'text', message.messageId, message.text));
    }
  }
  return texts;
}

const processedLines = () => (stack.output().match(/meta delivery processed/g) ?? []).length;

async function deadLettered(): Promise<number> {
  const out = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: aws.env.QUEUE_URL_META_EVENTS_DLQ,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

describe('one Meta app for every business, on the local stack', () => {
  it('answers the handshake at /webhooks/meta with the app verify token; the per-business URL is gone', async () => {
    const ok = await fetch(
      `${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=asistone-demo-verify-token`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const body = whatsapp([{ id: DEMO.waba, changes: [change(DEMO.number, 'eski adres')] }]);
    expect((await post(body, { 'x-hub-signature-256': sign(body) }, '/webhooks/meta/demo')).status).toBe(404);
  });

  it('refuses a forged or missing signature with 401 and queues nothing', async () => {
    const before = processedLines();
    const body = whatsapp([{ id: DEMO.waba, changes: [change(DEMO.number, 'sahte mesaj')] }]);
    expect((await post(body, { 'x-hub-signature-256': sign(body, 'not-the-app-secret') })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(processedLines()).toBe(before);
    expect(await textsOf(DEMO.tenantId)).not.toContain('sahte mesaj');
  });

  it('lands one POST carrying two businesses’ changes in both', async () => {
    const body = whatsapp([
      { id: DEMO.waba, changes: [change(DEMO.number, 'demo için')] },
      { id: CAFE.waba, changes: [change(CAFE.number, 'bahçe için')] },
    ]);
    const response = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(response.status).toBe(200);
    await eventually(async () => ((await textsOf(CAFE.tenantId)).includes('bahçe için') ? true : undefined));
    expect(await textsOf(DEMO.tenantId)).toContain('demo için');
    expect(await textsOf(DEMO.tenantId)).not.toContain('bahçe için');
    expect(await textsOf(CAFE.tenantId)).not.toContain('demo için');
  });

  it('acknowledges a change for no known business, counts it in the log, and dead-letters nothing', async () => {
    const body = whatsapp([
      { id: '100000000000998', changes: [change('100000000000999', 'kimsenin değil', '905557776655')] },
    ]);
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
    // Waits for this change's own line: other deliveries (the fake Meta's) are processed meanwhile.
    await eventually(async () => (stack.output().includes('whatsapp change for no known business') ? true : undefined));
    expect(stack.output()).toContain('"unknownBusiness":1');
    expect(stack.output()).not.toContain('100000000000999');
    expect(stack.output()).not.toContain('905557776655');
    expect(await deadLettered()).toBe(0);
  });

  it('stores the good message of a delivery whose other change is for an unknown number', async () => {
    const body = whatsapp([
      { id: '100000000000998', changes: [change('100000000000999', 'bilinmeyen numara')] },
      { id: DEMO.waba, changes: [change(DEMO.number, 'iyi mesaj')] },
    ]);
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
    await eventually(async () => ((await textsOf(DEMO.tenantId)).includes('iyi mesaj') ? true : undefined));
    expect(await deadLettered()).toBe(0);
  });

  it('takes raw emoji and escaped surrogate pairs, and stores them intact', async () => {
    // Meta's reaction example sends the emoji as raw UTF-8; most deliveries escape it.
    const raw = whatsapp([{ id: DEMO.waba, changes: [change(DEMO.number, 'ham 😀👍🏽 emoji')] }]);
    const escaped = Buffer.from(
      whatsapp([{ id: DEMO.waba, changes: [change(DEMO.number, 'ESCAPED')] }])
        .toString('utf8')
        .replace('"ESCAPED"', '"ka\\u00e7\\u0131\\u015f \\ud83d\\ude4f"'),
      'utf8',
    );
    expect((await post(raw, { 'x-hub-signature-256': sign(raw) })).status).toBe(200);
    expect((await post(escaped, { 'x-hub-signature-256': sign(escaped) })).status).toBe(200);
    await eventually(async () => {
      const texts = await textsOf(DEMO.tenantId);
      return texts.includes('ham 😀👍🏽 emoji') && texts.includes('kaçış 🙏') ? true : undefined;
    });
    expect(await deadLettered()).toBe(0);
  });

  it('carries a delivery too large for SQS by claim check (base64 grows it by a third)', async () => {
    const payload = JSON.parse(
      whatsapp([{ id: DEMO.waba, changes: [change(DEMO.number, 'büyük teslimat')] }]).toString('utf8'),
    );
    // Meta adds fields without notice: 300 kB of one here, over SQS's 256 kB once encoded.
    payload.entry[0].changes[0].value.padding = '🙂'.repeat(75_000);
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
    await eventually(async () => ((await textsOf(DEMO.tenantId)).includes('büyük teslimat') ? true : undefined));
    expect(await deadLettered()).toBe(0);
  });

  it('accepts a delivery signed with the Instagram app secret (Instagram Login)', async () => {
    const body = Buffer.from(
      JSON.stringify({ object: 'instagram', entry: [{ id: '17841400000000999', time: 1, messaging: [] }] }),
    );
    expect((await post(body, { 'x-hub-signature-256': sign(body, INSTAGRAM_APP_SECRET) })).status).toBe(200);
    await eventually(async () => (stack.output().includes('instagram entry for no known business') ? true : undefined));
    expect(await deadLettered()).toBe(0);
  });
});
