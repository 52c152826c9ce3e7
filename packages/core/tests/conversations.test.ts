import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeConversation, listConversations, normalisePhone } from '../src/inbox/conversations.js';
import { recordInbound } from '../src/inbox/inbound.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/** The conversation list's pages and filters against the local DynamoDB. */
let test: TestPlatform;
const SHOP = { tenantId: 't_list', number: '100000000000501', waba: '100000000000502' };
const START = 1_764_374_400_000;
const ids: string[] = [];

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Liste');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Liste', SHOP.waba);
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  for (let i = 0; i < 60; i += 1) {
    const wa = `90555000${String(i).padStart(4, '0')}`;
    const { conversationId } = await recordInbound(
      { store: test.platform.store, keys },
      {
        tenantId: SHOP.tenantId,
        channel: { kind: 'whatsapp', externalId: SHOP.number },
        sender: { externalId: wa, phone: `+${wa}`, name: i === 42 ? 'Gülşen Çelik' : `Müşteri ${i}` },
        providerMessageId: `wamid.list${i}`,
        sentAt: START + i * 1000,
        receivedAt: START + i * 1000,
        position: 0,
        type: 'text',
        text: `mesaj ${i}`,
      },
    );
    ids.push(conversationId);
  }
});
afterAll(() => test.stop());

const deps = () => ({ store: test.platform.store, keyring: test.platform.keyring });

describe('the conversation list', () => {
  it('pages newest first, 25 at a time, each conversation once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listConversations(deps(), SHOP.tenantId, 'u_me', { ...(cursor && { cursor }) });
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps paging through filters that match few, and finds a name deep in the list', async () => {
    for (const index of [3, 17, 55]) {
      await changeConversation(deps(), SHOP.tenantId, ids[index] as string, { labels: ['iade'] });
    }
    const labelled = await listConversations(deps(), SHOP.tenantId, 'u_me', { label: 'iade' });
    expect(labelled.conversations.map((c) => c.id)).toEqual([ids[55], ids[17], ids[3]]);
    expect(labelled.cursor).toBeUndefined();

    const found = await listConversations(deps(), SHOP.tenantId, 'u_me', { q: 'gulsen celik' });
    expect(found.conversations.map((c) => c.contact.name)).toEqual(['Gülşen Çelik']);
    const byPhone = await listConversations(deps(), SHOP.tenantId, 'u_me', { q: '0555 000 00 42' });
    expect(byPhone.conversations.map((c) => c.contact.name)).toEqual(['Gülşen Çelik']);
  });

  it('refuses a cursor it did not give', async () => {
    await expect(listConversations(deps(), SHOP.tenantId, 'u_me', { cursor: 'eyJ4IjoxfQ' })).rejects.toThrow('cursor');
  });

  it('reads phone numbers the way people type them', () => {
    expect(normalisePhone('+90 (555) 123-45-67')).toBe('+905551234567');
    expect(normalisePhone('0090 555 123 45 67')).toBe('+905551234567');
    expect(normalisePhone('0555 123 45 67')).toBe('+905551234567');
    expect(normalisePhone('Ayşe')).toBeUndefined();
  });
});
