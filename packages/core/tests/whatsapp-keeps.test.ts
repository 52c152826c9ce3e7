import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWork, recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/** What the inbox keeps of a WhatsApp message, through the worker that takes Meta's deliveries. */
let test: TestPlatform;
const SHOP = { tenantId: 't_keeps', number: '100000000000301', waba: '100000000000302' };
const SECOND = 1_764_374_400;

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Kahve Dükkanı');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Dükkan', SHOP.waba);
});
afterAll(() => test.stop());

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

const text = (from: string, id: string, body: string, timestamp = String(SECOND)) => ({
  from,
  id,
  timestamp,
  type: 'text',
  text: { body },
});

async function deliver(
  from: string,
  messages: unknown[],
  receivedAt = SECOND * 1000 + 1000,
  statuses?: unknown[],
  contacts: unknown[] = [{ profile: { name: 'Ayşe Yılmaz' }, wa_id: from }],
) {
  const body = whatsappMessagesDelivery(SHOP, { contacts, messages, ...(statuses && { statuses }) });
  return processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log: quiet },
    metaDelivery(body, receivedAt),
  );
}

/** The conversations of one customer (there is one per customer and number), opened. */
async function conversationWith(from: string) {
  const { store, keyring } = test.platform;
  const keys = await keyring.forTenant(SHOP.tenantId);
  const all = await store.entities.conversation.query.byId({ tenantId: SHOP.tenantId }).go({ pages: 'all' });
  for (const conversation of all.data) {
    const messages = await store.entities.message.query
      .byConversation({ tenantId: SHOP.tenantId, conversationId: conversation.conversationId })
      .go({ pages: 'all' });
    const opened = messages.data.map((m) => ({
      ...m,
      text: m.text && keys.open('message', 'text', m.messageId, m.text),
    }));
    const contact = (
      await store.entities.contact.get({ tenantId: SHOP.tenantId, contactId: conversation.contactId }).go()
    ).data;
    if (contact?.phone && keys.open('contact', 'phone', contact.contactId, contact.phone) === `+${from}`) {
      const preview = conversation.lastMessagePreview
        ? keys.open('conversation', 'lastMessagePreview', conversation.conversationId, conversation.lastMessagePreview)
        : undefined;
      return { conversation, preview, messages: opened };
    }
  }
  throw new Error('no conversation with this customer');
}

describe('timestamps', () => {
  it('keeps a message with a millisecond timestamp without pinning its conversation in the future', async () => {
    const from = '905551120001';
    const receivedAt = SECOND * 1000 + 1000;
    await deliver(from, [text(from, 'wamid.MS1', 'milisaniye', String(SECOND * 1000))], receivedAt);
    const first = await conversationWith(from);
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]).toMatchObject({ text: 'milisaniye', sentAt: receivedAt, timestampFlag: 'future' });
    expect(first.conversation.lastMessageAt).toBeLessThanOrEqual(receivedAt);

    // The next real message still becomes the conversation's newest.
    await deliver(from, [text(from, 'wamid.MS2', 'sonraki', String(SECOND + 60))], receivedAt + 61_000);
    const after = await conversationWith(from);
    expect(after.preview).toBe('sonraki');
    expect(after.conversation.lastMessageAt).toBe((SECOND + 60) * 1000);

    // Redelivered (the queue retries the same delivery): nothing changes.
    await deliver(from, [text(from, 'wamid.MS1', 'milisaniye', String(SECOND * 1000))], receivedAt);
    const again = await conversationWith(from);
    expect(again.messages).toHaveLength(2);
    expect(again.preview).toBe('sonraki');
  });

  it('shows the later of two messages sent in the same second, within one delivery', async () => {
    const from = '905551120002';
    await deliver(from, [text(from, 'wamid.SAME1', 'ilk'), text(from, 'wamid.SAME2', 'ikinci')]);
    expect((await conversationWith(from)).preview).toBe('ikinci');
  });

  it('shows the later-received of two messages sent in the same second, whatever order they are processed in', async () => {
    const from = '905551120003';
    await deliver(from, [text(from, 'wamid.LATE2', 'sonra gelen')], SECOND * 1000 + 2000);
    await deliver(from, [text(from, 'wamid.LATE1', 'önce gelen')], SECOND * 1000 + 1000);
    expect((await conversationWith(from)).preview).toBe('sonra gelen');

    const other = '905551120004';
    await deliver(other, [text(other, 'wamid.INORDER1', 'önce gelen')], SECOND * 1000 + 1000);
    await deliver(other, [text(other, 'wamid.INORDER2', 'sonra gelen')], SECOND * 1000 + 2000);
    expect((await conversationWith(other)).preview).toBe('sonra gelen');
  });
});

