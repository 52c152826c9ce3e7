import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { recordAuditEvent } from '../src/audit/audit-log.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { devOutbox } from '../src/notify/dev-outbox.js';
import { deliverOnce } from '../src/notify/outbound.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { type PurgeDeps, type PurgeReport, purgeRetention, purgeTenant } from '../src/privacy/purge.js';
import { PRIVACY_RECORDS } from '../src/privacy/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/**
 * The purges against the DynamoDB and S3 emulators, on data written by the product's own code
 * paths (Meta deliveries through the worker's processing, audit entries, mails, objects), and
 * checked on a raw dump of the table and a listing of the bucket.
 */
let test: TestPlatform;
let deps: PurgeDeps;
let dynamoCalls: ReturnType<typeof recordAwsCalls>;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 3, 0, 0);

const GONE = { tenantId: 'b_purge_gone', number: '100000000000901', waba: '100000000000902' };
const KEPT = { tenantId: 'b_purge_kept', number: '100000000000911', waba: '100000000000912' };
const AGED = { tenantId: 'b_purge_aged', number: '100000000000921', waba: '100000000000922' };

async function deliver(shop: typeof GONE, from: string, id: string, body: string, sentAt: number) {
  const payload = whatsappMessagesDelivery(
    shop,
    whatsappText({ phone: from, name: 'Ayşe Yılmaz' }, { id, body, sentAt }),
  );
  await processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log: quiet },
    metaDelivery(payload, sentAt + 1000),
  );
}

/** A business as the product leaves it after some use: customers, messages, audit, mails, media. */
async function seedBusiness(shop: typeof GONE) {
  const { store, keyring, blobs, settlements } = test.platform;
  await createTenant({ store, keyring }, shop.tenantId, 'Kahve Dükkanı');
  await connectWhatsAppNumber({ store, keyring }, shop.tenantId, shop.number, 'Dükkan', shop.waba);
  await deliver(shop, '905551230001', `wamid.${shop.tenantId}.1`, 'Merhaba', NOW - DAY);
  await deliver(shop, '905551230001', `wamid.${shop.tenantId}.2`, 'Siparişim nerede?', NOW - DAY + 60_000);
  await deliver(shop, '905551230002', `wamid.${shop.tenantId}.3`, 'İade istiyorum', NOW - 2 * DAY);
  await recordAuditEvent(store, shop.tenantId, { action: 'team.role_changed', actorId: 'u_owner' }, NOW - DAY);
  await recordAuditEvent(store, shop.tenantId, { action: 'integration.connected', actorId: 'u_owner' }, NOW);
  await deliverOnce({ store, keyring, mailer: devOutbox({ store, keyring }), log: quiet }, shop.tenantId, {
    kind: 'invite',
    to: 'ekip@example.com',
    subject: 'Davet',
    text: 'Davet',
    html: '<p>Davet</p>',
    // As the product keys them (`<kind>/<entity-id>`). The mail itself goes to the dev outbox,
    // the local stand-in for the provider, under its own space: the business keeps the receipt.
    idempotencyKey: `invite/iv_${shop.number}`,
  });
  await blobs.put(shop.tenantId, 'media/wamid-1.jpg', 'jpeg bytes', 'image/jpeg');
  await blobs.put(shop.tenantId, 'replies/file-1.pdf', 'pdf bytes', 'application/pdf');
  await settlements.record(
    { tenantId: shop.tenantId, queue: 'meta-events', messageId: `m-${shop.tenantId}` },
    'succeeded',
  );
}

/** Items that name the business anywhere: its id in a key, an index key or an attribute. */
const itemsOf = (items: Record<string, unknown>[], tenantId: string) =>
  items.filter((item) => JSON.stringify(item).includes(tenantId));

const countOf = (report: PurgeReport, name: string) => report.classes.find((c) => c.name === name)?.items;

