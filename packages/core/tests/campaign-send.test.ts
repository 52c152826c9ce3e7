import type { Logger } from '@aws-lambda-powertools/logger';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAwsCalls, tableCallsOutside } from '../../../tests/support/aws-calls.js';
import { type FakeMeta, startFakeMeta } from '../../local/src/fakes/meta.js';
import { FAKE_META_DEMO } from '../../local/src/fakes/meta-state.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { BILLING_ACCOUNT_RECORDS } from '../src/billing/records.js';
import { USAGE_RECORDS } from '../src/billing/usage-records.js';
import { CAMPAIGN_RECORDS } from '../src/campaigns/campaign-records.js';
import { liveCounts, recount } from '../src/campaigns/counts.js';
import { fanOut } from '../src/campaigns/fanout.js';
import { transitionCampaign } from '../src/campaigns/lifecycle.js';
import { CAMPAIGN_LIST_RECORDS } from '../src/campaigns/list-records.js';
import { CAMPAIGN_PACE_RECORDS, reserveSlots, setSendRate, slowDown } from '../src/campaigns/pace.js';
import { runCampaignScheduler } from '../src/campaigns/scheduler.js';
import { CAMPAIGN_PAUSED_ALARM, type SendDeps, sendBatch } from '../src/campaigns/send.js';
import {
  CAMPAIGN_FANOUT_QUEUE,
  CAMPAIGN_SCHEDULER_SCHEDULE,
  CAMPAIGN_SEND_QUEUE,
  type CampaignSendMessage,
} from '../src/campaigns/send-queues.js';
import { DEFAULT_CAMPAIGN_SETTINGS, saveCampaignSettings } from '../src/campaigns/settings.js';
import { CAMPAIGN_SETTINGS_RECORDS } from '../src/campaigns/settings-records.js';
import { countedToday, refundTouch, takeTouch } from '../src/campaigns/touch.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { graphClient } from '../src/channels/meta/graph.js';
import { recordConsent } from '../src/inbox/consent.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { QueueDeclaration } from '../src/platform/queue/declarations.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant, saveConnectedChannel } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * Sending a campaign against the local DynamoDB emulator and the fake Meta (its real Cloud API
 * shapes, its throughput limit and per-recipient errors): the fan-out, the send step and the
 * scheduler, driven as their workers would be, each queued message handled in turn.
 */

let test: TestPlatform;
let meta: FakeMeta;
const SHOP = { tenantId: 't_cmpsend', number: FAKE_META_DEMO.phoneNumberId, waba: FAKE_META_DEMO.wabaId };
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

const storeOf = () =>
  test.platform.storeOf({
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
    ...CAMPAIGN_LIST_RECORDS,
    ...CAMPAIGN_SETTINGS_RECORDS,
    ...CAMPAIGN_RECORDS,
    ...CAMPAIGN_PACE_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...BILLING_ACCOUNT_RECORDS,
    ...USAGE_RECORDS,
  });
let store: ReturnType<typeof storeOf>;

interface Queued {
  queue: string;
  message: unknown;
  delaySeconds?: number | undefined;
}
let queued: Queued[] = [];
const producer = {
  async send<Q extends QueueDeclaration>(queue: Q, message: unknown, options?: { delaySeconds?: number }) {
    queue.message.parse(message);
    queued.push({ queue: queue.name, message, delaySeconds: options?.delaySeconds });
  },
};
const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
const log = {
  warn: (message: string, attributes: Record<string, unknown>) => void warnings.push({ message, attributes }),
  info() {},
};
let graph: ReturnType<typeof graphClient>;
const sendDeps = (overrides: Partial<SendDeps> = {}): SendDeps => ({
  store,
  keyring: test.platform.keyring,
  graph,
  producer,
  log,
  ...overrides,
});
const fanoutDeps = () => ({ store, keyring: test.platform.keyring, producer });

let phoneSeq = 0;
/** A customer who wrote to the business and agreed to its campaigns (İYS registered). */
type Customer = { contactId: string; waId: string };
async function consentingCustomer(name: string): Promise<Customer> {
  phoneSeq += 1;
  const waId = `90532${String(phoneSeq).padStart(7, '0')}`;
  const body = whatsappMessagesDelivery(
    { number: SHOP.number, waba: SHOP.waba },
    {
      contacts: [{ profile: { name }, wa_id: waId }],
      messages: [
        { from: waId, id: `wamid.in${waId}`, timestamp: '1764500000', type: 'text', text: { body: 'Merhaba' } },
      ],
    },
  );
  await processMetaDelivery({ store, keyring: test.platform.keyring, log: quiet }, metaDelivery(body, Date.now()));
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  const contactId = contactIdOf(keys, 'whatsapp', waId);
  await consent(contactId, 'granted');
  return { contactId, waId };
}

