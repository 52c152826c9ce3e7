import type { CampaignDraft, CampaignTemplate } from '@asistone/contract/campaigns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { BILLING_ACCOUNT_RECORDS } from '../src/billing/records.js';
import { USAGE_RECORDS } from '../src/billing/usage-records.js';
import { CAMPAIGN_BUSINESS_DATA, CAMPAIGN_CONTACT_DATA } from '../src/campaigns/campaign-data.js';
import { CAMPAIGN_RECORDS } from '../src/campaigns/campaign-records.js';
import {
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  pauseCampaign,
  resumeCampaign,
  type StartDeps,
  sendCampaign,
  unscheduleCampaign,
  updateCampaign,
} from '../src/campaigns/campaigns.js';
import { transitionCampaign } from '../src/campaigns/lifecycle.js';
import { CAMPAIGN_LIST_RECORDS } from '../src/campaigns/list-records.js';
import { previewCampaign } from '../src/campaigns/preview.js';
import { CAMPAIGN_SETTINGS_RECORDS } from '../src/campaigns/settings-records.js';
import { campaignTemplates } from '../src/campaigns/templates.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { recordConsent } from '../src/inbox/consent.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { ContactDataContext } from '../src/platform/area.js';
import { ConflictError, NotFoundError, ValidationError } from '../src/platform/errors.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * A campaign's life against the local DynamoDB emulator: drafts checked against the number's
 * synced templates, send now and schedule, pause, resume and cancel by their rules, the one
 * conditional write that lets only one of two simultaneous changes win, the preview rendered
 * per recipient, and a recipient in the contact's export and gone with their erasure.
 */

let test: TestPlatform;
const SHOP = { tenantId: 't_cmplife', number: '100000000000801', waba: '100000000000802' };
const OTHER = 't_cmplifeother';
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const ACTOR = { userId: 'u_owner' };

const storeOf = () =>
  test.platform.storeOf({
    ...CAMPAIGN_RECORDS,
    ...CAMPAIGN_LIST_RECORDS,
    ...CAMPAIGN_SETTINGS_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
    ...BILLING_ACCOUNT_RECORDS,
    ...USAGE_RECORDS,
  });
let store: ReturnType<typeof storeOf>;
/** The fan-out messages the lifecycle queued (the queue itself is the platform's). */
let queued: { queue: string; message: unknown }[] = [];
const deps = (): StartDeps => ({
  store,
  keyring: test.platform.keyring,
  producer: {
    async send(queue, message) {
      queued.push({ queue: queue.name, message });
    },
  },
});

async function template(name: string, status: string, category: string, body: string, language = 'tr') {
  await store.entities.template
    .put({
      tenantId: SHOP.tenantId,
      wabaId: SHOP.waba,
      name,
      language,
      status,
      category,
      variableCount: 0,
      components: JSON.stringify([
        { type: 'HEADER', format: 'TEXT', text: 'Başlık' },
        { type: 'BODY', text: body },
      ]),
      syncedAt: Date.parse('2026-11-29T10:00:00Z'),
    })
    .go();
}

async function customerWrites(phoneDigits: string, name: string): Promise<string> {
  const body = whatsappMessagesDelivery(SHOP, {
    contacts: [{ profile: { name }, wa_id: phoneDigits }],
    messages: [
      {
        from: phoneDigits,
        id: `wamid.${phoneDigits}`,
        timestamp: '1764500000',
        type: 'text',
        text: { body: 'Merhaba' },
      },
    ],
  });
  await processMetaDelivery(
    { store, keyring: test.platform.keyring, log: quiet },
    metaDelivery(body, 1_764_500_001_000),
  );
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  const contactId = contactIdOf(keys, 'whatsapp', phoneDigits);
  await recordConsent(
    { store, keys },
    {
      tenantId: SHOP.tenantId,
      contactId,
      channel: 'whatsapp',
      purpose: 'marketing',
      state: 'granted',
      source: 'agent',
      at: Date.now() - 60_000,
      wording: 'Kampanyalardan haberdar olmak istiyorum',
      actor: 'u_owner',
      entryId: `test_${contactId}_granted`,
      // Turkish numbers: the business attests İYS by default, so the grant is marked registered.
      iys: true,
    },
  );
  return contactId;
}

