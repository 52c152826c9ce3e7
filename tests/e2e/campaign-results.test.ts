import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_RECORDS } from '../../packages/core/src/campaigns/campaign-records.js';
import { contactIdOf } from '../../packages/core/src/inbox/inbound.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_STORE_RECORDS } from '../../packages/core/src/shopify/store-records.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';
import { connectFakeShop, sendShopifyWebhook, shippedOrder, shopCustomer } from './store-fixtures.js';

/**
 * A campaign's results on a real `npm start`: WhatsApp's signed status webhooks carrying a
 * campaign send's callback data move its recipients (the progress route shows it), a callback
 * naming another business's campaign changes nothing there, the CSV export keeps a customer
 * named like a spreadsheet formula as text, and orders placed by recipients and by the holdout
 * inside the attribution window (not before it, not after) are compared. The campaign and its
 * recipients are written to the records as the send step writes them.
 */

const SHOP = 'cicekci-results-e2e.myshopify.com';
const DAY = 86_400_000;
const CUSTOMERS = {
  ayse: { id: '905320000021', name: '=HYPERLINK("http://kotu.example","tikla")', shopifyId: 8101 },
  burak: { id: '905320000022', name: 'Burak', shopifyId: 8102 },
  efe: { id: '905320000023', name: 'Efe', shopifyId: 8103 },
  cem: { id: '905320000024', name: 'Cem', shopifyId: 8104 },
  deniz: { id: '905320000025', name: 'Deniz', shopifyId: 8105 },
} as const;
type Who = keyof typeof CUSTOMERS;
const CAMPAIGN = 'cmp_kisindirimi00000000001';
const THEIRS = 'cmp_baskasininkampanya0001';

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let core: ReturnType<typeof createPlatform>;
let waba: { wabaId: string; phoneNumberId: string };
const contactOf = {} as Record<Who, string>;
let theirContact: string;
const startedAt = Date.now() - 10 * DAY;