async function consent(contactId: string, state: 'granted' | 'withdrawn') {
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  const at = Date.now();
  await recordConsent(
    { store, keys },
    {
      tenantId: SHOP.tenantId,
      contactId,
      channel: 'whatsapp',
      purpose: 'marketing',
      state,
      source: state === 'withdrawn' ? 'customer-keyword' : 'agent',
      at,
      wording: state === 'withdrawn' ? 'DUR' : 'Kampanyalardan haberdar olmak istiyorum',
      actor: state === 'withdrawn' ? 'customer' : 'u_owner',
      entryId: `test_${contactId}_${state}_${at}`,
      iys: state === 'granted',
    },
  );
}

let campaignSeq = 0;
/** A campaign to a list of these customers, already `sending` (as "send now" leaves it). */
async function sendingCampaign(
  contactIds: string[],
  options: { template?: string; holdoutPercent?: number; state?: 'sending' | 'scheduled'; scheduledAt?: number } = {},
) {
  campaignSeq += 1;
  const campaignId = `cmp_sendtest${String(campaignSeq).padStart(8, '0')}`;
  const listId = `cl_sendtest${campaignSeq}`;
  const { tenantId } = SHOP;
  await store.entities.campaignList
    .put({
      tenantId,
      listId,
      name: listId,
      source: 'selection',
      state: 'ready',
      counts: {},
      rejectedByReason: {},
      createdBy: 'u_owner',
    })
    .go();
  for (const [row, contactId] of contactIds.entries()) {
    await store.entities.campaignListMember
      .put({ tenantId, listId, contactId, row: row + 1, fileConsent: 'none' })
      .go();
  }
  const keys = await test.platform.keyring.forTenant(tenantId);
  const name = options.template ?? 'welcome_offer';
  const template = {
    name,
    language: 'tr',
    variables: [{ source: 'contact', field: 'firstName', fallback: 'değerli müşterimiz' }],
  };
  const state = options.state ?? 'sending';
  await store.entities.campaign
    .create({
      tenantId,
      campaignId,
      name: `Kış kampanyası ${campaignSeq}`,
      state: 'draft',
      channelId: SHOP.number,
      audience: { kind: 'lists', listIds: [listId] },
      template: keys.seal('campaign', 'template', campaignId, JSON.stringify(template)),
      templateName: name,
      holdoutPercent: options.holdoutPercent ?? 0,
      attributionDays: 7,
      createdBy: 'u_owner',
    })
    .go();
  // Composed as a draft, then sent now or scheduled, as the campaign routes do.
  const change =
    state === 'sending' ? { startedAt: Date.now(), fanout: 'pending' as const } : { scheduledAt: options.scheduledAt };
  expect(await transitionCampaign(store, tenantId, campaignId, ['draft'], state, change)).toBe(true);
  return campaignId;
}

const sendMessages = (campaignId: string) =>
  queued
    .filter((entry) => entry.queue === CAMPAIGN_SEND_QUEUE.name)
    .map((entry) => entry.message as CampaignSendMessage)
    .filter((message) => message.campaignId === campaignId);

/** Handles the campaign's queued messages as the workers would, held-back ones after their delay, until none is left. */
async function drive(campaignId: string, deps: SendDeps = sendDeps()) {
  for (let round = 0; round < 20; round++) {
    const mine = queued.filter((entry) => (entry.message as { campaignId: string }).campaignId === campaignId);
    if (mine.length === 0) return;
    queued = queued.filter((entry) => !mine.includes(entry));
    for (const entry of mine) {
      if (entry.delaySeconds)
        await new Promise((resolve) => setTimeout(resolve, Math.min(entry.delaySeconds as number, 3) * 1000));
      if (entry.queue === CAMPAIGN_FANOUT_QUEUE.name) await fanOut(fanoutDeps(), entry.message as never);
      else await sendBatch(deps, entry.message as CampaignSendMessage);
    }
  }
  throw new Error('the campaign kept queueing messages');
}

async function start(campaignId: string) {
  await fanOut(fanoutDeps(), { tenantId: SHOP.tenantId, campaignId });
}

/** What the fake accepted for this customer (the messages Meta would deliver). */
const messagesTo = (waId: string) =>
  meta.state.messages.filter(
    (message) => message.channel === 'whatsapp' && message.direction === 'to-customer' && message.customerId === waId,
  );

async function recipient(campaignId: string, contactId: string) {
  const { data } = await store.entities.campaignRecipient
    .get({ tenantId: SHOP.tenantId, campaignId, contactId })
    .go({ consistent: true });
  return data;
}
async function campaign(campaignId: string) {
  const { data } = await store.entities.campaign.get({ tenantId: SHOP.tenantId, campaignId }).go({ consistent: true });
  return data;
}

