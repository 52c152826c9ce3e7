import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { audiencePagesWithCursor, previewAudience } from '../src/campaigns/audience.js';
import { costPreview } from '../src/campaigns/cost.js';
import { eligibilityOf } from '../src/campaigns/eligibility.js';
import { CAMPAIGN_LIST_RECORDS } from '../src/campaigns/list-records.js';
import { DEFAULT_CAMPAIGN_SETTINGS, saveCampaignSettings } from '../src/campaigns/settings.js';
import { CAMPAIGN_SETTINGS_RECORDS, CAMPAIGN_TOUCH_CONTACT_DATA } from '../src/campaigns/settings-records.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { recordConsent } from '../src/inbox/consent.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { ContactDataContext } from '../src/platform/area.js';
import { NotFoundError, ValidationError } from '../src/platform/errors.js';
import { applyCustomer } from '../src/shopify/apply.js';
import { CustomerWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * The audience check against the local DynamoDB emulator: customers in every situation a
 * campaign meets (consented, opted out, never asked, restricted, messaged enough this week,
 * consented but not registered in İYS, a Shopify customer who never wrote, erased), counted
 * exactly, each once even when on two lists, in batches, with the cost in exact decimals.
 */

let test: TestPlatform;
const SHOP = { tenantId: 't_cmpaudience', number: '100000000000701', waba: '100000000000702' };
const OTHER = 't_cmpother';
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400_000;

const storeOf = () =>
  test.platform.storeOf({
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
    ...CAMPAIGN_LIST_RECORDS,
    ...CAMPAIGN_SETTINGS_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
  });
let store: ReturnType<typeof storeOf>;
const deps = () => ({ store, keyring: test.platform.keyring });

/** A WhatsApp customer writes: the inbox creates their contact, as for any message. */
async function customerWrites(phoneDigits: string, name: string): Promise<string> {
  const body = whatsappMessagesDelivery(SHOP, {
    contacts: [{ profile: { name }, wa_id: phoneDigits }],
    messages: [
      {
        from: phoneDigits,
        id: `wamid.${phoneDigits}`,
        timestamp: '1764500000',
        type: 'text',
        text: { body: 'Merhaba' },
      },
    ],
  });
  await processMetaDelivery(
    { store, keyring: test.platform.keyring, log: quiet },
    metaDelivery(body, 1_764_500_001_000),
  );
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  return contactIdOf(keys, 'whatsapp', phoneDigits);
}

async function consent(contactId: string, state: 'granted' | 'withdrawn', iys: boolean | undefined, at: number) {
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  await recordConsent(
    { store, keys },
    {
      tenantId: SHOP.tenantId,
      contactId,
      channel: 'whatsapp',
      purpose: 'marketing',
      state,
      source: state === 'withdrawn' ? 'customer-keyword' : 'agent',
      at,
      wording: state === 'withdrawn' ? 'STOP' : 'Kampanyalardan haberdar olmak istiyorum',
      actor: state === 'withdrawn' ? 'customer' : 'u_owner',
      entryId: `test_${contactId}_${state}_${at}`,
      ...(iys !== undefined && { iys }),
    },
  );
}

async function onList(listId: string, contactIds: string[], tenantId = SHOP.tenantId) {
  await store.entities.campaignList
    .put({
      tenantId,
      listId,
      name: listId,
      source: 'selection',
      state: 'ready',
      counts: {},
      rejectedByReason: {},
      createdBy: 'u_owner',
    })
    .go();
  for (const [row, contactId] of contactIds.entries()) {
    await store.entities.campaignListMember
      .put({ tenantId, listId, contactId, row: row + 1, fileConsent: 'none' })
      .go();
  }
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestPlatform();
  store = storeOf();
  await createTenant(deps(), SHOP.tenantId, 'Çiçekçi');
  await createTenant(deps(), OTHER, 'Başka');
  await connectWhatsAppNumber(deps(), SHOP.tenantId, SHOP.number, 'Çiçekçi', SHOP.waba);

  const at = NOW - 10 * DAY;
  ids.granted = await customerWrites('905320000001', 'Ayşe Onaylı');
  await consent(ids.granted, 'granted', true, at);
  ids.stopped = await customerWrites('905320000002', 'Burak Vazgeçti');
  await consent(ids.stopped, 'granted', true, at);
  await consent(ids.stopped, 'withdrawn', undefined, at + DAY);
  ids.none = await customerWrites('905320000003', 'Cem Sorulmadı');
  ids.restricted = await customerWrites('905320000004', 'Deniz Kısıtlı');
  await consent(ids.restricted, 'granted', true, at);
  await store.entities.contact
    .patch({ tenantId: SHOP.tenantId, contactId: ids.restricted })
    .set({ restricted: true, restrictedAt: at })
    .go();
  ids.capped = await customerWrites('905320000005', 'Ece Yeterince');
  await consent(ids.capped, 'granted', true, at);
  // The send step records each campaign message: one two days ago, in this week's window.
  await store.entities.campaignTouch
    .put({ tenantId: SHOP.tenantId, contactId: ids.capped, windowStart: NOW - 2 * DAY, count: 1 })
    .go();
  ids.lastWeek = await customerWrites('905320000006', 'Filiz Geçenhafta');
  await consent(ids.lastWeek, 'granted', true, at);
  // Last week's window is over: it does not count.
  await store.entities.campaignTouch
    .put({ tenantId: SHOP.tenantId, contactId: ids.lastWeek, windowStart: NOW - 8 * DAY, count: 3 })
    .go();
  ids.notInIys = await customerWrites('905320000007', 'Gül İYSsiz');
  await consent(ids.notInIys, 'granted', false, at);
  ids.german = await customerWrites('4915112345678', 'Hans Almanya');
  await consent(ids.german, 'granted', undefined, at);
});
afterAll(() => test?.stop());