const path = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}${rest}`;
const as = (person: { accessToken: string }) => ({ token: person.accessToken });
const records = () => core.storeOf({ ...CAMPAIGN_RECORDS, ...SHOPIFY_STORE_RECORDS });

async function seedCampaign(
  tenantId: string,
  campaignId: string,
  recipients: [string, 'sent' | 'delivered' | 'holdout'][],
) {
  const store = records();
  await store.entities.campaign
    .put({
      tenantId,
      campaignId,
      name: 'Kış indirimi',
      state: 'sending',
      channelId: 'whatsapp',
      audience: { kind: 'lists', listIds: ['cl_kis'] },
      holdoutPercent: 40,
      attributionDays: 7,
      startedAt,
      fanout: 'done',
      audienceCount: recipients.length,
      createdBy: 'u_owner',
    })
    .go();
  for (const [contactId, state] of recipients) {
    await store.entities.campaignRecipient
      .put({
        tenantId,
        campaignId,
        contactId,
        state,
        batch: 0,
        ...(state !== 'holdout' && { sentAt: startedAt + 60_000, claimedAt: startedAt }),
      })
      .go();
  }
}

/** A status as WhatsApp posts it for the owner's number, with the send's callback data. */
function statusChange(statuses: Record<string, unknown>[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: waba.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550001122', phone_number_id: waba.phoneNumberId },
              statuses,
            },
          },
        ],
      },
    ],
  };
}

const status = (wamid: string, state: string, callback: string, at = Date.now()) => ({
  id: wamid,
  status: state,
  timestamp: String(Math.floor(at / 1000)),
  recipient_id: '905320000021',
  biz_opaque_callback_data: callback,
});

interface Progress {
  state: string;
  counts: Record<string, number>;
  percentDone: number;
}

const progress = (tenantId = owner.tenantId, person = owner) =>
  api.call<Progress>('GET', path(`/campaigns/${CAMPAIGN}/progress`, tenantId), as(person));

async function order(who: Who, orderId: number, at: number) {
  const created = new Date(at).toISOString();
  await sendShopifyWebhook(stack.url, SHOP, 'orders/create', {
    ...shippedOrder(orderId, CUSTOMERS[who].shopifyId, `#${orderId}`, created),
  });
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  core = createPlatform(readConfig(localAws(stack.dataDir).env));
  owner = await newOwner(api, 'Cicekci');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  waba = await connectWhatsApp(api, owner);
  await connectFakeShop(api, owner, SHOP);

  const keys = await core.keyring.forTenant(owner.tenantId);
  for (const who of Object.keys(CUSTOMERS) as Who[]) {
    await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
      channel: 'whatsapp',
      businessId: waba.phoneNumberId,
      customer: { id: CUSTOMERS[who].id, name: CUSTOMERS[who].name },
      text: 'Merhaba',
    });
    contactOf[who] = contactIdOf(keys, 'whatsapp', CUSTOMERS[who].id);
  }
  await eventually(async () => {
    const list = await api.call<{ conversations: unknown[] }>('GET', path('/conversations'), as(owner));
    return list.body.conversations?.length === Object.keys(CUSTOMERS).length ? true : undefined;
  }, 30_000);

  await seedCampaign(owner.tenantId, CAMPAIGN, [
    [contactOf.ayse, 'sent'],
    [contactOf.burak, 'sent'],
    [contactOf.efe, 'delivered'],
    [contactOf.cem, 'holdout'],
    [contactOf.deniz, 'holdout'],
  ]);
  theirContact = contactIdOf(await core.keyring.forTenant(other.tenantId), 'whatsapp', '905320000029');
  await seedCampaign(other.tenantId, THEIRS, [[theirContact, 'sent']]);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('statuses', () => {
  it('a signed status with the callback data moves the recipient; the progress route shows it', async () => {
    const meta = fakeMetaClient(stack.url);
    expect(
      await meta.deliver(statusChange([status('wamid.ayse', 'delivered', `cmp1:${CAMPAIGN}:${contactOf.ayse}`)])),
    ).toBe(200);
    const moved = await eventually(async () => {
      const answer = await progress();
      return answer.body.counts?.delivered === 1 ? answer : undefined;
    }, 30_000);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'sending', percentDone: 100 });
    expect(moved.body.counts.audience).toBe(5);

    const recipients = await api.call<{
      recipients: { contactId: string; state: string; phone: string; name: string }[];
    }>('GET', path(`/campaigns/${CAMPAIGN}/recipients?state=delivered`), as(owner));
    expect(recipients.status).toBe(200);
    const ayse = recipients.body.recipients.find((recipient) => recipient.contactId === contactOf.ayse);
    expect(ayse).toMatchObject({ state: 'delivered', phone: '+90 532 *** ** 21', name: CUSTOMERS.ayse.name });
    expect(recipients.body.recipients.every((recipient) => recipient.state === 'delivered')).toBe(true);
  });

  it("a callback naming another business's campaign changes nothing there", async () => {
    const meta = fakeMetaClient(stack.url);
    // In one delivery: theirs first, then a read of ours, so once ours shows, theirs was processed.
    expect(
      await meta.deliver(
        statusChange([
          status('wamid.theirs', 'read', `cmp1:${THEIRS}:${theirContact}`),
          status('wamid.ayse', 'read', `cmp1:${CAMPAIGN}:${contactOf.ayse}`),
        ]),
      ),
    ).toBe(200);
    await eventually(async () => ((await progress()).body.counts?.read === 1 ? true : undefined), 30_000);
    const { data } = await records()
      .entities.campaignRecipient.get({ tenantId: other.tenantId, campaignId: THEIRS, contactId: theirContact })
      .go();
    expect(data?.state).toBe('sent');
    // Nor is it readable across businesses, nor by an agent.
    expect((await api.call('GET', path(`/campaigns/${THEIRS}/progress`), as(owner))).status).toBe(404);
    expect((await progress(owner.tenantId, other)).status).toBe(404);
    expect((await api.call('GET', path(`/campaigns/${CAMPAIGN}/progress`), as(agent))).status).toBe(403);
  });

  it('bad input is a clear 4xx', async () => {
    const bad = await api.call('GET', path(`/campaigns/${CAMPAIGN}/recipients?state=nonsense`), as(owner));
    expect(bad.status).toBe(400);
    const cursor = await api.call('GET', path(`/campaigns/${CAMPAIGN}/recipients?cursor=not-ours`), as(owner));
    expect(cursor.status).toBe(400);
  });
});

