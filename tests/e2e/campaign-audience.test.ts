import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_SETTINGS_RECORDS } from '../../packages/core/src/campaigns/settings-records.js';
import { contactIdOf } from '../../packages/core/src/inbox/inbound.js';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';
import { connectFakeShop, sendShopifyWebhook, shopCustomer } from './store-fixtures.js';

/**
 * The audience check on a real `npm start`: a flower shop whose customers are in every situation
 * a campaign meets — consented (and registered in İYS), opted out with STOP through Meta's
 * webhook, never asked, restricted, already messaged this week, consented but not registered in
 * İYS, abroad (İYS does not apply), and a Shopify customer who said yes to WhatsApp offers in the
 * shop but never wrote — on an uploaded list and an inbox selection that overlap. The check
 * counts each customer once and says exactly why each excluded one would not receive it, at the
 * shop's price; it writes nothing. Other businesses' lists are absent, agents are refused, and
 * bad settings change nothing.
 */

const SHOP = 'cicekci-audience-e2e.myshopify.com';
const CUSTOMERS = {
  granted: { id: '905320000011', name: 'Ayşe Onaylı' },
  stopped: { id: '905320000012', name: 'Burak Vazgeçti' },
  none: { id: '905320000013', name: 'Cem Sorulmadı' },
  restricted: { id: '905320000014', name: 'Deniz Kısıtlı' },
  capped: { id: '905320000015', name: 'Ece Yeterince' },
  notInIys: { id: '905320000016', name: 'Filiz İYSsiz' },
  abroad: { id: '4915112340017', name: 'Hans Almanya' },
} as const;
type Who = keyof typeof CUSTOMERS;
/** A Shopify customer who never wrote on WhatsApp (a UK number: İYS is Turkey's). */
const SHOPIFY_ONLY = '+447911123456';
const WORDING = 'Kampanya ve indirimlerden WhatsApp ile haberdar olmak istiyorum.';

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let core: ReturnType<typeof createPlatform>;
let phoneNumberId: string;
const contactOf = {} as Record<Who | 'shopify', string>;
let uploadedList: string;
let selectionList: string;