describe('Shopify consent', () => {
  it('makes a contact of a Shopify customer who said yes to WhatsApp offers but never wrote', async () => {
    const customer = (id: number, phone: string, state: string) =>
      CustomerWebhook.parse({
        id,
        admin_graphql_api_id: `gid://shopify/Customer/${id}`,
        email: `c${id}@example.com`,
        phone,
        first_name: 'Işıl',
        last_name: 'Shopify',
        state: 'enabled',
        tags: '',
        whatsapp_marketing_consent: { state, consent_updated_at: '2026-11-20T09:00:00+03:00' },
        created_at: '2026-11-01T09:00:00+03:00',
        updated_at: '2026-11-20T09:00:00+03:00',
      });
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    await applyCustomer(deps(), SHOP.tenantId, customer(501, '+447700900123', 'subscribed'));
    await applyCustomer(deps(), SHOP.tenantId, customer(502, '+905320000008', 'subscribed'));
    // No decision on WhatsApp: nothing to keep, no contact made.
    await applyCustomer(deps(), SHOP.tenantId, customer(503, '+905320000009', 'not_subscribed'));
    ids.shopifyUk = contactIdOf(keys, 'whatsapp', '447700900123');
    ids.shopifyTr = contactIdOf(keys, 'whatsapp', '905320000008');

    const made = await store.entities.contact.get({ tenantId: SHOP.tenantId, contactId: ids.shopifyUk }).go();
    expect(made.data?.phoneIndex).toBe(keys.blindIndex('phone', '+447700900123'));
    expect(keys.open('contact', 'phone', ids.shopifyUk, made.data?.phone as string)).toBe('+447700900123');
    expect(made.data?.name).not.toContain('Işıl');
    const none = await store.entities.contact
      .get({ tenantId: SHOP.tenantId, contactId: contactIdOf(keys, 'whatsapp', '905320000009') })
      .go();
    expect(none.data).toBeNull();

    const ctx = { tenantId: SHOP.tenantId, settings: DEFAULT_CAMPAIGN_SETTINGS, now: NOW };
    const eligibility = { store, keys };
    expect(await eligibilityOf(eligibility, ctx, ids.shopifyUk)).toEqual({
      ok: true,
      reachedToday: false,
      phone: '+447700900123',
    });
    // Shopify says nothing of İYS: a Turkish number needs it when the business attests.
    expect(await eligibilityOf(eligibility, ctx, ids.shopifyTr)).toEqual({ ok: false, reason: 'no-iys-consent' });
  });
});

