import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { CAMPAIGN_RECORDS, minuteOf } from '../src/campaigns/campaign-records.js';
import { liveCounts } from '../src/campaigns/counts.js';
import { applyCampaignStatus, campaignCallbackOf, nextState, noteCampaignReply } from '../src/campaigns/results.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { type MetaEventDeps, processMetaDelivery } from '../src/channels/meta/events.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * Campaign results against the local DynamoDB emulator, through the meta-events entry point:
 * WhatsApp statuses carrying a campaign send's callback data move its recipient forward by rank
 * (never back, never twice), a failure keeps WhatsApp's code and title, 131050 withdraws the
 * customer's marketing consent, a customer's message after the send is a reply, and a callback
 * naming another business's campaign changes nothing.
 */

let test: TestPlatform;
const SHOP = { tenantId: 't_cmpresults', number: '100000000000801', waba: '100000000000802' };
const OTHER = { tenantId: 't_cmpresultsother', number: '100000000000803', waba: '100000000000804' };
const CAMPAIGN = 'cmp_results000000000001';
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const T0 = Date.parse('2026-11-30T10:00:00Z');
const seconds = (ms: number) => String(Math.floor(ms / 1000));

const storeOf = () =>
  test.platform.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...CAMPAIGN_RECORDS });
let store: ReturnType<typeof storeOf>;

/** The worker's wiring (functions/workers/meta-events.ts), for this store. */
const eventDeps = (): MetaEventDeps => ({
  store,
  keyring: test.platform.keyring,
  log: quiet,
  onCampaignStatus: (tenantId, update) =>
    applyCampaignStatus({ store, keyring: test.platform.keyring }, tenantId, update),
  async onRecorded(message, recorded) {
    if (message.channel.kind === 'whatsapp') {
      await noteCampaignReply({ store }, message.tenantId, recorded.contactId, message.sentAt);
    }
  },
});

async function contactOf(tenantId: string, phoneDigits: string) {
  return contactIdOf(await test.platform.keyring.forTenant(tenantId), 'whatsapp', phoneDigits);
}

async function seedCampaign(tenantId: string, campaignId: string, recipients: Record<string, 'sending' | 'sent'>) {
  await store.entities.campaign
    .put({
      tenantId,
      campaignId,
      name: 'Kış indirimi',
      state: 'sending',
      channelId: 'ch_1',
      audience: { kind: 'lists', listIds: ['cl_1'] },
      holdoutPercent: 0,
      attributionDays: 7,
      startedAt: T0,
      createdBy: 'u_owner',
    })
    .go();
  for (const [contactId, state] of Object.entries(recipients)) {
    await store.entities.campaignRecipient
      .put({ tenantId, campaignId, contactId, state, batch: 0, claimedAt: T0, ...(state === 'sent' && { sentAt: T0 }) })
      .go();
  }
}

interface Status {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  callback?: string;
  error?: { code: number; title: string };
}

async function statuses(account: typeof SHOP, list: Status[]) {
  const body = whatsappMessagesDelivery(account, {
    statuses: list.map((item) => ({
      id: item.wamid,
      status: item.status,
      timestamp: seconds(item.at),
      recipient_id: '905320000000',
      ...(item.callback && { biz_opaque_callback_data: item.callback }),
      ...(item.error && { errors: [item.error] }),
    })),
  });
  await processMetaDelivery(eventDeps(), metaDelivery(body, T0 + 3_600_000));
}

const recipientOf = async (contactId: string, tenantId = SHOP.tenantId, campaignId = CAMPAIGN) =>
  (await store.entities.campaignRecipient.get({ tenantId, campaignId, contactId }).go({ consistent: true })).data;

let alice: string;
let burak: string;
let cem: string;
let deniz: string;
let elif: string;

