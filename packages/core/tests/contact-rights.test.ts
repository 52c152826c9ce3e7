import { erasureReceiptSchema } from '@asistone/contract/contacts';
import { privacyRequestSchema } from '@asistone/contract/privacy';
import type { Logger } from '@aws-lambda-powertools/logger';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { applyConsentKeyword, setConsentByAgent } from '../src/inbox/consent.js';
import { INBOX_CONTACT_DATA } from '../src/inbox/contact-data.js';
import { isContactRestricted } from '../src/inbox/contacts.js';
import { contactIdOf, conversationIdOf } from '../src/inbox/inbound.js';
import { addNote } from '../src/inbox/notes.js';
import { queueReply } from '../src/inbox/replies.js';
import { openTicket } from '../src/inbox/tickets.js';
import type { ContactData } from '../src/platform/area.js';
import { NotFoundError } from '../src/platform/errors.js';
import { CONTACT_DATA } from '../src/privacy/contact-catalog.js';
import { CONTACT_EXPORT_RECORDS } from '../src/privacy/contact-exports.js';
import {
  type ContactRightsDeps,
  correctContact,
  eraseContact,
  exportContact,
  restrictContact,
} from '../src/privacy/contact-rights.js';
import {
  completePrivacyRequest,
  listPrivacyRequests,
  openPrivacyRequest,
  openPrivacyRequestsDueBy,
  PRIVACY_REQUEST_RECORDS,
} from '../src/privacy/privacy-requests.js';
import { PRODUCT } from '../src/product/areas.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { type WhatsAppCustomer, whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/**
 * A contact's rights against the DynamoDB and S3 emulators, on data written by the product's own
 * code paths (Meta deliveries through the worker's processing, consent keywords and the team's
 * consent, notes, tickets, replies), checked on the archive read by an independent ZIP reader
 * (fflate), on a raw dump of the table and on a listing of the bucket.
 */
let test: TestPlatform;
let deps: ContactRightsDeps;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const sent: unknown[] = [];
const producer = {
  async send(_queue: unknown, message: unknown) {
    sent.push(message);
  },
};
const NOW = Date.now();

const SHOP = { tenantId: 'b_rights', number: '100000000000931', waba: '100000000000932' };
const OTHER_SHOP = { tenantId: 'b_rights_other', number: '100000000000941', waba: '100000000000942' };
/** The contact whose rights are exercised, and another customer of the same business. */
const AYSE = { phone: '905551239901', userId: 'TR.1234567890', name: 'Ayşe Yılmaz' };
const MEHMET = { phone: '905551239902', name: 'Mehmet Demir' };
const FORMULA = '=HYPERLINK("http://evil.example/x","tıkla")';

async function deliver(shop: typeof SHOP, from: WhatsAppCustomer, id: string, body: string, sentAt: number) {
  const payload = whatsappMessagesDelivery(shop, whatsappText(from, { id, body, sentAt }));
  const { store, keyring } = test.platform;
  await processMetaDelivery(
    {
      store,
      keyring,
      log: quiet,
      // As the meta-events worker does: a keyword changes consent and is confirmed by a reply.
      onRecorded: async (message, recorded) => {
        await applyConsentKeyword({ store, keyring, producer, log: quiet }, message, recorded);
      },
    },
    metaDelivery(payload, sentAt + 1000),
  );
}

async function idsOf(shop: typeof SHOP, phone: string) {
  const keys = await test.platform.keyring.forTenant(shop.tenantId);
  const contactId = contactIdOf(keys, 'whatsapp', phone);
  return { contactId, conversationId: conversationIdOf(keys, 'whatsapp', shop.number, contactId) };
}

