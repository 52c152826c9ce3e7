import { Logger } from '@aws-lambda-powertools/logger';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../src/accounts/businesses.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { createAccount } from '../src/accounts/people.js';
import { ACCOUNT_RECORDS } from '../src/accounts/records.js';
import { addKnowledgeEntry } from '../src/ai/knowledge.js';
import { DEFAULT_AGENT_SETTINGS, saveAgent } from '../src/ai/settings.js';
import { AI_SETTINGS_RECORDS } from '../src/ai/settings-records.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import {
  type AccountExportDeps,
  accountExportStatus,
  buildAccountExport,
  requestAccountExport,
} from '../src/privacy/account-export.js';
import { BUSINESS_DATA } from '../src/privacy/business-catalog.js';
import { CONTACT_DATA } from '../src/privacy/contact-catalog.js';
import { listPrivacyRequests, PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { PRODUCT } from '../src/product/areas.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/**
 * The full account export against the emulators: recorded and queued by the request, built by
 * the worker's function into one ZIP (read back with an independent reader), linked for ten
 * minutes, and a redelivered message builds nothing twice.
 */
const log = new Logger({ logLevel: 'SILENT' });
const SHOP = { tenantId: 'b_export', number: '100000000000951', waba: '100000000000952' };
const OWNER = 'u_export_owner';

let test: TestPlatform;
let deps: AccountExportDeps;
const queued: { tenantId: string; requestId: string; by: string }[] = [];

beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring, blobs, storeOf } = test.platform;
  deps = {
    store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...PRIVACY_REQUEST_RECORDS }),
    keyring,
    blobs,
    storeOf,
    contactData: CONTACT_DATA,
    businessData: BUSINESS_DATA,
  };
  await createAccount(
    { store, keyring },
    { userId: OWNER, name: 'Nur Sahip', email: 'nur@example.com', passwordHash: await hashPassword('x'.repeat(12)) },
  );
  await createBusiness({ store, keyring }, { tenantId: SHOP.tenantId, name: 'Nar Kozmetik', ownerId: OWNER });
  await connectWhatsAppNumber({ store, keyring }, SHOP.tenantId, SHOP.number, 'Mağaza', SHOP.waba);
  const payload = whatsappMessagesDelivery(
    SHOP,
    whatsappText(
      { phone: '905551230077', name: '=Ayşe Yılmaz' },
      { id: 'wamid.export.1', body: 'Ruj siparişim ne zaman gelir?', sentAt: Date.now() },
    ),
  );
  await processMetaDelivery({ store, keyring, log }, metaDelivery(payload, Date.now()));
  // The AI agent's settings (two versions) and a knowledge entry: the business's own data.
  const ai = { store: storeOf({ ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS }), keyring };
  const actor = { userId: OWNER };
  await saveAgent(ai, actor, SHOP.tenantId, { ...DEFAULT_AGENT_SETTINGS, prompt: 'Kısa ve nazik yanıtla.' });
  await saveAgent(ai, actor, SHOP.tenantId, { ...DEFAULT_AGENT_SETTINGS, enabled: true, channels: ['whatsapp'] });
  await addKnowledgeEntry(ai, actor, SHOP.tenantId, { title: 'İade', body: '14 gün içinde faturayla iade.' });
}, 60_000);
afterAll(() => test?.stop());

describe('the full account export', () => {
  it('is recorded, audited and queued; built into one archive; linked for ten minutes; built once', async () => {
    const exports = { enqueue: async (message: (typeof queued)[number]) => void queued.push(message) };
    const asked = await requestAccountExport(
      { store: deps.store, exports },
      { userId: OWNER, sourceAddress: '85.105.1.2' },
      SHOP.tenantId,
    );
    expect(asked).toMatchObject({ status: 'open', url: null });
    expect(queued).toEqual([{ tenantId: SHOP.tenantId, requestId: asked.requestId, by: `member:${OWNER}` }]);
    const audit = await readAuditLog(deps.store, SHOP.tenantId, { action: 'data.export_requested' });
    expect(audit.events).toHaveLength(1);
    expect(await accountExportStatus(deps, SHOP.tenantId, asked.requestId)).toMatchObject({
      status: 'open',
      url: null,
    });

    const built = await buildAccountExport(deps, queued[0]!);
    expect(built?.sections).toMatchObject({ business: 1, team: 1, channels: 1, contacts: 1, messages: 1 });
    // A redelivered message finds the request done and builds nothing.
    expect(await buildAccountExport(deps, queued[0]!)).toBeUndefined();

    const done = await accountExportStatus(deps, SHOP.tenantId, asked.requestId);
    expect(done.status).toBe('done');
    expect(done.url).toContain(`tenants/${SHOP.tenantId}/exports/${asked.requestId}.zip`);
    expect(done.url).toMatch(/X-Amz-Expires=600\b/);
    const request = (await listPrivacyRequests(deps.store, SHOP.tenantId)).find((r) => r.requestId === asked.requestId);
    expect(request?.receipt?.items).toEqual(expect.arrayContaining([{ dataClass: 'messages', count: 1 }]));

    const archive = await test.platform.blobs.get(SHOP.tenantId, `exports/${asked.requestId}.zip`);
    const files = unzipSync(new Uint8Array(archive!));
    const text = (name: string) => new TextDecoder().decode(files[name]);
    expect(text('messages.json')).toContain('Ruj siparişim ne zaman gelir?');
    expect(JSON.parse(text('team.json'))).toEqual([
      { userId: OWNER, name: 'Nur Sahip', email: 'nur@example.com', role: 'owner' },
    ]);
    expect(JSON.parse(text('business.json'))[0]).toMatchObject({ tenantId: SHOP.tenantId, name: 'Nar Kozmetik' });
    // The contact's name starts like a formula: defused in the CSV, intact in the JSON.
    expect(text('contacts.csv')).toContain("'=Ayşe Yılmaz");
    expect(text('contacts.json')).toContain('"=Ayşe Yılmaz"');
    // Channels without their token or PIN.
    expect(text('channels.json')).not.toMatch(/accessToken|"pin"/);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['audit-log.json', 'audit-log.csv', 'templates.json']));
    // The areas' own data of the business: every version of the AI agent's settings, its knowledge opened.
    expect(JSON.parse(text('ai-agent-versions.json'))).toEqual([
      expect.objectContaining({ version: 2, enabled: true, channels: ['whatsapp'], createdBy: OWNER }),
      expect.objectContaining({ version: 1, enabled: false, prompt: 'Kısa ve nazik yanıtla.' }),
    ]);
    expect(JSON.parse(text('ai-content-drafts.json'))).toEqual([]);
    expect(JSON.parse(text('ai-knowledge.json'))).toEqual([
      expect.objectContaining({ title: 'İade', body: '14 gün içinde faturayla iade.', updatedBy: OWNER }),
    ]);
  });

  it("covers what every area declares of the business's own data", () => {
    expect(BUSINESS_DATA).toEqual(PRODUCT.businessData);
    expect(BUSINESS_DATA.map((entry) => entry.dataClass)).toEqual(
      expect.arrayContaining(['ai.agent-versions', 'ai.knowledge', 'ai.content-drafts']),
    );
  });

  it('answers no such export for another kind of request or an unknown id', async () => {
    await expect(accountExportStatus(deps, SHOP.tenantId, 'pr_1764374401000_0000000000000000')).rejects.toThrow(
      /No such export/,
    );
  });
});
