import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWork, recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { type MetaEventDeps, processMetaDelivery } from '../src/channels/meta/events.js';
import { mediaRequestFor } from '../src/channels/meta/media-fetch.js';
import type { MediaFetchRequest } from '../src/channels/meta/media-queue.js';
import { connectChannel, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Messenger and Instagram, through the worker that takes Meta's deliveries: customers known only
 * by their page- or Instagram-scoped id, attachments, story replies and mentions, reactions,
 * echoes of what the business sent elsewhere, unsent and edited messages, receipts.
 */
let test: TestPlatform;
const SHOP = { tenantId: 't_msg', page: '100000000000504', instagram: '17841400000000503' };
const T = 1_764_374_400_000;
/** The platform's own Meta app: its echoes are replies Asistone sent. */
const OWN_APP_ID = '100000000000888';

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Çiçekçi');
  await connectChannel(deps, SHOP.tenantId, { kind: 'messenger', externalId: SHOP.page, label: 'Sayfa' });
  await connectChannel(deps, SHOP.tenantId, { kind: 'instagram', externalId: SHOP.instagram, label: 'Instagram' });
});
afterAll(() => test.stop());

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** Delivers entries of one object; the media requests the worker would queue are collected. */
async function deliver(object: 'page' | 'instagram', id: string, messaging: unknown[], receivedAt = T + 1000) {
  const requests: MediaFetchRequest[] = [];
  const deps: MetaEventDeps = {
    store: test.platform.store,
    keyring: test.platform.keyring,
    log: quiet,
    ownAppIds: [OWN_APP_ID],
    async onRecorded(message, recorded) {
      const request = mediaRequestFor(await test.platform.keyring.forTenant(message.tenantId), message, recorded);
      if (request) requests.push(request);
    },
  };
  const body = JSON.stringify({ object, entry: [{ id, time: receivedAt, messaging }] });
  const report = await processMetaDelivery(deps, metaDelivery(Buffer.from(body, 'utf8'), receivedAt));
  return { report, requests };
}

const fromCustomer = (business: string, customer: string, message: Record<string, unknown>, at = T) => ({
  sender: { id: customer },
  recipient: { id: business },
  timestamp: at,
  message,
});

/** The one conversation with a customer, its contact and messages, opened. */
async function threadWith(customer: string) {
  const { store, keyring } = test.platform;
  const tenantId = SHOP.tenantId;
  const keys = await keyring.forTenant(tenantId);
  const all = await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' });
  for (const conversation of all.data) {
    const contact = (await store.entities.contact.get({ tenantId, contactId: conversation.contactId }).go()).data;
    if (!contact?.userId || keys.open('contact', 'userId', contact.contactId, contact.userId) !== customer) continue;
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId: conversation.conversationId })
      .go({ pages: 'all' });
    return {
      conversation,
      contact,
      preview:
        conversation.lastMessagePreview &&
        keys.open('conversation', 'lastMessagePreview', conversation.conversationId, conversation.lastMessagePreview),
      messages: messages.data.map((m) => ({
        ...m,
        text: m.text && keys.open('message', 'text', m.messageId, m.text),
        details: m.details ? JSON.parse(keys.open('message', 'details', m.messageId, m.details)) : undefined,
      })),
    };
  }
  throw new Error('no conversation with this customer');
}

