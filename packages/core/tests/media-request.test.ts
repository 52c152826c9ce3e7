import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { mediaRequestFor } from '../src/channels/meta/media-fetch.js';
import { MEDIA_QUEUE, type MediaFetchRequest } from '../src/channels/meta/media-queue.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * A media message whose type or checksum holds characters a queue refuses (found by the webhook
 * fuzzer): the message is stored and its media still asked for, without those values, instead
 * of the whole delivery failing until it is dead-lettered.
 */
let test: TestPlatform;
const SHOP = { tenantId: 't_medya', number: '100000000000701', waba: '100000000000702' };

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Medya Dükkanı');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Dükkan', SHOP.waba);
});
afterAll(() => test.stop());

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

describe('asking for a message’s media', () => {
  it('leaves out a type and checksum a queue would refuse, and still queues the request', async () => {
    const sent: MediaFetchRequest[] = [];
    const body = whatsappMessagesDelivery(SHOP, {
      contacts: [{ profile: { name: 'Deniz' }, wa_id: '905551117701' }],
      messages: [
        {
          from: '905551117701',
          id: 'wamid.MEDIA7701',
          timestamp: '1764374400',
          type: 'image',
          image: { id: '1003383421387256', mime_type: '\u{fe61d}\u{f43ad}image/jpeg', sha256: '\ud83d' },
        },
      ],
    });
    const report = await processMetaDelivery(
      {
        store: test.platform.store,
        keyring: test.platform.keyring,
        log: quiet,
        async onRecorded(message, recorded) {
          const request = mediaRequestFor(await test.platform.keyring.forTenant(message.tenantId), message, recorded);
          if (!request) return;
          // The real queue (the emulator refuses characters above U+FFFF, as SQS refuses some).
          await test.platform.producer.send(MEDIA_QUEUE, request);
          sent.push(request);
        },
      },
      metaDelivery(body, 1_764_374_401_000),
    );
    expect(report).toMatchObject({ recorded: 1, skipped: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ mediaId: '1003383421387256', messageType: 'image' });
    expect(sent[0]?.mimeType).toBeUndefined();
    expect(sent[0]?.sha256).toBeUndefined();
  });
});