const ORDER_TEMPLATE: CampaignTemplate = {
  name: 'kis_indirimi',
  language: 'tr',
  variables: [
    { source: 'contact', field: 'firstName', fallback: 'değerli müşterimiz' },
    { source: 'column', column: 'şehir', fallback: '' },
  ],
};

const draft = (overrides: Partial<CampaignDraft> = {}): CampaignDraft => ({
  name: 'Kış indirimi',
  channelId: SHOP.number,
  audience: { kind: 'lists', listIds: ['l_winter'] },
  template: ORDER_TEMPLATE,
  holdoutPercent: 10,
  attributionDays: 7,
  ...overrides,
});

const ids: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestPlatform();
  store = storeOf();
  const tenancy = { store, keyring: test.platform.keyring };
  await createTenant(tenancy, SHOP.tenantId, 'Çiçekçi');
  await createTenant(tenancy, OTHER, 'Başka');
  await connectWhatsAppNumber(tenancy, SHOP.tenantId, SHOP.number, 'Çiçekçi', SHOP.waba);
  await template('kis_indirimi', 'APPROVED', 'MARKETING', 'Merhaba {{1}}, {{2}} mağazamızda kış indirimi başladı!');
  await template('tek_degisken', 'APPROVED', 'MARKETING', 'Merhaba {{1}}!');
  await template('siparis_kargoda', 'APPROVED', 'UTILITY', 'Siparişiniz {{1}} kargoda');
  await template('bahar', 'PENDING', 'MARKETING', 'Bahar geldi');
  ids.ayse = await customerWrites('905321110001', 'Ayşe Yılmaz');
  ids.nameless = await customerWrites('905321110002', '');
  ids.later = await customerWrites('905321110003', 'Mehmet Demir');
  await store.entities.campaignList
    .put({
      tenantId: SHOP.tenantId,
      listId: 'l_winter',
      name: 'Kış',
      source: 'upload',
      state: 'ready',
      counts: {},
      rejectedByReason: {},
      createdBy: 'u_owner',
    })
    .go();
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  for (const [row, contactId, fields] of [
    [1, ids.ayse, { şehir: 'İzmir' }],
    [2, ids.nameless, {}],
    [3, ids.later, { şehir: 'Bursa' }],
  ] as const) {
    await store.entities.campaignListMember
      .put({
        tenantId: SHOP.tenantId,
        listId: 'l_winter',
        contactId,
        row,
        fileConsent: 'granted',
        fields: keys.seal('campaignListMember', 'fields', `l_winter:${contactId}`, JSON.stringify(fields)),
      })
      .go();
  }
}, 120_000);

afterAll(() => test?.stop());

describe('the templates a campaign may send', () => {
  it('lists only the approved MARKETING templates of the number, with body and variable count', async () => {
    const { templates } = await campaignTemplates(store, SHOP.tenantId, SHOP.number);
    expect(templates).toEqual([
      {
        name: 'kis_indirimi',
        language: 'tr',
        category: 'MARKETING',
        body: 'Merhaba {{1}}, {{2}} mağazamızda kış indirimi başladı!',
        variables: 2,
      },
      { name: 'tek_degisken', language: 'tr', category: 'MARKETING', body: 'Merhaba {{1}}!', variables: 1 },
    ]);
    await expect(campaignTemplates(store, OTHER, SHOP.number)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a draft whose template is not approved marketing or whose mapping does not fit', async () => {
    const refusals = [
      { ...ORDER_TEMPLATE, name: 'siparis_kargoda', variables: ORDER_TEMPLATE.variables.slice(0, 1) },
      { name: 'bahar', language: 'tr', variables: [] },
      { name: 'yok_boyle', language: 'tr', variables: [] },
      { ...ORDER_TEMPLATE, variables: ORDER_TEMPLATE.variables.slice(0, 1) },
      { ...ORDER_TEMPLATE, variables: [...ORDER_TEMPLATE.variables, { source: 'fixed' as const, text: 'fazla' }] },
    ];
    const messages: string[] = [];
    for (const refused of refusals) {
      const error = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ template: refused })).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      messages.push((error as Error).message);
    }
    expect(messages[0]).toMatch(/utility category: campaigns send MARKETING templates only/);
    expect(messages[1]).toMatch(/pending at WhatsApp, not approved/);
    expect(messages[2]).toMatch(/not among this number's synced WhatsApp templates/);
    expect(messages[3]).toMatch(/has 2 variables; the mapping fills 1/);
    expect(messages[4]).toMatch(/has 2 variables; the mapping fills 3/);
    await expect(
      createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ channelId: '999999999' })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ audience: { kind: 'lists', listIds: ['l_nope'] } })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await listCampaigns(deps(), SHOP.tenantId)).toEqual([]);
  });
});