beforeAll(async () => {
  test = await startTestPlatform();
  meta = await startFakeMeta({
    appId: '100000000000888',
    appSecret: 'campaign-send-app-secret-0123',
    instagramAppSecret: 'campaign-send-instagram-secret-0123',
    webhookUrl: () => 'http://127.0.0.1:9/unused',
    statusWebhooks: false,
    throughputPerSecond: null,
  });
  store = storeOf();
  const deps = { store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Çiçekçi');
  await saveConnectedChannel(
    deps,
    SHOP.tenantId,
    { kind: 'whatsapp', externalId: SHOP.number, label: 'WhatsApp', accountId: SHOP.waba },
    { accessToken: FAKE_META_DEMO.whatsappToken },
  );
  graph = graphClient({ baseUrl: meta.url, instagramBaseUrl: `${meta.url}/instagram-graph`, timeoutMs: 5_000 });
}, 60_000);

afterAll(async () => {
  await meta?.stop();
  await test?.stop();
});

describe('sending a campaign', () => {
  it('sends each consenting recipient the template once, with the callback data naming campaign and contact, even when the batch is delivered twice at once and again later', async () => {
    const people = [await consentingCustomer('Ayşe Yılmaz'), await consentingCustomer('Burak Demir')];
    const campaignId = await sendingCampaign(people.map((p) => p.contactId));
    await start(campaignId);
    const [batch] = sendMessages(campaignId);
    expect(batch).toBeDefined();
    queued = [];
    // SQS delivers at least once: two copies at the same time, then a third after both.
    await Promise.all([
      sendBatch(sendDeps(), batch as CampaignSendMessage),
      sendBatch(sendDeps(), batch as CampaignSendMessage),
    ]);
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    for (const { contactId, waId } of people) {
      const sent = messagesTo(waId);
      expect(sent).toHaveLength(1);
      const body = sent[0]?.body as {
        biz_opaque_callback_data: string;
        template: { name: string; components: unknown };
      };
      expect(body.biz_opaque_callback_data).toBe(`cmp1:${campaignId}:${contactId}`);
      expect(body.template.name).toBe('welcome_offer');
      const stored = await recipient(campaignId, contactId);
      expect(stored?.state).toBe('sent');
      expect(stored?.wamid).toBe(sent[0]?.id);
    }
    expect(
      (messagesTo(people[0]?.waId as string)[0]?.body as { template?: { components: unknown } })?.template?.components,
    ).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ayşe' }] }]);
    const counts = await liveCounts(store, SHOP.tenantId, campaignId);
    expect(counts).toMatchObject({ sent: 2, queued: 0, sending: 0, audience: 2 });
  });

  it('never sends again a recipient whose send had no answer (a crash after the claim), and completes it after 15 minutes as unknown', async () => {
    const person = await consentingCustomer('Cem Kaya');
    const campaignId = await sendingCampaign([person.contactId]);
    await start(campaignId);
    const [batch] = sendMessages(campaignId);
    queued = [];
    const crashing = { sendWhatsApp: async () => Promise.reject(new Error('the function stopped here')) };
    await sendBatch(sendDeps({ graph: crashing }), batch as CampaignSendMessage);
    expect((await recipient(campaignId, person.contactId))?.state).toBe('sending');
    // The batch comes back (a redelivery): the claimed recipient is not claimed again.
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    expect(messagesTo(person.waId)).toHaveLength(0);
    expect((await recipient(campaignId, person.contactId))?.state).toBe('sending');

    await runCampaignScheduler({ store, producer }, Date.now());
    expect((await campaign(campaignId))?.state).toBe('sending');
    await runCampaignScheduler({ store, producer }, Date.now() + 16 * 60_000);
    const done = await campaign(campaignId);
    expect(done?.state).toBe('completed');
    expect(done?.finalCounts).toMatchObject({ sending: 1, sent: 0, audience: 1 });
    expect(messagesTo(person.waId)).toHaveLength(0);
  });

  it('skips a customer who sent STOP between the fan-out and the send', async () => {
    const stays = await consentingCustomer('Deniz Ak');
    const stops = await consentingCustomer('Ece Er');
    const campaignId = await sendingCampaign([stays.contactId, stops.contactId]);
    await start(campaignId);
    expect((await recipient(campaignId, stops.contactId))?.state).toBe('queued');
    await consent(stops.contactId, 'withdrawn');
    await drive(campaignId);
    expect(messagesTo(stops.waId)).toHaveLength(0);
    expect(await recipient(campaignId, stops.contactId)).toMatchObject({
      state: 'skipped',
      skipReason: 'consent-withdrawn',
    });
    expect(messagesTo(stays.waId)).toHaveLength(1);
  });

  it('holds the frequency cap across two campaigns sending to the same customers at once', async () => {
    const people = [await consentingCustomer('Fatma Su'), await consentingCustomer('Gül Ay')];
    const first = await sendingCampaign(people.map((p) => p.contactId));
    const second = await sendingCampaign(people.map((p) => p.contactId));
    await start(first);
    await start(second);
    const batches = [...sendMessages(first), ...sendMessages(second)];
    queued = [];
    await Promise.all(batches.map((batch) => sendBatch(sendDeps(), batch)));
    for (const { contactId, waId } of people) {
      // One campaign a week (the default cap): one message, whichever campaign got there first.
      expect(messagesTo(waId)).toHaveLength(1);
      const states = [(await recipient(first, contactId))?.state, (await recipient(second, contactId))?.state].sort();
      expect(states).toEqual(['sent', 'skipped']);
    }
    const { data: touch } = await store.entities.campaignTouch
      .get({ tenantId: SHOP.tenantId, contactId: people[0]?.contactId as string })
      .go();
    expect(touch?.count).toBe(1);
  });

  it('gives a throttled recipient (130429) back to the queue and sends it once on the retry; one refusal keeps the pace', async () => {
    const person = await consentingCustomer('Hakan Tan');
    meta.state.recipientErrors.set(person.waId, { codes: [130429], always: false });
    const campaignId = await sendingCampaign([person.contactId]);
    await start(campaignId);
    const [batch] = sendMessages(campaignId);
    queued = [];
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    expect(await recipient(campaignId, person.contactId)).toMatchObject({ state: 'queued', attempts: 1 });
    const again = queued.find((entry) => entry.queue === CAMPAIGN_SEND_QUEUE.name);
    expect(again?.delaySeconds).toBeGreaterThanOrEqual(1);
    const { data: pace } = await store.entities.campaignPace
      .get({ tenantId: SHOP.tenantId, phoneNumberId: SHOP.number })
      .go();
    expect(pace).toMatchObject({ refusals: 1 });
    expect(pace?.factor).toBeUndefined();
    await drive(campaignId);
    expect(messagesTo(person.waId)).toHaveLength(1);
    expect((await recipient(campaignId, person.contactId))?.state).toBe('sent');
  });

  it('fails a recipient over the marketing limit (131049) for good, without retrying', async () => {
    const person = await consentingCustomer('İpek Nur');
    meta.state.recipientErrors.set(person.waId, { codes: [131049], always: true });
    const campaignId = await sendingCampaign([person.contactId]);
    await start(campaignId);
    const [batch] = sendMessages(campaignId);
    queued = [];
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    expect(await recipient(campaignId, person.contactId)).toMatchObject({ state: 'failed', failureCode: 131049 });
    expect(sendMessages(campaignId)).toHaveLength(0);
    meta.state.recipientErrors.delete(person.waId);
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    expect(messagesTo(person.waId)).toHaveLength(0);
    const { data: failures } = await store.entities.campaignFailure.query
      .byCampaign({ tenantId: SHOP.tenantId, campaignId })
      .go();
    expect(failures.map((failure) => [failure.code, failure.count])).toEqual([[131049, 1]]);
  });

  it('pauses every sending campaign of the business on a policy block (368), with the alarm line, and gives the recipient back', async () => {
    const blocked = await consentingCustomer('Jale Öz');
    const other = await consentingCustomer('Kaan Şen');
    meta.state.recipientErrors.set(blocked.waId, { codes: [368], always: false });
    const campaignId = await sendingCampaign([blocked.contactId]);
    const bystander = await sendingCampaign([other.contactId]);
    await start(campaignId);
    const [batch] = sendMessages(campaignId);
    queued = [];
    warnings.length = 0;
    await sendBatch(sendDeps(), batch as CampaignSendMessage);
    expect(await campaign(campaignId)).toMatchObject({ state: 'paused', pauseReason: 'policy-block' });
    expect(await campaign(bystander)).toMatchObject({ state: 'paused', pauseReason: 'policy-block' });
    expect(await recipient(campaignId, blocked.contactId)).toMatchObject({ state: 'queued' });
    expect(warnings.map((warning) => warning.message)).toContain(CAMPAIGN_PAUSED_ALARM);
    expect(CAMPAIGN_PAUSED_ALARM).toBe(CAMPAIGN_SCHEDULER_SCHEDULE.alarm.logMessage);
    expect(JSON.stringify(warnings)).not.toContain(blocked.waId);
    // The scheduler's log, which the AWS alarm watches, names it too while the pause is fresh.
    warnings.length = 0;
    await runCampaignScheduler({ store, producer, log }, Date.now());
    expect(
      warnings.filter((warning) => warning.message === CAMPAIGN_PAUSED_ALARM).map((w) => w.attributes),
    ).toContainEqual({
      tenantId: SHOP.tenantId,
      campaignId,
      reason: 'policy-block',
    });
    // Nothing is sent while paused; the batch is not queued again (a resume does that).
    expect(sendMessages(campaignId)).toHaveLength(0);
    expect(messagesTo(blocked.waId)).toHaveLength(0);
    // Resumed: the fan-out finds the batch still waiting and queues it again.
    await store.entities.campaign
      .patch({ tenantId: SHOP.tenantId, campaignId })
      .set({ state: 'sending' })
      .remove(['pauseReason'])
      .go();
    await start(campaignId);
    expect(sendMessages(campaignId)).toHaveLength(1);
    await drive(campaignId);
    expect(messagesTo(blocked.waId)).toHaveLength(1);
  });

  it('pauses the campaigns using a template WhatsApp paused (132015)', async () => {
    const person = await consentingCustomer('Leyla Gün');
    const campaignId = await sendingCampaign([person.contactId], { template: 'winback_offer' });
    await start(campaignId);
    warnings.length = 0;
    await drive(campaignId);
    expect(await campaign(campaignId)).toMatchObject({ state: 'paused', pauseReason: 'template-paused' });
    expect(await recipient(campaignId, person.contactId)).toMatchObject({ state: 'queued' });
    expect(warnings.map((warning) => warning.message)).toContain(CAMPAIGN_PAUSED_ALARM);
  });
});

describe('the fan-out', () => {
  it('creates nothing new when a page is done again, never resets a recipient, and draws the same holdout', async () => {
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await consentingCustomer(`Müşteri ${i}`));
    const campaignId = await sendingCampaign(
      people.map((p) => p.contactId),
      { holdoutPercent: 50 },
    );
    await start(campaignId);
    const first = await store.entities.campaignRecipient.query
      .byCampaign({ tenantId: SHOP.tenantId, campaignId })
      .go({ pages: 'all', consistent: true });
    expect(first.data).toHaveLength(12);
    const holdout = first.data
      .filter((r) => r.state === 'holdout')
      .map((r) => r.contactId)
      .sort();
    expect(holdout.length).toBeGreaterThan(0);
    expect(holdout.length).toBeLessThan(12);
    const batchesBefore = sendMessages(campaignId);
    const countsBefore = await liveCounts(store, SHOP.tenantId, campaignId);
    expect((await campaign(campaignId))?.audienceCount).toBe(12);

    // One recipient went on; then the fan-out runs again from the start (a crash before its checkpoint).
    const moved = first.data.find((r) => r.state === 'queued');
    await store.entities.campaignRecipient
      .patch({ tenantId: SHOP.tenantId, campaignId, contactId: moved?.contactId as string })
      .set({ state: 'sent' })
      .go();
    await store.entities.campaign
      .patch({ tenantId: SHOP.tenantId, campaignId })
      .set({ fanout: 'running', fanoutPage: 0 })
      .remove(['fanoutCursor'])
      .go();
    queued = [];
    const replay = await fanOut(fanoutDeps(), { tenantId: SHOP.tenantId, campaignId });
    expect(replay.created).toBe(0);
    const again = await store.entities.campaignRecipient.query
      .byCampaign({ tenantId: SHOP.tenantId, campaignId })
      .go({ pages: 'all', consistent: true });
    expect(again.data).toHaveLength(12);
    expect(
      again.data
        .filter((r) => r.state === 'holdout')
        .map((r) => r.contactId)
        .sort(),
    ).toEqual(holdout);
    expect(again.data.find((r) => r.contactId === moved?.contactId)?.state).toBe('sent');
    expect(await liveCounts(store, SHOP.tenantId, campaignId)).toEqual(countsBefore);
    // The same batches are queued again: the send step makes them harmless.
    expect(sendMessages(campaignId)).toEqual(batchesBefore);
    queued = [];
  });
});

