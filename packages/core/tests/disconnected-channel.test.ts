import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { channelDirectory } from '../src/tenancy/channel-directory.js';
import {
  type ChannelItem,
  connectChannel,
  connectWhatsAppNumber,
  createTenant,
  markChannelDisconnected,
} from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappText as textFrom, whatsappMessagesChange } from './support/whatsapp-delivery.js';

/**
 * A channel the business disconnected takes no new messages, even while a worker's channel
 * directory still remembers its owner (for a minute, per container): they are counted as for
 * no known business, as they are once the cache lapses.
 */
let test: TestPlatform;
const SHOP = { tenantId: 't_kapandi', number: '100000000000601', waba: '100000000000602', page: '100000000000604' };

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Kapanan Dükkan');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Dükkan', SHOP.waba);
  await connectChannel(deps, SHOP.tenantId, { kind: 'messenger', externalId: SHOP.page, label: 'Sayfa' });
});
afterAll(() => test.stop());

function recordingLog() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  return { log, lines, text: () => JSON.stringify(lines) };
}

/** One worker container: its directory (and cache) is shared by the deliveries it takes. */
const directory = () => channelDirectory(test.platform.store);

async function deliver(worker: ReturnType<typeof directory>, body: unknown) {
  const recording = recordingLog();
  const report = await processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log: recording.log, directory: worker },
    metaDelivery(Buffer.from(JSON.stringify(body)), Date.now()),
  );
  return { report, ...recording };
}

let sequence = 0;
const whatsappText = (text: string) =>
  whatsappMessagesChange(
    SHOP,
    textFrom(
      { phone: '905551116601', name: 'Elif Kaya' },
      { id: `wamid.CLOSED${++sequence}`, body: text, sentAt: Date.now() },
    ),
  );

const messengerText = (text: string) => ({
  object: 'page',
  entry: [
    {
      id: SHOP.page,
      time: Date.now(),
      messaging: [
        {
          sender: { id: '7100000000006601' },
          recipient: { id: SHOP.page },
          timestamp: Date.now(),
          message: { mid: `m_CLOSED${++sequence}`, text },
        },
      ],
    },
  ],
});

/** Every message text the business has, opened with its key. */
async function texts(): Promise<string[]> {
  const { store, keyring } = test.platform;
  const tenantId = SHOP.tenantId;
  const keys = await keyring.forTenant(tenantId);
  const conversations = await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' });
  const found: string[] = [];
  for (const { conversationId } of conversations.data) {
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId })
      .go({ pages: 'all' });
    for (const message of messages.data) {
      if (message.text) found.push(keys.open('message', 'text', message.messageId, message.text));
    }
  }
  return found;
}

async function disconnect(kind: 'whatsapp' | 'messenger', externalId: string) {
  const { store, keyring } = test.platform;
  const channel = await store.entities.channel.get({ tenantId: SHOP.tenantId, kind, externalId }).go();
  await markChannelDisconnected({ store, keyring }, channel.data as ChannelItem);
}

describe('a disconnected channel', () => {
  it('takes no WhatsApp message while the worker still remembers its owner', async () => {
    const worker = directory();
    const before = await deliver(worker, whatsappText('kapanmadan önce'));
    expect(before.report).toMatchObject({ recorded: 1, unknownBusiness: 0 });

    await disconnect('whatsapp', SHOP.number);
    // The owner is still in this worker's cache: the directory alone would route it.
    expect(await worker.ownersOf('whatsapp', SHOP.number)).toEqual([SHOP.tenantId]);

    const after = await deliver(worker, whatsappText('kapandıktan sonra'));
    expect(after.report).toMatchObject({ recorded: 0, duplicates: 0, unknownBusiness: 1, skipped: 0 });
    expect(await texts()).toContain('kapanmadan önce');
    expect(await texts()).not.toContain('kapandıktan sonra');
    expect(after.lines.some((line) => line.message === 'whatsapp change for no known business')).toBe(true);
    for (const secret of [SHOP.number, '905551116601', 'Elif Kaya', 'kapandıktan sonra']) {
      expect(after.text()).not.toContain(secret);
    }

    // Once the cache lapses (a fresh worker), the same: for no known business.
    const fresh = await deliver(directory(), whatsappText('yeni işçi'));
    expect(fresh.report).toMatchObject({ recorded: 0, unknownBusiness: 1 });
  });

  it('takes no Messenger message while the worker still remembers its owner', async () => {
    const worker = directory();
    expect((await deliver(worker, messengerText('sayfa açıkken'))).report).toMatchObject({ recorded: 1 });

    await disconnect('messenger', SHOP.page);
    const after = await deliver(worker, messengerText('sayfa kapalıyken'));
    expect(after.report).toMatchObject({ recorded: 0, unknownBusiness: 1, skipped: 0 });
    expect(await texts()).not.toContain('sayfa kapalıyken');
    expect(after.text()).not.toContain(SHOP.page);
    expect(after.text()).not.toContain('7100000000006601');
  });
});