describe('export', () => {
  it('a CSV whose cells never start a formula, audited', async () => {
    const response = await fetch(`${stack.url}/api${path(`/campaigns/${CAMPAIGN}/export`)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await response.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'contact_id,name,phone,state,sent_at,delivered_at,read_at,replied_at,failed_at,failure_code,failure_title,holdout,attributed_orders',
    );
    expect(lines).toHaveLength(6);
    expect(csv).toContain(`"'=HYPERLINK(""http://kotu.example"",""tikla"")"`);
    // No cell (quoted or not) starts with a formula character.
    const cells = lines.flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)/g) ?? []);
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    const ayse = lines.find((line) => line.startsWith(contactOf.ayse));
    expect(ayse).toContain(",'+90 532 *** ** 21,read,");

    const audit = await api.call<{ entries: { action: string; target: string | null }[] }>(
      'GET',
      path('/audit?action=campaign.results_exported'),
      as(owner),
    );
    expect(audit.body.entries.map((entry) => entry.target)).toEqual([`campaign:${CAMPAIGN}`]);
  });
});

describe('attribution', () => {
  it('counts orders inside the window for recipients and the holdout, and the lift', async () => {
    for (const who of Object.keys(CUSTOMERS) as Who[]) {
      await sendShopifyWebhook(
        stack.url,
        SHOP,
        'customers/create',
        shopCustomer(CUSTOMERS[who].shopifyId, `+${CUSTOMERS[who].id}`, who, 'Müşteri'),
      );
    }
    await order('ayse', 9101, startedAt + 3 * DAY); // in
    await order('ayse', 9102, startedAt + 9 * DAY); // after the window
    await order('efe', 9103, startedAt + 6 * DAY); // in
    await order('burak', 9104, startedAt - DAY); // before the campaign
    await order('deniz', 9105, startedAt + DAY); // holdout, in
    await order('cem', 9106, startedAt - 2 * DAY); // holdout, before
    await eventually(async () => {
      const { data } = await records().entities.shopOrder.query.byId({ tenantId: owner.tenantId }).go({ pages: 'all' });
      return data.length === 6 ? true : undefined;
    }, 30_000);

    const answer = await api.call<{
      status: string;
      recipients: { n: number; buyers: number; orders: number; revenue: unknown[]; conversionRate: number };
      holdout: { n: number; buyers: number; orders: number; revenue: unknown[]; conversionRate: number };
      lift: { absolute: number; relative: number | null };
      enoughData: boolean;
    }>('GET', path(`/campaigns/${CAMPAIGN}/attribution`), as(owner));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.status).toBe('ready');
    expect(answer.body.recipients).toMatchObject({
      n: 3,
      buyers: 2,
      orders: 2,
      revenue: [{ currency: 'TRY', amount: '601.80' }],
    });
    expect(answer.body.holdout).toMatchObject({
      n: 2,
      buyers: 1,
      orders: 1,
      revenue: [{ currency: 'TRY', amount: '300.90' }],
    });
    expect(answer.body.enoughData).toBe(true);
    expect(answer.body.lift.absolute).toBeCloseTo(2 / 3 - 1 / 2, 6);
    expect(answer.body.lift.relative).toBeCloseTo((2 / 3 - 1 / 2) / (1 / 2), 6);

    // Each recipient's orders reach the export.
    const csv = await (
      await fetch(`${stack.url}/api${path(`/campaigns/${CAMPAIGN}/export`)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.accessToken}` },
      })
    ).text();
    const efe = csv.split('\r\n').find((line) => line.startsWith(contactOf.efe));
    expect(efe?.endsWith(',no,1')).toBe(true);
  });
});
