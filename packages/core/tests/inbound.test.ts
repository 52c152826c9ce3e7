import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { PermanentError } from '../src/platform/errors.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
const tenantId = 't_shop';
beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring } = test.platform;
  await createTenant({ store, keyring }, tenantId, 'Kahve Dükkanı');
  await connectWhatsAppNumber({ store, keyring }, tenantId, '100000000000001', 'Main number');
});
afterAll(() => test.stop());

const message = (overrides: Partial<InboundMessage> = {}): InboundMessage => ({
  tenantId,
  channel: { kind: 'whatsapp', externalId: '100000000000001' },
  sender: { externalId: '905551112233', phone: '+905551112233', name: 'Ayşe Yılmaz' },
  providerMessageId: 'wamid.FIRST',
  sentAt: 1_764_374_400_000,
  receivedAt: 1_764_374_401_000,
  position: 0,
  type: 'text',
  text: 'Siparişim nerede? 🙏',
  ...overrides,
});

async function conversationOf(conversationId: string) {
  return (await test.platform.store.entities.conversation.get({ tenantId, conversationId }).go()).data;
}

describe('recordInbound', () => {
  it('records contact, conversation and message with personal fields sealed', async () => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(tenantId);
    const result = await recordInbound({ store, keys }, message());
    expect(result.duplicate).toBe(false);

    const contact = (await store.entities.contact.get({ tenantId, contactId: result.contactId }).go()).data;
    expect(contact?.phone).not.toContain('5551112233');
    expect(keys.open('contact', 'phone', result.contactId, contact?.phone ?? '')).toBe('+905551112233');
    expect(keys.open('contact', 'name', result.contactId, contact?.name ?? '')).toBe('Ayşe Yılmaz');

    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId: result.conversationId })
      .go();
    expect(messages.data).toHaveLength(1);
    expect(keys.open('message', 'text', result.messageId, messages.data[0]?.text ?? '')).toBe('Siparişim nerede? 🙏');
    expect(messages.data[0]?.providerMessageId).not.toContain('FIRST');

    const conversation = await conversationOf(result.conversationId);
    expect(conversation).toMatchObject({
      status: 'open',
      lastMessageAt: 1_764_374_400_000,
      contactId: result.contactId,
    });
  });

  it('applies a redelivered message once', async () => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(tenantId);
    const again = await recordInbound({ store, keys }, message());
    expect(again.duplicate).toBe(true);
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId: again.conversationId })
      .go();
    expect(messages.data).toHaveLength(1);
  });

  it('never moves a conversation backwards when an older message arrives late', async () => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(tenantId);
    const newer = await recordInbound(
      { store, keys },
      message({ providerMessageId: 'wamid.NEWER', sentAt: 1_764_374_500_000, text: 'yeni' }),
    );
    await recordInbound(
      { store, keys },
      message({ providerMessageId: 'wamid.OLDER', sentAt: 1_764_374_450_000, text: 'eski' }),
    );
    const conversation = await conversationOf(newer.conversationId);
    expect(conversation?.lastMessageAt).toBe(1_764_374_500_000);
    expect(
      keys.open('conversation', 'lastMessagePreview', newer.conversationId, conversation?.lastMessagePreview ?? ''),
    ).toBe('yeni');
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId: newer.conversationId })
      .go();
    expect(messages.data.map((m) => m.sentAt)).toEqual([1_764_374_400_000, 1_764_374_450_000, 1_764_374_500_000]);
  });

  it('keeps what the team set on a conversation, and reopens it, when a new message arrives', async () => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(tenantId);
    const first = await recordInbound({ store, keys }, message({ providerMessageId: 'wamid.KEEP1' }));
    const created = await conversationOf(first.conversationId);
    await store.entities.conversation
      .patch({ tenantId, conversationId: first.conversationId })
      .set({
        lastReadAt: 1_764_374_600_000,
        status: 'resolved',
        unreadCount: 0,
        assigneeId: 'acc_agent',
        labels: ['iade'],
      })
      .go();
    await recordInbound({ store, keys }, message({ providerMessageId: 'wamid.KEEP2', sentAt: 1_764_374_700_000 }));
    // The customer wrote again: the team owes an answer, so it is open and unread again.
    expect(await conversationOf(first.conversationId)).toMatchObject({
      lastReadAt: 1_764_374_600_000,
      assigneeId: 'acc_agent',
      labels: ['iade'],
      status: 'open',
      unreadCount: 1,
      lastInboundAt: 1_764_374_700_000,
      createdAt: created?.createdAt,
      channelKind: 'whatsapp',
      lastMessageAt: 1_764_374_700_000,
    });
  });

  it('refuses messages for a number the tenant has not connected', async () => {
    const { store, keyring } = test.platform;
    const keys = await keyring.forTenant(tenantId);
    await expect(
      recordInbound({ store, keys }, message({ channel: { kind: 'whatsapp', externalId: '999' } })),
    ).rejects.toThrow(PermanentError);
  });
});