describe('a paused campaign', () => {
  it('is neither fanned out nor sent while paused, and continues on resume', async () => {
    const person = await consentingCustomer('Rana Yel');
    const campaignId = await sendingCampaign([person.contactId]);
    await transitionCampaign(store, SHOP.tenantId, campaignId, ['sending'], 'paused', { pauseReason: 'merchant' });
    queued = [];
    expect((await fanOut(fanoutDeps(), { tenantId: SHOP.tenantId, campaignId })).outcome).toBe('not-sending');
    expect(await recipient(campaignId, person.contactId)).toBeNull();
    expect(await sendBatch(sendDeps(), { tenantId: SHOP.tenantId, campaignId, batch: 0 })).toMatchObject({
      outcome: 'not-sending',
      sent: 0,
    });
    await transitionCampaign(store, SHOP.tenantId, campaignId, ['paused'], 'sending');
    await start(campaignId);
    await drive(campaignId);
    expect(messagesTo(person.waId)).toHaveLength(1);
  });
});

describe('pacing', () => {
  it('spaces sends through one number at its rate across workers', async () => {
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await consentingCustomer(`Hızlı ${i}`));
    await setSendRate(store, SHOP.tenantId, SHOP.number, 20);
    const firstHalf = await sendingCampaign(people.slice(0, 15).map((p) => p.contactId));
    const secondHalf = await sendingCampaign(people.slice(15).map((p) => p.contactId));
    await start(firstHalf);
    await start(secondHalf);
    const batches = [...sendMessages(firstHalf), ...sendMessages(secondHalf)];
    queued = [];
    const began = Date.now();
    await Promise.all(batches.map((batch) => sendBatch(sendDeps(), batch)));
    const elapsed = Date.now() - began;
    const times = people.map((p) => messagesTo(p.waId)[0]?.at as number).sort((a, b) => a - b);
    expect(times.every(Number.isFinite)).toBe(true);
    // 30 sends at 20 a second take about 1.5 s whatever the workers; loose bounds (the bench measures ratios).
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThan(1_000);
    expect(elapsed).toBeLessThan(10_000);
    await setSendRate(store, SHOP.tenantId, SHOP.number, 80);
  });
});

