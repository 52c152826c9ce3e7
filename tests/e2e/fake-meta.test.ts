import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphClient } from '../../packages/core/src/channels/meta/graph.js';
import { metaGraphSettings } from '../../packages/core/src/platform/config.js';
import { FAKE_META_DEMO } from '../../packages/local/src/fakes/meta-state.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * The fake Meta on a real `npm start`: a customer's WhatsApp message goes from the fake, signed
 * with the app secret, through the gateway's `/webhooks/meta`, the queue and the worker into the
 * table; a send through the Graph client (pointed at the fake by the stack's own settings)
 * comes back as signed sent, delivered and read statuses that the product stores.
 */

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;

const CUSTOMER = '905551234567';

interface FakeState {
  deliveries: { channel: string; what: string; id?: string; httpStatus: number }[];
  messages: { id: string; direction: string; status: string }[];
}
const fakeState = async () => (await (await fetch(`${stack.url}/dev/meta/state`)).json()) as FakeState;

beforeAll(async () => {
  stack = await startStack();
  // Ready when the webhook answers Meta's handshake (this test needs no more of the API).
  const handshake = `${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=7&hub.verify_token=asistone-demo-verify-token`;
  await eventually(async () => ((await fetch(handshake)).ok ? true : undefined), 20_000);
  aws = localAws(stack.dataDir);
});
afterAll(async () => {
  await stack?.stop();
});

describe('the fake Meta on the local stack', () => {
  it('points the handlers’ Graph settings at itself, never at Meta', () => {
    const settings = metaGraphSettings(aws.env);
    expect(settings.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(settings.instagramBaseUrl).toBe(`${settings.baseUrl}/instagram-graph`);
    expect(settings.instagramApiUrl).toBe(`${settings.baseUrl}/instagram-api`);
    expect(settings.appId).toBeDefined();
  });

  it('delivers a customer’s message, signed, through /webhooks/meta into the inbox, sealed', async () => {
    const answer = await fetch(`${stack.url}/dev/meta/customer/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'whatsapp',
        businessId: FAKE_META_DEMO.phoneNumberId,
        customer: { id: CUSTOMER, name: 'Zeynep Kaya' },
        text: 'Kargom nerede acaba?',
      }),
    });
    expect(answer.status).toBe(201);
    const { webhookStatus } = (await answer.json()) as { webhookStatus: number };
    // The webhook answers 401 to anything not signed with the app secret.
    expect(webhookStatus).toBe(200);

    const message = await eventually(async () =>
      (await aws.dumpTable()).find((item) => item.__edb_e__ === 'message' && item.direction === 'inbound'),
    );
    expect(message).toMatchObject({ tenantId: 'demo', type: 'text' });
    expect(String(message.text)).toMatch(/^v1\./);
    const dump = JSON.stringify(await aws.dumpTable());
    expect(dump).not.toContain('Kargom nerede');
    expect(dump).not.toContain('Zeynep');
    expect(dump).not.toContain(CUSTOMER);
  });

  it('answers a send and posts signed sent, delivered and read statuses that the product stores', async () => {
    const graph = graphClient(metaGraphSettings(aws.env));
    const { messageId } = await graph.sendWhatsApp(FAKE_META_DEMO.phoneNumberId, FAKE_META_DEMO.whatsappToken, {
      to: CUSTOMER,
      type: 'text',
      text: { body: 'Yarın teslim edilecek.' },
    });
    const deliveries = await eventually(async () => {
      const found = (await fakeState()).deliveries.filter((delivery) => delivery.id === messageId);
      return found.length === 3 ? found : undefined;
    });
    expect(deliveries.map(({ what, httpStatus }) => [what, httpStatus])).toEqual([
      ['status:sent', 200],
      ['status:delivered', 200],
      ['status:read', 200],
    ]);
    // The message was sent around the product, so its status waits on its own record.
    const status = await eventually(async () =>
      (await aws.dumpTable()).find((item) => item.__edb_e__ === 'messageStatus' && item.status === 'read'),
    );
    expect(status).toMatchObject({ tenantId: 'demo', pricingCategory: 'service' });
    const thread = (await (
      await fetch(
        `${stack.url}/dev/meta/customer/messages?channel=whatsapp&businessId=${FAKE_META_DEMO.phoneNumberId}&customerId=${CUSTOMER}`,
      )
    ).json()) as { messages: { direction: string; status: string; text: string }[] };
    expect(thread.messages).toEqual([
      expect.objectContaining({ direction: 'from-customer', text: 'Kargom nerede acaba?' }),
      expect.objectContaining({ direction: 'to-customer', status: 'read', text: 'Yarın teslim edilecek.' }),
    ]);
  });

  it('takes failure injection over HTTP, for tests that run the stack in another process', async () => {
    const graph = graphClient(metaGraphSettings(aws.env));
    const send = () =>
      graph.sendWhatsApp(FAKE_META_DEMO.phoneNumberId, FAKE_META_DEMO.whatsappToken, {
        to: CUSTOMER,
        type: 'text',
        text: { body: 'x' },
      });
    const injected = await fetch(`${stack.url}/dev/meta/failures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 1, statuses: [429] }),
    });
    expect(injected.status).toBe(200);
    await expect(send()).rejects.toMatchObject({ status: 429, kind: 'rate-limited' });
    expect((await fetch(`${stack.url}/dev/meta/failures`, { method: 'DELETE' })).status).toBe(204);
    expect((await send()).messageId).toMatch(/^wamid\./);
    const bad = await fetch(`${stack.url}/dev/meta/failures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 3 }),
    });
    expect(bad.status).toBe(400);
  });

  it('serves the login dialogs on the web app’s origin, under its Content-Security-Policy', async () => {
    const page = await fetch(`${stack.url}/dev/meta/dialog/embedded-signup?state=abc`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/dev/meta/dialog/dialog.js">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = await fetch(`${stack.url}/dev/meta/dialog/dialog.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('postMessage');
  });
});
