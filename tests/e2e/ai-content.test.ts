import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedContentDraft } from '../../packages/core/src/ai/content.js';
import { AI_CONTENT_QUEUE } from '../../packages/core/src/ai/content-queue.js';
import { AI_CONTENT_RECORDS } from '../../packages/core/src/ai/content-records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { type FakeOpenAi, startFakeOpenAi } from '../../packages/local/src/fakes/openai.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectFakeShop, product, sendShopifyWebhook, stockLevel } from './store-fixtures.js';

/**
 * Content on request on a real `npm start`: an owner asks for a campaign message about a product
 * of the store's local copy; the API answers 202 with the draft `writing` and the `ai-content`
 * worker asks the fake OpenAI (started here and given to the stack as its endpoint, so the test
 * reads what reached the model) and keeps the draft awaiting review, or failed with its reason.
 * A message delivered again writes nothing twice. Nothing comes out for campaigns until a person
 * approves it; two approvals at once: one wins.
 */

const SHOP = 'gul-bahcesi-content.myshopify.com';
const PRODUCT_LINK = `https://${SHOP}/products/kirmizi-gul-buketi`;
const CARD = '4111 1111 1111 1111';

interface Draft {
  draftId: string;
  kind: string;
  brief: string;
  text: string;
  status: string;
  failure: string | null;
  checkFindings: string[];
  findings: { code: string; detail: string }[];
  edited: boolean;
  reviewedBy: string | null;
}

let stack: RunningStack;
let openai: FakeOpenAi;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let admin: SignedInPerson;
let agent: SignedInPerson;
let analyst: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let core: ReturnType<typeof createPlatform>;

const drafts = (tenantId = owner.tenantId) => `/businesses/${tenantId}/ai/content-drafts`;

function ask(body: Record<string, unknown>, person: SignedInPerson = owner, tenantId = owner.tenantId) {
  return api.call<Draft & { error?: string }>('POST', drafts(tenantId), { token: person.accessToken, body });
}

function review(draftId: string, body: Record<string, unknown>, person: SignedInPerson = owner) {
  return api.call<Draft & { error?: string }>('POST', `${drafts()}/${draftId}/review`, {
    token: person.accessToken,
    body,
  });
}

async function list(person: SignedInPerson = owner, tenantId = owner.tenantId) {
  const answer = await api.call<{ drafts: Draft[] }>('GET', drafts(tenantId), { token: person.accessToken });
  expect(answer.status).toBe(200);
  return answer.body.drafts;
}

/** The draft as the list shows it once the worker is done with it (awaiting review or failed). */
function settled(draftId: string, person: SignedInPerson = owner, tenantId = owner.tenantId) {
  return eventually(async () => {
    const found = (await list(person, tenantId)).find((draft) => draft.draftId === draftId);
    return found && found.status !== 'writing' ? found : undefined;
  }, 30_000);
}

/** Asks for a draft (202, `writing`) and waits until it is written or failed. */
async function write(body: Record<string, unknown>, person: SignedInPerson = owner, tenantId = owner.tenantId) {
  const asked = await ask(body, person, tenantId);
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  expect(asked.body).toMatchObject({ status: 'writing', text: '', failure: null });
  return settled(asked.body.draftId, person, tenantId);
}

/** How many times the worker's log says it acknowledged this draft's message without writing. */
const acknowledgements = (draftId: string) =>
  stack
    .output()
    .split('\n')
    .filter(
      (line) =>
        line.includes(draftId) &&
        /content draft (no longer writing|being written by another delivery); acknowledged/.test(line),
    ).length;

const approvedText = (draftId: string, tenantId = owner.tenantId) =>
  approvedContentDraft(core.storeOf(AI_CONTENT_RECORDS), core.keyring, tenantId, draftId);

