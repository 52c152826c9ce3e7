import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_ACCOUNT_RECORDS } from '../../packages/core/src/billing/records.js';
import { CAMPAIGN_PACE_RECORDS, setSendRate } from '../../packages/core/src/campaigns/pace.js';
import { contactIdOf } from '../../packages/core/src/inbox/inbound.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * A campaign to a thousand customers on a real `npm start`, sent through the API, the fan-out
 * and send workers and the scheduler, against the fake Meta: 800 customers said yes to WhatsApp
 * offers in the uploaded file, the other 200 said no, said nothing, or asked that their data not
 * be processed. A fifth of the consenting customers' first sends hit WhatsApp's throughput limit
 * (130429), and every send batch is delivered twice. Each consenting customer receives the offer
 * exactly once, nobody else receives anything, and the progress the merchant reads matches what
 * WhatsApp carried and what each recipient's state says.
 */

const CUSTOMERS = 1000;
const CONSENTING = 800;
const WITHDRAWN = 70;
const NO_CONSENT = 70;
const RESTRICTED = CUSTOMERS - CONSENTING - WITHDRAWN - NO_CONSENT;
const THROTTLED = 200;
const WORDING = 'Kampanya ve indirimlerden WhatsApp ile haberdar olmak istiyorum.';

type Kind = 'consenting' | 'withdrawn' | 'none' | 'restricted';
/** Customer n: a Turkish mobile number (wa_id), its role in the file, and a first name. */
const waIdOf = (n: number) => `905320${String(n).padStart(6, '0')}`;
function kindOf(n: number): Kind {
  if (n < CONSENTING) return 'consenting';
  if (n < CONSENTING + WITHDRAWN) return 'withdrawn';
  if (n < CONSENTING + WITHDRAWN + NO_CONSENT) return 'none';
  return 'restricted';
}
const everyone = Array.from({ length: CUSTOMERS }, (_, n) => n);

interface Counts {
  audience: number;
  holdout: number;
  skipped: number;
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}
interface Progress {
  state: string;
  counts: Counts;
}
interface AcceptedSend {
  to: string;
  status: string;
  callbackData?: string;
}

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let phoneNumberId: string;
let campaignId: string;
let sentAt: number;
let tookMs: number;
let duplicatedBatches: number;

const path = (rest: string) => `/businesses/${owner.tenantId}${rest}`;
const as = () => ({ token: owner.accessToken });