/** A business after some use: two customers with messages, consents, notes, tickets, replies and files. */
async function seedBusiness(shop: typeof SHOP) {
  const { store, keyring, blobs } = test.platform;
  await createTenant({ store, keyring }, shop.tenantId, 'Kahve Dükkanı');
  await connectWhatsAppNumber({ store, keyring }, shop.tenantId, shop.number, 'Dükkan', shop.waba);
  const t = shop.tenantId;
  await deliver(shop, AYSE, `wamid.${t}.a1`, 'Merhaba, siparişim nerede?', NOW - 60_000);
  await deliver(shop, AYSE, `wamid.${t}.a2`, FORMULA, NOW - 50_000);
  await deliver(shop, AYSE, `wamid.${t}.a3`, 'DUR', NOW - 40_000);
  await deliver(shop, MEHMET, `wamid.${t}.m1`, 'İade istiyorum', NOW - 30_000);
  for (const who of [AYSE, MEHMET]) {
    const { contactId, conversationId } = await idsOf(shop, who.phone);
    const inbox = { store, keyring };
    await addNote(inbox, t, conversationId, 'u_owner', `Not: ${who.name} aradı`);
    await openTicket(inbox, t, conversationId, {
      title: `${who.name} iade`,
      openedBy: { kind: 'person', id: 'u_owner' },
    });
    await queueReply({ ...inbox, producer }, t, conversationId, 'u_owner', {
      kind: 'text',
      text: `Merhaba ${who.name}, kargonuz yolda`,
      clientId: `reply-${who === AYSE ? 'a' : 'm'}`,
    });
    await setConsentByAgent(
      inbox,
      t,
      contactId,
      { userId: 'u_owner' },
      {
        channel: 'whatsapp',
        purpose: 'utility',
        state: 'granted',
        wording: `${who.name} sipariş bildirimlerini kabul etti`,
      },
    );
    // What the media worker leaves for a received photo, and a file a member attached to a reply.
    const { data: thread } = await store.entities.message.query.byConversation({ tenantId: t, conversationId }).go();
    const messageId = thread.find((message) => message.direction === 'inbound')!.messageId;
    await blobs.put(t, `media/${conversationId}/${messageId}`, `photo of ${who.name}`, 'image/jpeg');
    await store.entities.media
      .create({
        tenantId: t,
        messageId,
        conversationId,
        status: 'stored',
        key: `media/${conversationId}/${messageId}`,
        mimeType: 'image/jpeg',
        size: 10,
      })
      .go();
    await blobs.put(t, `outbound/${conversationId}/at_${who.phone}`, `invoice for ${who.name}`, 'application/pdf');
  }
}

const itemsOf = (items: Record<string, unknown>[], tenantId: string) =>
  items.filter((item) => item.tenantId === tenantId || JSON.stringify(item).includes(`t#${tenantId}#`));
const keysOf = (item: Record<string, unknown>) =>
  ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => String(item[name] ?? '')).join(' ');

const member = { by: 'member:u_owner', source: 'app' as const, userId: 'u_owner', sourceAddress: '203.0.113.9' };

beforeAll(async () => {
  test = await startTestPlatform();
  const { platform } = test;
  deps = {
    store: platform.storeOf({ ...platform.store.entities, ...PRIVACY_REQUEST_RECORDS, ...CONTACT_EXPORT_RECORDS }),
    keyring: platform.keyring,
    storeOf: platform.storeOf,
    blobs: platform.blobs,
    contactData: CONTACT_DATA,
  };
  await seedBusiness(SHOP);
  await seedBusiness(OTHER_SHOP);
}, 60_000);
afterAll(() => test.stop());

describe('the contact data catalog', () => {
  it('is what the areas declare, in the product', () => {
    expect(CONTACT_DATA.map((entry) => entry.dataClass)).toEqual(PRODUCT.contactData.map((entry) => entry.dataClass));
    expect(CONTACT_DATA).toEqual(PRODUCT.contactData);
  });
});

