import { createHash, randomBytes } from 'node:crypto';
import { istanbulDay, monthsBefore } from './meta-ads-days.js';

/**
 * What the fake Meta remembers, in memory: the accounts it knows (WABAs, numbers, Pages,
 * Instagram accounts), the tokens and codes it issued, media, templates, and every message it
 * carried, as the customer's phone would show them.
 */

export type FakeChannel = 'whatsapp' | 'messenger' | 'instagram';

export interface FakeToken {
  /** business: Embedded Signup; user: Facebook Login; page: a Page's; instagram: Instagram Login; app: `<id>|<secret>`. */
  kind: 'business' | 'user' | 'page' | 'instagram';
  /** Ids this token may act on (WABA, phone number, Page, Instagram account). */
  targets: Set<string>;
  scopes: string[];
  /** Epoch seconds; 0 = never. */
  expiresAt: number;
  issuedAt: number;
  /** The Facebook user behind a user token: which Pages /me/accounts lists. */
  pageIds?: string[];
}

export interface FakeCode {
  kind: 'business' | 'user' | 'instagram';
  targets: string[];
  pageIds?: string[];
  /** What the exchanged token may do, when not the kind's usual scopes (an ads login's `ads_read`...). */
  scopes?: string[];
  /** Epoch ms after which the code is refused (Embedded Signup codes live 30 s). */
  expiresAtMs: number;
}

export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PAUSED' | 'REJECTED' | 'PENDING';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  components: unknown[];
}

export interface FakeWaba {
  id: string;
  name: string;
  phoneNumberIds: string[];
  subscribed: boolean;
  templates: FakeTemplate[];
}

export interface FakePhoneNumber {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: 'GREEN' | 'YELLOW' | 'RED';
  registered: boolean;
  pin?: string;
}

export interface FakePage {
  id: string;
  name: string;
  subscribedFields: string[] | undefined;
  /** The Page's token (what /me/accounts hands out). */
  token: string;
}

export interface FakeInstagramAccount {
  id: string;
  username: string;
  subscribedFields: string[] | undefined;
}

export interface FakeMedia {
  id: string;
  /** The phone number, Page or Instagram account it was sent to. */
  businessId: string;
  /** WhatsApp media needs the bearer token; Messenger and Instagram URLs are signed and need none. */
  needsToken: boolean;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
}

export interface FakeAd {
  id: string;
  name: string;
}

export interface FakeAdSet {
  id: string;
  name: string;
  ads: FakeAd[];
}

export interface FakeCampaign {
  id: string;
  name: string;
  objective: string;
  adsets: FakeAdSet[];
}

/**
 * An ad account and its campaign tree. Its insights are not stored: they are computed from
 * (ad id, day) for every day from `firstDay` to yesterday (meta-ads-insights.ts).
 */
export interface FakeAdAccount {
  /** `act_` + accountId, as Graph names the node. */
  id: string;
  /** The 15 digits, what `account_id` and the usage header carry. */
  accountId: string;
  name: string;
  currency: 'TRY';
  timezoneName: 'Europe/Istanbul';
  /** Meta's account_status: 1 = active. */
  accountStatus: 1;
  /** The first day with delivery (YYYY-MM-DD, Istanbul). */
  firstDay: string;
  campaigns: FakeCampaign[];
}

/** An asynchronous insights report (`POST /act_{id}/insights`), advanced one step per status poll. */
export interface FakeReportRun {
  id: string;
  accountId: string;
  level: 'account' | 'campaign' | 'adset' | 'ad';
  fields: string[];
  since: string;
  until: string;
  increment: 'daily' | 'all_days';
  createdAtMs: number;
  polls: number;
  completedAtMs?: number;
  failed: boolean;
}

/** One Marketing API call as the fake received it (never the token), for tests that check pacing. */
export interface FakeAdsCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** A POST's form or JSON parameters. */
  body?: Record<string, string>;
  accountId?: string;
  status: number;
  /** The fake's clock (epoch ms). */
  at: number;
}

