import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { connectChannel, connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * One Meta app delivers for every business: the worker finds each change's business from the
 * ids in the payload, and processes every change and message on its own.
 */
let test: TestPlatform;
const SHOP = { tenantId: 't_shop', number: '100000000000101', waba: '100000000000102', page: '100000000000104' };
const CAFE = { tenantId: 't_cafe', number: '100000000000201', waba: '100000000000202' };
const UNKNOWN_NUMBER = '100000000000999';

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Kahve Dükkanı');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Dükkan', SHOP.waba);
  await connectChannel(deps, SHOP.tenantId, { kind: 'messenger', externalId: SHOP.page, label: 'Sayfa' });
  await createTenant(deps, CAFE.tenantId, 'Çay Bahçesi');
  await connectWhatsAppNumber(deps, CAFE.tenantId, CAFE.number, 'Bahçe', CAFE.waba);
});
afterAll(() => test.stop());

/** A logger that keeps every line, serialized as Powertools would write it. */
function recordingLog() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  return { log, lines, text: () => JSON.stringify(lines) };
}

let sequence = 0;
const textMessage = (from: string, body: string) => ({
  from,
  id: `wamid.TEST${++sequence}`,
  timestamp: '1764374400',
  type: 'text',
  text: { body },
});

const messagesChange = (number: string, messages: unknown[], from = '905551112233') => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '905550009988', phone_number_id: number },
    contacts: [{ profile: { name: 'Ayşe Yılmaz' }, wa_id: from }],
    messages,
  },
});

const whatsapp = (entries: { id: string; changes: unknown[] }[]) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: entries });

async function process(body: string | Buffer) {
  const recording = recordingLog();
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const report = await processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log: recording.log },
    metaDelivery(bytes, 1_764_374_401_000),
  );
  return { report, ...recording };
}

/** Every message text the business has, opened with its key. */
async function textsOf(tenantId: string): Promise<string[]> {
  const { store, keyring } = test.platform;
  const keys = await keyring.forTenant(tenantId);
  const conversations = await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' });
  const texts: string[] = [];
  for (const { conversationId } of conversations.data) {
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId })
      .go({ pages: 'all' });
    for (const message of messages.data) {
      if (message.text) texts.push(keys.open('message', 'text', message.messageId, message.text));
    }
  }
  return texts;
}

