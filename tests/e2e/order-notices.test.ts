import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOTICE_SETTINGS } from '../../packages/core/src/order-notices/settings.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { DEMO_NETGSM_ACCOUNT } from '../../packages/local/src/fakes/netgsm.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, readOutbox, type SignedInPerson } from './accounts-client.js';
import { sendShopifyWebhook } from './store-fixtures.js';

/**
 * Order and shipping notices end to end on a real `npm start`: a business with its shop, its
 * NetGSM account (on the fake NetGSM) and notices turned on over the API; the fake Shopify posts
 * signed order webhooks; the customer's email arrives through the fake Resend in the dev outbox
 * and the SMS at the fake NetGSM, each once however often the order is delivered, and the order's
 * notices read back over the API.
 */
const SHOP = 'bildirim-e2e.myshopify.com';
const CUSTOMER = { email: 'zeynep.kaya@example.com', phone: '+905321234567', digits: '905321234567' };

let stack: RunningStack;
let api: ApiClient;
let aws: ReturnType<typeof localAws>;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;

const settingsPath = () => `/businesses/${owner.tenantId}/order-notices/settings`;
const noticesPath = (orderId: number) => `/businesses/${owner.tenantId}/store/orders/${orderId}/notices`;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  aws = localAws(stack.dataDir);
  owner = await newOwner(api, 'Bildirim');
  agent = await newMember(api, owner, 'agent', 'bildirim-agent');
  const core = createPlatform(readConfig(aws.env));
  await saveShopConnection(
    { store: core.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS }), keyring: core.keyring },
    owner.tenantId,
    SHOP,
    {
      accessToken: 'shpat_e2e_notices',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_e2e_notices',
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_e2e',
  );
  const sms = await api.call('PUT', `/businesses/${owner.tenantId}/sms`, {
    token: owner.accessToken,
    body: { usercode: DEMO_NETGSM_ACCOUNT.usercode, password: DEMO_NETGSM_ACCOUNT.password, msgheader: 'LALECICEK' },
  });
  expect(sms.status, JSON.stringify(sms.body)).toBe(200);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** An `orders/*` body as Shopify sends it, created a few minutes ago. */
function order(id: number, updatedAt: Date, overrides: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: '#2042',
    email: CUSTOMER.email,
    phone: CUSTOMER.phone,
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    updated_at: updatedAt.toISOString(),
    line_items: [{ id: id + 1, title: 'Orkide', sku: 'ORK-1', quantity: 1, price: '349.90' }],
    shipping_address: {
      first_name: 'Zeynep',
      last_name: 'Kaya',
      city: 'Ankara',
      country: 'Turkey',
      country_code: 'TR',
    },
    total_price: '349.90',
    ...overrides,
  };
}

async function queueDepth(): Promise<number> {
  let total = 0;
  for (const name of ['QUEUE_URL_SHOPIFY_EVENTS', 'QUEUE_URL_ORDER_NOTICES']) {
    const out = await aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: aws.env[name],
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    total +=
      Number(out.Attributes?.ApproximateNumberOfMessages) +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible);
  }
  return total;
}
const settled = () => eventually(async () => ((await queueDepth()) === 0 ? true : undefined), 20_000);

const customerMails = async () => (await readOutbox(api)).filter((mail) => mail.to === CUSTOMER.email);
async function smsSent(): Promise<{ no: string; msg: string; iysfilter: string; msgheader: string }[]> {
  const answer = await fetch(`${aws.env.NETGSM_BASE_URL}/dev/netgsm/sent`);
  const { sent } = (await answer.json()) as {
    sent: { no: string; msg: string; iysfilter: string; msgheader: string }[];
  };
  return sent.filter((message) => message.no === CUSTOMER.digits);
}