beforeAll(async () => {
  test = await startTestPlatform();
  dynamoCalls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
  deps = {
    dynamo: test.platform.aws.dynamo,
    table: test.env.TABLE_NAME as string,
    blobs: test.platform.blobs,
    store: test.platform.storeOf({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
    dataClasses: DATA_CLASSES,
  };
  await seedBusiness(GONE);
  await seedBusiness(KEPT);
}, 60_000);
afterAll(() => test.stop());

describe('the tenant purge', () => {
  it('counts on a dry run exactly what it then deletes, leaving only the receipt of the business', async () => {
    const before = await test.dumpTable();
    const objectsBefore = await test.bucketKeys();
    const keptBefore = itemsOf(before, KEPT.tenantId);
    expect(itemsOf(before, GONE.tenantId).length).toBeGreaterThan(10);
    expect(objectsBefore.filter((key) => key.startsWith(`tenants/${GONE.tenantId}/`))).toHaveLength(2);

    const dry = await purgeTenant(deps, GONE.tenantId, { by: 'test', dryRun: true });
    expect(await test.dumpTable()).toEqual(before);
    expect(await test.bucketKeys()).toEqual(objectsBefore);
    expect(dry.receiptId).toBeUndefined();

    dynamoCalls.clear();
    const progress: string[] = [];
    const done = await purgeTenant(deps, GONE.tenantId, {
      by: 'ops:test',
      onProgress: (p) => p.done && progress.push(p.what),
    });
    const commands = new Set(dynamoCalls.calls.map((call) => call.command));
    expect(commands).not.toContain('ScanCommand');
    expect(commands).toContain('BatchWriteItemCommand');

    // The same counts, and every seeded kind of data was found by its class.
    expect(done.classes).toEqual(dry.classes);
    expect(done.objects).toBe(2);
    expect(dry.objects).toBe(2);
    expect(done.unclassified).toBe(0);
    expect(countOf(done, 'inbox.messages')).toBeGreaterThanOrEqual(3);
    expect(countOf(done, 'inbox.contacts')).toBeGreaterThanOrEqual(2);
    expect(countOf(done, 'inbox.conversations')).toBeGreaterThanOrEqual(2);
    expect(countOf(done, 'audit.events')).toBe(2);
    expect(countOf(done, 'mail.receipts')).toBe(1);
    expect(countOf(done, 'queue.settlements')).toBe(1);
    expect(countOf(done, 'channels.directory')).toBeGreaterThanOrEqual(1);
    expect(countOf(done, 'tenancy.business')).toBe(1);
    expect(countOf(done, 'platform.keys')).toBe(1);
    expect(progress).toContain('inbox.messages');
    expect(progress).toContain('objects');

    // Raw: of the business only its receipt is left, with counts and no personal data.
    const after = await test.dumpTable();
    const left = itemsOf(after, GONE.tenantId);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ pk: `t#${GONE.tenantId}#privacy`, receiptId: done.receiptId, by: 'ops:test' });
    expect(JSON.stringify(left[0])).not.toMatch(/Ayşe|905551230001|ekip@example\.com|Merhaba/);
    expect((await test.bucketKeys()).filter((key) => key.includes(GONE.tenantId))).toEqual([]);

    // The other business is untouched, item for item and object for object.
    expect(itemsOf(after, KEPT.tenantId)).toEqual(keptBefore);
    expect((await test.bucketKeys()).filter((key) => key.startsWith(`tenants/${KEPT.tenantId}/`))).toHaveLength(2);

    // The business is gone: running it again finds nothing to purge, and says so.
    await expect(purgeTenant(deps, GONE.tenantId, { by: 'ops:test' })).rejects.toThrow(/no such business/);
    expect(itemsOf(await test.dumpTable(), GONE.tenantId)).toHaveLength(1);
  });

  it('refuses what is not a business id, deleting nothing', async () => {
    const before = await test.dumpTable();
    // The spaces shared by every business, and ids no business can have.
    for (const tenantId of ['accounts', 'channels', 'dev-outbox', 'meta', '', 'b#x', 'x'.repeat(65)]) {
      await expect(purgeTenant(deps, tenantId, { by: 'test' })).rejects.toThrow(/not a business id/);
    }
    await expect(purgeTenant(deps, 'b_never_was', { by: 'test', dryRun: true })).rejects.toThrow(/no such business/);
    await expect(purgeRetention(deps, { by: 'test', now: NOW, tenantId: 'accounts' })).rejects.toThrow(/business id/);
    expect(await test.dumpTable()).toEqual(before);
  });
});