describe('exporting a contact', () => {
  it('hands over everything held about them in one archive, CSV cells defused', async () => {
    const { contactId } = await idsOf(SHOP, AYSE.phone);
    const answer = await exportContact(deps, member, SHOP.tenantId, contactId);
    expect(answer.fileName).toMatch(/^contact-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(Date.parse(answer.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
    expect(answer.url).toContain(`exports/${answer.requestId}.zip`);
    const zip = await test.platform.blobs.get(SHOP.tenantId, `exports/${answer.requestId}.zip`);
    const files = unzipSync(new Uint8Array(zip!));
    expect(Object.keys(files).sort()).toEqual(
      ['consents', 'contact', 'conversations', 'media', 'messages', 'notes', 'profile', 'tickets']
        .map((name) => (name === 'contact' ? 'contact.json' : `${name}.csv`))
        .sort(),
    );
    const text = (name: string) => new TextDecoder().decode(files[name]);
    const json = JSON.parse(text('contact.json'));
    expect(json.profile).toEqual([
      expect.objectContaining({ contactId, name: AYSE.name, phone: `+${AYSE.phone}`, restricted: false }),
    ]);
    expect(json.messages.map((m: { text: string | null }) => m.text)).toEqual(
      expect.arrayContaining(['Merhaba, siparişim nerede?', FORMULA, 'DUR', `Merhaba ${AYSE.name}, kargonuz yolda`]),
    );
    expect(json.consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'whatsapp', purpose: 'marketing', state: 'withdrawn', wording: 'DUR' }),
        expect.objectContaining({ purpose: 'utility', state: 'granted', source: 'agent' }),
      ]),
    );
    expect(json.notes).toEqual([expect.objectContaining({ text: `Not: ${AYSE.name} aradı` })]);
    expect(json.tickets).toEqual([expect.objectContaining({ title: `${AYSE.name} iade` })]);
    expect(json.media).toEqual([expect.objectContaining({ status: 'stored', mimeType: 'image/jpeg' })]);
    expect(json.media[0].link).toContain(`media/`);
    // Nothing of the other customer.
    expect(text('contact.json')).not.toContain(MEHMET.name);
    expect(text('contact.json')).not.toContain('İade istiyorum');
    // The formula reaches the spreadsheet as text: a leading apostrophe, quotes doubled.
    expect(text('messages.csv')).toContain(`"'=HYPERLINK(""http://evil.example/x"",""tıkla"")"`);
    expect(text('messages.csv')).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text('profile.csv')).toContain(`'+${AYSE.phone}`);

    const requests = await listPrivacyRequests(deps.store, SHOP.tenantId);
    const recorded = requests.find((request) => request.requestId === answer.requestId);
    expect(privacyRequestSchema.parse(recorded)).toMatchObject({
      kind: 'contact-export',
      status: 'done',
      source: 'app',
    });
    expect(recorded?.receipt?.items).toEqual(
      expect.arrayContaining([{ dataClass: 'inbox.messages', count: json.messages.length }]),
    );
    const audit = await test.platform.store.entities.auditEvent.query
      .byTime({ tenantId: SHOP.tenantId })
      .go({ pages: 'all' });
    const exported = audit.data.find((event) => event.action === 'contact.exported');
    expect(exported).toMatchObject({ targetType: 'privacy-request', targetId: answer.requestId, actorId: 'u_owner' });
  });

  it('finds no contact of another business, nor one that never was', async () => {
    const { contactId } = await idsOf(OTHER_SHOP, AYSE.phone);
    await expect(exportContact(deps, member, SHOP.tenantId, contactId)).rejects.toThrow(NotFoundError);
    await expect(exportContact(deps, member, SHOP.tenantId, 'ct_never')).rejects.toThrow(NotFoundError);
  });
});