/** What the Marketing API fake keeps besides the accounts: rate usage, scripted throttles, report runs, calls. */
export interface FakeAdsRuntime {
  /** Business use case usage per account id: percent as of `atMs`, decaying to 0 over 300 s. */
  usage: Map<string, { percent: number; atMs: number }>;
  /** The next `calls` ads calls for an account fail with `code` (dev/meta/ads/throttle). */
  throttles: Map<string, { calls: number; code: number; regainMinutes: number }>;
  reports: Map<string, FakeReportRun>;
  calls: FakeAdsCall[];
  /** Added to the clock by dev/meta/ads/clock, for a stack run in another process. */
  clockOffsetMs: number;
}

/** `accepted`: answered, no status posted yet. */
export type FakeMessageStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message of a thread, as the customer's side of the conversation sees it. */
export interface FakeMessage {
  id: string;
  channel: FakeChannel;
  /** Phone number id, Page id or Instagram account id. */
  businessId: string;
  /** wa_id, PSID or IGSID. */
  customerId: string;
  direction: 'from-customer' | 'to-customer';
  type: string;
  text?: string;
  /** What the business sent, as it sent it (for tests that check the request shape). */
  body?: unknown;
  /** The business's media, as the fake fetched it from the link it was given (in `media`). */
  mediaId?: string;
  status: FakeMessageStatus;
  /** When the request was accepted (epoch ms): what a throughput check reads. */
  at: number;
  /** A template's category, which the status webhooks' `pricing.category` reports. */
  category?: FakeTemplate['category'];
}

export interface FakeFailures {
  /** Share of sends (0..1) that fail with one of `statuses`. */
  rate: number;
  /** HTTP statuses to fail with: 429 → code 130429 (throughput), 500 → code 131000. */
  statuses: number[];
}

/** A failure a test scripts for the next Graph call (any endpoint but media downloads). */
export interface ScriptedError {
  status: number;
  code: number;
  subcode?: number;
  message?: string;
  type?: string;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
  /** Cloud API's `error_data.details`, when Meta gives it. */
  details?: string;
}

/** Error codes a test scripts for one recipient's next sends (`always`: the last one repeats). */
export interface RecipientErrors {
  codes: number[];
  always: boolean;
}

export interface FakeMetaState {
  appId: string;
  appSecret: string;
  instagramAppId: string;
  instagramAppSecret: string;
  wabas: Map<string, FakeWaba>;
  phoneNumbers: Map<string, FakePhoneNumber>;
  pages: Map<string, FakePage>;
  instagramAccounts: Map<string, FakeInstagramAccount>;
  /** Ad accounts by their 15-digit account id (without `act_`). */
  adAccounts: Map<string, FakeAdAccount>;
  ads: FakeAdsRuntime;
  /** The Marketing API fake's clock (epoch ms): rate usage decay, report times, which day is yesterday. */
  now: () => number;
  tokens: Map<string, FakeToken>;
  codes: Map<string, FakeCode>;
  media: Map<string, FakeMedia>;
  messages: FakeMessage[];
  /** Every Graph request, newest last (method, path, status), for tests; never the token. */
  requests: { method: string; path: string; status: number }[];
  /** Every webhook posted (what it carried, e.g. `status:read`, and the endpoint's HTTP status; 0 = unreachable). */
  deliveries: { channel: FakeChannel; what: string; id?: string; httpStatus: number; at: number }[];
  failures: FakeFailures;
  /** Answers for the next Graph calls, in order, before anything else is checked. */
  scripted: ScriptedError[];
  /** Seeded random for failure injection, so a run is reproducible. */
  random: () => number;
  /** Messages per second each number may send (Cloud API's default: 80); null = no limit. */
  throughput: { defaultPerSecond: number | null; perNumber: Map<string, number | null> };
  /** When each number's messages in the last second were accepted (epoch ms, oldest first). */
  sendTimes: Map<string, number[]>;
  /** Sends refused over a number's throughput (130429) since the fake started. */
  throttled: number;
  /** Scripted failures by wa_id, given on that recipient's next sends before anything else is sent. */
  recipientErrors: Map<string, RecipientErrors>;
  /** False: messages are accepted but no status webhook follows (a load run measures sending alone). */
  statusWebhooks: boolean;
}