describe('the audience check', () => {
  it('counts every case once, on two lists, with the exact cost', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    ids.erased = contactIdOf(keys, 'whatsapp', '905320000010');
    await onList('cl_spring', [ids.granted, ids.stopped, ids.none, ids.restricted, ids.capped, ids.erased] as string[]);
    await onList('cl_vip', [
      ids.granted,
      ids.lastWeek,
      ids.notInIys,
      ids.german,
      ids.shopifyUk,
      ids.shopifyTr,
      ids.capped,
    ] as string[]);
    await saveCampaignSettings(
      store,
      SHOP.tenantId,
      { userId: 'u_owner' },
      { ...DEFAULT_CAMPAIGN_SETTINGS, marketingPrice: { amount: '0.4125', currency: 'TRY' } },
    );

    const answer = await previewAudience(
      deps(),
      SHOP.tenantId,
      { kind: 'lists', listIds: ['cl_spring', 'cl_vip'] },
      NOW,
    );
    expect(answer).toEqual({
      total: 11,
      // granted, lastWeek, german, shopifyUk
      eligible: 4,
      excluded: {
        erased: 1,
        'no-whatsapp-address': 0,
        restricted: 1,
        'consent-withdrawn': 1,
        'no-consent': 1,
        'no-iys-consent': 2,
        'frequency-cap': 1,
      },
      cost: { perMessage: '0.4125', total: '1.65', currency: 'TRY' },
    });

    // İYS off: the ledger alone decides; a cap of two a week lets the capped customer through.
    await saveCampaignSettings(
      store,
      SHOP.tenantId,
      { userId: 'u_owner' },
      { frequencyCap: { max: 2, days: 7 }, marketingPrice: null, iys: { mode: 'off', brandCode: null } },
    );
    const relaxed = await previewAudience(deps(), SHOP.tenantId, { kind: 'lists', listIds: ['cl_vip'] }, NOW);
    expect(relaxed).toMatchObject({ total: 7, eligible: 7, cost: null });
  });

  it("refuses another business's list as absent", async () => {
    await onList('cl_theirs', [], OTHER);
    await expect(
      previewAudience(deps(), SHOP.tenantId, { kind: 'lists', listIds: ['cl_spring', 'cl_theirs'] }, NOW),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads the inbox by filter: WhatsApp customers, consented only when asked', async () => {
    await saveCampaignSettings(store, SHOP.tenantId, { userId: 'u_owner' }, DEFAULT_CAMPAIGN_SETTINGS);
    const everyone = await previewAudience(deps(), SHOP.tenantId, { kind: 'inbox', filter: {} }, NOW);
    // The eight who wrote (Shopify's customers never did: no conversation).
    expect(everyone.total).toBe(8);
    expect(everyone.eligible).toBe(3);
    const consented = await previewAudience(
      deps(),
      SHOP.tenantId,
      { kind: 'inbox', filter: { consent: 'granted' } },
      NOW,
    );
    expect(consented.total).toBe(6);
    expect(consented.excluded['no-consent']).toBe(0);
    expect(consented.excluded['consent-withdrawn']).toBe(0);
  });

  it('reads in batches of a hundred: 250 customers on a list', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const many: string[] = [];
    for (let i = 0; i < 250; i++) {
      const digits = `90533${String(i).padStart(7, '0')}`;
      const contactId = contactIdOf(keys, 'whatsapp', digits);
      await store.entities.contact
        .put({
          tenantId: SHOP.tenantId,
          contactId,
          phone: keys.seal('contact', 'phone', contactId, `+${digits}`),
          phoneIndex: keys.blindIndex('phone', `+${digits}`),
        })
        .go();
      if (i % 2 === 0) await consent(contactId, 'granted', true, NOW - DAY);
      many.push(contactId);
    }
    await onList('cl_many', many);
    const answer = await previewAudience(deps(), SHOP.tenantId, { kind: 'lists', listIds: ['cl_many'] }, NOW);
    expect(answer).toMatchObject({ total: 250, eligible: 125 });
    expect(answer.excluded['no-consent']).toBe(125);
  });
});

