import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { createBusiness } from '@asistone/core/accounts/businesses';
import { hashPassword } from '@asistone/core/accounts/passwords';
import { createAccount } from '@asistone/core/accounts/people';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
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
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { openChannelToken } from '@asistone/core/tenancy/tenants';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { fakeMetaEnvironment, startFakeMeta } from '../packages/local/src/fakes/meta.js';
import { COST_FIGURES, type CostPath, PATH_FUNCTIONS, PER } from './cost-figures.js';
import type { CostJob, CostRun, FunctionUsage } from './cost-inputs-run.js';
import { benchCustomers, putConsentingCustomers } from './lib/campaign-audience.js';
import { REPO_ROOT } from './lib/paths.js';
import { check, type Figure, figure, type Goal, ratioGoal, valueGoal } from './lib/report.js';

/**
 * The inputs of the AWS bill for one message's life, measured on the real handlers against the
 * local emulators (cost-inputs-run.ts runs them in a process of its own, as a Lambda container):
 * per inbound message, per agent reply (with Meta's three status webhooks) and per campaign
 * recipient (with its three), for each path: Lambda invocations and handler time (against a
 * bare DynamoDB PutItem + GetItem round trip measured in the same process), DynamoDB capacity
 * units (the table's as the emulator reports them, the indexes' from the items written), SQS,
 * S3 and KMS requests, storage and log bytes; and the KMS calls of a cold start, and a warm
 * container's memory. docs/cost.md prices them.
 */

const SIZES = { messages: 40, warmup: 4, replies: 20, recipients: 100, polls: 40 };
const TENANT = 'bcostinputs';
const APP = {
  appId: '100000000000960',
  appSecret: 'bench-cost-inputs-app-secret-0123456',
  instagramAppId: '100000000000961',
  instagramAppSecret: 'bench-cost-inputs-instagram-secret-01',
};
const ACTOR = { userId: 'ubenchcostinputs0' };
/** The business's owner, who signs in to poll the inbox as the web app does. */
const OWNER = { email: 'owner@cost-inputs.bench.invalid', password: 'cost-inputs-owner-password' };

export interface CostFigureRow {
  figure: Figure;
  /** As printed. */
  measured: string;
  floor: string;
}

export interface CostInputsResult {
  rows: CostFigureRow[];
  run: CostRun;
  /** Per path and function: the usage summed over the path's units, for the doc's tables. */
  perUnit: Record<CostPath, Record<string, Omit<FunctionUsage, 'durationsMs'> & { msPerUnit: number }>>;
}

const run = promisify(execFile);