/** Uploads the file as the campaigns page does (announce, PUT to the link, make the list) and waits for its import. */
async function uploadList(csv: string): Promise<string> {
  const bytes = Buffer.from(csv, 'utf8');
  const announced = await api.call<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
    'POST',
    path('/campaign-uploads'),
    { ...as(), body: { fileName: 'kis-indirimi.csv', contentType: 'text/csv', contentLength: bytes.length } },
  );
  expect(announced.status, JSON.stringify(announced.body)).toBe(201);
  const put = await fetch(new URL(announced.body.upload.url, stack.url), {
    method: 'PUT',
    headers: announced.body.upload.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
  const made = await api.call<{ listId: string }>('POST', path('/campaign-lists'), {
    ...as(),
    body: {
      uploadId: announced.body.uploadId,
      name: 'Kış indirimi',
      columns: { phone: 'telefon', name: 'ad', consent: 'izin' },
      consentWording: WORDING,
      iysRegistered: true,
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  await eventually(async () => {
    const list = await api.call<{ state: string; counts: { accepted: number } }>(
      'GET',
      path(`/campaign-lists/${made.body.listId}`),
      as(),
    );
    return list.body.state === 'ready' ? true : undefined;
  }, 60_000);
  return made.body.listId;
}

const progress = async () => {
  const answer = await api.call<Progress>('GET', path(`/campaigns/${campaignId}/progress`), as());
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

/** The campaign's messages as WhatsApp accepted them (the fake's record of each request). */
async function campaignSends(): Promise<AcceptedSend[]> {
  const { messages } = await fakeMetaClient(stack.url).dev<{ messages: AcceptedSend[] }>(
    'GET',
    `/sent?phoneNumberId=${phoneNumberId}&since=${sentAt}`,
  );
  return messages.filter((message) => message.callbackData?.startsWith(`cmp1:${campaignId}:`));
}

/** Stored recipients of the campaign, by state (read from the table, as stored). */
async function recipientStates(): Promise<Record<string, number>> {
  const items = await localAws(stack.dataDir).dumpTable();
  const states: Record<string, number> = {};
  for (const item of items) {
    if (item.__edb_e__ !== 'campaignRecipient' || item.campaignId !== campaignId) continue;
    const state = String(item.state);
    states[state] = (states[state] ?? 0) + 1;
  }
  return states;
}

/** A wait that ran out, with what the campaign workers logged (the stack's log is masked). */
function withCampaignLog(error: unknown): never {
  const lines = stack
    .output()
    .split('\n')
    .filter((line) => /campaign/i.test(line))
    .slice(-40);
  throw new Error(`${String(error)}\n${lines.join('\n')}`);
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Toplu');
  const connected = await connectWhatsApp(api, owner);
  phoneNumberId = connected.phoneNumberId;
  expect((await api.call('POST', path('/templates/sync'), as())).status).toBe(200);
  const meta = fakeMetaClient(stack.url);
  const aws = localAws(stack.dataDir);

  // Meta tells the business its daily messaging limit (a new number starts at 250 customers).
  const limit = await meta.deliver({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: connected.wabaId,
        time: Math.floor(Date.now() / 1000),
        changes: [{ field: 'business_capability_update', value: { max_daily_conversations_per_business: 10_000 } }],
      },
    ],
  });
  expect(limit).toBe(200);
  await eventually(async () => {
    const items = await aws.dumpTable();
    return items.some(
      (item) => item.__edb_e__ === 'channel' && item.externalId === phoneNumberId && item.messagingLimit,
    )
      ? true
      : undefined;
  }, 30_000);

  // The file: a consent column, as merchants export it from their shop or spreadsheet.
  const rows = everyone.map((n) => {
    const kind = kindOf(n);
    const said = kind === 'withdrawn' ? 'hayır' : kind === 'none' ? '' : 'evet';
    return `${waIdOf(n)};Müşteri${n};${said}`;
  });
  const listId = await uploadList(['telefon;ad;izin', ...rows].join('\r\n'));

  const core = createPlatform(readConfig(localAws(stack.dataDir).env));
  // A thousand recipients are more than the trial's month of campaign messages: the business is
  // on the growth plan, as its subscription would record it.
  await core
    .storeOf(BILLING_ACCOUNT_RECORDS)
    .entities.billingAccount.put({ tenantId: owner.tenantId, state: 'active', planId: 'growth', dueKey: '' })
    .go();

  // Customers who asked that their data not be processed, through the contacts API.
  const keys = await core.keyring.forTenant(owner.tenantId);
  for (const n of everyone.filter((m) => kindOf(m) === 'restricted')) {
    const restricted = await api.call(
      'PUT',
      path(`/contacts/${contactIdOf(keys, 'whatsapp', waIdOf(n))}/restriction`),
      {
        ...as(),
        body: { restricted: true },
      },
    );
    expect(restricted.status, JSON.stringify(restricted.body)).toBe(200);
  }

  // The number sends at 1,000 a second (Meta's upgraded throughput), so the thousand take seconds,
  // not the minutes that 80 a second cut by every 130429 would. No route sets the rate: it is
  // written as the product's pace module writes it.
  await meta.dev('POST', '/throughput', { phoneNumberId, messagesPerSecond: 1000 });
  await setSendRate(core.storeOf(CAMPAIGN_PACE_RECORDS), owner.tenantId, phoneNumberId, 1000);

  // A fifth of the consenting customers' first sends meet the number's throughput limit.
  await meta.dev('POST', '/recipient-errors', {
    recipients: everyone.slice(0, THROTTLED).map((n) => ({ waId: waIdOf(n * 4), codes: [130429] })),
  });

  const created = await api.call<{ campaignId: string }>('POST', path('/campaigns'), {
    ...as(),
    body: {
      name: 'Kış indirimi',
      channelId: phoneNumberId,
      audience: { kind: 'lists', listIds: [listId] },
      template: {
        name: 'welcome_offer',
        language: 'tr',
        variables: [{ source: 'contact', field: 'firstName', fallback: 'değerli müşterimiz' }],
      },
      holdoutPercent: 0,
      attributionDays: 7,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  campaignId = created.body.campaignId;

  sentAt = Date.now();
  const sent = await api.call<{ state: string }>('POST', path(`/campaigns/${campaignId}/send`), {
    ...as(),
    body: { at: null },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.state).toBe('sending');

  // Every send batch delivered a second time, while the first deliveries are being worked.
  const batches = await eventually(async () => {
    const items = await aws.dumpTable();
    const campaign = items.find((item) => item.__edb_e__ === 'campaign' && item.campaignId === campaignId);
    if (campaign?.fanout !== 'done') return undefined;
    return [
      ...new Set(
        items
          .filter((item) => item.__edb_e__ === 'campaignRecipient' && item.campaignId === campaignId)
          .map((item) => item.batch)
          .filter((batch): batch is number => typeof batch === 'number'),
      ),
    ];
  }, 60_000).catch(withCampaignLog);
  duplicatedBatches = batches.length;
  for (const batch of batches) {
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: aws.env.QUEUE_URL_CAMPAIGN_SEND as string,
        MessageBody: JSON.stringify({ tenantId: owner.tenantId, campaignId, batch }),
      }),
    );
  }

  // The scheduler (each minute in production) is run on demand until it completes the campaign.
  await eventually(async () => {
    await runSchedule(stack, 'campaign-scheduler', new Date().toISOString());
    return (await progress()).state === 'completed' ? true : undefined;
  }, 90_000).catch(withCampaignLog);
  tookMs = Date.now() - sentAt;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a campaign to a thousand customers', () => {
  it('reaches each consenting customer exactly once, and nobody else', async () => {
    expect(duplicatedBatches).toBeGreaterThanOrEqual(CONSENTING / 100);
    const sends = await campaignSends();
    const perCustomer = new Map<string, number>();
    for (const send of sends) perCustomer.set(send.to, (perCustomer.get(send.to) ?? 0) + 1);
    const consenting = everyone.filter((n) => kindOf(n) === 'consenting').map(waIdOf);
    expect(consenting.filter((waId) => perCustomer.get(waId) !== 1)).toEqual([]);
    expect([...perCustomer.keys()].filter((waId) => !consenting.includes(waId))).toEqual([]);
    expect(sends).toHaveLength(CONSENTING);
    // The callback data names the campaign and the contact, ids only.
    for (const send of sends) expect(send.callbackData).toMatch(/^cmp1:cmp_[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(sends.map((send) => send.callbackData))).not.toMatch(/90532/);
    console.info(`campaign of ${CUSTOMERS} recipients completed in ${(tookMs / 1000).toFixed(1)} s`);
  });

  it('shows progress that matches what WhatsApp carried and each recipient’s state', { timeout: 120_000 }, async () => {
    // Statuses arrive after the sends: wait until every message WhatsApp read is counted as read.
    let seen = {};
    const settled = await eventually(async () => {
      const [shown, sends, states] = await Promise.all([progress(), campaignSends(), recipientStates()]);
      const fakeRead = sends.filter((send) => send.status === 'read').length;
      seen = { counts: shown.counts, fakeRead, states };
      return shown.counts.read === CONSENTING && fakeRead === CONSENTING && states.read === CONSENTING
        ? { shown, sends, states }
        : undefined;
    }, 90_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen ${JSON.stringify(seen)}`);
    });
    const { counts } = settled.shown;
    expect(settled.shown.state).toBe('completed');
    expect(counts).toMatchObject({
      audience: CUSTOMERS,
      holdout: 0,
      skipped: WITHDRAWN + NO_CONSENT + RESTRICTED,
      queued: 0,
      sending: 0,
      sent: 0,
      delivered: 0,
      read: CONSENTING,
      failed: 0,
    });
    expect(settled.states).toEqual({ skipped: WITHDRAWN + NO_CONSENT + RESTRICTED, read: CONSENTING });
    const byStatus: Record<string, number> = {};
    for (const send of settled.sends) byStatus[send.status] = (byStatus[send.status] ?? 0) + 1;
    expect(byStatus).toEqual({ read: counts.read });
  });
});