/** The opened details of each of a customer's messages, by provider message id. */
async function detailsWith(from: string) {
  const { keyring } = test.platform;
  const keys = await keyring.forTenant(SHOP.tenantId);
  const { messages } = await conversationWith(from);
  return messages.map((m) => ({
    type: m.type,
    text: m.text,
    details: m.details ? JSON.parse(keys.open('message', 'details', m.messageId, m.details)) : undefined,
  }));
}

describe('message details', () => {
  it('keeps every kind of message with its details sealed, and drops none', async () => {
    const from = '905551130001';
    const at = (n: number) => String(SECOND + n);
    const kinds = [
      { type: 'reaction', reaction: { message_id: 'wamid.TARGET', emoji: '👍' } },
      { type: 'reaction', reaction: { message_id: 'wamid.TARGET' } },
      { type: 'image', image: { id: 'media-img', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'Bu ürün' } },
      { type: 'audio', audio: { id: 'media-voice', mime_type: 'audio/ogg; codecs=opus', sha256: 'def=', voice: true } },
      { type: 'video', video: { id: 'media-vid', mime_type: 'video/mp4', sha256: 'ghi=' } },
      {
        type: 'document',
        document: { id: 'media-doc', mime_type: 'application/pdf', sha256: 'jkl=', filename: 'fatura.pdf' },
      },
      { type: 'sticker', sticker: { id: 'media-stk', mime_type: 'image/webp', sha256: 'mno=', animated: false } },
      { type: 'location', location: { latitude: 41.0082, longitude: 28.9784, name: 'Dükkan', address: 'İstanbul' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Mehmet' }, phones: [{ phone: '+905551234567' }] }] },
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Evet' } } },
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'size-m', title: 'Orta' } } },
      { type: 'button', button: { payload: 'track-order', text: 'Siparişim nerede' } },
      {
        type: 'order',
        order: { catalog_id: 'cat-1', product_items: [{ product_retailer_id: 'a' }, { product_retailer_id: 'b' }] },
      },
      { type: 'system', system: { body: 'Ayşe changed her number', type: 'user_changed_number' } },
      {
        type: 'text',
        text: { body: 'Reklamdan geldim' },
        referral: { source_url: 'https://fb.me/x', source_type: 'ad', source_id: '42', headline: 'İndirim' },
      },
      { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }], unsupported: { type: 'poll' } },
      { type: 'hologram', hologram: { id: 'x' } },
    ].map((message, n) => ({ from, id: `wamid.KIND${n}`, timestamp: at(n), ...message }));
    const report = await deliver(from, kinds, (SECOND + 100) * 1000);
    expect(report.recorded).toBe(kinds.length);
    expect(report.skipped).toBe(0);

    expect(await detailsWith(from)).toEqual([
      { type: 'reaction', text: undefined, details: { reaction: { messageId: 'wamid.TARGET', emoji: '👍' } } },
      { type: 'reaction', text: undefined, details: { reaction: { messageId: 'wamid.TARGET', emoji: '' } } },
      {
        type: 'image',
        text: 'Bu ürün',
        details: { media: { id: 'media-img', mimeType: 'image/jpeg', sha256: 'abc=' } },
      },
      {
        type: 'audio',
        text: undefined,
        details: { media: { id: 'media-voice', mimeType: 'audio/ogg; codecs=opus', sha256: 'def=', voice: true } },
      },
      {
        type: 'video',
        text: undefined,
        details: { media: { id: 'media-vid', mimeType: 'video/mp4', sha256: 'ghi=' } },
      },
      {
        type: 'document',
        text: undefined,
        details: { media: { id: 'media-doc', mimeType: 'application/pdf', sha256: 'jkl=', filename: 'fatura.pdf' } },
      },
      {
        type: 'sticker',
        text: undefined,
        details: { media: { id: 'media-stk', mimeType: 'image/webp', sha256: 'mno=' } },
      },
      {
        type: 'location',
        text: undefined,
        details: { location: { latitude: 41.0082, longitude: 28.9784, name: 'Dükkan', address: 'İstanbul' } },
      },
      {
        type: 'contacts',
        text: undefined,
        details: { contacts: [{ name: { formatted_name: 'Mehmet' }, phones: [{ phone: '+905551234567' }] }] },
      },
      { type: 'interactive', text: 'Evet', details: { reply: { kind: 'button_reply', id: 'yes', title: 'Evet' } } },
      { type: 'interactive', text: 'Orta', details: { reply: { kind: 'list_reply', id: 'size-m', title: 'Orta' } } },
      {
        type: 'button',
        text: 'Siparişim nerede',
        details: { reply: { kind: 'template_button', id: 'track-order', title: 'Siparişim nerede' } },
      },
      { type: 'order', text: undefined, details: { order: { catalogId: 'cat-1', itemCount: 2 } } },
      {
        type: 'system',
        text: 'Ayşe changed her number',
        details: { system: { kind: 'user_changed_number' } },
      },
      {
        type: 'text',
        text: 'Reklamdan geldim',
        details: {
          referral: { source_url: 'https://fb.me/x', source_type: 'ad', source_id: '42', headline: 'İndirim' },
        },
      },
      { type: 'unsupported', text: undefined, details: { unsupported: { type: 'poll', errorCode: 131051 } } },
      { type: 'unsupported', text: undefined, details: { unsupported: { type: 'hologram' } } },
    ]);
  });
});

