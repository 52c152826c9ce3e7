import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdOf, type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { adIdOf, adReferralsBetween, adReferralsOfAd } from '../src/inbox/referrals.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { CONTACT_DATA } from '../src/privacy/contact-catalog.js';
import { CONTACT_EXPORT_RECORDS } from '../src/privacy/contact-exports.js';
import { type ContactRightsDeps, eraseContact, exportContact } from '../src/privacy/contact-rights.js';
import { PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { purgeTenant } from '../src/privacy/purge.js';
import { PRIVACY_RECORDS } from '../src/privacy/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectChannel, connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Ad referrals against the DynamoDB emulator: written by recordInbound from the referral Meta
 * puts on a customer's message, read by time and by ad, erased with the contact and purged with
 * the business.
 */
let test: TestPlatform;
const SHOP = { tenantId: 'b_adrefs', number: '100000000000951', page: '100000000000952' };
const OTHER = { tenantId: 'b_adrefs_other', number: '100000000000961' };
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const AD = '120210000000000001';
const OTHER_AD = '120210000000000002';

/** A Click-to-WhatsApp referral as the Cloud API sends it. */
const ctwa = (sourceId: string, sourceType = 'ad') => ({
  source_url: 'https://fb.me/abc',
  source_id: sourceId,
  source_type: sourceType,
  headline: 'Yeni sezon kahveler',
  body: '%20 indirim',
  media_type: 'image',
  ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
});

const whatsapp = (
  customer: string,
  id: string,
  sentAt: number,
  referral?: Record<string, unknown>,
): InboundMessage => ({
  tenantId: SHOP.tenantId,
  channel: { kind: 'whatsapp', externalId: SHOP.number },
  sender: { externalId: customer, phone: `+${customer}`, name: 'Ayşe Yılmaz' },
  providerMessageId: id,
  sentAt,
  receivedAt: sentAt + 1000,
  position: 0,
  type: 'text',
  text: 'Merhaba, bu kahve var mı?',
  ...(referral && { details: { referral } }),
});

async function record(message: InboundMessage) {
  const keys = await test.platform.keyring.forTenant(message.tenantId);
  return recordInbound({ store: test.platform.store, keys }, message);
}

const referralsOf = (tenantId: string) => adReferralsBetween(test.platform.store, tenantId, 0, Number.MAX_SAFE_INTEGER);

beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring } = test.platform;
  for (const shop of [SHOP, OTHER]) {
    await createTenant({ store, keyring }, shop.tenantId, 'Kahve Dükkanı');
    await connectWhatsAppNumber({ store, keyring }, shop.tenantId, shop.number, 'Dükkan');
  }
  await connectChannel({ store, keyring }, SHOP.tenantId, { kind: 'messenger', externalId: SHOP.page, label: 'Sayfa' });
}, 60_000);
afterAll(() => test.stop());

describe('the ad a referral names', () => {
  it('is the ad id of an ad, never of a post or a malformed id', () => {
    expect(adIdOf(ctwa(AD))).toBe(AD);
    expect(adIdOf(ctwa(AD, 'post'))).toBeUndefined();
    expect(adIdOf(ctwa('12ab'))).toBeUndefined();
    expect(adIdOf(ctwa('1'.repeat(33)))).toBeUndefined();
    expect(adIdOf(ctwa(''))).toBeUndefined();
    expect(adIdOf({ source_type: 'ad', source_id: 120210000000000 })).toBeUndefined();
    expect(adIdOf({ ref: 'x', source: 'ADS', type: 'OPEN_THREAD', ad_id: AD })).toBe(AD);
    expect(adIdOf({ ad_id: AD })).toBe(AD);
    expect(adIdOf({ source: 'SHORTLINK', ref: 'promo', ad_id: AD })).toBeUndefined();
    expect(adIdOf({ source: 'ADS', ad_id: '../1' })).toBeUndefined();
    expect(adIdOf(undefined)).toBeUndefined();
  });
});