describe('a draft', () => {
  it('is created with the mapping sealed, changed while a draft, listed newest first, and deleted', async () => {
    const first = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ template: null }));
    expect(first.campaignId).toMatch(/^cmp_[A-Za-z0-9_-]{22}$/);
    expect(first).toMatchObject({ state: 'draft', template: null, templateName: null, holdoutPercent: 10 });
    const fixed = {
      ...ORDER_TEMPLATE,
      variables: [ORDER_TEMPLATE.variables[0], { source: 'fixed', text: 'Ayşe Hanım' }],
    };
    const changed = await updateCampaign(deps(), SHOP.tenantId, first.campaignId, ACTOR, {
      template: fixed as CampaignTemplate,
      name: 'Kış indirimi 2',
    });
    expect(changed).toMatchObject({ name: 'Kış indirimi 2', templateName: 'kis_indirimi', template: fixed });
    const { data: raw } = await store.entities.campaign
      .get({ tenantId: SHOP.tenantId, campaignId: first.campaignId })
      .go();
    expect(raw?.template).toBeTypeOf('string');
    expect(raw?.template).not.toContain('Ayşe');

    const second = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ name: 'İkinci' }));
    const listed = await listCampaigns(deps(), SHOP.tenantId);
    expect(listed.map((campaign) => campaign.campaignId).slice(0, 2)).toEqual([second.campaignId, first.campaignId]);
    expect(await listCampaigns(deps(), OTHER)).toEqual([]);
    await expect(getCampaign(deps(), OTHER, second.campaignId)).rejects.toBeInstanceOf(NotFoundError);

    await deleteCampaign(deps(), SHOP.tenantId, first.campaignId, ACTOR);
    await expect(getCampaign(deps(), SHOP.tenantId, first.campaignId)).rejects.toBeInstanceOf(NotFoundError);
    const { data: audit } = await store.entities.auditEvent.query.byTime({ tenantId: SHOP.tenantId }).go();
    const actions = audit.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['campaign.created', 'campaign.updated', 'campaign.deleted']));
    expect(JSON.stringify(audit)).not.toContain('Ayşe');
  });

  it('previews what the first eligible recipients read, with names, columns and fallbacks', async () => {
    const campaign = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    const preview = await previewCampaign(deps(), SHOP.tenantId, campaign.campaignId, 10);
    const byContact = new Map(preview.recipients.map((recipient) => [recipient.contactId, recipient]));
    expect(byContact.get(ids.ayse as string)).toEqual({
      contactId: ids.ayse,
      phone: '+90 532 *** ** 01',
      name: 'Ayşe Yılmaz',
      text: 'Merhaba Ayşe, İzmir mağazamızda kış indirimi başladı!',
      emptyVariable: null,
    });
    // No name: the fallback; no city and an empty fallback: the variable is named, nothing rendered.
    expect(byContact.get(ids.nameless as string)).toMatchObject({ text: null, emptyVariable: 2 });
    expect(byContact.get(ids.later as string)?.text).toBe('Merhaba Mehmet, Bursa mağazamızda kış indirimi başladı!');
    const one = await previewCampaign(deps(), SHOP.tenantId, campaign.campaignId, 1);
    expect(one.recipients).toHaveLength(1);
  });
});