const status = (id: string, to: string, value: string, at: number, extra: Record<string, unknown> = {}) => ({
  id,
  status: value,
  timestamp: String(at),
  recipient_id: to,
  pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' },
  ...extra,
});

describe('statuses', () => {
  it('applies statuses to a known message by their time, whatever order they arrive in', async () => {
    const to = '905551140001';
    await deliver(to, [text(to, 'wamid.ST1', 'durum')]);
    await deliver(to, [], undefined, [status('wamid.ST1', to, 'read', SECOND + 20)]);
    await deliver(to, [], undefined, [
      status('wamid.ST1', to, 'delivered', SECOND + 10),
      status('wamid.ST1', to, 'sent', SECOND + 5),
    ]);
    const [message] = (await conversationWith(to)).messages;
    expect(message).toMatchObject({ status: 'read', statusAt: (SECOND + 20) * 1000, pricingCategory: 'service' });
  });

  it('keeps a failure with the provider error code and title', async () => {
    const to = '905551140002';
    await deliver(to, [text(to, 'wamid.ST2', 'olmadı')]);
    const failed = status('wamid.ST2', to, 'failed', SECOND + 30, {
      errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }],
    });
    await deliver(to, [], undefined, [failed]);
    await deliver(to, [], undefined, [failed]);
    const [message] = (await conversationWith(to)).messages;
    expect(message).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message' });
  });

  it('keeps a status that arrives before its message and applies it when the message is stored', async () => {
    const to = '905551140003';
    await deliver(to, [], undefined, [status('wamid.ST3', to, 'delivered', SECOND + 10)]);
    await deliver(to, [text(to, 'wamid.ST3', 'geç geldim')]);
    const [message] = (await conversationWith(to)).messages;
    expect(message).toMatchObject({ status: 'delivered', statusAt: (SECOND + 10) * 1000, pricingCategory: 'service' });
  });
});