describe('correcting and restricting a contact', () => {
  it('changes the fields, seals them, and audits the names of the fields, never the values', async () => {
    const { contactId } = await idsOf(SHOP, AYSE.phone);
    const corrected = await correctContact(deps, member, SHOP.tenantId, contactId, {
      name: 'Ayşe Kaya',
      email: 'ayse.kaya@example.com',
    });
    expect(corrected).toMatchObject({ name: 'Ayşe Kaya', email: 'ayse.kaya@example.com' });
    const stored = (await test.platform.store.entities.contact.get({ tenantId: SHOP.tenantId, contactId }).go()).data;
    expect(JSON.stringify(stored)).not.toMatch(/Kaya|example\.com/);

    // Unchanged values record nothing more.
    await correctContact(deps, member, SHOP.tenantId, contactId, { email: 'ayse.kaya@example.com' });

    expect(await isContactRestricted(test.platform.store, SHOP.tenantId, contactId)).toBe(false);
    const restricted = await restrictContact(deps, member, SHOP.tenantId, contactId, true);
    expect(restricted.restricted).toBe(true);
    expect(restricted.restrictedAt).not.toBeNull();
    expect(await isContactRestricted(test.platform.store, SHOP.tenantId, contactId)).toBe(true);
    await restrictContact(deps, member, SHOP.tenantId, contactId, true);
    const lifted = await restrictContact(deps, member, SHOP.tenantId, contactId, false);
    expect(lifted).toMatchObject({ restricted: false, restrictedAt: null });
    await restrictContact(deps, member, SHOP.tenantId, contactId, true);

    const audit = (
      await test.platform.store.entities.auditEvent.query.byTime({ tenantId: SHOP.tenantId }).go({ pages: 'all' })
    ).data.filter((event) => event.action.startsWith('contact.') && event.action !== 'contact.consent_changed');
    const actions = audit.map((event) => event.action).sort();
    expect(actions).toEqual(
      [
        'contact.corrected',
        'contact.exported',
        'contact.restricted',
        'contact.restricted',
        'contact.unrestricted',
      ].sort(),
    );
    const correction = audit.find((event) => event.action === 'contact.corrected');
    expect(correction?.detail?.fields).toBe('name,email');
    expect(JSON.stringify(audit)).not.toMatch(/Kaya|example\.com|Ayşe|905551239901/);

    const kinds = (await listPrivacyRequests(deps.store, SHOP.tenantId)).map((r) => `${r.kind}:${r.status}`);
    expect(kinds.filter((k) => k === 'contact-correction:done')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'contact-restriction:done')).toHaveLength(3);
  });

  it('lists the transfer agreements requests, recorded before the requests module, among the others', async () => {
    const requestedAt = NOW - 86_400_000;
    await deps.store.entities.transferAgreementsRequest
      .create({
        tenantId: SHOP.tenantId,
        requestId: 'ta_0123456789abcdef0123',
        requestedBy: 'u_owner',
        requestedAt,
        dueAt: requestedAt + 30 * 86_400_000,
      })
      .go();
    const listed = await listPrivacyRequests(deps.store, SHOP.tenantId);
    expect(listed.find((request) => request.kind === 'transfer-agreements')).toEqual({
      requestId: 'ta_0123456789abcdef0123',
      kind: 'transfer-agreements',
      source: 'app',
      status: 'open',
      requestedAt: new Date(requestedAt).toISOString(),
      dueAt: new Date(requestedAt + 30 * 86_400_000).toISOString(),
      completedAt: null,
      receipt: null,
    });
    // Newest first.
    const times = listed.map((request) => request.requestedAt);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('erasing a contact', () => {
  it('finishes an erasure stopped halfway when run again, and leaves nothing of the contact', async () => {
    const { contactId, conversationId } = await idsOf(SHOP, AYSE.phone);
    const before = await test.dumpTable();
    const objectsBefore = await test.bucketKeys();
    const other = await idsOf(SHOP, MEHMET.phone);
    const ofMehmet = (items: Record<string, unknown>[]) =>
      items.filter((item) => keysOf(item).includes(other.contactId) || keysOf(item).includes(other.conversationId));
    const otherShopBefore = itemsOf(before, OTHER_SHOP.tenantId);
    const mehmetBefore = ofMehmet(before);
    expect(mehmetBefore.length).toBeGreaterThan(3);
    expect(before.some((item) => keysOf(item).includes(conversationId))).toBe(true);
    expect(objectsBefore.filter((key) => key.includes(conversationId))).toHaveLength(2);

    // A conversation written before the byContact index: found by its derived id all the same.
    await test.platform.aws.dynamo.send(
      new UpdateItemCommand({
        TableName: test.env.TABLE_NAME,
        Key: { pk: { S: `t#${SHOP.tenantId}` }, sk: { S: `conversation#${conversationId}` } },
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      }),
    );

    // A crash in the middle: the area after the messages fails once.
    const crashing: ContactData[] = INBOX_CONTACT_DATA.map((entry) =>
      entry.dataClass === 'inbox.conversations'
        ? {
            ...entry,
            async erase() {
              throw new Error('the process stopped');
            },
          }
        : entry,
    );
    await expect(eraseContact({ ...deps, contactData: crashing }, member, SHOP.tenantId, contactId)).rejects.toThrow(
      /stopped/,
    );
    const halfway = await test.dumpTable();
    expect(halfway.some((item) => String(item.pk).includes(`conversation#${conversationId}`))).toBe(false);
    expect(halfway.some((item) => item.sk === `contact#${contactId}`)).toBe(true);

    const receipt = await eraseContact(deps, member, SHOP.tenantId, contactId);
    expect(erasureReceiptSchema.parse(receipt)).toEqual(receipt);
    expect(receipt.erasedBy).toBe('member:u_owner');
    const count = (name: string) => receipt.removed.find((entry) => entry.dataClass === name)?.count;
    expect(count('inbox.contacts')).toBe(2); // the profile and the user-id link
    expect(count('inbox.conversations')).toBeGreaterThanOrEqual(2); // the conversation and its ticket
    expect(count('inbox.consents')).toBeGreaterThanOrEqual(3);
    expect(count('privacy.contact-exports')).toBe(1);
    // One erasure request, opened by the stopped run and finished by the second.
    const erasures = (await listPrivacyRequests(deps.store, SHOP.tenantId)).filter((r) => r.kind === 'contact-erasure');
    expect(erasures).toEqual([expect.objectContaining({ requestId: receipt.requestId, status: 'done' })]);
    expect(erasures[0]?.receipt?.receiptId).toBe(receipt.receiptId);
    expect(JSON.stringify(receipt)).not.toContain(contactId);

    const after = await test.dumpTable();
    const objectsAfter = await test.bucketKeys();
    // Nothing names the contact or their conversation in a key, and no item of theirs is left:
    // only the requests (with their receipts) and the audit log (which names the request).
    const named = after.filter((item) => keysOf(item).includes(contactId) || keysOf(item).includes(conversationId));
    expect(named).toEqual([]);
    expect(after.filter((item) => item.contactId === contactId)).toEqual([]);
    expect(after.filter((item) => item.conversationId === conversationId)).toEqual([]);
    const plain = JSON.stringify(itemsOf(after, SHOP.tenantId));
    for (const secret of [AYSE.name, AYSE.phone, AYSE.userId, 'Ayşe Kaya', 'siparişim', 'HYPERLINK', 'ayse.kaya']) {
      expect(plain).not.toContain(secret);
    }
    expect(objectsAfter.filter((key) => key.includes(conversationId) || key.includes('/exports/'))).toEqual([]);
    for (const key of objectsAfter.filter((name) => name.startsWith(`tenants/${SHOP.tenantId}/`))) {
      const body = await test.platform.aws.s3.send(new GetObjectCommand({ Bucket: test.env.MEDIA_BUCKET, Key: key }));
      expect(await body.Body!.transformToString()).not.toContain(AYSE.name);
    }
    const erased = after.filter((item) => item.action === 'contact.erased');
    expect(erased).toEqual([expect.objectContaining({ targetType: 'privacy-request', targetId: receipt.requestId })]);

    // The other customer of the business, and the other business, untouched item for item.
    expect(ofMehmet(after)).toEqual(mehmetBefore);
    expect(itemsOf(after, OTHER_SHOP.tenantId)).toEqual(otherShopBefore);
    expect(objectsAfter.filter((key) => key.includes(other.conversationId))).toHaveLength(2);
    const ofOtherShop = (keys: string[]) => keys.filter((key) => key.startsWith(`tenants/${OTHER_SHOP.tenantId}/`));
    expect(ofOtherShop(objectsAfter)).toEqual(ofOtherShop(objectsBefore));
    expect(ofOtherShop(objectsAfter)).toHaveLength(4);

    // Erased is gone: a second erasure finds no contact.
    await expect(eraseContact(deps, member, SHOP.tenantId, contactId)).rejects.toThrow(NotFoundError);
  });

  it('completes the open request it is given (one recorded from a mail)', async () => {
    const { contactId } = await idsOf(OTHER_SHOP, MEHMET.phone);
    const mailed = await openPrivacyRequest(deps.store, {
      tenantId: OTHER_SHOP.tenantId,
      kind: 'contact-erasure',
      source: 'email',
      requestedBy: 'ops:lead',
      receivedAt: NOW - 3 * 86_400_000,
      contactId,
    });
    expect(Date.parse(mailed.dueAt) - Date.parse(mailed.requestedAt)).toBe(30 * 86_400_000);
    const due: string[] = [];
    for await (const open of openPrivacyRequestsDueBy(deps.store, NOW + 28 * 86_400_000)) due.push(open.requestId);
    expect(due).toContain(mailed.requestId);

    const receipt = await eraseContact(
      deps,
      { by: 'ops:lead', source: 'email', requestId: mailed.requestId },
      OTHER_SHOP.tenantId,
      contactId,
    );
    expect(receipt.requestId).toBe(mailed.requestId);
    const after: string[] = [];
    for await (const open of openPrivacyRequestsDueBy(deps.store, NOW + 60 * 86_400_000)) after.push(open.requestId);
    expect(after).not.toContain(mailed.requestId);
    // The request's contact id went with the erasure.
    const item = (await test.dumpTable()).find((i) => i.requestId === mailed.requestId);
    expect(item?.contactId).toBeUndefined();
    await expect(completePrivacyRequest(deps.store, OTHER_SHOP.tenantId, mailed.requestId, null)).rejects.toThrow(
      /already done/,
    );
  });
});