describe('sending and scheduling', () => {
  it('sends now: sending, started, fan-out pending, one fan-out message; then it is no draft', async () => {
    queued = [];
    const campaign = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    const sent = await sendCampaign(deps(), SHOP.tenantId, campaign.campaignId, ACTOR, null, Date.now());
    expect(sent.state).toBe('sending');
    expect(sent.startedAt).not.toBeNull();
    expect(queued).toEqual([
      { queue: 'campaign-fanout', message: { tenantId: SHOP.tenantId, campaignId: campaign.campaignId } },
    ]);
    const { data } = await store.entities.campaign
      .get({ tenantId: SHOP.tenantId, campaignId: campaign.campaignId })
      .go();
    expect(data?.fanout).toBe('pending');
    await expect(
      updateCampaign(deps(), SHOP.tenantId, campaign.campaignId, ACTOR, { name: 'x' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteCampaign(deps(), SHOP.tenantId, campaign.campaignId, ACTOR)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(sendCampaign(deps(), SHOP.tenantId, campaign.campaignId, ACTOR, null)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(queued).toHaveLength(1);
  });

  it('refuses to send without a template, or with one no longer approved', async () => {
    const bare = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ template: null }));
    await expect(sendCampaign(deps(), SHOP.tenantId, bare.campaignId, ACTOR, null)).rejects.toThrow(
      /Choose a template/,
    );
    const one = await createCampaign(
      deps(),
      SHOP.tenantId,
      ACTOR,
      draft({ template: { name: 'tek_degisken', language: 'tr', variables: [{ source: 'fixed', text: 'dostum' }] } }),
    );
    await template('tek_degisken', 'PAUSED', 'MARKETING', 'Merhaba {{1}}!');
    await expect(sendCampaign(deps(), SHOP.tenantId, one.campaignId, ACTOR, null)).rejects.toThrow(
      /paused at WhatsApp/,
    );
    expect((await getCampaign(deps(), SHOP.tenantId, one.campaignId)).state).toBe('draft');
    await template('tek_degisken', 'APPROVED', 'MARKETING', 'Merhaba {{1}}!');
  });

  it('schedules within 30 days only, and unschedules back to a draft', async () => {
    const now = Date.now();
    const campaign = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    const { campaignId } = campaign;
    const at = (ms: number) => new Date(ms).toISOString();
    await expect(sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, at(now - 60_000), now)).rejects.toThrow(
      /in the past/,
    );
    await expect(
      sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, at(now + 31 * 86_400_000), now),
    ).rejects.toThrow(/at most 30 days ahead/);
    const scheduled = await sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, at(now + 3_600_000), now);
    expect(scheduled).toMatchObject({ state: 'scheduled', scheduledAt: at(now + 3_600_000), startedAt: null });
    await expect(pauseCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)).rejects.toThrow(/unschedule it/);
    const back = await unscheduleCampaign(deps(), SHOP.tenantId, campaignId, ACTOR);
    expect(back).toMatchObject({ state: 'draft', scheduledAt: null });
    const { data } = await store.entities.campaign.get({ tenantId: SHOP.tenantId, campaignId }).go();
    expect(data?.scheduledAt).toBeUndefined();
  });
});