beforeAll(async () => {
  test = await startTestPlatform();
  store = storeOf();
  const deps = { store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Çiçekçi');
  await createTenant(deps, OTHER.tenantId, 'Başka');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Çiçekçi', SHOP.waba);
  await connectWhatsAppNumber(deps, OTHER.tenantId, OTHER.number, 'Başka', OTHER.waba);
  alice = await contactOf(SHOP.tenantId, '905320000001');
  burak = await contactOf(SHOP.tenantId, '905320000002');
  cem = await contactOf(SHOP.tenantId, '905320000003');
  deniz = await contactOf(SHOP.tenantId, '905320000004');
  elif = await contactOf(SHOP.tenantId, '905320000005');
  await seedCampaign(SHOP.tenantId, CAMPAIGN, {
    [alice]: 'sending',
    [burak]: 'sent',
    [cem]: 'sent',
    [deniz]: 'sent',
    [elif]: 'sent',
  });
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe('reading the callback data', () => {
  it('takes only a campaign send of our exact shape', () => {
    expect(campaignCallbackOf('cmp1:cmp_results000000000001:ct_abcdefgh12345678')).toEqual({
      campaignId: 'cmp_results000000000001',
      contactId: 'ct_abcdefgh12345678',
    });
    for (const bad of [
      undefined,
      'cmp1:cmp_results000000000001',
      'cmp1:cmp_results000000000001:ct_abcdefgh12345678:t_other',
      'cmp2:cmp_results000000000001:ct_abcdefgh12345678',
      'cmp1:cmp_x:ct_abcdefgh12345678',
      'cmp1:cmp_results000000000001:t#x#contact',
    ]) {
      expect(campaignCallbackOf(bad)).toBeUndefined();
    }
  });

  it('ranks states: forward only, failure only from a send', () => {
    expect(nextState('sent', 'read')).toEqual({ to: 'read', passed: ['delivered'] });
    expect(nextState('sending', 'delivered')).toEqual({ to: 'delivered', passed: ['sent'] });
    expect(nextState('read', 'delivered')).toBeUndefined();
    expect(nextState('delivered', 'delivered')).toBeUndefined();
    expect(nextState('delivered', 'failed')).toBeUndefined();
    expect(nextState('sending', 'failed')).toEqual({ to: 'failed', passed: [] });
    expect(nextState('holdout', 'sent')).toBeUndefined();
    expect(nextState('failed', 'read')).toBeUndefined();
  });
});

describe('statuses of campaign messages', () => {
  it('moves a recipient whose send outcome was unknown, forward only, counting each move once', async () => {
    const callback = `cmp1:${CAMPAIGN}:${alice}`;
    await statuses(SHOP, [{ wamid: 'wamid.alice', status: 'sent', at: T0 + 1_000, callback }]);
    expect((await recipientOf(alice))?.state).toBe('sent');
    // Read before delivered, then delivered late, then the read again: one move to read.
    await statuses(SHOP, [{ wamid: 'wamid.alice', status: 'read', at: T0 + 120_000, callback }]);
    await statuses(SHOP, [
      { wamid: 'wamid.alice', status: 'delivered', at: T0 + 60_000, callback },
      { wamid: 'wamid.alice', status: 'read', at: T0 + 120_000, callback },
      { wamid: 'wamid.alice', status: 'sent', at: T0 + 1_000, callback },
    ]);
    const recipient = await recipientOf(alice);
    expect(recipient).toMatchObject({ state: 'read', wamid: 'wamid.alice', sentAt: T0 + 1_000, readAt: T0 + 120_000 });
    // Delivered was passed by the read: the funnel never shows more reads than deliveries.
    expect(recipient?.deliveredAt).toBe(T0 + 120_000);
    const counts = await liveCounts(store, SHOP.tenantId, CAMPAIGN);
    // The shards started empty: one recipient left `sending` once and reached `read` once.
    expect(counts).toMatchObject({ sending: -1, sent: 0, delivered: 0, read: 1 });
    const { data: minutes } = await store.entities.campaignTimeline.query
      .byCampaign({ tenantId: SHOP.tenantId, campaignId: CAMPAIGN })
      .go({ pages: 'all' });
    const byMinute = Object.fromEntries(minutes.map((minute) => [minute.minute, minute]));
    expect(byMinute[minuteOf(T0 + 1_000)]).toMatchObject({ sent: 1 });
    expect(byMinute[minuteOf(T0 + 120_000)]).toMatchObject({ delivered: 1, read: 1 });
    expect(minutes.reduce((sum, minute) => sum + (minute.read ?? 0), 0)).toBe(1);
  });

  it('keeps a failure with WhatsApp code and title, counted once; a failure after delivery is ignored', async () => {
    const error = { code: 131026, title: 'Message undeliverable' };
    const callback = `cmp1:${CAMPAIGN}:${burak}`;
    await statuses(SHOP, [{ wamid: 'wamid.burak', status: 'failed', at: T0 + 5_000, callback, error }]);
    await statuses(SHOP, [{ wamid: 'wamid.burak', status: 'failed', at: T0 + 5_000, callback, error }]);
    expect(await recipientOf(burak)).toMatchObject({
      state: 'failed',
      failureCode: 131026,
      failureTitle: 'Message undeliverable',
      failedAt: T0 + 5_000,
    });
    const { data: failure } = await store.entities.campaignFailure
      .get({ tenantId: SHOP.tenantId, campaignId: CAMPAIGN, code: 131026 })
      .go();
    expect(failure).toMatchObject({ count: 1, title: 'Message undeliverable' });

    const cemCallback = `cmp1:${CAMPAIGN}:${cem}`;
    await statuses(SHOP, [{ wamid: 'wamid.cem', status: 'delivered', at: T0 + 5_000, callback: cemCallback }]);
    await statuses(SHOP, [
      {
        wamid: 'wamid.cem',
        status: 'failed',
        at: T0 + 6_000,
        callback: cemCallback,
        error: { code: 131000, title: 'x' },
      },
    ]);
    expect((await recipientOf(cem))?.state).toBe('delivered');
  });

  it("131050 fails the recipient and records the customer's withdrawal of marketing consent", async () => {
    const callback = `cmp1:${CAMPAIGN}:${deniz}`;
    const error = { code: 131050, title: 'User has stopped marketing messages' };
    await statuses(SHOP, [{ wamid: 'wamid.deniz', status: 'failed', at: T0 + 7_000, callback, error }]);
    await statuses(SHOP, [{ wamid: 'wamid.deniz', status: 'failed', at: T0 + 7_000, callback, error }]);
    expect((await recipientOf(deniz))?.state).toBe('failed');
    const { data: consent } = await store.entities.consentState
      .get({ tenantId: SHOP.tenantId, contactId: deniz, channel: 'whatsapp', purpose: 'marketing' })
      .go({ consistent: true });
    expect(consent).toMatchObject({ state: 'withdrawn', source: 'api', at: T0 + 7_000 });
    const { data: entries } = await store.entities.consentEntry.query
      .byContact({ tenantId: SHOP.tenantId, contactId: deniz })
      .go({ pages: 'all' });
    expect(entries).toHaveLength(1);
  });

  it('never leaves a campaign status waiting in the inbox', async () => {
    const items = await test.dumpTable();
    const pending = items.filter((item) => item.__edb_e__ === 'messageStatus' && item.pk === `t#${SHOP.tenantId}`);
    expect(pending).toEqual([]);
  });

  it("a callback naming another business's campaign changes nothing there", async () => {
    const theirs = await contactOf(OTHER.tenantId, '905320000009');
    await seedCampaign(OTHER.tenantId, 'cmp_theirs00000000000001', { [theirs]: 'sent' });
    // Their campaign and contact ids, arriving on our number: the business is the number's owner.
    await statuses(SHOP, [
      { wamid: 'wamid.theirs', status: 'read', at: T0 + 9_000, callback: `cmp1:cmp_theirs00000000000001:${theirs}` },
    ]);
    expect((await recipientOf(theirs, OTHER.tenantId, 'cmp_theirs00000000000001'))?.state).toBe('sent');
    expect(await recipientOf(theirs, SHOP.tenantId, 'cmp_theirs00000000000001')).toBeNull();
  });
});

describe('replies', () => {
  it('a message from a recipient after the send moves them to replied, once', async () => {
    const write = async (id: string, at: number) =>
      processMetaDelivery(
        eventDeps(),
        metaDelivery(
          whatsappMessagesDelivery(SHOP, {
            contacts: [{ profile: { name: 'Elif' }, wa_id: '905320000005' }],
            messages: [
              {
                from: '905320000005',
                id,
                timestamp: seconds(at),
                type: 'button',
                button: { text: 'Evet, isterim', payload: 'yes' },
              },
            ],
          }),
          at + 1_000,
        ),
      );
    await write('wamid.elif-reply', T0 + 600_000);
    await write('wamid.elif-reply', T0 + 600_000);
    await write('wamid.elif-again', T0 + 700_000);
    expect(await recipientOf(elif)).toMatchObject({ state: 'replied', repliedAt: T0 + 600_000 });
    const counts = await liveCounts(store, SHOP.tenantId, CAMPAIGN);
    expect(counts.replied).toBe(1);
    const { data: minute } = await store.entities.campaignTimeline
      .get({ tenantId: SHOP.tenantId, campaignId: CAMPAIGN, minute: minuteOf(T0 + 600_000) })
      .go();
    expect(minute).toMatchObject({ delivered: 1, read: 1, replied: 1 });
  });

  it('a message long after the send is not a reply to it', async () => {
    expect(await noteCampaignReply({ store }, SHOP.tenantId, cem, T0 + 10 * 86_400_000)).toBeUndefined();
    expect((await recipientOf(cem))?.state).toBe('delivered');
  });
});