const path = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}${rest}`;
const as = (person: { accessToken: string }) => ({ token: person.accessToken });

interface Preview {
  total: number;
  eligible: number;
  excluded: Record<string, number>;
  cost: { perMessage: string; total: string; currency: string } | null;
}

async function customerWrites(who: Who, text: string) {
  await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer: CUSTOMERS[who],
    text,
  });
}

async function grant(who: Who, iys: boolean | undefined) {
  const answer = await api.call('POST', path(`/contacts/${contactOf[who]}/consents`), {
    ...as(owner),
    body: {
      channel: 'whatsapp',
      purpose: 'marketing',
      state: 'granted',
      wording: WORDING,
      ...(iys !== undefined && { iys }),
    },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

/** Uploads a CSV as the campaigns page does (announce, PUT to the link, make the list) and waits for its import. */
async function uploadList(name: string, csv: string): Promise<string> {
  const bytes = Buffer.from(csv, 'utf8');
  const announced = await api.call<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
    'POST',
    path('/campaign-uploads'),
    { ...as(owner), body: { fileName: 'bahar.csv', contentType: 'text/csv', contentLength: bytes.length } },
  );
  expect(announced.status, JSON.stringify(announced.body)).toBe(201);
  // Locally the link is relative to the app (the gateway serves the emulated bucket).
  const put = await fetch(new URL(announced.body.upload.url, stack.url), {
    method: 'PUT',
    headers: announced.body.upload.headers,
    body: bytes,
  });
  expect(put.status).toBe(200);
  const made = await api.call<{ listId: string }>('POST', path('/campaign-lists'), {
    ...as(owner),
    body: { uploadId: announced.body.uploadId, name, columns: { phone: 'telefon', name: 'ad' } },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  return ready(owner, made.body.listId);
}

async function ready(person: SignedInPerson & { tenantId: string }, listId: string): Promise<string> {
  await eventually(async () => {
    const list = await api.call<{ state: string }>(
      'GET',
      path(`/campaign-lists/${listId}`, person.tenantId),
      as(person),
    );
    return list.body.state === 'ready' ? true : undefined;
  }, 30_000);
  return listId;
}

const preview = (body: unknown, person: SignedInPerson & { tenantId: string } = owner) =>
  api.call<Preview>('POST', path('/campaign-audience/preview', person.tenantId), { ...as(person), body });

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  core = createPlatform(readConfig(localAws(stack.dataDir).env));
  owner = await newOwner(api, 'Cicekci');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  ({ phoneNumberId } = await connectWhatsApp(api, owner));
  await connectFakeShop(api, owner, SHOP);

  const keys = await core.keyring.forTenant(owner.tenantId);
  for (const who of Object.keys(CUSTOMERS) as Who[]) {
    await customerWrites(who, 'Merhaba, kampanyalarınız var mı?');
    contactOf[who] = contactIdOf(keys, 'whatsapp', CUSTOMERS[who].id);
  }
  contactOf.shopify = contactIdOf(keys, 'whatsapp', SHOPIFY_ONLY.slice(1));
  await eventually(async () => {
    const list = await api.call<{ conversations: unknown[] }>('GET', path('/conversations'), as(owner));
    return list.body.conversations?.length === Object.keys(CUSTOMERS).length ? true : undefined;
  }, 30_000);

  for (const who of ['granted', 'stopped', 'restricted', 'capped'] as const) await grant(who, true);
  await grant('notInIys', undefined);
  await grant('abroad', undefined);

  // STOP through Meta's signed webhook, as the customer sends it. Meta's timestamps are whole
  // seconds: a second later, so the STOP is not dated before the grant it withdraws.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await customerWrites('stopped', 'STOP');
  await eventually(async () => {
    const ledger = await api.call<{ current: { channel: string; state: string }[] }>(
      'GET',
      path(`/contacts/${contactOf.stopped}/consents`),
      as(owner),
    );
    return ledger.body.current.find((c) => c.channel === 'whatsapp')?.state === 'withdrawn' ? true : undefined;
  });

  const restricted = await api.call('PUT', path(`/contacts/${contactOf.restricted}/restriction`), {
    ...as(owner),
    body: { restricted: true },
  });
  expect(restricted.status).toBe(200);

  // A campaign reached this customer two days ago. Sending is not built yet, so the touch it
  // records is written as it will write it.
  await core
    .storeOf(CAMPAIGN_SETTINGS_RECORDS)
    .entities.campaignTouch.put({
      tenantId: owner.tenantId,
      contactId: contactOf.capped,
      windowStart: Date.now() - 2 * 86_400_000,
      count: 1,
      lastSentAt: Date.now() - 2 * 86_400_000,
    })
    .go();

  // In Shopify, a customer who never wrote says yes to WhatsApp offers.
  await sendShopifyWebhook(stack.url, SHOP, 'customers/create', {
    ...shopCustomer(7101, SHOPIFY_ONLY, 'Işıl', 'Mağazadan'),
    whatsapp_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-29T09:00:00+03:00' },
  });
  const inbox = core.storeOf(INBOX_RECORDS);
  await eventually(async () => {
    const { data } = await inbox.entities.consentState
      .get({ tenantId: owner.tenantId, contactId: contactOf.shopify, channel: 'whatsapp', purpose: 'marketing' })
      .go();
    return data?.state === 'granted' ? true : undefined;
  }, 30_000);

  // An uploaded list (four who wrote and the Shopify customer) and a selection of every
  // WhatsApp customer of the inbox: the four are on both.
  const csv = [
    'ad;telefon',
    'Ayşe;0532 000 00 11',
    'Burak;+90 532 000 00 12',
    'Cem;5320000013',
    'Deniz;90 532 000 0014',
    'Işıl;+44 7911 123456',
  ].join('\r\n');
  uploadedList = await uploadList('Bahar', csv);
  const selection = await api.call<{ listId: string }>('POST', path('/campaign-lists/selection'), {
    ...as(owner),
    body: { name: 'WhatsApp müşterileri', filter: { channels: ['whatsapp'] } },
  });
  expect(selection.status, JSON.stringify(selection.body)).toBe(202);
  selectionList = await ready(owner, selection.body.listId);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the audience check', () => {
  it('counts who would receive it and why each other would not, once per customer, at the shop’s price', async () => {
    const priced = await api.call('PUT', path('/campaign-settings'), {
      ...as(owner),
      body: {
        frequencyCap: { max: 1, days: 7 },
        marketingPrice: { amount: '0.85', currency: 'TRY' },
        iys: { mode: 'attested', brandCode: '123456' },
      },
    });
    expect(priced.status, JSON.stringify(priced.body)).toBe(200);

    // What the check could write: the business's contacts, consent and campaign items.
    const checked = async () =>
      JSON.stringify(
        (await localAws(stack.dataDir).dumpTable())
          .filter((item) => String(item.pk).startsWith(`t#${owner.tenantId}`))
          .filter((item) => /^(contact#|consent#|cmp|m#)/.test(String(item.sk)))
          .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`)),
      );
    const before = await checked();
    const answer = await preview({ audience: { kind: 'lists', listIds: [uploadedList, selectionList] } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({
      total: 8,
      // Ayşe, Hans (abroad: İYS is Turkey's), and Işıl from Shopify.
      eligible: 3,
      excluded: {
        erased: 0,
        'no-whatsapp-address': 0,
        restricted: 1,
        'consent-withdrawn': 1,
        'no-consent': 1,
        'no-iys-consent': 1,
        'frequency-cap': 1,
      },
      cost: { perMessage: '0.85', total: '2.55', currency: 'TRY' },
    });
    // The check writes nothing.
    expect(await checked()).toBe(before);

    // The inbox by filter: the seven who wrote (the Shopify customer never did).
    const inbox = await preview({ audience: { kind: 'inbox', filter: { channels: ['whatsapp'] } } });
    expect(inbox.body).toMatchObject({ total: 7, eligible: 2 });
    const consented = await preview({ audience: { kind: 'inbox', filter: { consent: 'granted' } } });
    expect(consented.body).toMatchObject({ total: 5, eligible: 2 });

    // İYS off and no price: the ledger alone decides, and the cost is unknown.
    await api.call('PUT', path('/campaign-settings'), {
      ...as(owner),
      body: { frequencyCap: { max: 1, days: 7 }, marketingPrice: null, iys: { mode: 'off', brandCode: null } },
    });
    const off = await preview({ audience: { kind: 'lists', listIds: [selectionList] } });
    expect(off.body).toMatchObject({ total: 7, eligible: 3, cost: null });
    expect(off.body.excluded['no-iys-consent']).toBe(0);
  });

  it("treats another business's list as absent, both ways", async () => {
    const theirs = await api.call<{ listId: string }>('POST', path('/campaign-lists/selection', other.tenantId), {
      ...as(other),
      body: { name: 'Bizim liste', filter: {} },
    });
    expect(theirs.status).toBe(202);
    expect((await preview({ audience: { kind: 'lists', listIds: [theirs.body.listId] } })).status).toBe(404);
    expect((await preview({ audience: { kind: 'lists', listIds: [uploadedList, theirs.body.listId] } })).status).toBe(
      404,
    );
    expect((await preview({ audience: { kind: 'lists', listIds: [uploadedList] } }, other)).status).toBe(404);
  });

  it('refuses agents: campaigns are for owners and admins', async () => {
    expect((await api.call('GET', path('/campaign-settings'), as(agent))).status).toBe(403);
    expect(
      (
        await api.call('POST', path('/campaign-audience/preview'), {
          ...as(agent),
          body: { audience: { kind: 'lists', listIds: [uploadedList] } },
        })
      ).status,
    ).toBe(403);
  });

  it('refuses bad settings and bad audiences with 400, changing nothing, and audits a save', async () => {
    const saved = await api.call<{ settings: unknown }>('GET', path('/campaign-settings'), as(owner));
    const good = { frequencyCap: { max: 2, days: 14 }, marketingPrice: null, iys: { mode: 'off', brandCode: null } };
    for (const bad of [
      { ...good, frequencyCap: { max: 0, days: 7 } },
      { ...good, frequencyCap: { max: 11, days: 7 } },
      { ...good, frequencyCap: { max: 1, days: 31 } },
      { ...good, marketingPrice: { amount: '1,25', currency: 'TRY' } },
      { ...good, marketingPrice: { amount: '0.5', currency: 'GBP' } },
      { ...good, iys: { mode: 'registry', brandCode: null } },
      { ...good, iys: { mode: 'attested', brandCode: 'ABC' } },
      { ...good, sendRate: 0 },
      { ...good, sendRate: 1001 },
      { ...good, sendRate: 2.5 },
    ]) {
      const answer = await api.call('PUT', path('/campaign-settings'), { ...as(owner), body: bad });
      expect(answer.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api.call('GET', path('/campaign-settings'), as(owner))).body).toEqual(saved.body);
    // Without a rate, 80 a second (every number's throughput); a set one is kept.
    expect((saved.body as { settings: { sendRate: number } }).settings.sendRate).toBe(80);
    const faster = await api.call<{ settings: { sendRate: number } }>('PUT', path('/campaign-settings'), {
      ...as(owner),
      body: { ...(saved.body as { settings: object }).settings, sendRate: 1000 },
    });
    expect(faster.status).toBe(200);
    expect(faster.body.settings.sendRate).toBe(1000);
    await api.call('PUT', path('/campaign-settings'), {
      ...as(owner),
      body: (saved.body as { settings: object }).settings,
    });

    for (const bad of [
      { audience: { kind: 'lists', listIds: [] } },
      { audience: { kind: 'lists', listIds: [uploadedList, uploadedList] } },
      { audience: { kind: 'everyone' } },
      { audience: { kind: 'inbox', filter: { lastInboundAfter: 'yesterday' } } },
    ]) {
      expect((await preview(bad)).status, JSON.stringify(bad)).toBe(400);
    }

    const audit = await api.call<{ entries: { action: string; actorId: string }[] }>(
      'GET',
      `${path('/audit')}?action=campaign.settings_changed`,
      as(owner),
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries.length).toBeGreaterThanOrEqual(2);
    expect(audit.body.entries.every((entry) => entry.actorId === owner.userId)).toBe(true);
  });
});