describe('pause, resume, cancel', () => {
  async function sending() {
    const campaign = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    await sendCampaign(deps(), SHOP.tenantId, campaign.campaignId, ACTOR, null);
    return campaign.campaignId;
  }

  it('pauses a sending campaign and resumes it with a new fan-out message', async () => {
    const campaignId = await sending();
    queued = [];
    const paused = await pauseCampaign(deps(), SHOP.tenantId, campaignId, ACTOR);
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'merchant' });
    await expect(pauseCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)).rejects.toBeInstanceOf(ConflictError);
    const resumed = await resumeCampaign(deps(), SHOP.tenantId, campaignId, ACTOR);
    expect(resumed).toMatchObject({ state: 'sending', pauseReason: null });
    const { data } = await store.entities.campaign.get({ tenantId: SHOP.tenantId, campaignId }).go();
    expect(data?.pauseReason).toBeUndefined();
    expect(queued).toEqual([{ queue: 'campaign-fanout', message: { tenantId: SHOP.tenantId, campaignId } }]);
  });

  it('keeps a pause WhatsApp caused until its cause is gone', async () => {
    const campaignId = await sending();
    expect(
      await transitionCampaign(store, SHOP.tenantId, campaignId, ['sending'], 'paused', {
        pauseReason: 'template-paused',
      }),
    ).toBe(true);
    await template('kis_indirimi', 'PAUSED', 'MARKETING', 'Merhaba {{1}}, {{2}} mağazamızda kış indirimi başladı!');
    await expect(resumeCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)).rejects.toThrow(
      /paused this campaign's template/,
    );
    await template('kis_indirimi', 'APPROVED', 'MARKETING', 'Merhaba {{1}}, {{2}} mağazamızda kış indirimi başladı!');
    expect((await resumeCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)).state).toBe('sending');

    expect(
      await transitionCampaign(store, SHOP.tenantId, campaignId, ['sending'], 'paused', {
        pauseReason: 'policy-block',
      }),
    ).toBe(true);
    await expect(resumeCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)).rejects.toThrow(/policy reason/);
    expect((await getCampaign(deps(), SHOP.tenantId, campaignId)).state).toBe('paused');
  });

  it('cancels for good; a cancelled or completed campaign moves no more', async () => {
    const campaignId = await sending();
    const cancelled = await cancelCampaign(deps(), SHOP.tenantId, campaignId, ACTOR);
    expect(cancelled.state).toBe('cancelled');
    for (const step of [cancelCampaign, pauseCampaign, resumeCampaign]) {
      await expect(step(deps(), SHOP.tenantId, campaignId, ACTOR)).rejects.toBeInstanceOf(ConflictError);
    }
    const done = await sending();
    expect(await transitionCampaign(store, SHOP.tenantId, done, ['sending'], 'completed', { completedAt: 1 })).toBe(
      true,
    );
    await expect(cancelCampaign(deps(), SHOP.tenantId, done, ACTOR)).rejects.toThrow(/is completed/);
  });
});