describe('Messenger', () => {
  it('keeps a customer known only by their page-scoped id, and counts the message unread', async () => {
    const psid = '24000000000000001';
    const { report } = await deliver('page', SHOP.page, [
      fromCustomer(SHOP.page, psid, { mid: 'm_A1', text: 'Merhaba, gül var mı?' }),
    ]);
    expect(report).toMatchObject({ recorded: 1, skipped: 0 });
    const thread = await threadWith(psid);
    expect(thread.contact.phone).toBeUndefined();
    expect(thread.contact.userId).not.toContain(psid);
    expect(thread.conversation).toMatchObject({
      channelKind: 'messenger',
      channelId: SHOP.page,
      unreadCount: 1,
      status: 'open',
      lastInboundAt: T,
    });
    expect(thread.messages).toMatchObject([{ direction: 'inbound', type: 'text', text: 'Merhaba, gül var mı?' }]);
  });

  it('records a button tap and a quick reply with what was tapped', async () => {
    const psid = '24000000000000002';
    await deliver('page', SHOP.page, [
      {
        sender: { id: psid },
        recipient: { id: SHOP.page },
        timestamp: T,
        postback: { mid: 'm_PB1', title: 'Siparişim', payload: 'ORDER_STATUS' },
      },
      fromCustomer(SHOP.page, psid, { mid: 'm_QR1', text: 'Kırmızı', quick_reply: { payload: 'COLOR_RED' } }, T + 1000),
    ]);
    const { messages } = await threadWith(psid);
    expect(messages.map(({ type, text, details }) => ({ type, text, details }))).toEqual([
      {
        type: 'interactive',
        text: 'Siparişim',
        details: { reply: { kind: 'postback', id: 'ORDER_STATUS', title: 'Siparişim' } },
      },
      { type: 'text', text: 'Kırmızı', details: { reply: { kind: 'quick_reply', id: 'COLOR_RED', title: 'Kırmızı' } } },
    ]);
  });

  it('keeps an attachment by its link and asks for a copy of it, sealed', async () => {
    const psid = '24000000000000003';
    const url = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?_nc_sig=abc';
    const { requests } = await deliver('page', SHOP.page, [
      fromCustomer(SHOP.page, psid, { mid: 'm_IMG1', attachments: [{ type: 'image', payload: { url } }] }),
    ]);
    const { messages } = await threadWith(psid);
    expect(messages[0]).toMatchObject({
      type: 'image',
      details: { media: { url }, attachments: [{ type: 'image', url }] },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ messageType: 'image', channel: { kind: 'messenger', externalId: SHOP.page } });
    expect(JSON.stringify(requests[0])).not.toContain('fbcdn');
  });

  it('records an echo of a reply sent from Page Inbox as the business’s, once, without unread', async () => {
    const psid = '24000000000000004';
    await deliver('page', SHOP.page, [fromCustomer(SHOP.page, psid, { mid: 'm_E0', text: 'Fiyat?' })]);
    const echo = {
      sender: { id: SHOP.page },
      recipient: { id: psid },
      timestamp: T + 60_000,
      message: { mid: 'm_E1', text: '120 TL', is_echo: true, app_id: 263902037430900 },
    };
    const first = await deliver('page', SHOP.page, [echo]);
    const again = await deliver('page', SHOP.page, [echo]);
    expect(first.report.recorded).toBe(1);
    expect(again.report).toMatchObject({ recorded: 0, duplicates: 1 });
    const thread = await threadWith(psid);
    expect(thread.messages.map(({ direction, text, status }) => ({ direction, text, status }))).toEqual([
      { direction: 'inbound', text: 'Fiyat?', status: 'received' },
      { direction: 'outbound', text: '120 TL', status: 'sent' },
    ]);
    expect(thread.messages[1]?.details).toMatchObject({ sentElsewhere: { appId: '263902037430900' } });
    expect(thread.conversation).toMatchObject({ unreadCount: 1, lastInboundAt: T, lastOutboundAt: T + 60_000 });
    expect(thread.preview).toBe('120 TL');

    // The customer's receipts apply to it: Messenger names delivered messages by id, and says
    // read for everything up to a time.
    await deliver('page', SHOP.page, [
      {
        sender: { id: psid },
        recipient: { id: SHOP.page },
        timestamp: T + 70_000,
        delivery: { mids: ['m_E1'], watermark: T + 70_000 },
      },
      { sender: { id: psid }, recipient: { id: SHOP.page }, timestamp: T + 80_000, read: { watermark: T + 80_000 } },
    ]);
    expect((await threadWith(psid)).messages[1]).toMatchObject({ status: 'read', statusAt: T + 80_000 });

    // A read watermark that arrives before the echo it covers still applies to it.
    await deliver('page', SHOP.page, [
      { sender: { id: psid }, recipient: { id: SHOP.page }, timestamp: T + 99_000, read: { watermark: T + 95_000 } },
    ]);
    await deliver('page', SHOP.page, [
      { ...echo, timestamp: T + 90_000, message: { mid: 'm_E2', text: 'Teşekkürler', is_echo: true } },
      { ...echo, timestamp: T + 96_000, message: { mid: 'm_E3', text: 'Sonra okunacak', is_echo: true } },
    ]);
    expect((await threadWith(psid)).messages.map(({ text, status }) => ({ text, status }))).toEqual([
      { text: 'Fiyat?', status: 'received' },
      { text: '120 TL', status: 'read' },
      { text: 'Teşekkürler', status: 'read' },
      { text: 'Sonra okunacak', status: 'sent' },
    ]);
  });

  it('leaves the echo of Asistone’s own send to the outbound worker', async () => {
    const psid = '24000000000000005';
    await deliver('page', SHOP.page, [fromCustomer(SHOP.page, psid, { mid: 'm_O0', text: 'Selam' })]);
    const { report } = await deliver('page', SHOP.page, [
      {
        sender: { id: SHOP.page },
        recipient: { id: psid },
        timestamp: T + 1000,
        message: { mid: 'm_O1', text: 'Merhaba!', is_echo: true, metadata: 'asistone:ms_123' },
      },
    ]);
    expect(report).toMatchObject({ recorded: 0, duplicates: 1 });
    // Instagram echoes carry no metadata: the sending app names Asistone's own replies.
    const own = await deliver('page', SHOP.page, [
      {
        sender: { id: SHOP.page },
        recipient: { id: psid },
        timestamp: T + 2000,
        message: { mid: 'm_O2', text: 'Kargoya verildi', is_echo: true, app_id: Number(OWN_APP_ID) },
      },
    ]);
    expect(own.report).toMatchObject({ recorded: 0, duplicates: 1 });
    expect((await threadWith(psid)).messages).toHaveLength(1);
  });

  it('replaces the text of an edited message', async () => {
    const psid = '24000000000000006';
    await deliver('page', SHOP.page, [fromCustomer(SHOP.page, psid, { mid: 'm_ED1', text: 'yarın gelirim' })]);
    await deliver('page', SHOP.page, [
      {
        sender: { id: psid },
        recipient: { id: SHOP.page },
        timestamp: T + 5000,
        message_edit: { mid: 'm_ED1', text: 'bugün gelirim', num_edit: 1 },
      },
    ]);
    expect((await threadWith(psid)).messages).toMatchObject([{ text: 'bugün gelirim' }]);
  });
});