describe('the frequency cap', () => {
  it('takes one message of a window per send, refuses past the cap, starts a new window after it, and gives back a refund with its time', async () => {
    const { tenantId } = SHOP;
    const contactId = 'ct_touchtest0001';
    const cap = { max: 2, windowMs: 7 * 86_400_000 };
    const t = Date.now();
    const first = await takeTouch(store, tenantId, contactId, cap, t);
    expect(first).toEqual({ at: t, previousSentAt: undefined });
    const second = await takeTouch(store, tenantId, contactId, cap, t + 1_000);
    expect(second?.previousSentAt).toBe(t);
    expect(countedToday(second as NonNullable<typeof second>)).toBe(true);
    expect(await takeTouch(store, tenantId, contactId, cap, t + 2_000)).toBeUndefined();
    // The second message was never sent: its place and its time are given back.
    await refundTouch(store, tenantId, contactId, second as NonNullable<typeof second>);
    const touch = async () =>
      (await store.entities.campaignTouch.get({ tenantId, contactId }).go({ consistent: true })).data;
    expect(await touch()).toMatchObject({ count: 1, lastSentAt: t, windowStart: t });
    // A week later the window is over: a new one starts, and the customer is not counted today.
    const later = await takeTouch(store, tenantId, contactId, cap, t + cap.windowMs + 1);
    expect(later?.previousSentAt).toBe(t);
    expect(countedToday(later as NonNullable<typeof later>)).toBe(false);
    expect(await touch()).toMatchObject({ count: 1, windowStart: t + cap.windowMs + 1 });
  });
});