describe('one conditional write decides', () => {
  it('moves from any of the states given, and from no other', async () => {
    const { campaignId } = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    expect(await transitionCampaign(store, SHOP.tenantId, campaignId, ['sending', 'paused'], 'cancelled')).toBe(false);
    expect((await getCampaign(deps(), SHOP.tenantId, campaignId)).state).toBe('draft');
    expect(
      await transitionCampaign(store, SHOP.tenantId, campaignId, ['scheduled', 'draft'], 'scheduled', {
        scheduledAt: Date.now() + 60_000,
      }),
    ).toBe(true);
    // The second state of the OR matches as well as the first.
    expect(await transitionCampaign(store, SHOP.tenantId, campaignId, ['draft', 'scheduled'], 'sending')).toBe(true);
    expect((await getCampaign(deps(), SHOP.tenantId, campaignId)).state).toBe('sending');
    expect(await transitionCampaign(store, SHOP.tenantId, 'cmp_AAAAAAAAAAAAAAAAAAAAAA', ['draft'], 'sending')).toBe(
      false,
    );
  });

  it('lets one of several clicks at the same moment win: the others are told the campaign moved', async () => {
    const { campaignId } = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
    await sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, new Date(Date.now() + 600_000).toISOString());
    // Each reads `scheduled` before any writes: only the conditional write can tell them apart.
    const unscheduled = await Promise.allSettled(
      [1, 2, 3].map(() => unscheduleCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)),
    );
    expect(unscheduled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of unscheduled.filter((one) => one.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    }
    await sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, null);
    const cancelled = await Promise.allSettled(
      [1, 2, 3].map(() => cancelCampaign(deps(), SHOP.tenantId, campaignId, ACTOR)),
    );
    expect(cancelled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const { data: audit } = await store.entities.auditEvent.query.byTime({ tenantId: SHOP.tenantId }).go();
    const mine = audit.filter((event) => event.targetId === campaignId).map((event) => event.action);
    expect(mine.filter((action) => action === 'campaign.cancelled')).toHaveLength(1);
    expect(mine.filter((action) => action === 'campaign.unscheduled')).toHaveLength(1);
  });

  it('lets one of a start and an unschedule at the same moment win, and one of two pauses', async () => {
    for (let round = 0; round < 5; round++) {
      const { campaignId } = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft());
      await sendCampaign(deps(), SHOP.tenantId, campaignId, ACTOR, new Date(Date.now() + 600_000).toISOString());
      const [started, unscheduled] = await Promise.allSettled([
        transitionCampaign(store, SHOP.tenantId, campaignId, ['scheduled'], 'sending', { startedAt: Date.now() }),
        unscheduleCampaign(deps(), SHOP.tenantId, campaignId, ACTOR),
      ]);
      const startWon = started.status === 'fulfilled' && started.value === true;
      const unscheduleWon = unscheduled.status === 'fulfilled';
      expect(startWon !== unscheduleWon).toBe(true);
      const state = (await getCampaign(deps(), SHOP.tenantId, campaignId)).state;
      expect(state).toBe(startWon ? 'sending' : 'draft');
      if (state !== 'sending') continue;
      const [merchant, provider] = await Promise.allSettled([
        pauseCampaign(deps(), SHOP.tenantId, campaignId, ACTOR),
        transitionCampaign(store, SHOP.tenantId, campaignId, ['sending'], 'paused', { pauseReason: 'account-locked' }),
      ]);
      const merchantWon = merchant.status === 'fulfilled';
      const providerWon = provider.status === 'fulfilled' && provider.value === true;
      expect(merchantWon !== providerWon).toBe(true);
      expect((await getCampaign(deps(), SHOP.tenantId, campaignId)).pauseReason).toBe(
        merchantWon ? 'merchant' : 'account-locked',
      );
    }
  });
});

describe('privacy', () => {
  it("puts a contact's campaign recipients in their export and erases them; the campaigns in the account's", async () => {
    const { campaignId } = await createCampaign(deps(), SHOP.tenantId, ACTOR, draft({ name: 'Dışa aktarılan' }));
    await store.entities.campaignRecipient
      .put({
        tenantId: SHOP.tenantId,
        campaignId,
        contactId: ids.ayse as string,
        state: 'failed',
        batch: 0,
        failureCode: 131049,
        failureTitle: 'This message was not delivered to maintain healthy ecosystem engagement.',
        sentAt: Date.parse('2026-11-30T10:00:00Z'),
      })
      .go();
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const ctx = (contactId: string): ContactDataContext => ({
      tenantId: SHOP.tenantId,
      contactId,
      keys,
      storeOf: test.platform.storeOf,
      blobs: test.platform.blobs,
    });
    const [recipients] = CAMPAIGN_CONTACT_DATA;
    const exported = await recipients?.export(ctx(ids.ayse as string));
    expect(exported?.['campaign-recipients']).toEqual([
      expect.objectContaining({
        campaignId,
        campaign: 'Dışa aktarılan',
        state: 'failed',
        failureCode: 131049,
        sentAt: '2026-11-30T10:00:00.000Z',
      }),
    ]);
    expect(await recipients?.export(ctx(ids.later as string))).toEqual({});
    expect(await recipients?.erase(ctx(ids.ayse as string))).toEqual({ items: 1, objects: 0 });
    expect(await recipients?.export(ctx(ids.ayse as string))).toEqual({});

    const [campaigns] = CAMPAIGN_BUSINESS_DATA;
    const business = await campaigns?.export({
      tenantId: SHOP.tenantId,
      keys,
      storeOf: test.platform.storeOf,
      blobs: test.platform.blobs,
    });
    expect(business?.campaigns).toEqual(
      expect.arrayContaining([expect.objectContaining({ campaignId, name: 'Dışa aktarılan', state: 'draft' })]),
    );
  });
});