describe('order notice settings over the API', () => {
  it('are off by default, refused with 400 when a wording names an unknown placeholder, and only for owners and admins', async () => {
    const first = await api.call<{ settings: typeof DEFAULT_NOTICE_SETTINGS; updatedAt: string | null }>(
      'GET',
      settingsPath(),
      { token: owner.accessToken },
    );
    expect(first.status).toBe(200);
    expect(first.body.updatedAt).toBeNull();
    expect(first.body.settings.confirmed.channels).toEqual([]);
    const bad = await api.call('PUT', settingsPath(), {
      token: owner.accessToken,
      body: {
        ...DEFAULT_NOTICE_SETTINGS,
        confirmed: {
          ...DEFAULT_NOTICE_SETTINGS.confirmed,
          channels: ['email'],
          wording: {
            ...DEFAULT_NOTICE_SETTINGS.confirmed.wording,
            tr: { subject: 'Sipariş', text: 'Kargo: {{kargo}}' },
          },
        },
      },
    });
    expect(bad.status).toBe(400);
    expect((await api.call('GET', settingsPath(), { token: owner.accessToken })).body).toEqual(first.body);
    expect((await api.call('GET', settingsPath(), { token: agent.accessToken })).status).toBe(403);
    const saved = await api.call<{ settings: typeof DEFAULT_NOTICE_SETTINGS }>('PUT', settingsPath(), {
      token: owner.accessToken,
      body: {
        confirmed: { ...DEFAULT_NOTICE_SETTINGS.confirmed, channels: ['email', 'sms'] },
        shipped: { ...DEFAULT_NOTICE_SETTINGS.shipped, channels: ['email', 'sms'] },
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.settings.shipped.channels).toEqual(['email', 'sms']);
  });
});

describe('a Shopify order on the local stack', () => {
  const id = 7_300_000_001;

  it('gets its confirmation once by email and SMS though the webhook comes three times', async () => {
    const created = new Date();
    for (let i = 0; i < 3; i++) await sendShopifyWebhook(stack.url, SHOP, 'orders/create', order(id, created));
    // Paid a moment later: a newer version of the same order.
    await sendShopifyWebhook(stack.url, SHOP, 'orders/paid', order(id, new Date(created.getTime() + 1000)));
    const mail = await eventually(async () => (await customerMails())[0], 20_000);
    await eventually(async () => (await smsSent())[0], 20_000);
    await settled();
    expect(mail.subject).toBe('Bildirim Butik: #2042 numaralı siparişiniz alındı');
    expect(mail.text).toContain('Merhaba Zeynep Kaya');
    expect(mail.text).toContain('349,90 TRY');
    expect(await customerMails()).toHaveLength(1);
    const sms = await smsSent();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ msgheader: 'LALECICEK', iysfilter: '0' });
    expect(sms[0]?.msg).toContain('#2042 numaralı siparişinizi aldık');
    const notices = await api.call<{ notices: { event: string; channel: string; state: string }[] }>(
      'GET',
      noticesPath(id),
      { token: agent.accessToken },
    );
    expect(notices.status).toBe(200);
    expect(notices.body.notices.map((n) => [n.event, n.channel])).toEqual([
      ['confirmed', 'email'],
      ['confirmed', 'sms'],
    ]);
    for (const notice of notices.body.notices) expect(['sent', 'delivered']).toContain(notice.state);
    // The fake Resend posts `email.delivered` (Svix-signed) to /webhooks/resend: the order shows it.
    await eventually(async () => {
      const now = await api.call<{ notices: { channel: string; state: string }[] }>('GET', noticesPath(id), {
        token: agent.accessToken,
      });
      return now.body.notices.find((n) => n.channel === 'email')?.state === 'delivered' ? true : undefined;
    }, 20_000);
  });

  it('gets its shipping notice with the tracking link once, when a fulfillment with tracking arrives', async () => {
    const at = new Date();
    const shipped = order(id, at, {
      fulfillment_status: 'fulfilled',
      fulfillments: [
        {
          id: 7_300_000_101,
          admin_graphql_api_id: 'gid://shopify/Fulfillment/7300000101',
          status: 'success',
          tracking_company: 'Aras Kargo',
          tracking_number: 'AR998877',
          tracking_numbers: ['AR998877'],
          tracking_url: 'https://kargo.example/takip/AR998877',
          tracking_urls: ['https://kargo.example/takip/AR998877'],
          created_at: at.toISOString(),
          updated_at: at.toISOString(),
        },
      ],
    });
    await sendShopifyWebhook(stack.url, SHOP, 'orders/fulfilled', shipped);
    await sendShopifyWebhook(stack.url, SHOP, 'orders/updated', {
      ...shipped,
      updated_at: new Date(at.getTime() + 1000).toISOString(),
    });
    await eventually(async () => ((await customerMails()).length === 2 ? true : undefined), 20_000);
    await eventually(async () => ((await smsSent()).length === 2 ? true : undefined), 20_000);
    await settled();
    const mails = await customerMails();
    expect(mails).toHaveLength(2);
    const shippedMail = mails.find((mail) => mail.subject.includes('kargoda'));
    expect(shippedMail?.text).toContain('https://kargo.example/takip/AR998877');
    expect(await smsSent()).toHaveLength(2);
    const notices = await api.call<{ notices: { event: string; channel: string; state: string }[] }>(
      'GET',
      noticesPath(id),
      { token: owner.accessToken },
    );
    expect(notices.body.notices.map((n) => `${n.event}/${n.channel}`)).toEqual([
      'confirmed/email',
      'confirmed/sms',
      'shipped/email',
      'shipped/sms',
    ]);
  });

  it("answers 404 for another business's or an unknown order's notices", async () => {
    expect((await api.call('GET', noticesPath(7_300_009_999), { token: owner.accessToken })).status).toBe(404);
    expect(
      (
        await api.call('GET', `/businesses/${owner.tenantId}/store/orders/not-an-id/notices`, {
          token: owner.accessToken,
        })
      ).status,
    ).toBe(404);
  });
});
