import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
import { returnAllowance } from '@asistone/core/billing/usage';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { createCampaign, sendCampaign } from '@asistone/core/campaigns/campaigns';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { CAMPAIGN_PACE_RECORDS, setSendRate } from '@asistone/core/campaigns/pace';
import { saveCampaignSettings } from '@asistone/core/campaigns/settings';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { connectWhatsApp } from '@asistone/core/channels/connect/whatsapp';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { syncTemplates } from '@asistone/core/inbox/templates';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { createProducer } from '@asistone/core/platform/queue/producer';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { createTenant, openChannelToken } from '@asistone/core/tenancy/tenants';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { fakeMetaEnvironment } from '../packages/local/src/fakes/meta.js';
import type { AcceptedSend } from '../packages/local/src/fakes/meta-send-limits.js';
import { benchCustomers, putConsentingCustomers } from './lib/campaign-audience.js';
import { REPO_ROOT } from './lib/paths.js';
import { check, type GoalCheck, ratioGoal } from './lib/report.js';

/**
 * Sending a WhatsApp campaign, through the product's own code (campaigns/fanout.ts and
 * campaigns/send.ts, each step in a process of its own as in its Lambda: campaign-pacing-run.ts)
 * against a fresh local DynamoDB and the fake Meta (status webhooks off: sending alone is
 * measured). Speeds are compared with the same emulator's plain PutItem rate in the same run.
 *
 * Goals, and why:
 * - fan-out of a 100,000-member list, recipients created per second ≥ 0.25× the plain put
 *   rate. A recipient costs one conditional create of an item with an index (gsi2, by contact)
 *   and one ADD on a counter shard; its eligibility is read a hundred at a time (three
 *   BatchGets), and its send batch is one message per hundred. Two writes per recipient make
 *   about 0.5× the ceiling; 0.25× fails a fan-out that did a third round trip per recipient
 *   (a read before each create, a per-recipient checkpoint).
 * - memory held flat: the live heap growth of the 100,000-member fan-out ≤ 1.5× that of 10,000.
 *   The fan-out works a page of 500 at a time and keeps only the cursor: nothing retained may
 *   grow with the list.
 * - the send rate at the configured 80 messages a second, over 10,000 recipients, from the times
 *   WhatsApp (the fake, which refuses above 80 a second with 130429) accepted each message:
 *   within 5% of 80 either way. Slower wastes the number's throughput; faster is refused.
 * - with the rate set to 1,000 and the fake unlimited, the highest sustained send rate ≥ 0.15×
 *   the plain put rate. A send step worth having costs about five writes per message: the
 *   claim (conditional update), the frequency-cap touch, the outcome (conditional update), a
 *   counter ADD, and per block of sends a pace reservation, so about 0.2× is its ceiling on this
 *   emulator; 0.15× leaves room for the HTTP call. (The printed writes per send show what the
 *   step costs now.)
 */

/** How many: the list sizes of the memory runs, recipients sent at each rate, plain puts of the floor. */
export interface CampaignPacingSizes {
  large: number;
  small: number;
  paced: number;
  fast: number;
  floorPuts: number;
}
export const CAMPAIGN_PACING_SIZES: CampaignPacingSizes = {
  large: 100_000,
  small: 10_000,
  paced: 10_000,
  fast: 10_000,
  floorPuts: 10_000,
};
const CONCURRENCY = 16;
const TENANT = 'bcampaignpacing';
const APP = {
  appId: '100000000000950',
  appSecret: 'bench-campaign-app-secret-0123456789',
  instagramAppId: '100000000000951',
  instagramAppSecret: 'bench-campaign-instagram-secret-0123',
};
const ACTOR = { userId: 'ubenchcampaignowner0' };

export interface FanoutRun {
  created: number;
  /** The send batches it queued. */
  batches: number[];
  ms: number;
  recipientsPerSecond: number;
  writes: number;
  heapGrowthBytes: number;
  rssGrowthBytes: number;
  commands: Record<string, number>;
}

export interface SendRun {
  /** Messages WhatsApp (the fake) accepted for the campaign, and what the send step reported. */
  accepted: number;
  sent: number;
  failed: number;
  skipped: number;
  unknown: number;
  /** Batch deliveries, and those the step queued again itself. */
  deliveries: number;
  requeued: number;
  /** Refused by the fake with 130429 while it ran. */
  throttled: number;
  ms: number;
  /** Sustained: between the 10th and the 90th percentile of the accepted times. */
  messagesPerSecond: number;
  commands: Record<string, number>;
  warnings: Record<string, number>;
}