describe('the daily tier', () => {
  it('counts unique customers of the business: one a campaign reached today takes none of it, and those beyond it wait', async () => {
    const { tenantId } = SHOP;
    const hour = String(Math.floor(Date.now() / 3_600_000) * 3_600_000).padStart(15, '0');
    const bucket = async () =>
      (await store.entities.campaignTier.get({ tenantId, hour }).go({ consistent: true })).data?.count;
    // Up to three campaign messages a day, so one customer can be reached twice.
    await saveCampaignSettings(
      store,
      tenantId,
      { userId: 'u_owner' },
      {
        ...DEFAULT_CAMPAIGN_SETTINGS,
        frequencyCap: { max: 3, days: 1 },
      },
    );
    try {
      const [again, fresh, beyond] = [
        await consentingCustomer('Tekrar Gelen'),
        await consentingCustomer('Yeni Gelen'),
        await consentingCustomer('Sırada Bekleyen'),
      ] as [Customer, Customer, Customer];
      const first = await sendingCampaign([again.contactId]);
      await start(first);
      await drive(first);
      expect(messagesTo(again.waId)).toHaveLength(1);
      // The business has reached 249 of the 250 customers its number's tier allows today.
      await store.entities.campaignTier.put({ tenantId, hour, count: 249 }).go();
      const second = await sendingCampaign([again.contactId, fresh.contactId, beyond.contactId]);
      await start(second);
      const [batch] = sendMessages(second);
      queued = [];
      const result = await sendBatch(sendDeps(), batch as CampaignSendMessage);
      // WhatsApp counts the customer reached an hour ago once: the last place goes to a new one.
      expect(messagesTo(again.waId)).toHaveLength(2);
      // One of the two new customers takes the last place (in the batch's order); the other waits.
      const [taken, waits] = messagesTo(fresh.waId).length > 0 ? [fresh, beyond] : [beyond, fresh];
      expect(messagesTo(taken.waId)).toHaveLength(1);
      expect(result).toMatchObject({ sent: 2, waiting: 1 });
      expect(await recipient(second, waits.contactId)).toMatchObject({ state: 'queued' });
      expect((await recipient(second, waits.contactId))?.notBefore).toBeGreaterThan(Date.now());
      expect(messagesTo(waits.waId)).toHaveLength(0);
      expect(await bucket()).toBe(250);
    } finally {
      await store.entities.campaignTier.delete({ tenantId, hour }).go();
      await saveCampaignSettings(store, tenantId, { userId: 'u_owner' }, DEFAULT_CAMPAIGN_SETTINGS);
    }
  });
});

describe('the send rate', () => {
  it('comes from the business’s campaign settings, 3% under it, and a rate set for the number itself wins', async () => {
    const key = { tenantId: SHOP.tenantId, phoneNumberId: '100000000000999', rate: 20 };
    const block = await reserveSlots(store, key, 100);
    expect(block.intervalMs).toBeCloseTo(1000 / (20 * 0.97), 6);
    expect(block.count).toBe(5);
    await setSendRate(store, SHOP.tenantId, key.phoneNumberId, 500);
    expect((await reserveSlots(store, key, 100)).intervalMs).toBeCloseTo(1000 / (500 * 0.97), 6);
    // A number shared with the WhatsApp Business app never goes over 20.
    expect((await reserveSlots(store, { ...key, coexistence: true }, 100)).intervalMs).toBeCloseTo(
      1000 / (20 * 0.97),
      6,
    );
  });
});

