import { PLANS, TRIAL_LIMITS } from '@asistone/contract/billing';
import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_SHOP_CUSTOMERS, AI_SHOP_OWNER, openAiShop, customerWrites as writes } from '../../local/src/ai-shop.js';
import { createBusiness } from '../src/accounts/businesses.js';
import type { AccountsDeps } from '../src/accounts/deps.js';
import { createAccount } from '../src/accounts/people.js';
import { accountRequestQueue } from '../src/accounts/requests.js';
import { answerInbound } from '../src/ai/agent.js';
import type { AgentModelPort } from '../src/ai/agent-ports.js';
import type { AiReplyRequest } from '../src/ai/queue.js';
import { DEFAULT_AGENT_SETTINGS, saveAgent } from '../src/ai/settings.js';
import { AGENT_RECORDS, agentDeps } from '../src/ai/wiring.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { PlanLimitError, planLimitMessage, ReadOnlyError } from '../src/billing/limits.js';
import { entitlementOf } from '../src/billing/plans.js';
import { BILLING_ACCOUNT_RECORDS } from '../src/billing/records.js';
import { inviteWithinPlan } from '../src/billing/seats.js';
import {
  ensureChannelRoom,
  monthOf,
  returnAllowance,
  usageView,
  useAllowance,
  usedThisMonth,
} from '../src/billing/usage.js';
import { USAGE_RECORDS } from '../src/billing/usage-records.js';
import { CAMPAIGN_RECORDS } from '../src/campaigns/campaign-records.js';
import { createCampaign, type StartDeps, sendCampaign } from '../src/campaigns/campaigns.js';
import { CAMPAIGN_LIST_RECORDS } from '../src/campaigns/list-records.js';
import { runCampaignScheduler } from '../src/campaigns/scheduler.js';
import { CAMPAIGN_SETTINGS_RECORDS } from '../src/campaigns/settings-records.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { listTickets } from '../src/inbox/tickets.js';
import { mailQueue } from '../src/notify/outbound.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Plans' limits against the local DynamoDB emulator: the monthly allowance taken with one
 * conditional write (never more than the plan under concurrency, nothing changed when refused,
 * a new month at Istanbul's midnight), the trial's and the plans' numbers, and each place that
 * uses one: inviting, connecting a channel, starting a campaign, the AI agent answering.
 */

let test: TestPlatform;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const usage = () => ({ store: test.platform.store });

/** Puts the business on a plan in a state, as the subscription's lifecycle would. */
async function subscribe(tenantId: string, state: 'active' | 'grace' | 'read-only' | 'canceled', planId = 'starter') {
  await test.platform.store.entities.billingAccount
    .put({ tenantId, state, planId: planId as 'starter' | 'growth' | 'scale', dueKey: '' })
    .go();
}

beforeAll(async () => {
  test = await startTestPlatform();
}, 120_000);
afterAll(() => test?.stop());

describe('entitlement', () => {
  it('is the trial without a subscription, the plan while active or in grace, read-only after', async () => {
    const tenantId = 't_ent';
    expect(await entitlementOf(test.platform.store, tenantId)).toEqual({
      state: 'trial',
      limits: TRIAL_LIMITS,
      readOnly: false,
    });
    await subscribe(tenantId, 'active', 'scale');
    expect(await entitlementOf(test.platform.store, tenantId)).toEqual({
      state: 'active',
      planId: 'scale',
      limits: PLANS.scale.limits,
      readOnly: false,
    });
    await subscribe(tenantId, 'grace', 'starter');
    expect(await entitlementOf(test.platform.store, tenantId)).toMatchObject({
      limits: PLANS.starter.limits,
      readOnly: false,
    });
    await subscribe(tenantId, 'read-only', 'starter');
    expect((await entitlementOf(test.platform.store, tenantId)).readOnly).toBe(true);
    await subscribe(tenantId, 'canceled', 'growth');
    expect((await entitlementOf(test.platform.store, tenantId)).readOnly).toBe(true);
  });
});

describe('monthly allowance', () => {
  const now = Date.parse('2026-12-15T12:00:00Z');

  it('lets exactly the allowed number of 20 concurrent uses through, never more', async () => {
    const tenantId = 't_race';
    // The trial allows 200 AI replies: 195 used, so 5 of the 20 fit.
    await useAllowance(usage(), tenantId, 'aiReplies', 195, now);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => useAllowance(usage(), tenantId, 'aiReplies', 1, now)),
    );
    const granted = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(granted).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(PlanLimitError);
    expect(await usedThisMonth(test.platform.store, tenantId, 'aiReplies', now)).toBe(TRIAL_LIMITS.aiReplies);
  });

  it('refuses a use beyond the plan with the numbers, and leaves the usage as it was', async () => {
    const tenantId = 't_refused';
    await useAllowance(usage(), tenantId, 'campaignMessages', 480, now);
    const refusal = await useAllowance(usage(), tenantId, 'campaignMessages', 21, now).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PlanLimitError);
    expect(refusal).toMatchObject({ limit: 'campaignMessages', allowed: 500, used: 480, wanted: 21 });
    expect(await usedThisMonth(test.platform.store, tenantId, 'campaignMessages', now)).toBe(480);
    // Exactly what remains still fits.
    expect(await useAllowance(usage(), tenantId, 'campaignMessages', 20, now)).toMatchObject({ used: 500 });
    // More than the whole month's allowance at once is refused without a write.
    await expect(useAllowance(usage(), 't_huge', 'campaignMessages', 501, now)).rejects.toBeInstanceOf(PlanLimitError);
    expect(await usedThisMonth(test.platform.store, 't_huge', 'campaignMessages', now)).toBe(0);
  });

  it('starts a new month at midnight in Istanbul, not in UTC', async () => {
    const tenantId = 't_month';
    const lastMinute = Date.parse('2026-11-30T20:59:00Z'); // 23:59 in Istanbul, 30 November
    const firstMinute = Date.parse('2026-11-30T21:00:00Z'); // 00:00 in Istanbul, 1 December
    expect(monthOf(lastMinute)).toBe('2026-11');
    expect(monthOf(firstMinute)).toBe('2026-12');
    await useAllowance(usage(), tenantId, 'aiReplies', 200, lastMinute);
    await expect(useAllowance(usage(), tenantId, 'aiReplies', 1, lastMinute)).rejects.toBeInstanceOf(PlanLimitError);
    expect(await useAllowance(usage(), tenantId, 'aiReplies', 1, firstMinute)).toMatchObject({
      month: '2026-12',
      used: 1,
    });
    expect((await usageView(usage(), tenantId, firstMinute)).used.aiReplies).toBe(1);
    expect((await usageView(usage(), tenantId, lastMinute)).used.aiReplies).toBe(200);
  });

  it("uses the plan's numbers once subscribed, and nothing while read-only", async () => {
    const tenantId = 't_plan';
    await subscribe(tenantId, 'active', 'starter');
    await useAllowance(usage(), tenantId, 'aiReplies', 500, now);
    await expect(useAllowance(usage(), tenantId, 'aiReplies', 1, now)).rejects.toMatchObject({ allowed: 500 });
    await subscribe(tenantId, 'active', 'growth');
    expect(await useAllowance(usage(), tenantId, 'aiReplies', 1, now)).toMatchObject({ used: 501, allowed: 3_000 });
    await subscribe(tenantId, 'read-only', 'growth');
    await expect(useAllowance(usage(), tenantId, 'aiReplies', 1, now)).rejects.toBeInstanceOf(ReadOnlyError);
    expect(await usedThisMonth(test.platform.store, tenantId, 'aiReplies', now)).toBe(501);
  });

  it('gives back what was counted for work not done, never below zero', async () => {
    const tenantId = 't_return';
    await useAllowance(usage(), tenantId, 'campaignMessages', 30, now);
    await returnAllowance(usage(), tenantId, 'campaignMessages', 10, now);
    expect(await usedThisMonth(test.platform.store, tenantId, 'campaignMessages', now)).toBe(20);
    await returnAllowance(usage(), tenantId, 'campaignMessages', 50, now);
    expect(await usedThisMonth(test.platform.store, tenantId, 'campaignMessages', now)).toBe(20);
  });

  it("words the refusal in Turkish and English with the plan's number", () => {
    const refusal = new PlanLimitError('campaignMessages', 1_000, 990, 25);
    expect(planLimitMessage(refusal, 'tr')).toContain('ayda 1.000 kampanya mesajı');
    expect(planLimitMessage(refusal, 'tr')).toContain('10 mesaj hakkınız kaldı');
    expect(planLimitMessage(refusal, 'en')).toContain('1,000 campaign messages a month; 10 remain');
    expect(refusal.message).toBe(planLimitMessage(refusal, 'en'));
  });
});