export interface CampaignPacingResult {
  floor: { puts: number; ms: number; putsPerSecond: number };
  fanoutSmall: FanoutRun;
  fanoutLarge: FanoutRun;
  fanoutSpeedRatio: number;
  memoryRatio: number;
  paced: SendRun & { rate: number };
  fast: SendRun & { rate: number };
  pacedRatio: number;
  fastRatio: number;
  fanoutSpeed: GoalCheck;
  memory: GoalCheck;
  pacedNotUnder: GoalCheck;
  pacedNotOver: GoalCheck;
  fastSpeed: GoalCheck;
}

/** Plain PutItems of items the size of a recipient, `concurrency` at a time: the emulator's put rate. */
async function putFloor(dynamo: DynamoDBClient, table: string, count: number, concurrency: number) {
  const padding = 'x'.repeat(300);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await dynamo.send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: 'bench#floor' }, sk: { S: `put#${index}` }, body: { S: padding } },
          }),
        );
      }
    }),
  );
  const ms = performance.now() - started;
  return { puts: count, ms, putsPerSecond: (count / ms) * 1000 };
}

/** Customer n's WhatsApp number (wa_id): Turkish mobiles. */

const run = promisify(execFile);

/** Batches sent at once: the send queue's Lambda concurrency. */
const SEND_WORKERS = 10;

/** Messages a second between the 10th and the 90th percentile of the accepted times (start and tail left out). */
function sustainedRate(sortedTimes: number[]): number {
  const first = Math.floor(sortedTimes.length * 0.1);
  const last = Math.ceil(sortedTimes.length * 0.9) - 1;
  const span = (sortedTimes[last] as number) - (sortedTimes[first] as number);
  return span > 0 ? ((last - first) / span) * 1000 : Number.POSITIVE_INFINITY;
}

/** The fake Meta in its own process (fake-meta-process.ts), with the controls the runs use. */
async function fakeMetaProcess() {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'bench/fake-meta-process.ts', JSON.stringify(APP)],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the fake Meta stopped (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((text) => text.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const control = async (path: string, body: unknown) => {
    const answer = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  };
  const sent = async (phoneNumberId: string, since: number) => {
    const answer = await fetch(`${url}/dev/meta/sent?phoneNumberId=${phoneNumberId}&since=${since}`);
    return (await answer.json()) as { messages: AcceptedSend[]; throttled: number };
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  return { url, control, sent, stop };
}

/** One step in its own process (campaign-pacing-run.ts); answers its JSON line. */
async function inChild<T>(job: Record<string, unknown>): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'bench/campaign-pacing-run.ts', JSON.stringify(job)],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
}