describe('throttling', () => {
  it('keeps the pace through scattered refusals, and cuts it once a second when a fifth of its sends are refused', async () => {
    const key = { tenantId: SHOP.tenantId, phoneNumberId: '100000000000998' };
    const pace = async () => (await store.entities.campaignPace.get(key).go({ consistent: true })).data;
    const refuse = async (from: number, count: number) => {
      for (let i = 0; i < count; i++) await slowDown(store, key, {}, from + i * 10);
    };
    const t = Date.now();
    await reserveSlots(store, key, 1, () => t);
    const reserved = (await pace())?.nextAt as number;
    // At 80 a second a fifth is 16: 15 refusals in a second are jitter, and the number keeps its slots.
    await refuse(t, 15);
    expect((await pace())?.factor).toBeUndefined();
    expect((await pace())?.nextAt).toBe(reserved);
    // The 16th is a number over its limit: cut by a tenth, and no slot for a second.
    await refuse(t + 150, 1);
    expect((await pace())?.factor).toBeCloseTo(0.9, 6);
    expect((await pace())?.nextAt).toBeGreaterThanOrEqual(t + 1_150);
    // The rest of that second's refusals cut nothing more.
    await refuse(t + 160, 20);
    expect((await pace())?.factor).toBeCloseTo(0.9, 6);
    // A later second over the limit cuts again (15, a fifth of 72, rounded up).
    await refuse(t + 1_500, 14);
    expect((await pace())?.factor).toBeCloseTo(0.9, 6);
    await refuse(t + 1_640, 1);
    expect((await pace())?.factor).toBeCloseTo(0.81, 6);
  });

  it('holds every send of the number until the wait Meta named, even for a lone refusal', async () => {
    const key = { tenantId: SHOP.tenantId, phoneNumberId: '100000000000997' };
    const t = Date.now();
    await reserveSlots(store, key, 1, () => t);
    await slowDown(store, key, { retryAfterMs: 5_000 }, t);
    const { data } = await store.entities.campaignPace.get(key).go({ consistent: true });
    expect(data?.factor).toBeUndefined();
    expect(data?.nextAt).toBe(t + 5_000);
    expect((await reserveSlots(store, key, 1, () => t + 10)).startAt).toBe(t + 5_000);
  });
});

describe('the scheduler', () => {
  it('starts a due campaign once, and completes it with exact counts once everyone was sent', async () => {
    const people = [await consentingCustomer('Nazlı Can'), await consentingCustomer('Oğuz Işık')];
    const campaignId = await sendingCampaign(
      people.map((p) => p.contactId),
      { state: 'scheduled', scheduledAt: Date.now() + 60_000 },
    );
    queued = [];
    await runCampaignScheduler({ store, producer }, Date.now());
    expect((await campaign(campaignId))?.state).toBe('scheduled');
    const later = Date.now() + 61_000;
    const runs = await Promise.all([
      runCampaignScheduler({ store, producer }, later),
      runCampaignScheduler({ store, producer }, later),
    ]);
    expect(runs.reduce((sum, run) => sum + run.started, 0)).toBe(1);
    expect(queued.filter((entry) => entry.queue === CAMPAIGN_FANOUT_QUEUE.name)).toHaveLength(1);
    expect(await campaign(campaignId)).toMatchObject({ state: 'sending', fanout: 'pending' });
    await drive(campaignId);
    await runCampaignScheduler({ store, producer }, Date.now());
    const done = await campaign(campaignId);
    expect(done).toMatchObject({ state: 'completed' });
    expect(done?.finalCounts).toMatchObject({ sent: 2, audience: 2, queued: 0 });
    for (const { waId } of people) expect(messagesTo(waId)).toHaveLength(1);
  });

  it('attributes orders to a completed campaign hourly while its window is open, then a last time that takes it out of its view', async () => {
    const person = await consentingCustomer('Rana Tez');
    const campaignId = await sendingCampaign([person.contactId]);
    await start(campaignId);
    await drive(campaignId);
    await runCampaignScheduler({ store, producer }, Date.now());
    const completed = await campaign(campaignId);
    expect(completed?.state).toBe('completed');
    const inView = async () => {
      const { data } = await store.entities.campaign.query.active({ state: 'completed' }).go({ pages: 'all' });
      return data.some((item) => item.campaignId === campaignId);
    };
    expect(await inView()).toBe(true);

    const startedAt = completed?.startedAt as number;
    // The run that completed it attributed it at once.
    const first = (await campaign(campaignId))?.attributionAt as number;
    expect(first).toBeGreaterThanOrEqual(startedAt);
    // Within the hour nothing is computed again; after it, it is.
    await runCampaignScheduler({ store, producer }, first + 30 * 60_000);
    expect((await campaign(campaignId))?.attributionAt).toBe(first);
    await runCampaignScheduler({ store, producer }, first + 2 * 3_600_000);
    expect((await campaign(campaignId))?.attributionAt).toBe(first + 2 * 3_600_000);

    const closed = startedAt + ((completed?.attributionDays as number) + 1) * 86_400_000;
    await runCampaignScheduler({ store, producer }, closed);
    const final = await campaign(campaignId);
    expect(final).toMatchObject({ state: 'completed', attributionFinal: true, attributionAt: closed });
    expect(final?.attribution).toMatchObject({ status: 'ready', recipients: { n: 1 } });
    expect(await inView()).toBe(false);
  });
});