describe('Instagram', () => {
  it('keeps a story reply and a story mention with their story', async () => {
    const igsid = '17840000000000001';
    const cdn = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x';
    await deliver('instagram', SHOP.instagram, [
      fromCustomer(SHOP.instagram, igsid, {
        mid: 'aWdfZAG1A',
        text: 'Bu ne kadar?',
        reply_to: { story: { url: cdn, id: '1790000000001' } },
      }),
      fromCustomer(
        SHOP.instagram,
        igsid,
        { mid: 'aWdfZAG1B', attachments: [{ type: 'story_mention', payload: { url: cdn } }] },
        T + 1000,
      ),
    ]);
    const { messages, conversation } = await threadWith(igsid);
    expect(messages.map(({ type, text, details }) => ({ type, text, details }))).toEqual([
      { type: 'text', text: 'Bu ne kadar?', details: { story: { kind: 'reply', id: '1790000000001', url: cdn } } },
      {
        type: 'story_mention',
        text: undefined,
        details: { story: { kind: 'mention', url: cdn }, attachments: [{ type: 'story_mention', url: cdn }] },
      },
    ]);
    expect(conversation).toMatchObject({ channelKind: 'instagram', unreadCount: 2 });
  });

  it('keeps a reaction and its removal with their target, each once', async () => {
    const igsid = '17840000000000002';
    const react = {
      sender: { id: igsid },
      recipient: { id: SHOP.instagram },
      timestamp: T + 2000,
      reaction: { mid: 'aWdfTARGET', action: 'react', reaction: 'love', emoji: '❤️' },
    };
    const unreact = { ...react, timestamp: T + 3000, reaction: { mid: 'aWdfTARGET', action: 'unreact' } };
    await deliver('instagram', SHOP.instagram, [react, unreact]);
    await deliver('instagram', SHOP.instagram, [unreact, react]);
    const { messages } = await threadWith(igsid);
    expect(messages.map(({ type, details }) => ({ type, details }))).toEqual([
      { type: 'reaction', details: { reaction: { messageId: 'aWdfTARGET', emoji: '❤️' } } },
      { type: 'reaction', details: { reaction: { messageId: 'aWdfTARGET', emoji: '' } } },
    ]);
  });

  it('marks an unsent message deleted: the fact stays, the content goes', async () => {
    const igsid = '17840000000000003';
    await deliver('instagram', SHOP.instagram, [
      fromCustomer(SHOP.instagram, igsid, { mid: 'aWdfDEL1', text: 'yanlış kişiye' }),
    ]);
    await deliver('instagram', SHOP.instagram, [
      fromCustomer(SHOP.instagram, igsid, { mid: 'aWdfDEL1', is_deleted: true }, T + 9000),
    ]);
    const { messages } = await threadWith(igsid);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ deletedAt: T + 9000, text: undefined, details: undefined });
  });

  it('applies a read (messaging_seen) to the business’s message it names', async () => {
    const igsid = '17840000000000004';
    await deliver('instagram', SHOP.instagram, [
      {
        sender: { id: SHOP.instagram },
        recipient: { id: igsid },
        timestamp: T,
        message: { mid: 'aWdfOUT1', text: 'Kargoda', is_echo: true },
      },
    ]);
    await deliver('instagram', SHOP.instagram, [
      { sender: { id: igsid }, recipient: { id: SHOP.instagram }, timestamp: T + 4000, read: { mid: 'aWdfOUT1' } },
    ]);
    expect((await threadWith(igsid)).messages[0]).toMatchObject({
      direction: 'outbound',
      status: 'read',
      statusAt: T + 4000,
    });
  });

  it('stores the good events of an entry that also holds malformed ones, and acknowledges nobody’s account', async () => {
    const igsid = '17840000000000005';
    const { report } = await deliver('instagram', SHOP.instagram, [
      {
        sender: { id: igsid },
        recipient: { id: SHOP.instagram },
        timestamp: 'dün',
        message: { mid: 'x', text: 'bozuk' },
      },
      fromCustomer(SHOP.instagram, igsid, { text: 'mid yok' }),
      fromCustomer(SHOP.instagram, igsid, { mid: 'aWdfGOOD', text: 'sağlam' }),
    ]);
    expect(report).toMatchObject({ recorded: 1, skipped: 2 });
    expect((await threadWith(igsid)).messages.map((m) => m.text)).toEqual(['sağlam']);
    const nobody = await deliver('instagram', '17841400000000999', [
      fromCustomer('17841400000000999', igsid, { mid: 'aWdfX', text: 'kime' }),
    ]);
    expect(nobody.report).toMatchObject({ unknownBusiness: 1, recorded: 0 });
  });
});