/** The demo business's accounts (packages/core/src/tenancy/demo.ts) and the tokens that act on them. */
export const FAKE_META_DEMO = {
  wabaId: '100000000000002',
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '+90 555 000 00 00',
  pageId: '100000000000004',
  instagramAccountId: '17841400000000003',
  /** Business token for the demo WABA and number (what Embedded Signup would have issued). */
  whatsappToken: 'EAAFakeDemoWhatsAppBusinessToken000000000000',
  /** The demo Page's token. */
  pageToken: 'EAAFakeDemoPageToken00000000000000000000000',
  /** The demo Instagram account's Instagram Login token. */
  instagramToken: 'IGAAFakeDemoInstagramToken000000000000000',
  /** The demo ad account (`act_100000000000007`), with three months of history. */
  adAccountId: '100000000000007',
  /** A long-lived user token that reads the demo ad account (what the ads login would have issued). */
  adsToken: 'EAAFakeDemoAdsToken00000000000000000000000',
} as const;

const DEMO_CAMPAIGNS = [
  ['Kış İndirimi', 'OUTCOME_SALES'],
  ['Yeni Sezon', 'OUTCOME_SALES'],
  ['WhatsApp Sohbet', 'OUTCOME_ENGAGEMENT'],
] as const;

/**
 * The demo ad account's campaigns, with fixed ids (3 campaigns × 2 ad sets × 2 ads), so other
 * demo data can point at an ad: a click-to-WhatsApp referral's `source_id` is an ad id.
 */
export const FAKE_META_DEMO_ADS: readonly FakeCampaign[] = DEMO_CAMPAIGNS.map(([name, objective], c) => ({
  id: `100000000010${c + 1}00`,
  name,
  objective,
  adsets: ['İstanbul 25-44', 'Türkiye geneli'].map((audience, s) => ({
    id: `100000000010${c + 1}${s + 1}0`,
    name: `${name} · ${audience}`,
    ads: ['Görsel', 'Video'].map((format, a) => ({
      id: `100000000010${c + 1}${s + 1}${a + 1}`,
      name: `${name} · ${format} ${s + 1}`,
    })),
  })),
}));

export const FAKE_META_DEMO_AD_IDS: readonly string[] = FAKE_META_DEMO_ADS.flatMap((campaign) =>
  campaign.adsets.flatMap((adset) => adset.ads.map((ad) => ad.id)),
);

/** Messages per second per business number until Meta upgrades it (to 1,000). */
export const DEFAULT_THROUGHPUT = 80;

export const newId = (digits = 15) =>
  String(1 + Math.floor(Math.random() * 9)) +
  Array.from({ length: digits - 1 }, () => Math.floor(Math.random() * 10)).join('');
export const newToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
export const sha256Base64 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Mulberry32: small, seeded, good enough to pick which sends fail. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_TEMPLATES: readonly Omit<FakeTemplate, 'id'>[] = [
  {
    name: 'order_update',
    language: 'tr',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Merhaba {{1}}, {{2}} numaralı siparişiniz {{3}}.' }],
  },
  {
    name: 'order_update',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hello {{1}}, your order {{2}} is {{3}}.' }],
  },
  {
    name: 'welcome_offer',
    language: 'tr',
    status: 'APPROVED',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Hoş geldiniz {{1}}! İlk siparişinize %10 indirim.' }],
  },
  {
    // The demo business's campaign template (demo-campaigns.ts): the first name and a discount code.
    name: 'mevsim_indirimi',
    language: 'tr',
    status: 'APPROVED',
    category: 'MARKETING',
    components: [
      {
        type: 'BODY',
        text: 'Merhaba {{1}}, kış indirimi başladı! {{2}} koduyla tüm ürünlerde %20 indirim pazar gününe kadar sizi bekliyor. Bu mesajları almak istemezseniz DUR yazın.',
      },
    ],
  },
  {
    name: 'winback_offer',
    language: 'tr',
    status: 'PAUSED',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Sizi özledik {{1}}.' }],
  },
];

