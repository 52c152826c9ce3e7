import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMeta, startFakeMeta } from '../src/fakes/meta.js';
import { FAKE_META_DEMO } from '../src/fakes/meta-state.js';

/**
 * The fake Meta as a campaign meets it, over its HTTP shapes: the number's throughput over a
 * sliding second (130429 past it), failures scripted for one recipient, the send's
 * `biz_opaque_callback_data` in every status webhook, status webhooks switched off, and the
 * accepted sends with their request times.
 */

const NUMBER = FAKE_META_DEMO.phoneNumberId;
let fake: FakeMeta;
let receiver: Server;
const received: { statuses?: Record<string, unknown>[] }[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const payload = JSON.parse(body) as {
        entry: { changes: { value: { statuses?: Record<string, unknown>[] } }[] }[];
      };
      received.push(payload.entry[0]?.changes[0]?.value ?? {});
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  fake = await startFakeMeta({
    appId: '100000000000900',
    appSecret: 'test-app-secret-0123456789',
    instagramAppSecret: 'test-instagram-secret-0123456789',
    webhookUrl: () => `http://127.0.0.1:${port}/`,
    statusDelaysMs: { sent: 5, delivered: 10 },
  });
});
afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});
beforeEach(async () => {
  await dev('DELETE', '/recipient-errors');
  await dev('POST', '/statuses', { enabled: true });
  fake.state.throughput.perNumber.clear();
  fake.state.sendTimes.clear();
  // Statuses of the previous test's sends are still on their way.
  await fake.idle();
  received.length = 0;
});

async function dev(method: string, path: string, body?: unknown) {
  const answer = await fetch(`${fake.url}/dev/meta${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: answer.status, body: answer.status === 204 ? undefined : ((await answer.json()) as never) };
}

interface SendAnswer {
  status: number;
  body: { messages?: { id: string }[]; error?: { code: number; message: string; error_data?: { details: string } } };
}

async function sendOffer(to: string, callback?: string): Promise<SendAnswer> {
  const answer = await fetch(`${fake.url}/v25.0/${NUMBER}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${FAKE_META_DEMO.whatsappToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      to,
      type: 'template',
      template: { name: 'welcome_offer', language: { code: 'tr' }, components: [] },
      ...(callback ? { biz_opaque_callback_data: callback } : {}),
    }),
  });
  return { status: answer.status, body: (await answer.json()) as SendAnswer['body'] };
}

const customer = (n: number) => `9055510${String(n).padStart(5, '0')}`;

describe('a number’s throughput', () => {
  it('accepts 80 messages in a second by default and refuses the rest with 130429 Rate limit hit', async () => {
    const answers = await Promise.all(Array.from({ length: 95 }, (_, n) => sendOffer(customer(n))));
    const accepted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(accepted).toHaveLength(80);
    expect(refused).toHaveLength(15);
    for (const answer of refused) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 130429,
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
      });
    }
  });

  it('takes a rate per number over the dev API and frees the second as it slides', async () => {
    expect((await dev('POST', '/throughput', { phoneNumberId: NUMBER, messagesPerSecond: 5 })).status).toBe(200);
    const first = await Promise.all(Array.from({ length: 8 }, (_, n) => sendOffer(customer(n))));
    expect(first.filter((answer) => answer.status === 200)).toHaveLength(5);
    // Still within the second: nothing more goes.
    expect((await sendOffer(customer(9))).body.error?.code).toBe(130429);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const next = await Promise.all(Array.from({ length: 6 }, (_, n) => sendOffer(customer(20 + n))));
    expect(next.filter((answer) => answer.status === 200)).toHaveLength(5);

    expect((await dev('POST', '/throughput', { phoneNumberId: NUMBER, messagesPerSecond: null })).status).toBe(200);
    const unlimited = await Promise.all(Array.from({ length: 150 }, (_, n) => sendOffer(customer(100 + n))));
    expect(unlimited.every((answer) => answer.status === 200)).toBe(true);
  });

  it('refuses a bad rate with 400 and keeps the one it had', async () => {
    await dev('POST', '/throughput', { phoneNumberId: NUMBER, messagesPerSecond: 3 });
    expect((await dev('POST', '/throughput', { phoneNumberId: NUMBER, messagesPerSecond: 0 })).status).toBe(400);
    expect((await dev('POST', '/throughput', { phoneNumberId: 'x', messagesPerSecond: 10 })).status).toBe(400);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, n) => sendOffer(customer(n))));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
  });
});