describe('the retention purge', () => {
  it('deletes only what is past its class retention, and messages only where the business chose less', async () => {
    const { store } = test.platform;
    await seedBusiness(AGED);
    const threeYears = 3 * 365 * DAY;
    await recordAuditEvent(
      store,
      AGED.tenantId,
      { action: 'team.role_changed', actorId: 'u_old' },
      NOW - threeYears - DAY,
    );
    await recordAuditEvent(
      store,
      AGED.tenantId,
      { action: 'team.role_changed', actorId: 'u_old' },
      NOW - threeYears + DAY,
    );
    await deliver(AGED, '905551230003', 'wamid.aged.old', 'Geçen yılki soru', NOW - 400 * DAY);
    const auditOf = async () =>
      (await store.entities.auditEvent.query.byTime({ tenantId: AGED.tenantId }).go({ pages: 'all' })).data.map(
        (e) => e.at,
      );
    const auditBefore = await auditOf();
    expect(auditBefore).toHaveLength(4);

    // Messages stay while the business lives: by default only the audit event past 3 years goes.
    const dry = await purgeRetention(deps, { by: 'test', now: NOW, tenantId: AGED.tenantId, dryRun: true });
    expect(await auditOf()).toEqual(auditBefore);
    const [report] = await purgeRetention(deps, { by: 'schedule:retention-purge', now: NOW, tenantId: AGED.tenantId });
    expect(report?.classes).toEqual(dry[0]?.classes);
    expect(countOf(report!, 'audit.events')).toBe(1);
    expect(countOf(report!, 'inbox.messages')).toBeUndefined();
    expect(report?.receiptId).toBeDefined();
    expect((await auditOf()).sort()).toEqual(auditBefore.filter((at) => at > NOW - threeYears).sort());

    // A business that keeps messages one year loses the older one only.
    const messageTimes = async () =>
      itemsOf(await test.dumpTable(), AGED.tenantId)
        .filter((item) => String(item.sk).startsWith('message#'))
        .map((item) => item.sentAt as number)
        .sort();
    const timesBefore = await messageTimes();
    expect(timesBefore).toHaveLength(4);
    expect(timesBefore[0]).toBe(NOW - 400 * DAY);
    const [shorter] = await purgeRetention(deps, {
      by: 'schedule:retention-purge',
      now: NOW,
      tenantId: AGED.tenantId,
      shorterRetention: async () => ({ 'inbox.messages': 365 }),
    });
    expect(countOf(shorter!, 'inbox.messages')).toBe(1);
    expect(await messageTimes()).toEqual(timesBefore.slice(1));

    // Nothing past retention any more: no receipt for an empty run.
    const [quiet] = await purgeRetention(deps, { by: 'test', now: NOW, tenantId: AGED.tenantId });
    expect(quiet?.receiptId).toBeUndefined();
  });

  it('visits every business from the business list, without a Scan', async () => {
    dynamoCalls.clear();
    const reports = await purgeRetention(deps, { by: 'test', now: NOW, dryRun: true });
    expect(reports.map((r) => r.tenantId)).toEqual(expect.arrayContaining([KEPT.tenantId, AGED.tenantId]));
    expect(reports.map((r) => r.tenantId)).not.toContain(GONE.tenantId);
    expect(dynamoCalls.calls.map((call) => call.command)).not.toContain('ScanCommand');

    // The shared spaces too: the dev outbox keeps the mails the businesses sent 90 days.
    const outbox = async (now: number) =>
      (await purgeRetention(deps, { by: 'test', now, dryRun: true })).find((r) => r.tenantId === 'dev-outbox');
    expect(countOf((await outbox(Date.now() + 89 * DAY))!, 'mail.outbox')).toBe(0);
    expect(countOf((await outbox(Date.now() + 91 * DAY))!, 'mail.outbox')).toBe(3);
    expect(dynamoCalls.calls.map((call) => call.command)).not.toContain('ScanCommand');
  });
});