describe('recording referrals', () => {
  const AYSE = '905551240001';

  it('records a Click-to-WhatsApp message as ids and numbers, nothing of the person or the ad text', async () => {
    const recorded = await record(whatsapp(AYSE, 'wamid.ref.1', T0, ctwa(AD)));
    expect(await referralsOf(SHOP.tenantId)).toEqual([
      {
        adId: AD,
        conversationId: recorded.conversationId,
        contactId: recorded.contactId,
        channelKind: 'whatsapp',
        firstAt: T0,
        count: 1,
      },
    ]);
    const raw = (await test.dumpTable()).filter((item) => String(item.sk).startsWith('adref#'));
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({
      pk: `t#${SHOP.tenantId}`,
      sk: `adref#${AD}#${recorded.conversationId}`,
      gsi1pk: `t#${SHOP.tenantId}#adrefs`,
      source: 'ad',
      lastAt: T0,
    });
    expect(JSON.stringify(raw[0])).not.toMatch(/ctwa|ARAkLk|kahve|indirim|fb\.me|905551240001|Ayşe/i);
  });

  it('counts a redelivered message once', async () => {
    const again = await record(whatsapp(AYSE, 'wamid.ref.1', T0, ctwa(AD)));
    expect(again.duplicate).toBe(true);
    expect(await referralsOf(SHOP.tenantId)).toEqual([expect.objectContaining({ count: 1, firstAt: T0 })]);
  });

  it('counts a later message from the same ad, keeping the first time', async () => {
    await record(whatsapp(AYSE, 'wamid.ref.2', T0 + 60_000, ctwa(AD)));
    const [referral] = await adReferralsOfAd(test.platform.store, SHOP.tenantId, AD);
    expect(referral).toMatchObject({ count: 2, firstAt: T0 });
    const raw = await test.platform.store.entities.adReferral
      .get({ tenantId: SHOP.tenantId, adId: AD, conversationId: referral!.conversationId })
      .go();
    expect(raw.data?.lastAt).toBe(T0 + 60_000);
  });

  it('moves the first time back for an older message arriving late, and finds it there by time', async () => {
    await record(whatsapp(AYSE, 'wamid.ref.0', T0 - 60_000, ctwa(AD)));
    // One arriving late between the first and the last: only counted.
    await record(whatsapp(AYSE, 'wamid.ref.mid', T0 + 30_000, ctwa(AD)));
    const [referral] = await adReferralsOfAd(test.platform.store, SHOP.tenantId, AD);
    expect(referral).toMatchObject({ count: 4, firstAt: T0 - 60_000 });
    const raw = await test.platform.store.entities.adReferral
      .get({ tenantId: SHOP.tenantId, adId: AD, conversationId: referral!.conversationId })
      .go();
    expect(raw.data?.lastAt).toBe(T0 + 60_000);
    expect(await adReferralsBetween(test.platform.store, SHOP.tenantId, T0 - 60_000, T0)).toHaveLength(1);
    expect(await adReferralsBetween(test.platform.store, SHOP.tenantId, T0, T0 + 3_600_000)).toEqual([]);
  });

  it('keeps a second ad of the same conversation as a record of its own', async () => {
    await record(whatsapp(AYSE, 'wamid.ref.3', T0 + 120_000, ctwa(OTHER_AD)));
    const ads = (await referralsOf(SHOP.tenantId)).map((referral) => [referral.adId, referral.count]);
    expect(ads).toEqual([
      [AD, 4],
      [OTHER_AD, 1],
    ]);
    expect(await adReferralsOfAd(test.platform.store, SHOP.tenantId, OTHER_AD)).toHaveLength(1);
  });

  it('records nothing for a post, a malformed id, or a message without a referral', async () => {
    const CUSTOMER = '905551240002';
    await record(whatsapp(CUSTOMER, 'wamid.post', T0, ctwa(AD, 'post')));
    await record(whatsapp(CUSTOMER, 'wamid.bad', T0, ctwa('12ab')));
    await record(whatsapp(CUSTOMER, 'wamid.long', T0, ctwa('9'.repeat(33))));
    await record(whatsapp(CUSTOMER, 'wamid.odd', T0, { source_type: 'ad', source_id: { id: AD } }));
    await record(whatsapp(CUSTOMER, 'wamid.none', T0));
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const contactId = contactIdOf(keys, 'whatsapp', CUSTOMER);
    expect((await referralsOf(SHOP.tenantId)).filter((referral) => referral.contactId === contactId)).toEqual([]);
  });

  it('records a Messenger ad referral', async () => {
    const sentAt = T0 + 3_600_000;
    const recorded = await record({
      tenantId: SHOP.tenantId,
      channel: { kind: 'messenger', externalId: SHOP.page },
      sender: { externalId: '24000000000000001' },
      providerMessageId: 'm_ref_1',
      sentAt,
      receivedAt: sentAt + 500,
      position: 0,
      type: 'text',
      text: 'Fiyatı nedir?',
      details: {
        referral: {
          ref: 'kampanya',
          source: 'ADS',
          type: 'OPEN_THREAD',
          ad_id: OTHER_AD,
          ads_context_data: { ad_title: 'Yeni sezon', photo_url: 'https://example.com/p.jpg' },
        },
      },
    });
    expect(await adReferralsOfAd(test.platform.store, SHOP.tenantId, OTHER_AD)).toEqual(
      expect.arrayContaining([
        {
          adId: OTHER_AD,
          conversationId: recorded.conversationId,
          contactId: recorded.contactId,
          channelKind: 'messenger',
          firstAt: sentAt,
          count: 1,
        },
      ]),
    );
  });

  it('reads a business by time, oldest first, from inclusive to exclusive, and no other business', async () => {
    await record({
      ...whatsapp('905551240003', 'wamid.other', T0, ctwa(AD)),
      tenantId: OTHER.tenantId,
      channel: { kind: 'whatsapp', externalId: OTHER.number },
    });
    const all = await referralsOf(SHOP.tenantId);
    expect(all.map((referral) => referral.firstAt)).toEqual([T0 - 60_000, T0 + 120_000, T0 + 3_600_000]);
    const hour = await adReferralsBetween(test.platform.store, SHOP.tenantId, T0 + 120_000, T0 + 3_600_000);
    expect(hour.map((referral) => [referral.adId, referral.channelKind])).toEqual([[OTHER_AD, 'whatsapp']]);
    expect(await adReferralsBetween(test.platform.store, SHOP.tenantId, T0 + 1, T0)).toEqual([]);
    expect(await referralsOf(OTHER.tenantId)).toHaveLength(1);
    expect(await adReferralsOfAd(test.platform.store, SHOP.tenantId, 'nonsense')).toEqual([]);
  });
});