export function createFakeMetaState(options: {
  appId: string;
  appSecret: string;
  instagramAppId?: string;
  instagramAppSecret: string;
  failureRate?: number;
  seed?: number;
  now?: () => number;
}): FakeMetaState {
  const clock = options.now ?? Date.now;
  const state: FakeMetaState = {
    appId: options.appId,
    appSecret: options.appSecret,
    instagramAppId: options.instagramAppId ?? `${options.appId}9`,
    instagramAppSecret: options.instagramAppSecret,
    wabas: new Map(),
    phoneNumbers: new Map(),
    pages: new Map(),
    instagramAccounts: new Map(),
    adAccounts: new Map(),
    ads: { usage: new Map(), throttles: new Map(), reports: new Map(), calls: [], clockOffsetMs: 0 },
    now: () => clock() + state.ads.clockOffsetMs,
    tokens: new Map(),
    codes: new Map(),
    media: new Map(),
    messages: [],
    requests: [],
    failures: { rate: options.failureRate ?? 0, statuses: [429, 500] },
    scripted: [],
    deliveries: [],
    random: seeded(options.seed ?? 8),
    throughput: { defaultPerSecond: DEFAULT_THROUGHPUT, perNumber: new Map() },
    sendTimes: new Map(),
    throttled: 0,
    recipientErrors: new Map(),
    statusWebhooks: true,
  };
  seedDemo(state);
  return state;
}

/** Adds a WABA with one number (what finishing Embedded Signup creates) and returns their ids. */
export function addWhatsAppAccount(
  state: FakeMetaState,
  ids: { wabaId?: string; phoneNumberId?: string; displayPhoneNumber?: string; name?: string } = {},
): { waba: FakeWaba; phone: FakePhoneNumber } {
  const wabaId = ids.wabaId ?? newId();
  const phoneNumberId = ids.phoneNumberId ?? newId();
  const waba: FakeWaba = state.wabas.get(wabaId) ?? {
    id: wabaId,
    name: ids.name ?? 'Fake Business',
    phoneNumberIds: [],
    subscribed: false,
    templates: DEMO_TEMPLATES.map((template) => ({ ...template, id: newId() })),
  };
  if (!waba.phoneNumberIds.includes(phoneNumberId)) waba.phoneNumberIds.push(phoneNumberId);
  state.wabas.set(wabaId, waba);
  const phone: FakePhoneNumber = state.phoneNumbers.get(phoneNumberId) ?? {
    id: phoneNumberId,
    wabaId,
    displayPhoneNumber: ids.displayPhoneNumber ?? `+90 555 ${phoneNumberId.slice(-7, -4)} ${phoneNumberId.slice(-4)}`,
    verifiedName: ids.name ?? 'Fake Business',
    qualityRating: 'GREEN',
    registered: false,
  };
  state.phoneNumbers.set(phoneNumberId, phone);
  return { waba, phone };
}

export function addPage(state: FakeMetaState, id = newId(), name = 'Fake Page'): FakePage {
  const page: FakePage = state.pages.get(id) ?? { id, name, subscribedFields: undefined, token: newToken('EAAPage') };
  state.pages.set(id, page);
  state.tokens.set(page.token, {
    kind: 'page',
    targets: new Set([id]),
    scopes: PAGE_SCOPES,
    expiresAt: 0,
    issuedAt: nowSeconds(),
  });
  return page;
}

export function addInstagramAccount(state: FakeMetaState, id = `1784140${newId(10)}`, username = 'fakeshop') {
  const account: FakeInstagramAccount = state.instagramAccounts.get(id) ?? {
    id,
    username,
    subscribedFields: undefined,
  };
  state.instagramAccounts.set(id, account);
  return account;
}

const CAMPAIGN_NAMES = ['Kış İndirimi', 'Yeni Sezon', 'Sepet Hatırlatma', 'WhatsApp Sohbet', 'Marka Bilinirliği'];

/**
 * Adds an ad account whose delivery starts `months` ago (what finishing the ads login or
 * dev/meta/ads/accounts creates), with `campaigns` × `adsetsPerCampaign` × `adsPerAdset` ads.
 */