describe('audience pages', () => {
  it('resume from a cursor where they stopped, each contact once', async () => {
    const audience = { kind: 'lists' as const, listIds: ['cl_many', 'cl_spring', 'cl_vip'] };
    const all: string[] = [];
    const cursors: (string | undefined)[] = [];
    for await (const page of audiencePagesWithCursor(deps(), SHOP.tenantId, audience)) {
      all.push(...page.contactIds);
      cursors.push(page.next);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(250 + 6 + 5);
    expect(cursors.at(-1)).toBeUndefined();
    // A fan-out that stopped after the first page picks up exactly the rest.
    const rest: string[] = [];
    for await (const page of audiencePagesWithCursor(deps(), SHOP.tenantId, audience, cursors[0])) {
      rest.push(...page.contactIds);
    }
    expect(rest).toEqual(all.slice(250));
  });
});

describe('settings and cost', () => {
  it('refuses settings out of range, changing nothing, and audits a save', async () => {
    for (const bad of [
      { ...DEFAULT_CAMPAIGN_SETTINGS, frequencyCap: { max: 0, days: 7 } },
      { ...DEFAULT_CAMPAIGN_SETTINGS, frequencyCap: { max: 1, days: 31 } },
      { ...DEFAULT_CAMPAIGN_SETTINGS, marketingPrice: { amount: '1,25', currency: 'TRY' } },
      { ...DEFAULT_CAMPAIGN_SETTINGS, marketingPrice: { amount: '0', currency: 'TRY' } },
      { ...DEFAULT_CAMPAIGN_SETTINGS, iys: { mode: 'registry', brandCode: null } },
    ]) {
      await expect(saveCampaignSettings(store, OTHER, { userId: 'u_x' }, bad)).rejects.toBeInstanceOf(ValidationError);
    }
    const { data } = await store.entities.campaignSettings.get({ tenantId: OTHER }).go();
    expect(data).toBeNull();
    const audit = await store.entities.auditEvent.query.byTime({ tenantId: SHOP.tenantId }).go({ pages: 'all' });
    expect(audit.data.filter((event) => event.action === 'campaign.settings_changed').length).toBeGreaterThan(0);
  });

  it('computes the cost exactly', () => {
    const price = (amount: string) => ({ marketingPrice: { amount, currency: 'USD' as const } });
    expect(costPreview(3, price('0.0109'))).toEqual({ perMessage: '0.0109', total: '0.0327', currency: 'USD' });
    expect(costPreview(100_000, price('0.4125'))).toMatchObject({ total: '41250.00' });
    expect(costPreview(0, price('1.5'))).toMatchObject({ total: '0.00' });
    expect(costPreview(7, price('2'))).toMatchObject({ total: '14.00' });
    expect(costPreview(5, { marketingPrice: null })).toBeNull();
  });
});

describe("a contact's campaign touch", () => {
  it('is in their export and gone with their erasure, and nobody else’s with it', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const ctx = (contactId: string): ContactDataContext => ({
      tenantId: SHOP.tenantId,
      contactId,
      keys,
      storeOf: test.platform.storeOf,
      blobs: test.platform.blobs,
    });
    const [touch] = CAMPAIGN_TOUCH_CONTACT_DATA;
    const exported = await touch?.export(ctx(ids.capped as string));
    expect(exported).toEqual({
      campaign_touches: [{ windowStart: new Date(NOW - 2 * DAY).toISOString(), count: 1, lastSentAt: null }],
    });
    expect(await touch?.export(ctx(ids.none as string))).toEqual({});
    expect(await touch?.erase(ctx(ids.capped as string))).toEqual({ items: 1, objects: 0 });
    expect(await touch?.erase(ctx(ids.capped as string))).toEqual({ items: 0, objects: 0 });
    const left = await store.entities.campaignTouch
      .get({ tenantId: SHOP.tenantId, contactId: ids.lastWeek as string })
      .go();
    expect(left.data?.count).toBe(3);
  });
});