describe('Meta deliveries for several businesses', () => {
  it('lands each change of one POST in the business that owns its number', async () => {
    const { report } = await process(
      whatsapp([
        { id: SHOP.waba, changes: [messagesChange(SHOP.number, [textMessage('905551110001', 'dükkana merhaba')])] },
        { id: CAFE.waba, changes: [messagesChange(CAFE.number, [textMessage('905551110002', 'bahçeye merhaba')])] },
      ]),
    );
    expect(report).toMatchObject({ recorded: 2, unknownBusiness: 0, skipped: 0 });
    expect(await textsOf(SHOP.tenantId)).toContain('dükkana merhaba');
    expect(await textsOf(SHOP.tenantId)).not.toContain('bahçeye merhaba');
    expect(await textsOf(CAFE.tenantId)).toContain('bahçeye merhaba');
    expect(await textsOf(CAFE.tenantId)).not.toContain('dükkana merhaba');
  });

  it('acknowledges a change for no known business, counts it, and logs it masked', async () => {
    const { report, text } = await process(
      whatsapp([
        { id: '100000000000998', changes: [messagesChange(UNKNOWN_NUMBER, [textMessage('905557776655', 'kime?')])] },
      ]),
    );
    expect(report).toMatchObject({ recorded: 0, unknownBusiness: 1 });
    expect(text()).toContain('whatsapp change for no known business');
    for (const secret of [UNKNOWN_NUMBER, '905557776655', '905550009988', 'kime?'])
      expect(text()).not.toContain(secret);
  });

  it('stores the good message of a delivery whose other change is for an unknown number', async () => {
    const { report } = await process(
      whatsapp([
        {
          id: SHOP.waba,
          changes: [
            messagesChange(UNKNOWN_NUMBER, [textMessage('905551110003', 'kayıp numara')]),
            messagesChange(SHOP.number, [textMessage('905551110003', 'iyi mesaj 1')]),
          ],
        },
      ]),
    );
    // The unknown number falls back to its WABA, which is the shop's, but the shop has no such
    // channel: that message is skipped with its reason, the other stored.
    expect(report).toMatchObject({ recorded: 1, skipped: 1 });
    expect(await textsOf(SHOP.tenantId)).toContain('iyi mesaj 1');
    expect(await textsOf(SHOP.tenantId)).not.toContain('kayıp numara');
  });

  it('stores the good messages of a change that also holds a malformed one', async () => {
    const { report, lines } = await process(
      whatsapp([
        {
          id: SHOP.waba,
          changes: [
            messagesChange(SHOP.number, [
              { from: '905551110004', id: 'wamid.BROKEN', type: 'text', timestamp: 'yesterday' },
              textMessage('905551110004', 'iyi mesaj 2'),
            ]),
          ],
        },
      ]),
    );
    expect(report).toMatchObject({ recorded: 1, skipped: 1 });
    expect(lines.find((line) => line.message === 'whatsapp message skipped')?.fields.reason).toMatch(/timestamp/);
    expect(await textsOf(SHOP.tenantId)).toContain('iyi mesaj 2');
  });

  it('routes a change without a number (template status) by its WhatsApp Business Account', async () => {
    const { report, lines } = await process(
      whatsapp([
        {
          id: CAFE.waba,
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: 1,
                message_template_name: 'order_update',
                message_template_language: 'tr',
                reason: 'NONE',
              },
            },
          ],
        },
      ]),
    );
    expect(report).toMatchObject({ applied: 1, notHandled: 0, unknownBusiness: 0 });
    expect(lines.find((line) => line.message === 'whatsapp account change applied')?.fields.tenantId).toBe(
      CAFE.tenantId,
    );
  });

  it('recognises a Dashboard test event (entry id "0") as a test', async () => {
    const { report, lines } = await process(
      whatsapp([
        { id: '0', changes: [messagesChange('123456123', [textMessage('16315551181', 'this is a text message')])] },
      ]),
    );
    expect(report).toMatchObject({ tests: 1, recorded: 0, unknownBusiness: 0 });
    expect(lines.some((line) => line.message === 'meta dashboard test event')).toBe(true);
  });

  it('stores raw emoji and escaped surrogate pairs intact', async () => {
    const raw = 'raw 😀👍🏽 ş';
    const body = Buffer.concat([
      Buffer.from(
        whatsapp([
          {
            id: SHOP.waba,
            changes: [
              messagesChange(SHOP.number, [textMessage('905551110005', raw), textMessage('905551110005', 'ESCAPED')]),
            ],
          },
        ]).replace('"ESCAPED"', '"escaped \\ud83d\\ude4f \\u015f"'),
        'utf8',
      ),
    ]);
    expect(body.toString('utf8')).toContain('😀');
    const { report } = await process(body);
    expect(report.recorded).toBe(2);
    const texts = await textsOf(SHOP.tenantId);
    expect(texts).toContain(raw);
    expect(texts).toContain('escaped 🙏 ş');
  });

  it('acknowledges Messenger and Instagram entries for nobody, and records a known business’s', async () => {
    const messaging = (object: string, id: string, text: string) =>
      JSON.stringify({
        object,
        entry: [
          {
            id,
            time: 1_764_374_400_500,
            messaging: [
              {
                sender: { id: '24000000000000099' },
                recipient: { id },
                timestamp: 1_764_374_400_000,
                message: { mid: `m_${text}`, text },
              },
            ],
          },
        ],
      });
    const { report } = await process(messaging('instagram', '17841400000000999', 'kimse'));
    expect(report).toMatchObject({ unknownBusiness: 1, recorded: 0 });
    expect((await process(messaging('page', SHOP.page, 'sayfaya merhaba'))).report).toMatchObject({ recorded: 1 });
    expect(await textsOf(SHOP.tenantId)).toContain('sayfaya merhaba');
  });

  it('retries the whole delivery when storage is down, and applies it once when it is back', async () => {
    const body = whatsapp([
      { id: CAFE.waba, changes: [messagesChange(CAFE.number, [textMessage('905551110006', 'tekrar')])] },
    ]);
    const { store, keyring } = test.platform;
    const failing = new Proxy(store, {
      get(target, key) {
        if (key !== 'entities') return Reflect.get(target, key);
        return new Proxy(target.entities, {
          get(entities, name) {
            if (name !== 'message') return Reflect.get(entities, name);
            const message = Reflect.get(entities, name);
            return new Proxy(message, {
              get(entity, method) {
                if (method !== 'create') return Reflect.get(entity, method);
                return () => ({ go: () => Promise.reject(new Error('ProvisionedThroughputExceeded')) });
              },
            });
          },
        });
      },
    });
    const { log } = recordingLog();
    await expect(
      processMetaDelivery({ store: failing, keyring, log }, metaDelivery(Buffer.from(body), 1)),
    ).rejects.toThrow(/ProvisionedThroughputExceeded/);
    expect((await process(body)).report.recorded).toBe(1);
    expect((await process(body)).report).toMatchObject({ recorded: 0, duplicates: 1 });
  });
});