describe('seats', () => {
  const tenantId = 'b_seats';
  let deps: AccountsDeps & { store: typeof test.platform.store };
  const owner = { userId: 'u_seatowner' };

  beforeAll(async () => {
    const { store, keyring, producer } = test.platform;
    deps = {
      store,
      keyring,
      log: quiet,
      tokenSecret: 'x'.repeat(40),
      appUrl: 'https://app.test',
      mails: mailQueue(producer),
      requests: accountRequestQueue(producer),
    };
    await createAccount(deps, {
      userId: owner.userId,
      name: 'Ayşe',
      email: 'seat.owner@example.com',
      passwordHash: 'x',
    });
    await createBusiness(deps, { tenantId, name: 'Koltuk Butik', ownerId: owner.userId });
  });

  const pending = async () =>
    (await test.platform.store.entities.invite.query.byBusiness({ tenantId }).go()).data.filter(
      (invite) => invite.status === 'pending',
    );

  it("refuses an invitation beyond the plan's seats, storing none; the same address again takes no seat", async () => {
    // The owner and four invitations: the trial's five seats.
    for (const n of [1, 2, 3, 4]) {
      await inviteWithinPlan(deps, owner, tenantId, { email: `seat${n}@example.com`, role: 'agent' });
    }
    expect(await pending()).toHaveLength(4);
    const refusal = await inviteWithinPlan(deps, owner, tenantId, { email: 'seat5@example.com', role: 'agent' }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(PlanLimitError);
    expect(refusal).toMatchObject({ limit: 'seats', allowed: 5, used: 5 });
    expect(planLimitMessage(refusal as PlanLimitError, 'tr')).toContain('en fazla 5 kişilik');
    expect(await pending()).toHaveLength(4);
    // Inviting an address already invited replaces that invitation.
    await inviteWithinPlan(deps, owner, tenantId, { email: 'seat4@example.com', role: 'admin' });
    expect(await pending()).toHaveLength(4);
    expect((await usageView(usage(), tenantId)).used.seats).toBe(5);
  });

  it('refuses any invitation while the business is read-only', async () => {
    await subscribe(tenantId, 'read-only', 'scale');
    await expect(
      inviteWithinPlan(deps, owner, tenantId, { email: 'seat9@example.com', role: 'agent' }),
    ).rejects.toBeInstanceOf(ReadOnlyError);
    await subscribe(tenantId, 'active', 'scale');
    await inviteWithinPlan(deps, owner, tenantId, { email: 'seat9@example.com', role: 'agent' });
    expect(await pending()).toHaveLength(5);
  });
});

describe('channels', () => {
  it('counts connected Meta channels (not the sandbox, not a reconnection) against the plan', async () => {
    const tenantId = 't_channels';
    const tenancy = { store: test.platform.store, keyring: test.platform.keyring };
    await createTenant(tenancy, tenantId, 'Kanal Butik');
    await subscribe(tenantId, 'active', 'starter');
    await connectWhatsAppNumber(tenancy, tenantId, '100000000000911', 'Bir', '100000000000910');
    await connectWhatsAppNumber(tenancy, tenantId, '100000000000912', 'İki', '100000000000910');
    await test.platform.store.entities.channel
      .put({ tenantId, kind: 'sandbox', externalId: 'sandbox', label: 'Sandbox' })
      .go();
    // Reconnecting one already connected adds none.
    await ensureChannelRoom(usage(), tenantId, [{ kind: 'whatsapp', externalId: '100000000000911' }]);
    await expect(
      ensureChannelRoom(usage(), tenantId, [{ kind: 'instagram', externalId: '17841400000000911' }]),
    ).rejects.toMatchObject({ limit: 'channels', allowed: 2, used: 2, wanted: 1 });
    expect((await usageView(usage(), tenantId)).used.channels).toBe(2);
  });
});

describe('campaigns', () => {
  const SHOP = { tenantId: 't_cmplimit', number: '100000000000921', waba: '100000000000922' };
  const store = () =>
    test.platform.storeOf({
      ...CAMPAIGN_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...BILLING_ACCOUNT_RECORDS,
      ...USAGE_RECORDS,
    });
  const queued: unknown[] = [];
  const deps = (): StartDeps => ({
    store: store(),
    keyring: test.platform.keyring,
    producer: { send: async (_queue, message) => void queued.push(message) },
  });
  const actor = { userId: 'u_owner' };

  beforeAll(async () => {
    const tenancy = { store: store(), keyring: test.platform.keyring };
    await createTenant(tenancy, SHOP.tenantId, 'Kampanya Butik');
    await connectWhatsAppNumber(tenancy, SHOP.tenantId, SHOP.number, 'Kampanya Butik', SHOP.waba);
    await store()
      .entities.template.put({
        tenantId: SHOP.tenantId,
        wabaId: SHOP.waba,
        name: 'merhaba',
        language: 'tr',
        status: 'APPROVED',
        category: 'MARKETING',
        variableCount: 1,
        components: JSON.stringify([{ type: 'BODY', text: 'Merhaba {{1}}!' }]),
        syncedAt: Date.now(),
      })
      .go();
    await store()
      .entities.campaignList.put({
        tenantId: SHOP.tenantId,
        listId: 'l_big',
        name: 'Büyük',
        source: 'upload',
        state: 'ready',
        counts: {},
        rejectedByReason: {},
        createdBy: 'u_owner',
      })
      .go();
    await store()
      .entities.campaignListMember.put(
        Array.from({ length: 30 }, (_, row) => ({
          tenantId: SHOP.tenantId,
          listId: 'l_big',
          contactId: `c_limit_${row}`,
          row,
          fileConsent: 'granted' as const,
        })),
      )
      .go();
  });

  const newCampaign = () =>
    createCampaign(deps(), SHOP.tenantId, actor, {
      name: 'Aralık',
      channelId: SHOP.number,
      audience: { kind: 'lists', listIds: ['l_big'] },
      template: {
        name: 'merhaba',
        language: 'tr',
        variables: [{ source: 'contact', field: 'firstName', fallback: 'müşterimiz' }],
      },
      holdoutPercent: 0,
      attributionDays: 7,
    });

  it('counts the audience when a campaign starts, and refuses one the month cannot hold, unchanged', async () => {
    const now = Date.now();
    await useAllowance(usage(), SHOP.tenantId, 'campaignMessages', 450, now);
    const first = await newCampaign();
    queued.length = 0;
    const started = await sendCampaign(deps(), SHOP.tenantId, first.campaignId, actor, null, now);
    expect(started.state).toBe('sending');
    expect(await usedThisMonth(test.platform.store, SHOP.tenantId, 'campaignMessages', now)).toBe(480);

    const second = await newCampaign();
    const refusal = await sendCampaign(deps(), SHOP.tenantId, second.campaignId, actor, null, now).catch(
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ limit: 'campaignMessages', allowed: 500, used: 480, wanted: 30 });
    expect(planLimitMessage(refusal as PlanLimitError, 'en')).toContain('20 remain this month');
    const { data } = await store()
      .entities.campaign.get({ tenantId: SHOP.tenantId, campaignId: second.campaignId })
      .go();
    expect(data?.state).toBe('draft');
    expect(queued).toHaveLength(1);
    expect(await usedThisMonth(test.platform.store, SHOP.tenantId, 'campaignMessages', now)).toBe(480);
  });

  it('does not start a scheduled campaign the month cannot hold: it goes back to a draft', async () => {
    const now = Date.now();
    const scheduled = await newCampaign();
    await sendCampaign(deps(), SHOP.tenantId, scheduled.campaignId, actor, new Date(now + 60_000).toISOString(), now);
    queued.length = 0;
    await runCampaignScheduler({ store: store(), producer: deps().producer, log: quiet }, now + 120_000);
    const { data } = await store()
      .entities.campaign.get({ tenantId: SHOP.tenantId, campaignId: scheduled.campaignId })
      .go();
    expect(data?.state).toBe('draft');
    expect(data?.scheduledAt).toBeUndefined();
    expect(queued).toEqual([]);
    expect(await usedThisMonth(test.platform.store, SHOP.tenantId, 'campaignMessages', now)).toBe(480);
  });
});