export function addAdAccount(
  state: FakeMetaState,
  shape: {
    accountId?: string;
    name?: string;
    months?: number;
    campaigns?: number | FakeCampaign[];
    adsetsPerCampaign?: number;
    adsPerAdset?: number;
  } = {},
): FakeAdAccount {
  const accountId = shape.accountId ?? newId();
  const existing = state.adAccounts.get(accountId);
  if (existing) return existing;
  const tree =
    typeof shape.campaigns === 'object'
      ? structuredClone(shape.campaigns)
      : Array.from({ length: shape.campaigns ?? 3 }, (_, c) => {
          const name = `${CAMPAIGN_NAMES[c % CAMPAIGN_NAMES.length]} ${c + 1}`;
          return {
            id: newId(),
            name,
            objective: c % 3 === 2 ? 'OUTCOME_ENGAGEMENT' : 'OUTCOME_SALES',
            adsets: Array.from({ length: shape.adsetsPerCampaign ?? 2 }, (_, s) => ({
              id: newId(),
              name: `${name} · Kitle ${s + 1}`,
              ads: Array.from({ length: shape.adsPerAdset ?? 2 }, (_, a) => ({
                id: newId(),
                name: `${name} · Reklam ${s + 1}.${a + 1}`,
              })),
            })),
          };
        });
  const account: FakeAdAccount = {
    id: `act_${accountId}`,
    accountId,
    name: shape.name ?? `Reklam Hesabı ${state.adAccounts.size + 1}`,
    currency: 'TRY',
    timezoneName: 'Europe/Istanbul',
    accountStatus: 1,
    firstDay: monthsBefore(istanbulDay(state.now()), shape.months ?? 18),
    campaigns: tree,
  };
  state.adAccounts.set(accountId, account);
  return account;
}

export const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging', 'business_management'];
export const PAGE_SCOPES = ['pages_show_list', 'pages_manage_metadata', 'pages_messaging'];
export const INSTAGRAM_SCOPES = ['instagram_business_basic', 'instagram_business_manage_messages'];
/** What the ads login asks for: reading insights, and the Business Manager's accounts. */
export const ADS_SCOPES = ['ads_read', 'business_management'];

/** Issues a token; long-lived Instagram tokens expire in 60 days, the others never. */
export function issueToken(
  state: FakeMetaState,
  token: Omit<FakeToken, 'issuedAt' | 'expiresAt'> & { expiresIn?: number },
) {
  const value = newToken(token.kind === 'instagram' ? 'IGAA' : 'EAA');
  const { expiresIn, ...rest } = token;
  state.tokens.set(value, { ...rest, issuedAt: nowSeconds(), expiresAt: expiresIn ? nowSeconds() + expiresIn : 0 });
  return value;
}

function seedDemo(state: FakeMetaState): void {
  const demo = FAKE_META_DEMO;
  const { waba } = addWhatsAppAccount(state, {
    wabaId: demo.wabaId,
    phoneNumberId: demo.phoneNumberId,
    displayPhoneNumber: demo.displayPhoneNumber,
    name: 'Demo Mağaza',
  });
  waba.subscribed = true;
  const phone = state.phoneNumbers.get(demo.phoneNumberId);
  if (phone) phone.registered = true;
  state.tokens.set(demo.whatsappToken, {
    kind: 'business',
    targets: new Set([demo.wabaId, demo.phoneNumberId]),
    scopes: WHATSAPP_SCOPES,
    expiresAt: 0,
    issuedAt: nowSeconds(),
  });
  const page = addPage(state, demo.pageId, 'Demo Mağaza');
  state.tokens.delete(page.token);
  page.token = demo.pageToken;
  state.tokens.set(demo.pageToken, {
    kind: 'page',
    targets: new Set([demo.pageId]),
    scopes: PAGE_SCOPES,
    expiresAt: 0,
    issuedAt: nowSeconds(),
  });
  addInstagramAccount(state, demo.instagramAccountId, 'demomagaza');
  state.tokens.set(demo.instagramToken, {
    kind: 'instagram',
    targets: new Set([demo.instagramAccountId]),
    scopes: INSTAGRAM_SCOPES,
    expiresAt: nowSeconds() + 60 * 24 * 3600,
    issuedAt: nowSeconds() - 2 * 24 * 3600,
  });
  // Three months of figures: enough for every chart, and light for a stack that starts often.
  addAdAccount(state, {
    accountId: demo.adAccountId,
    name: 'Demo Mağaza Reklamları',
    campaigns: [...FAKE_META_DEMO_ADS],
    months: 3,
  });
  state.tokens.set(demo.adsToken, {
    kind: 'user',
    targets: new Set([demo.adAccountId]),
    scopes: ADS_SCOPES,
    expiresAt: nowSeconds() + 60 * 24 * 3600,
    issuedAt: nowSeconds(),
  });
}

/** Threads keep the newest messages only, so a long load run does not slow every send down. */
const MAX_MESSAGES = 20_000;

export function remember(state: FakeMetaState, message: FakeMessage): void {
  state.messages.push(message);
  if (state.messages.length > MAX_MESSAGES) state.messages.splice(0, state.messages.length - MAX_MESSAGES);
}