describe('the recount', () => {
  it('mends counts a stopped worker left behind, and leaves them to the next recount while statuses still land', async () => {
    const person = await consentingCustomer('Sena Göl');
    const campaignId = await sendingCampaign([person.contactId]);
    await start(campaignId);
    await drive(campaignId);
    // A worker stopped between moving a recipient and counting it: the shards say one too many sent.
    const drift = () =>
      store.entities.campaignCounter
        .update({ tenantId: SHOP.tenantId, campaignId, shard: 3 })
        .add({ sent: 1 })
        .go({ response: 'none' });
    await drift();
    expect((await liveCounts(store, SHOP.tenantId, campaignId)).sent).toBe(2);
    expect(await recount(store, SHOP.tenantId, campaignId)).toMatchObject({ sent: 1, audience: 1 });
    expect(await liveCounts(store, SHOP.tenantId, campaignId)).toMatchObject({ sent: 1, audience: 1 });

    // A change counted while the recipients are read: nothing is mended this time.
    await drift();
    const queries = store.entities.campaignRecipient.query;
    const byCampaign = queries.byCampaign.bind(queries);
    const spy = vi.spyOn(queries, 'byCampaign').mockImplementation(((...args: Parameters<typeof byCampaign>) => {
      const chain = byCampaign(...args);
      const go = chain.go.bind(chain);
      return Object.assign(chain, {
        go: async (options: never) => {
          await drift();
          return go(options);
        },
      });
    }) as never);
    await recount(store, SHOP.tenantId, campaignId);
    spy.mockRestore();
    expect((await liveCounts(store, SHOP.tenantId, campaignId)).sent).toBe(3);
    expect(await recount(store, SHOP.tenantId, campaignId)).toMatchObject({ sent: 1 });
    expect((await liveCounts(store, SHOP.tenantId, campaignId)).sent).toBe(1);
  });
});

describe('access', () => {
  it('asks of the table only what each function declares', async () => {
    const person = await consentingCustomer('Pelin Ateş');
    const campaignId = await sendingCampaign([person.contactId]);
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    recorder.clear();
    await start(campaignId);
    expect(tableCallsOutside(recorder.calls, CAMPAIGN_FANOUT_QUEUE.consumer.access.table)).toEqual([]);
    recorder.clear();
    meta.state.recipientErrors.set(person.waId, { codes: [131050], always: false });
    await drive(campaignId);
    expect(tableCallsOutside(recorder.calls, CAMPAIGN_SEND_QUEUE.consumer.access.table)).toEqual([]);
    expect(await recipient(campaignId, person.contactId)).toMatchObject({ state: 'failed', failureCode: 131050 });
    // WhatsApp's own opt-out is recorded in the consent ledger: the customer is not asked again.
    const { data: standing } = await store.entities.consentState
      .get({ tenantId: SHOP.tenantId, contactId: person.contactId, channel: 'whatsapp', purpose: 'marketing' })
      .go();
    expect(standing?.state).toBe('withdrawn');
    recorder.clear();
    await runCampaignScheduler({ store, producer }, Date.now());
    expect(tableCallsOutside(recorder.calls, CAMPAIGN_SCHEDULER_SCHEDULE.access.table)).toEqual([]);
  });
});

describe('a held-back message', () => {
  it('reaches the queue only after its delay (the batch that comes back for recipients not yet due)', async () => {
    const { producer: real, aws, config } = test.platform;
    const message = { tenantId: SHOP.tenantId, campaignId: 'cmp_heldbacktest00000001', batch: 7 };
    await real.send(CAMPAIGN_SEND_QUEUE, message, { delaySeconds: 2 });
    const receive = () =>
      aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: config.queueUrl(CAMPAIGN_SEND_QUEUE.name),
          WaitTimeSeconds: 0,
          MaxNumberOfMessages: 10,
        }),
      );
    expect((await receive()).Messages ?? []).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const bodies = ((await receive()).Messages ?? []).map((received) => JSON.parse(received.Body as string));
    expect(bodies).toEqual([message]);
    await expect(real.send(CAMPAIGN_SEND_QUEUE, message, { delaySeconds: 1.5 })).rejects.toThrow(/whole seconds/);
  });
});