/** Collects the fake Meta's status webhooks; GET answers them (base64 bodies) and forgets them. */
async function statusCollector() {
  let bodies: string[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.end(JSON.stringify(bodies));
      bodies = [];
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('base64'));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/statuses`;
  return { url, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function seed(env: Record<string, string>, fakeUrl: string, recipients: number) {
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
    ...ACCOUNT_RECORDS,
  });
  const log = createLogger('bench-cost-inputs');
  log.setLogLevel('ERROR');
  await createAccount(
    { store, keyring },
    {
      userId: ACTOR.userId,
      name: 'Bench Sahibi',
      email: OWNER.email,
      passwordHash: await hashPassword(OWNER.password),
      termsVersion: CURRENT_TERMS_VERSION,
      termsAcceptedAt: Date.now(),
      language: 'tr',
    },
  );
  await createBusiness({ store, keyring }, { tenantId: TENANT, name: 'Bench Maliyet', ownerId: ACTOR.userId });
  await store.entities.billingAccount.put({ tenantId: TENANT, state: 'active', planId: 'scale', dueKey: '' }).go();
  const graph = graphClient({ baseUrl: fakeUrl, instagramBaseUrl: `${fakeUrl}/instagram-graph` });
  const signup = (await (
    await fetch(`${fakeUrl}/dev/meta/dialog/embedded-signup/finish`, { method: 'POST', body: '{}' })
  ).json()) as { code: string; wabaId: string; phoneNumberId: string };
  await connectWhatsApp({ store, keyring, log, graph, meta: { ...APP, graphVersion: 'v25.0' } }, ACTOR, TENANT, signup);
  const keys = await keyring.forTenant(TENANT);
  await syncTemplates(store, TENANT, async (channel) =>
    graph.templates(channel.accountId as string, openChannelToken(keys, channel) as string),
  );
  await saveCampaignSettings(store, TENANT, ACTOR, {
    frequencyCap: { max: 10, days: 1 },
    marketingPrice: null,
    iys: { mode: 'attested', brandCode: null },
  });
  // A number past Meta's daily limits, sending as fast as the send step goes: pacing is another benchmark's.
  await store.entities.channel
    .patch({ tenantId: TENANT, kind: 'whatsapp', externalId: signup.phoneNumberId })
    .set({ messagingLimit: 'TIER_UNLIMITED', messagingLimitAt: Date.now() })
    .go({ response: 'none' });
  await setSendRate(store, TENANT, signup.phoneNumberId, 1_000);

  const listId = 'bench-cost';
  await store.entities.campaignList
    .put({
      tenantId: TENANT,
      listId,
      name: 'Bench cost',
      source: 'upload',
      state: 'ready',
      iysRegistered: true,
      counts: { rows: recipients, accepted: recipients, merged: 0, rejected: 0 },
      rejectedByReason: {},
      createdBy: ACTOR.userId,
    })
    .go();
  const now = Date.now();
  const customers = benchCustomers(keys, 0, recipients);
  await putConsentingCustomers(store, keys, TENANT, customers, now);
  await store.entities.campaignListMember
    .put(
      customers.map(({ n, contactId }) => ({
        tenantId: TENANT,
        listId,
        contactId,
        row: n + 2,
        fileConsent: 'granted' as const,
      })),
    )
    .go({ concurrent: 8 });
  const draft = await createCampaign({ store, keyring, producer: platform.producer }, TENANT, ACTOR, {
    name: 'Bench maliyet',
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
  // Queues the fan-out message the measured process delivers to its worker.
  await sendCampaign({ store, keyring, producer: platform.producer }, TENANT, draft.campaignId, ACTOR, null);
  return signup;
}

const unitsOf = (run: CostRun, path: CostPath) =>
  ({
    inbound: run.counts.messages,
    reply: run.counts.replies,
    campaign: run.counts.recipients,
    poll: run.counts.polls,
  })[path];

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function perUnitOf(run: CostRun, path: CostPath) {
  const units = unitsOf(run, path);
  const out: CostInputsResult['perUnit'][CostPath] = {};
  for (const [fn, used] of Object.entries(run.phases[path])) {
    const requests = Object.fromEntries(Object.entries(used.requests).map(([name, n]) => [name, n / units]));
    out[fn] = {
      invocations: used.invocations / units,
      msPerUnit: sum(used.durationsMs) / units,
      requests,
      readUnits: used.readUnits / units,
      writeUnits: used.writeUnits / units,
      indexWriteUnits: used.indexWriteUnits / units,
      refusedWrites: used.refusedWrites / units,
      dataKeyUnwraps: used.dataKeyUnwraps / units,
      logBytes: used.logBytes / units,
      logLines: used.logLines / units,
    };
  }
  return out;
}

const fmt = (value: number, decimals = 2) =>
  value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

export async function benchCostInputs(say: (line: string) => void = () => {}): Promise<CostInputsResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-cost-'));
  const emulators = await startEmulators(dataDir);
  const collector = await statusCollector();
  const fake = await startFakeMeta({
    ...APP,
    webhookUrl: () => collector.url,
    statusWebhooks: true,
    statusDelaysMs: { sent: 10, delivered: 20, read: 30 },
  });
  try {
    const env = {
      ...handlerEnvironment(dataDir, emulators.env),
      ...fakeMetaEnvironment(fake, APP),
      AUTH_TOKEN_SECRET: 'bench-cost-inputs-token-secret-0123456789abcdef',
      ORIGIN_SECRET: 'bench-cost-inputs-origin-secret-0123456789',
      APP_URL: 'http://127.0.0.1:9',
    };
    say(`   a business with a WhatsApp number on the fake Meta, ${SIZES.recipients} consenting customers on a list…`);
    const signup = await seed(env, fake.url, SIZES.recipients);
    const job: CostJob = {
      env,
      appSecret: APP.appSecret,
      tenantId: TENANT,
      phoneNumberId: signup.phoneNumberId,
      wabaId: signup.wabaId,
      collectorUrl: collector.url,
      owner: OWNER,
      ...SIZES,
    };
    say(
      `   ${SIZES.messages} inbound messages (after ${SIZES.warmup} unmeasured), ${SIZES.replies} replies, ` +
        `a campaign to ${SIZES.recipients}, on the real handlers in a process of their own…`,
    );
    const { stdout } = await run(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'bench/cost-inputs-run.ts', JSON.stringify(job)],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; message: string }) => {
      const line = String(error.stdout ?? '')
        .split('\n')
        .find((text) => text.startsWith('ERROR'));
      throw new Error(line ?? error.message);
    });
    const measured = JSON.parse(stdout.trim().split('\n').at(-1) as string) as CostRun;
    return { ...figuresOf(measured), run: measured };
  } finally {
    await fake.stop();
    await collector.stop();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function figuresOf(run: CostRun): Omit<CostInputsResult, 'run'> {
  const floorMs = run.floor.medianMs;
  const specs = new Map(COST_FIGURES.map((spec) => [spec.name, spec]));
  const rows: CostFigureRow[] = [];
  const add = (name: string, value: number, measured: string, withFloor = false) => {
    const spec = specs.get(name);
    if (!spec) throw new Error(`no goal for the figure "${name}"`);
    const ratio = withFloor ? value / floorMs : null;
    const goal: Goal =
      spec.of === 'ratio'
        ? ratioGoal('≤', spec.limit, 'DynamoDB put+get')
        : valueGoal('≤', spec.limit, spec.unit === 'bytes' ? 'bytes' : spec.unit);
    check(goal, { value, ratio });
    rows.push({
      figure: figure({
        benchmark: 'cost-inputs',
        name,
        value,
        unit: spec.unit,
        floor: withFloor
          ? { name: 'DynamoDB PutItem + GetItem round trip (median)', value: floorMs, unit: 'ms' }
          : null,
        ratio,
        goal,
      }),
      measured,
      floor: withFloor ? `${fmt(floorMs)} ms` : '–',
    });
  };

  const perUnit = {
    inbound: perUnitOf(run, 'inbound'),
    reply: perUnitOf(run, 'reply'),
    campaign: perUnitOf(run, 'campaign'),
    poll: perUnitOf(run, 'poll'),
  };
  for (const path of ['inbound', 'reply', 'campaign', 'poll'] as const) {
    const per = PER[path];
    const fns = Object.values(perUnit[path]);
    const total = (pick: (used: (typeof fns)[number]) => number) => sum(fns.map(pick));
    const requests = (service: string) =>
      total((used) =>
        sum(
          Object.entries(used.requests)
            .filter(([name]) => name.startsWith(`${service}:`))
            .map(([, n]) => n),
        ),
      );
    add(
      `${path}: Lambda invocations per ${per}`,
      total((used) => used.invocations),
      fmt(total((u) => u.invocations)),
    );
    for (const fn of Object.keys(PATH_FUNCTIONS[path])) {
      const ms = perUnit[path][fn]?.msPerUnit ?? 0;
      add(`${path}: ${fn} duration per ${per}`, ms, `${fmt(ms)} ms`, true);
    }
    const ms = total((used) => used.msPerUnit);
    add(`${path}: Lambda duration per ${per}`, ms, `${fmt(ms)} ms`, true);
    const writeUnits = total((used) => used.writeUnits + used.indexWriteUnits);
    add(`${path}: DynamoDB write units per ${per}`, writeUnits, fmt(writeUnits));
    const readUnits = total((used) => used.readUnits);
    add(`${path}: DynamoDB read units per ${per}`, readUnits, fmt(readUnits));
    add(`${path}: SQS requests per ${per}`, requests('sqs'), fmt(requests('sqs')));
    add(`${path}: S3 requests per ${per}`, requests('s3'), fmt(requests('s3')));
    const kms = requests('kms') + total((used) => used.dataKeyUnwraps);
    add(`${path}: KMS calls per warm ${per}`, kms, fmt(kms));
    const units = unitsOf(run, path);
    if (path !== 'poll') {
      const stored = (run.storage[path].tableBytes + run.storage[path].indexBytes) / units;
      add(`${path}: DynamoDB storage per ${per}`, stored, `${fmt(stored, 0)} B`);
    }
    const logs = total((used) => used.logBytes);
    add(
      `${path}: log bytes per ${per}`,
      logs,
      `${fmt(logs, 0)} B (${fmt(
        total((u) => u.logLines),
        1,
      )} lines)`,
    );
  }
  const answered = run.counts.pollResponseBytes / run.counts.polls;
  add('poll: API answer bytes per poll', answered, `${fmt(answered, 0)} B`);
  add(
    'cold start: KMS calls per business',
    run.coldStart.dataKeyUnwraps + run.coldStart.kmsCalls,
    `${run.coldStart.dataKeyUnwraps} unwrap${run.coldStart.dataKeyUnwraps === 1 ? '' : 's'}`,
  );
  const mb = (bytes: number) => bytes / (1024 * 1024);
  add('warm container: RSS', mb(run.memory.rssBytes), `${fmt(mb(run.memory.rssBytes), 1)} MB`);
  add('warm container: heap used', mb(run.memory.heapUsedBytes), `${fmt(mb(run.memory.heapUsedBytes), 1)} MB`);
  return { rows, perUnit };
}