describe('the conversation’s side of a customer message', () => {
  it('stores a Messenger message from a known customer with three writes', async () => {
    const psid = '24000000000000012';
    await deliver('page', SHOP.page, [fromCustomer(SHOP.page, psid, { mid: 'm_W1', text: 'ilk' })]);
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    await deliver('page', SHOP.page, [fromCustomer(SHOP.page, psid, { mid: 'm_W2', text: 'ikinci' }, T + 1000)]);
    const work = describeWork(recorder.calls);
    const writes = work.filter((call) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(call));
    expect(writes, work.join('\n')).toHaveLength(3);
    expect((await threadWith(psid)).conversation.unreadCount).toBe(2);
  });

  it('counts a message delivered several times at once (each delivery with its own arrival) once', async () => {
    const psid = '24000000000000011';
    const message = fromCustomer(SHOP.page, psid, { mid: 'm_RACE1', text: 'aynı anda' });
    await Promise.all([1, 2, 3, 4].map((n) => deliver('page', SHOP.page, [message], T + 1000 * n)));
    const thread = await threadWith(psid);
    expect(thread.messages).toHaveLength(1);
    expect(thread.conversation.unreadCount).toBe(1);
  });

  it('counts new messages unread once each, reopens a resolved conversation, and keeps the team’s fields', async () => {
    const psid = '24000000000000010';
    const message = (mid: string, at: number) => fromCustomer(SHOP.page, psid, { mid, text: mid }, at);
    await deliver('page', SHOP.page, [message('m_U1', T), message('m_U2', T + 1000)]);
    await deliver('page', SHOP.page, [message('m_U2', T + 1000)]);
    const first = await threadWith(psid);
    expect(first.conversation.unreadCount).toBe(2);

    const { store } = test.platform;
    const key = { tenantId: SHOP.tenantId, conversationId: first.conversation.conversationId };
    await store.entities.conversation
      .patch(key)
      .set({ status: 'resolved', unreadCount: 0, lastReadAt: T + 2000, assigneeId: 'acc_1', labels: ['vip'] })
      .go();
    // An older message arriving late still counts and reopens, without moving the preview.
    await deliver('page', SHOP.page, [message('m_U0', T - 5000)]);
    const late = await threadWith(psid);
    expect(late.conversation).toMatchObject({
      status: 'open',
      unreadCount: 1,
      lastReadAt: T + 2000,
      assigneeId: 'acc_1',
      labels: ['vip'],
    });
    expect(late.preview).toBe('m_U2');
    expect(late.conversation.lastInboundAt).toBe(T + 1000);

    await store.entities.conversation.patch(key).set({ status: 'resolved' }).go();
    await deliver('page', SHOP.page, [message('m_U3', T + 9000)]);
    const reopened = await threadWith(psid);
    expect(reopened.conversation).toMatchObject({
      status: 'open',
      unreadCount: 2,
      lastInboundAt: T + 9000,
      assigneeId: 'acc_1',
    });
    expect(reopened.preview).toBe('m_U3');
  });
});