describe('errors scripted for a recipient', () => {
  it('gives 130429 once then accepts, 131026 on every send, and leaves other recipients alone', async () => {
    const since = Date.now();
    const scripted = await dev('POST', '/recipient-errors', {
      recipients: [
        { waId: customer(1), codes: [130429] },
        { waId: customer(2), codes: [131026], always: true },
      ],
    });
    expect(scripted.status).toBe(200);
    const once = await sendOffer(customer(1));
    expect(once).toMatchObject({ status: 400, body: { error: { code: 130429, message: '(#130429) Rate limit hit' } } });
    expect((await sendOffer(customer(1))).status).toBe(200);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const undeliverable = await sendOffer(customer(2));
      expect(undeliverable).toMatchObject({
        status: 400,
        body: { error: { code: 131026, message: '(#131026) Message undeliverable' } },
      });
    }
    expect((await sendOffer(customer(3))).status).toBe(200);
    const sent = (await dev('GET', `/sent?phoneNumberId=${NUMBER}&since=${since}`)).body as unknown as {
      messages: { to: string }[];
    };
    expect(sent.messages.filter((message) => message.to === customer(2))).toHaveLength(0);
  });

  it('refuses a malformed script with 400 and scripts nothing', async () => {
    const bad = await dev('POST', '/recipient-errors', { recipients: [{ waId: 'abc', codes: [130429] }] });
    expect(bad.status).toBe(400);
    expect((await dev('POST', '/recipient-errors', { recipients: [] })).status).toBe(400);
    expect(fake.state.recipientErrors.size).toBe(0);
  });
});

describe('status webhooks of a campaign send', () => {
  it('carry the send’s biz_opaque_callback_data in each status, and the template’s pricing category', async () => {
    const answer = await sendOffer(customer(7), 'cmp1:cmp_01:c_42');
    const wamid = answer.body.messages?.[0]?.id;
    const statuses = await statusesOf(wamid, 2);
    expect(statuses.map((status) => status.status)).toEqual(['sent', 'delivered']);
    for (const status of statuses) {
      expect(status.biz_opaque_callback_data).toBe('cmp1:cmp_01:c_42');
      expect(status.pricing).toMatchObject({ category: 'marketing', billable: true });
    }
  });

  it('posts none when switched off, and lists the accepted sends with their request times', async () => {
    expect((await dev('POST', '/statuses', { enabled: 'no' })).status).toBe(400);
    expect((await dev('POST', '/statuses', { enabled: false })).status).toBe(200);
    const before = Date.now();
    await sendOffer(customer(8), 'cmp1:cmp_02:c_1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fake.idle();
    expect(received).toHaveLength(0);
    const sent = (await dev('GET', `/sent?phoneNumberId=${NUMBER}&since=${before}`)).body as unknown as {
      messages: { to: string; at: number; status: string; callbackData?: string }[];
    };
    expect(sent.messages).toEqual([
      expect.objectContaining({ to: customer(8), status: 'accepted', callbackData: 'cmp1:cmp_02:c_1' }),
    ]);
    expect(sent.messages[0]?.at).toBeGreaterThanOrEqual(before);
    expect((await dev('GET', '/sent?since=yesterday')).status).toBe(400);
  });
});

async function statusesOf(wamid: string | undefined, count: number) {
  const of = () => received.flatMap((value) => value.statuses ?? []).filter((status) => status.id === wamid);
  const deadline = Date.now() + 5000;
  while (of().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return of();
}