describe('privacy', () => {
  const deps = (): ContactRightsDeps => {
    const { platform } = test;
    return {
      store: platform.storeOf({ ...platform.store.entities, ...PRIVACY_REQUEST_RECORDS, ...CONTACT_EXPORT_RECORDS }),
      keyring: platform.keyring,
      storeOf: platform.storeOf,
      blobs: platform.blobs,
      contactData: CONTACT_DATA,
    };
  };
  const member = { by: 'member:u_owner', source: 'app' as const, userId: 'u_owner', sourceAddress: '203.0.113.9' };

  it("hands over the contact's referrals, and erases them with the contact", async () => {
    const [first] = await adReferralsOfAd(test.platform.store, SHOP.tenantId, AD);
    const contactId = first!.contactId;
    const exported = await exportContact(deps(), member, SHOP.tenantId, contactId);
    const zip = await test.platform.blobs.get(SHOP.tenantId, `exports/${exported.requestId}.zip`);
    const json = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(zip!))['contact.json']));
    expect(json.adReferrals.map((row: { adId: string }) => row.adId).sort()).toEqual([AD, OTHER_AD]);

    const receipt = await eraseContact(deps(), member, SHOP.tenantId, contactId);
    expect(receipt.removed).toEqual(expect.arrayContaining([{ dataClass: 'inbox.ad-referrals', count: 2 }]));
    const left = await referralsOf(SHOP.tenantId);
    expect(left.filter((referral) => referral.contactId === contactId)).toEqual([]);
    // The Messenger customer's referral stays.
    expect(left.map((referral) => referral.channelKind)).toEqual(['messenger']);
    const raw = (await test.dumpTable()).filter((item) => JSON.stringify(item).includes(contactId));
    expect(raw).toEqual([]);
  });

  it('purges them with the business, as their own data class', async () => {
    const report = await purgeTenant(
      {
        dynamo: test.platform.aws.dynamo,
        table: test.env.TABLE_NAME as string,
        blobs: test.platform.blobs,
        store: test.platform.storeOf({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
        dataClasses: DATA_CLASSES,
      },
      SHOP.tenantId,
      { by: 'ops:test' },
    );
    expect(report.classes).toEqual(expect.arrayContaining([{ name: 'inbox.ad-referrals', items: 1 }]));
    expect(report.unclassified).toBe(0);
    expect(await referralsOf(SHOP.tenantId)).toEqual([]);
    expect(await referralsOf(OTHER.tenantId)).toHaveLength(1);
  });
});
