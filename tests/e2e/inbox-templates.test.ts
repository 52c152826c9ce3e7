import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Templates belong to a WhatsApp Business Account (WABA), not to the business: a business with
 * two numbers under two WABAs (each Embedded Signup in the fake Meta makes a new one, with the
 * same demo templates) sees each template with its account, the reply box of a conversation is
 * offered its number's templates only, and a template is sent only if it is approved there.
 */

interface Template {
  accountId: string;
  name: string;
  language: string;
  status: string;
  variables: number;
}

let stack: RunningStack;
let api: ApiClient;
let meta: ReturnType<typeof fakeMetaClient>;
let owner: SignedInPerson & { tenantId: string };
const numbers: { wabaId: string; phoneNumberId: string }[] = [];
const base = () => `/businesses/${owner.tenantId}`;
const clientId = () => `c_${randomBytes(9).toString('base64url')}`;

async function templates(query = '') {
  return api.call<{ templates: Template[] }>('GET', `${base()}/templates${query}`, { token: owner.accessToken });
}

async function conversationOn(phoneNumberId: string, customer: { id: string; name: string }) {
  await meta.dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer,
    text: 'Selam',
  });
  return eventually(async () => {
    const list = await api.call<{ conversations: { id: string; channel: { externalId: string } }[] }>(
      'GET',
      `${base()}/conversations`,
      { token: owner.accessToken },
    );
    return list.body.conversations?.find((c) => c.channel.externalId === phoneNumberId);
  });
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  meta = fakeMetaClient(stack.url);
  owner = await newOwner(api, 'Hesaplar');
  for (let i = 0; i < 2; i++) {
    numbers.push(await connectWhatsApp(api, owner));
  }
  expect(numbers[0]?.wabaId).not.toBe(numbers[1]?.wabaId);
  expect((await api.call('POST', `${base()}/templates/sync`, { token: owner.accessToken })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('templates of two WhatsApp accounts', () => {
  it('lists each template with its account, and a conversation’s templates from its number’s account only', async () => {
    const [first, second] = numbers as [(typeof numbers)[0], (typeof numbers)[0]];
    // Meta pauses order_update (tr) in the second account only.
    const delivered = await meta.deliver({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: second.wabaId,
          time: Math.floor(Date.now() / 1000) + 60,
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'PAUSED',
                message_template_id: 1,
                message_template_name: 'order_update',
                message_template_language: 'tr',
                reason: 'NONE',
              },
            },
          ],
        },
      ],
    });
    expect(delivered).toBe(200);
    await eventually(async () => {
      const all = (await templates()).body.templates;
      return all.some((t) => t.accountId === second.wabaId && t.name === 'order_update' && t.status === 'PAUSED')
        ? true
        : undefined;
    });

    const all = (await templates()).body.templates.filter((t) => t.name === 'order_update' && t.language === 'tr');
    expect(all.map((t) => [t.accountId, t.status]).sort()).toEqual(
      [
        [first.wabaId, 'APPROVED'],
        [second.wabaId, 'PAUSED'],
      ].sort(),
    );

    const onFirst = await conversationOn(first.phoneNumberId, { id: '905551470001', name: 'Birinci Müşteri' });
    const onSecond = await conversationOn(second.phoneNumberId, { id: '905551470002', name: 'İkinci Müşteri' });
    const offered = (await templates(`?conversationId=${onSecond.id}`)).body.templates;
    expect(offered.length).toBeGreaterThan(0);
    expect(new Set(offered.map((t) => t.accountId))).toEqual(new Set([second.wabaId]));
    expect(offered.find((t) => t.name === 'order_update' && t.language === 'tr')?.status).toBe('PAUSED');
    expect(new Set((await templates(`?conversationId=${onFirst.id}`)).body.templates.map((t) => t.accountId))).toEqual(
      new Set([first.wabaId]),
    );
    // Another business's conversation, or none: nothing to offer from it.
    expect((await templates('?conversationId=cv_nosuchconversation')).status).toBe(404);
  });

  it('sends a template only if it is approved in the account of the conversation’s number', async () => {
    const [first, second] = numbers as [(typeof numbers)[0], (typeof numbers)[0]];
    const onFirst = await conversationOn(first.phoneNumberId, { id: '905551470001', name: 'Birinci Müşteri' });
    const onSecond = await conversationOn(second.phoneNumberId, { id: '905551470002', name: 'İkinci Müşteri' });
    const orderUpdate = { kind: 'template', name: 'order_update', language: 'tr', variables: ['Ali', 'A-1', 'yolda'] };
    const send = (conversationId: string, body: Record<string, unknown>) =>
      api.call<{ error?: string; message?: string | { id: string } }>(
        'POST',
        `${base()}/conversations/${conversationId}/messages`,
        { token: owner.accessToken, body: { ...body, clientId: clientId() } },
      );

    const paused = await send(onSecond.id, orderUpdate);
    expect(paused.status).toBe(409);
    expect(paused.body.message).toMatch(/order_update \(tr\) is paused/);
    const unknown = await send(onSecond.id, { ...orderUpdate, name: 'no_such_template' });
    expect(unknown.status).toBe(409);
    expect(unknown.body.message).toMatch(/not among the synced templates/);
    const threadOfSecond = await api.call<{ messages: { direction: string }[] }>(
      'GET',
      `${base()}/conversations/${onSecond.id}/messages`,
      { token: owner.accessToken },
    );
    expect(threadOfSecond.body.messages.filter((m) => m.direction === 'outbound')).toEqual([]);

    expect((await send(onFirst.id, orderUpdate)).status).toBe(202);
  });
});
