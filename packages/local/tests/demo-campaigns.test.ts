import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibilityOfBatch } from '../../core/src/campaigns/eligibility.js';
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../core/src/campaigns/settings.js';
import { CAMPAIGN_SETTINGS_RECORDS } from '../../core/src/campaigns/settings-records.js';
import { CUSTOMER_ACTOR, recordConsent } from '../../core/src/inbox/consent.js';
import { contactIdOf } from '../../core/src/inbox/inbound.js';
import { INBOX_RECORDS } from '../../core/src/inbox/records.js';
import { listTemplates } from '../../core/src/inbox/templates.js';
import { readConfig } from '../../core/src/platform/config.js';
import { createPlatform } from '../../core/src/platform/context.js';
import { seedDemoTenant } from '../../core/src/tenancy/demo.js';
import { TENANCY_RECORDS } from '../../core/src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from '../../core/tests/support/platform.js';
import { addDemoTemplates, DEMO_CAMPAIGN, seedDemoCampaigns } from '../src/demo-campaigns.js';
import { createFakeMetaState, FAKE_META_DEMO } from '../src/fakes/meta-state.js';

/**
 * The demo business can try a campaign with nothing but `npm start`: its number has an approved
 * MARKETING template with two variables, synced, and five of the demo shop's customers are
 * contacts whom the audience check, the same code a campaign uses, finds three eligible, one
 * withdrawn and one without consent. Nothing of it is written under an AWS configuration, and a
 * restart never undoes a consent that changed since.
 */
let test: TestPlatform;
const tenantId = 'demo';

beforeAll(async () => {
  test = await startTestPlatform();
  await seedDemoTenant({ store: test.platform.storeOf(TENANCY_RECORDS), keyring: test.platform.keyring });
});
afterAll(async () => {
  await test?.stop();
});

async function audience() {
  const keys = await test.platform.keyring.forTenant(tenantId);
  const store = test.platform.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS, ...CAMPAIGN_SETTINGS_RECORDS });
  const ids = DEMO_CAMPAIGN.customers.map((customer) => contactIdOf(keys, 'whatsapp', customer.phone.slice(1)));
  const answers = await eligibilityOfBatch(
    { store, keys },
    { tenantId, settings: DEFAULT_CAMPAIGN_SETTINGS, now: Date.now() },
    ids,
  );
  return { ids, reasons: answers.map((answer) => (answer.ok ? 'eligible' : answer.reason)) };
}

describe('the demo campaign seed', () => {
  it('writes nothing under an AWS configuration', async () => {
    const aws = createPlatform(readConfig({ ...test.env, STAGE: 'prod', KEY_PROVIDER: 'kms' }));
    expect(await seedDemoCampaigns(aws)).toEqual({ seeded: false });
    expect((await listTemplates(test.platform.store, tenantId)).templates).toEqual([]);
    expect((await audience()).reasons).toEqual(['erased', 'erased', 'erased', 'erased', 'erased']);
  });

  it('syncs the approved MARKETING template with its two variables to the demo number', async () => {
    expect(await seedDemoCampaigns(test.platform)).toEqual({ seeded: true });
    const { templates } = await listTemplates(test.platform.store, tenantId, FAKE_META_DEMO.wabaId);
    const campaign = templates.find((template) => template.name === DEMO_CAMPAIGN.template.name);
    expect(campaign).toMatchObject({ language: 'tr', status: 'APPROVED', category: 'MARKETING', variables: 2 });
    expect(JSON.stringify(campaign?.components)).toContain('{{1}}');
    // The fake lists the same templates, so a sync later stores the same facts.
    const fake = createFakeMetaState({ appId: '1', appSecret: 's', instagramAppSecret: 'i' });
    const listed = fake.wabas.get(FAKE_META_DEMO.wabaId)?.templates.map((t) => `${t.name}#${t.language}#${t.status}`);
    expect(templates.map((t) => `${t.name}#${t.language}#${t.status}`).sort()).toEqual(listed?.sort());
  });

  it('leaves three customers eligible, one withdrawn and one without consent', async () => {
    expect((await audience()).reasons).toEqual(['eligible', 'eligible', 'eligible', 'consent-withdrawn', 'no-consent']);
  });

  it('seeds once: a STOP written after the seed stands through a restart', async () => {
    const { ids } = await audience();
    const keys = await test.platform.keyring.forTenant(tenantId);
    await recordConsent(
      { store: test.platform.store, keys },
      {
        tenantId,
        contactId: ids[0] as string,
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'customer-keyword',
        at: Date.now(),
        wording: 'STOP',
        actor: CUSTOMER_ACTOR,
        entryId: 'stop-after-seed',
      },
    );
    expect(await seedDemoCampaigns(test.platform)).toEqual({ seeded: false });
    expect((await audience()).reasons[0]).toBe('consent-withdrawn');
  });

  it('gives a fake restored from an older data folder the templates it lacks', () => {
    const fake = createFakeMetaState({ appId: '1', appSecret: 's', instagramAppSecret: 'i' });
    const waba = fake.wabas.get(FAKE_META_DEMO.wabaId);
    if (!waba) throw new Error('no demo WABA');
    waba.templates = waba.templates.filter((t) => t.name !== DEMO_CAMPAIGN.template.name);
    expect(addDemoTemplates(fake)).toBe(true);
    expect(waba.templates.filter((t) => t.name === DEMO_CAMPAIGN.template.name)).toHaveLength(1);
    expect(addDemoTemplates(fake)).toBe(false);
  });
});