beforeAll(async () => {
  openai = await startFakeOpenAi();
  stack = await startStack({
    env: { ASISTONE_BUILD_WEB: 'false', LOCAL_OPENAI_BASE_URL: openai.baseUrl, LOCAL_OPENAI_API_KEY: openai.apiKey },
  });
  core = createPlatform(readConfig(localAws(stack.dataDir).env));
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Gulbahcesi');
  admin = await newMember(api, owner, 'admin', 'Yonetici');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  other = await newOwner(api, 'Baskadukkan');
  await connectFakeShop(api, owner, SHOP);
  await sendShopifyWebhook(stack.url, SHOP, 'products/create', product(9001, 9101));
  await sendShopifyWebhook(stack.url, SHOP, 'inventory_levels/update', stockLevel(9101, 61, 12));
  await eventually(async () => {
    const products = await api.call<{ products: { variants: { stock: unknown[] }[] }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/store/products`,
      { token: owner.accessToken },
    );
    return products.body.products?.[0]?.variants[0]?.stock.length === 1 ? true : undefined;
  }, 30_000);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await openai?.stop();
});

describe('content on request', () => {
  it('asks the model without tools and with storage off, the card number redacted, and keeps a grounded draft awaiting review', async () => {
    openai.reset();
    const asked = await ask({
      kind: 'campaign-message',
      brief: `Anneler günü için güllerimizi duyur. Müşteri kartını yazmış: ${CARD}`,
      language: 'tr',
      productIds: ['9001'],
    });
    // Answered at once: the worker writes it.
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toMatchObject({ status: 'writing', text: '', checkFindings: [], failure: null });
    expect(asked.body.brief).not.toContain('4111');
    const draft = await settled(asked.body.draftId);
    const [request] = openai.state.requests;
    expect(openai.state.requests).toHaveLength(1);
    const body = request?.body as { store?: boolean; tools?: unknown; messages: { role: string; content: string }[] };
    expect(body.store).toBe(false);
    expect(body.tools).toBeUndefined();
    expect(body.messages[0]?.content).toMatch(/^You write marketing copy/);
    expect(body.messages[0]?.content).toContain('"price":"84.95"');
    const sent = JSON.stringify(body.messages);
    expect(sent).not.toContain('4111');
    expect(body.messages[1]?.content).toContain('[kart numarası gizlendi]');

    expect(draft).toMatchObject({
      kind: 'campaign-message',
      status: 'awaiting-review',
      failure: null,
      checkFindings: [],
      edited: false,
    });
    expect(draft.text).toContain('84.95');
    expect(draft.text).toContain(PRODUCT_LINK);
    // What is kept is what the model saw: the card number is not stored either.
    expect(draft.brief).not.toContain('4111');
    // Campaigns and ads get nothing from a draft nobody reviewed.
    expect(await approvedText(draft.draftId)).toBeUndefined();
  });

  it('gives campaigns the edited text once approved, and nothing for a discarded draft', async () => {
    const first = await write({ kind: 'ad-text', brief: 'Yeni güllerimiz', language: 'tr', productIds: ['9001'] });
    const edited = 'Kırmızı Gül Buketi şimdi 84.95 TRY. Hemen incele!';
    const approved = await review(first.draftId, { decision: 'approved', text: edited }, admin);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', text: edited, edited: true, reviewedBy: admin.userId });
    expect(await approvedText(first.draftId)).toBe(edited);
    // Another business asking for this id gets nothing.
    expect(await approvedText(first.draftId, other.tenantId)).toBeUndefined();

    const second = await write({ kind: 'ad-text', brief: 'Hafta sonu', language: 'tr' });
    expect((await review(second.draftId, { decision: 'discarded' })).body.status).toBe('discarded');
    expect(await approvedText(second.draftId)).toBeUndefined();
    // Decided once: a later approval is refused and changes nothing.
    const late = await review(second.draftId, { decision: 'approved' });
    expect(late.status).toBe(409);
    expect(await approvedText(second.draftId)).toBeUndefined();

    // Each decision is in the audit log, without the text.
    const audit = await api.call<{ entries: { action: string; target: string | null }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit`,
      { token: owner.accessToken },
    );
    expect(audit.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'ai.content.approved', target: `ai-content-draft:${first.draftId}` }),
        expect.objectContaining({ action: 'ai.content.discarded', target: `ai-content-draft:${second.draftId}` }),
      ]),
    );
    expect(JSON.stringify(audit.body.entries)).not.toContain('Hemen incele');
  });

  it('lets one of two approvals at once win; the other answers 409', async () => {
    const draft = await write({ kind: 'campaign-message', brief: 'Kampanya', language: 'tr', productIds: ['9001'] });
    const answers = await Promise.all([
      review(draft.draftId, { decision: 'approved', text: 'Birinci kişinin metni: Kırmızı Gül Buketi' }),
      review(draft.draftId, { decision: 'approved', text: 'İkinci kişinin metni: Kırmızı Gül Buketi' }, admin),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)?.body.text;
    expect(await approvedText(draft.draftId)).toBe(winner);
  });

  it('flags a draft with an invented price or a link outside the store', async () => {
    openai.script({ text: 'Sadece bu hafta 49,90 TL! Hemen tıkla: https://firsat-gul.example.com/indirim' });
    const draft = await write({ kind: 'ad-text', brief: 'Güller', language: 'tr', productIds: ['9001'] });
    expect(draft.status).toBe('awaiting-review');
    expect(draft.checkFindings).toEqual(expect.arrayContaining(['foreign-link', 'unsupported-amount']));
    expect(draft.findings).toEqual(
      expect.arrayContaining([
        { code: 'foreign-link', detail: 'firsat-gul.example.com' },
        { code: 'unsupported-amount', detail: '49,90' },
      ]),
    );
  });

  it("answers 404 for another business's draft and for a product not in the store, changing nothing", async () => {
    const mine = await write({ kind: 'ad-text', brief: 'Benim taslağım', language: 'tr' });
    const theirs = await api.call('POST', `${drafts(other.tenantId)}/${mine.draftId}/review`, {
      token: other.accessToken,
      body: { decision: 'approved' },
    });
    expect(theirs.status).toBe(404);
    expect((await list()).find((d) => d.draftId === mine.draftId)?.status).toBe('awaiting-review');
    expect(await list(other, other.tenantId)).toEqual([]);

    openai.reset();
    const unknownProduct = await ask({ kind: 'ad-text', brief: 'Yok', language: 'tr', productIds: ['123456'] });
    expect(unknownProduct.status).toBe(400);
    const tooLong = await ask({ kind: 'ad-text', brief: 'x'.repeat(1001), language: 'tr' });
    expect(tooLong.status).toBe(400);
    // Nothing kept, nothing queued.
    expect((await list()).filter((d) => d.status === 'writing')).toEqual([]);
    expect(openai.state.requests).toHaveLength(0);
  });

  it('refuses agents and analysts', async () => {
    for (const person of [agent, analyst]) {
      expect((await ask({ kind: 'ad-text', brief: 'Deneme', language: 'tr' }, person)).status).toBe(403);
      expect((await api.call('GET', drafts(), { token: person.accessToken })).status).toBe(403);
    }
  });

  it('writes a draft once: a message delivered again, during or after its writing, asks the model nothing', async () => {
    openai.reset();
    const asked = await ask({
      kind: 'campaign-message',
      brief: 'Bir kez yazılsın',
      language: 'tr',
      productIds: ['9001'],
    });
    expect(asked.status).toBe(202);
    const message = { tenantId: owner.tenantId, draftId: asked.body.draftId };
    // The same ids again through the stack's own queue, as SQS may deliver them: once right away
    // (likely while it is being written), once after it was written.
    await core.producer.send(AI_CONTENT_QUEUE, message);
    const draft = await settled(asked.body.draftId);
    expect(draft.status).toBe('awaiting-review');
    await core.producer.send(AI_CONTENT_QUEUE, message);
    await eventually(async () => (acknowledgements(draft.draftId) === 2 ? true : undefined), 30_000);
    expect(openai.state.requests).toHaveLength(1);
    const after = (await list()).find((d) => d.draftId === draft.draftId);
    expect(after).toEqual(draft);
  });

  it('ends the draft failed with its reason when the model is down, and gives its hour slot back', async () => {
    const busy = await newOwner(api, 'Yogundukkan');
    // Both attempts of the worker's one call (one retry) fail.
    openai.script({ status: 500 }, { status: 500 });
    const failed = await write(
      { kind: 'campaign-message', brief: 'Model kapalıyken', language: 'tr' },
      busy,
      busy.tenantId,
    );
    expect(failed).toMatchObject({ status: 'failed', failure: 'model-unavailable', text: '' });
    // A failed draft cannot be approved.
    const approve = await api.call('POST', `${drafts(busy.tenantId)}/${failed.draftId}/review`, {
      token: busy.accessToken,
      body: { decision: 'approved' },
    });
    expect(approve.status).toBe(409);

    // The failed one does not count: the hour still has all 30 slots.
    for (let i = 0; i < 30; i++) {
      const asked = await ask({ kind: 'ad-text', brief: `Taslak ${i}`, language: 'en' }, busy, busy.tenantId);
      expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    }
    const over = await ask({ kind: 'ad-text', brief: 'One too many', language: 'en' }, busy, busy.tenantId);
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('rate_limited');
    expect(await list(busy, busy.tenantId)).toHaveLength(31);
    // Another business is not held back by it.
    expect((await ask({ kind: 'ad-text', brief: 'Benim sıram', language: 'tr' })).status).toBe(202);
    // Every draft asked for is written in the end.
    await eventually(async () => {
      const all = await list(busy, busy.tenantId);
      return all.every((d) => d.status !== 'writing') ? true : undefined;
    }, 60_000);
    const statuses = (await list(busy, busy.tenantId)).map((d) => d.status);
    expect(statuses.filter((status) => status === 'awaiting-review')).toHaveLength(30);
  }, 120_000);
});