export async function benchCampaignPacing(
  say: (line: string) => void = () => {},
  sizes: CampaignPacingSizes = CAMPAIGN_PACING_SIZES,
): Promise<CampaignPacingResult> {
  const { large: LARGE, small: SMALL, paced: PACED, fast: FAST, floorPuts: FLOOR_PUTS } = sizes;
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-campaigns-'));
  const emulators = await startEmulators(dataDir);
  const fake = await fakeMetaProcess();
  try {
    const env = { ...handlerEnvironment(dataDir, emulators.env), ...fakeMetaEnvironment(fake, APP) };
    const platform = createPlatform(readConfig(env));
    const { keyring } = platform;
    const store = platform.storeOf({
      ...TENANCY_RECORDS,
      ...INBOX_RECORDS,
      ...CAMPAIGN_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...CAMPAIGN_PACE_RECORDS,
      ...AUDIT_RECORDS,
      ...BILLING_ACCOUNT_RECORDS,
      ...USAGE_RECORDS,
    });

    say('   a business with a WhatsApp number (Embedded Signup on the fake Meta) and its templates…');
    await createTenant({ store, keyring }, TENANT, 'Bench Kampanya');
    // The largest plan: a campaign starts only within the plan's campaign messages of the month.
    await store.entities.billingAccount.put({ tenantId: TENANT, state: 'active', planId: 'scale', dueKey: '' }).go();
    const graph = graphClient({ baseUrl: fake.url, instagramBaseUrl: `${fake.url}/instagram-graph` });
    const signup = (await (
      await fetch(`${fake.url}/dev/meta/dialog/embedded-signup/finish`, { method: 'POST', body: '{}' })
    ).json()) as { code: string; wabaId: string; phoneNumberId: string };
    await connectWhatsApp(
      { store, keyring, log: createLogger('bench-campaigns'), graph, meta: { ...APP, graphVersion: 'v25.0' } },
      ACTOR,
      TENANT,
      signup,
    );
    const keys = await keyring.forTenant(TENANT);
    await syncTemplates(store, TENANT, async (channel) =>
      graph.templates(channel.accountId as string, openChannelToken(keys, channel) as string),
    );
    // Several campaigns reach the same customers here: the cap must not stand in the way.
    await saveCampaignSettings(store, TENANT, ACTOR, {
      frequencyCap: { max: 10, days: 1 },
      marketingPrice: null,
      iys: { mode: 'attested', brandCode: null },
    });

    say(
      `   ${LARGE.toLocaleString('en')} consenting customers on a list, and ${SMALL.toLocaleString('en')} of them on another…`,
    );
    const now = Date.now();
    const lists = { large: 'bench-large', small: 'bench-small' };
    for (const [listId, size] of [
      [lists.large, LARGE],
      [lists.small, SMALL],
    ] as const) {
      await store.entities.campaignList
        .put({
          tenantId: TENANT,
          listId,
          name: `Bench ${size}`,
          source: 'upload',
          state: 'ready',
          iysRegistered: true,
          counts: { rows: size, accepted: size, merged: 0, rejected: 0 },
          rejectedByReason: {},
          createdBy: ACTOR.userId,
        })
        .go();
    }
    for (let from = 0; from < LARGE; from += 2_000) {
      const customers = benchCustomers(keys, from, Math.min(2_000, LARGE - from));
      await putConsentingCustomers(store, keys, TENANT, customers, now);
      const members = customers.flatMap(({ n, contactId }) => [
        { tenantId: TENANT, listId: lists.large, contactId, row: n + 2, fileConsent: 'granted' as const },
        ...(n < SMALL
          ? [{ tenantId: TENANT, listId: lists.small, contactId, row: n + 2, fileConsent: 'granted' as const }]
          : []),
      ]);
      await store.entities.campaignListMember.put(members).go({ concurrent: 8 });
    }

    const producer = createProducer({ send: async () => {}, sendBatch: async () => ({ failed: [] }) });
    async function startedCampaign(name: string, listId: string) {
      const draft = await createCampaign({ store, keyring, producer }, TENANT, ACTOR, {
        name,
        channelId: signup.phoneNumberId,
        audience: { kind: 'lists', listIds: [listId] },
        template: {
          name: 'welcome_offer',
          language: 'tr',
          variables: [{ source: 'contact', field: 'firstName', fallback: 'değerli müşterimiz' }],
        },
        holdoutPercent: 0,
        attributionDays: 7,
      });
      const startedAt = Date.now();
      await sendCampaign({ store, keyring, producer }, TENANT, draft.campaignId, ACTOR, null, startedAt);
      // The runs together send more than a month of the plan: each start's count is given back.
      const { data: usage } = await store.entities.billingUsage.query.byMonth({ tenantId: TENANT }).go();
      const counted = usage.reduce((sum, month) => sum + (month.campaignMessages ?? 0), 0);
      await returnAllowance({ store }, TENANT, 'campaignMessages', counted, startedAt);
      return draft.campaignId;
    }

    async function fanout(campaignId: string, expected: number): Promise<FanoutRun> {
      const measured = await inChild<Omit<FanoutRun, 'recipientsPerSecond'>>({
        mode: 'fanout',
        env,
        tenantId: TENANT,
        campaignId,
        memory: true,
      });
      if (measured.created !== expected) {
        throw new Error(`the fan-out created ${measured.created} recipients of ${expected}`);
      }
      return { ...measured, recipientsPerSecond: (measured.created / measured.ms) * 1000 };
    }

    say(`   floor: ${FLOOR_PUTS.toLocaleString('en')} plain PutItems, ${CONCURRENCY} at a time…`);
    const floor = await putFloor(platform.aws.dynamo, platform.config.TABLE_NAME, FLOOR_PUTS, CONCURRENCY);
    say(`   fan-out of ${SMALL.toLocaleString('en')} then ${LARGE.toLocaleString('en')}, live heap sampled…`);
    const small = await startedCampaign('Bench küçük', lists.small);
    const fanoutSmall = await fanout(small, SMALL);
    const large = await startedCampaign('Bench büyük', lists.large);
    const fanoutLarge = await fanout(large, LARGE);

    const phoneNumberId = signup.phoneNumberId;
    // Meta's daily limit would stop a new number at 250 customers: this one is past it.
    await store.entities.channel
      .patch({ tenantId: TENANT, kind: 'whatsapp', externalId: phoneNumberId })
      .set({ messagingLimit: 'TIER_UNLIMITED', messagingLimitAt: Date.now() })
      .go({ response: 'none' });

    /** Sends the campaign's first batches (to `recipients`) at `rate` a second; WhatsApp accepts at most `limit`. */
    async function send(campaignId: string, batches: number[], recipients: number, rate: number, limit: number | null) {
      // Each run starts from a number that was never throttled: one run's slow-down is not the next one's.
      await store.entities.campaignPace.delete({ tenantId: TENANT, phoneNumberId }).go({ response: 'none' });
      await setSendRate(store, TENANT, phoneNumberId, rate);
      await fake.control('/dev/meta/throughput', { phoneNumberId, messagesPerSecond: limit });
      const throttledBefore = (await fake.sent(phoneNumberId, 0)).throttled;
      const since = Date.now();
      const measured = await inChild<Omit<SendRun, 'accepted' | 'messagesPerSecond' | 'throttled'>>({
        mode: 'send',
        env,
        fakeUrl: fake.url,
        tenantId: TENANT,
        campaignId,
        batches: batches.slice(0, Math.ceil(recipients / 100)),
        workers: SEND_WORKERS,
      });
      const accepted = await fake.sent(phoneNumberId, since);
      const throttled = accepted.throttled - throttledBefore;
      const times = accepted.messages
        .filter((message) => message.callbackData?.startsWith(`cmp1:${campaignId}:`))
        .map((message) => message.at)
        .sort((a, b) => a - b);
      if (times.length !== recipients) throw new Error(`WhatsApp accepted ${times.length} of ${recipients} messages`);
      return { ...measured, accepted: times.length, throttled, messagesPerSecond: sustainedRate(times), rate };
    }

    say(
      `   sending ${PACED.toLocaleString('en')} recipients at the configured 80 a second (WhatsApp refuses above 80)…`,
    );
    const paced = await send(small, fanoutSmall.batches, PACED, 80, 80);
    say(`   sending ${FAST.toLocaleString('en')} recipients with the rate set to 1,000 and WhatsApp unlimited…`);
    const fast = await send(large, fanoutLarge.batches, FAST, 1_000, null);

    const pacedRatio = paced.messagesPerSecond / paced.rate;
    const fastRatio = fast.messagesPerSecond / floor.putsPerSecond;
    const fanoutSpeedRatio = fanoutLarge.recipientsPerSecond / floor.putsPerSecond;
    // A floor of 1 MB keeps a tiny small-run growth from making the ratio meaningless.
    const memoryRatio = fanoutLarge.heapGrowthBytes / Math.max(fanoutSmall.heapGrowthBytes, 1024 * 1024);
    return {
      floor,
      fanoutSmall,
      fanoutLarge,
      fanoutSpeedRatio,
      memoryRatio,
      paced,
      fast,
      pacedRatio,
      fastRatio,
      pacedNotUnder: check(ratioGoal('≥', 0.95, 'the configured 80/s'), { ratio: pacedRatio }),
      pacedNotOver: check(ratioGoal('≤', 1.05, 'the configured 80/s'), { ratio: pacedRatio }),
      fastSpeed: check(ratioGoal('≥', 0.15, 'plain PutItems/s'), { ratio: fastRatio }),
      fanoutSpeed: check(ratioGoal('≥', 0.25, 'plain PutItems/s'), { ratio: fanoutSpeedRatio }),
      memory: check(ratioGoal('≤', 1.5, `heap growth of ${SMALL.toLocaleString('en')} members`), {
        ratio: memoryRatio,
      }),
    };
  } finally {
    await fake.stop();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