describe('customers by business-scoped user id', () => {
  const byUserId = async (userId: string) => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(SHOP.tenantId);
    const all = await store.entities.conversation.query.byId({ tenantId: SHOP.tenantId }).go({ pages: 'all' });
    const found = [];
    for (const conversation of all.data) {
      const contact = (
        await store.entities.contact.get({ tenantId: SHOP.tenantId, contactId: conversation.contactId }).go()
      ).data;
      if (contact?.userId && keys.open('contact', 'userId', contact.contactId, contact.userId) === userId) {
        const messages = await store.entities.message.query
          .byConversation({ tenantId: SHOP.tenantId, conversationId: conversation.conversationId })
          .go();
        found.push({
          contact,
          name: contact.name && keys.open('contact', 'name', contact.contactId, contact.name),
          messages: messages.data.length,
        });
      }
    }
    return found;
  };
  const fromUser = (userId: string, id: string, body: string) => ({
    from_user_id: userId,
    id,
    timestamp: String(SECOND),
    type: 'text',
    text: { body },
  });

  it('keeps a message from a customer known only by user id, in one contact for all their messages', async () => {
    const userId = 'TR.1502576394655843';
    const contacts = [{ profile: { name: 'kullanici_adi' }, user_id: userId }];
    const first = await deliver('', [fromUser(userId, 'wamid.UID1', 'merhaba')], undefined, undefined, contacts);
    expect(first.recorded).toBe(1);
    await deliver('', [fromUser(userId, 'wamid.UID2', 'orada mısınız')], undefined, undefined, contacts);
    const found = await byUserId(userId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: 'kullanici_adi', messages: 2 });
    expect(found[0]?.contact.phone).toBeUndefined();
  });

  it('finds the contact first seen with a phone when the customer later comes with the user id only', async () => {
    const userId = 'TR.9990001112223334';
    const phone = '905551150001';
    await deliver(phone, [{ ...text(phone, 'wamid.UID3', 'telefonla'), from_user_id: userId }], undefined, undefined, [
      { profile: { name: 'Ayşe' }, wa_id: phone, user_id: userId },
    ]);
    await deliver('', [fromUser(userId, 'wamid.UID4', 'kullanıcı adıyla')], undefined, undefined, [
      { profile: { name: 'Ayşe' }, user_id: userId },
    ]);
    const found = await byUserId(userId);
    expect(found).toHaveLength(1);
    expect(found[0]?.messages).toBe(2);
    expect(found[0]?.contact.phone).toBeDefined();
  });
});

describe('storage work', () => {
  it('stores a message from a known customer with at most three writes', async () => {
    const from = '905551160001';
    const userId = 'TR.5550001112223334';
    const contacts = [{ profile: { name: 'Ayşe' }, wa_id: from, user_id: userId }];
    await deliver(
      from,
      [{ ...text(from, 'wamid.WORK1', 'ilk'), from_user_id: userId }],
      undefined,
      undefined,
      contacts,
    );
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    await deliver(
      from,
      [{ ...text(from, 'wamid.WORK2', 'ikinci', String(SECOND + 1)), from_user_id: userId }],
      undefined,
      undefined,
      contacts,
    );
    const work = describeWork(recorder.calls);
    const writes = work.filter((call) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(call));
    expect(writes, work.join('\n')).toHaveLength(3);
    expect((await conversationWith(from)).preview).toBe('ikinci');
    // The status Meta may have sent before the message arrived is read strongly consistent.
    const statusRead = recorder.calls.find(
      (call) =>
        call.command === 'GetItemCommand' &&
        String((call.input.Key as { sk?: unknown }).sk).startsWith('messagestatus#'),
    );
    expect(statusRead?.input.ConsistentRead).toBe(true);
  });
});