describe('the AI agent', () => {
  const TENANT = 't_ailimit';
  let modelCalls = 0;
  const failingModel: AgentModelPort = {
    async complete() {
      modelCalls++;
      throw Object.assign(new Error('down'), { name: 'ModelUnavailableError' });
    },
  };
  const deps = () =>
    agentDeps({
      storeOf: test.platform.storeOf,
      keyring: test.platform.keyring,
      blobs: test.platform.blobs,
      producer: { send: async () => undefined },
      model: failingModel,
      log: quiet,
    });
  const store = () => test.platform.storeOf({ ...AGENT_RECORDS, ...AUDIT_RECORDS });

  beforeAll(async () => {
    await openAiShop(test.platform, TENANT);
    await saveAgent({ store: store() }, AI_SHOP_OWNER, TENANT, {
      ...DEFAULT_AGENT_SETTINGS,
      enabled: true,
      channels: ['whatsapp'],
    });
  });

  it('counts nothing when the AI service never answered', async () => {
    const request = (await writes(test.platform, AI_SHOP_CUSTOMERS.ayse, 'Kargo ne zaman gelir?')) as AiReplyRequest;
    const outcome = await answerInbound(deps(), request);
    expect(outcome).toMatchObject({ state: 'handed-off', reason: 'model-unavailable' });
    expect(modelCalls).toBeGreaterThan(0);
    expect(await usedThisMonth(test.platform.store, TENANT, 'aiReplies', Date.now())).toBe(0);
  });

  it('hands the conversation to a person, without calling the model, once the month is used up', async () => {
    await useAllowance(usage(), TENANT, 'aiReplies', TRIAL_LIMITS.aiReplies, Date.now());
    modelCalls = 0;
    const request = (await writes(test.platform, AI_SHOP_CUSTOMERS.mehmet, 'Kargo ne zaman gelir?')) as AiReplyRequest;
    const outcome = await answerInbound(deps(), request);
    expect(outcome).toMatchObject({ state: 'handed-off', reason: 'plan-limit' });
    expect(modelCalls).toBe(0);
    const tickets = await listTickets({ store: store(), keyring: test.platform.keyring }, TENANT, {
      conversationId: request.conversationId,
    });
    expect(tickets.map((ticket) => ticket.title).join(' ')).toContain('Planın bu ayki yapay zekâ cevapları bitti');
    expect(await usedThisMonth(test.platform.store, TENANT, 'aiReplies', Date.now())).toBe(TRIAL_LIMITS.aiReplies);
  });

  it('stays silent while the business is read-only', async () => {
    await subscribe(TENANT, 'read-only', 'scale');
    const request = (await writes(test.platform, AI_SHOP_CUSTOMERS.zeynep, 'Merhaba, bir sorum var')) as AiReplyRequest;
    expect(await answerInbound(deps(), request)).toEqual({ state: 'silent', reason: 'read-only' });
    expect(modelCalls).toBe(0);
  });
});
