import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../packages/local/src/fakes/openai.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Trying the AI agent before switching it on, on a real `npm start` with the fake OpenAI: a draft
 * or the version in force answers the sandbox simulator while the agent stays off for real
 * customers (a WhatsApp conversation of the same business is not answered), the simulator's
 * thread shows each AI reply's citations and a handoff's reason, and stopping the trial silences
 * the sandbox again. Only owners and admins of the business may try.
 */

interface ThreadMessage {
  id: string;
  direction: 'from-customer' | 'to-customer';
  text?: string;
  ai?: {
    version?: number;
    trial?: 'current' | 'draft';
    citations: { kind: string; id: string; label: string }[];
    handoffReason?: string;
  };
}

interface Trial {
  source: 'current' | 'draft';
  version: number | null;
  settings: { prompt: string } | null;
  startedBy: string;
  startedAt: string;
  expiresAt: string;
}

let stack: RunningStack;
let openai: FakeOpenAi;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let phoneNumberId: string;
const base = () => `/businesses/${owner.tenantId}`;

const DRAFT_PROMPT = 'Taslak talimat: müşterilere Lale Butik adına çok kibar cevap ver.';
const VERSION_PROMPT = 'Yürürlükteki talimat: kısa cevap ver.';

const draft = (prompt: string) => ({
  enabled: false,
  channels: [],
  prompt,
  guardrails: {},
  model: 'gpt-4.1-mini',
});

async function customerWrites(customerName: string, text: string) {
  const wrote = await api.call<{ conversationId: string; messageId: string }>(
    'POST',
    `${base()}/channels/sandbox/customer-messages`,
    { token: owner.accessToken, body: { customerName, text } },
  );
  expect(wrote.status, JSON.stringify(wrote.body)).toBe(201);
  return wrote.body;
}

async function threadOf(customerName: string) {
  const answer = await api.call<{ conversationId: string; messages: ThreadMessage[] }>(
    'GET',
    `${base()}/channels/sandbox/customer-messages?customerName=${encodeURIComponent(customerName)}`,
    { token: owner.accessToken },
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

const aiReplyIn = (customerName: string, count = 1) =>
  eventually(async () => {
    const replies = (await threadOf(customerName)).messages.filter((m) => m.ai);
    return replies.length >= count ? replies[count - 1] : undefined;
  }, 30_000);

async function trialNow(as: { accessToken: string } = owner) {
  return api.call<{ trial: Trial | null }>('GET', `${base()}/ai/trial`, { token: as.accessToken });
}

/** The system messages that reached the model since the fake was last reset. */
const systemPrompts = () =>
  openai.state.requests.flatMap((request) =>
    ((request.body as { messages?: { role: string; content: unknown }[] })?.messages ?? [])
      .filter((m) => m.role === 'system')
      .map((m) => String(m.content)),
  );

/** Long enough for the ai-replies worker to have taken a message that it would answer. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_500));

async function auditOf(action: string) {
  const audit = await api.call<{
    entries: { action: string; actorId: string; detail: Record<string, string> | null }[];
  }>('GET', `${base()}/audit?action=${action}`, { token: owner.accessToken });
  expect(audit.status).toBe(200);
  return audit.body.entries;
}

beforeAll(async () => {
  openai = await startFakeOpenAi();
  stack = await startStack({
    env: { ASISTONE_BUILD_WEB: 'false', LOCAL_OPENAI_BASE_URL: openai.baseUrl, LOCAL_OPENAI_API_KEY: openai.apiKey },
  });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Deneme');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  expect((await api.call('POST', `${base()}/channels/sandbox`, { token: owner.accessToken })).status).toBe(201);
  ({ phoneNumberId } = await connectWhatsApp(api, owner));
  const entry = await api.call('POST', `${base()}/ai/knowledge`, {
    token: owner.accessToken,
    body: { title: 'İade koşulları', body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz.' },
  });
  expect(entry.status, JSON.stringify(entry.body)).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await openai?.stop();
});

describe('trying the AI agent in the sandbox simulator', () => {
  it('leaves the sandbox unanswered while the agent is off and nothing is being tried', async () => {
    expect((await trialNow()).body).toEqual({ trial: null });
    await customerWrites('Selin Deneme', 'İade koşulları nedir?');
    await settle();
    expect(openai.state.requests).toHaveLength(0);
    expect((await threadOf('Selin Deneme')).messages.filter((m) => m.direction === 'to-customer')).toHaveLength(0);
  });

  it('refuses an invalid draft (400) and a trial of the version in force before any exists (409), setting nothing', async () => {
    const tooLong = await api.call('PUT', `${base()}/ai/trial`, {
      token: owner.accessToken,
      body: { source: 'draft', settings: { ...draft('x'.repeat(4001)) } },
    });
    expect(tooLong.status).toBe(400);
    const unknownChannel = await api.call('PUT', `${base()}/ai/trial`, {
      token: owner.accessToken,
      body: { source: 'draft', settings: { ...draft('Merhaba'), channels: ['sms'] } },
    });
    expect(unknownChannel.status).toBe(400);
    const noSource = await api.call('PUT', `${base()}/ai/trial`, { token: owner.accessToken, body: { source: 'x' } });
    expect(noSource.status).toBe(400);
    const nothingSaved = await api.call('PUT', `${base()}/ai/trial`, {
      token: owner.accessToken,
      body: { source: 'current' },
    });
    expect(nothingSaved.status).toBe(409);
    expect((await trialNow()).body).toEqual({ trial: null });
    expect(await auditOf('ai.trial.started')).toHaveLength(0);
  });

  it("refuses an agent of the business and another business's owner", async () => {
    const body = { source: 'draft', settings: draft(DRAFT_PROMPT) };
    expect((await api.call('PUT', `${base()}/ai/trial`, { token: agent.accessToken, body })).status).toBe(403);
    expect((await trialNow(agent)).status).toBe(403);
    expect((await api.call('DELETE', `${base()}/ai/trial`, { token: agent.accessToken })).status).toBe(403);
    const other = await newOwner(api, 'Baska');
    const foreign = await api.call('PUT', `${base()}/ai/trial`, { token: other.accessToken, body });
    expect([403, 404]).toContain(foreign.status);
    expect((await trialNow()).body).toEqual({ trial: null });
  });

  it('answers the sandbox with a draft, citing its records, while WhatsApp stays unanswered and no version is saved', async () => {
    const started = await api.call<{ trial: Trial }>('PUT', `${base()}/ai/trial`, {
      token: owner.accessToken,
      body: { source: 'draft', settings: draft(DRAFT_PROMPT) },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.trial).toMatchObject({ source: 'draft', version: null, startedBy: owner.userId });
    const lasts = Date.parse(started.body.trial.expiresAt) - Date.parse(started.body.trial.startedAt);
    // A day, to the second DynamoDB's TTL reads.
    expect(lasts).toBeGreaterThan(24 * 3_600_000 - 1_000);
    expect(lasts).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await trialNow()).body.trial).toMatchObject({ source: 'draft', settings: { prompt: DRAFT_PROMPT } });

    await customerWrites('Selin Deneme', 'İade koşulları nedir, tekrar soruyorum?');
    const reply = await aiReplyIn('Selin Deneme');
    expect(reply.text).toContain('14 gün');
    expect(reply.ai).toMatchObject({ trial: 'draft', citations: [{ kind: 'knowledge', label: 'İade koşulları' }] });
    expect(reply.ai?.version).toBeUndefined();
    expect(systemPrompts().some((prompt) => prompt.includes(DRAFT_PROMPT))).toBe(true);

    // A real customer of the same business on WhatsApp: the agent is off for them.
    const asked = openai.state.requests.length;
    await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
      channel: 'whatsapp',
      businessId: phoneNumberId,
      customer: { id: '905551239001', name: 'Gerçek Müşteri' },
      text: 'İade koşulları nedir?',
    });
    const conversation = await eventually(async () => {
      const list = await api.call<{ conversations: { id: string; contact: { name?: string } }[] }>(
        'GET',
        `${base()}/conversations`,
        { token: owner.accessToken },
      );
      return list.body.conversations.find((c) => c.contact.name === 'Gerçek Müşteri');
    });
    await settle();
    expect(openai.state.requests).toHaveLength(asked);
    const whatsapp = await api.call<{ messages: { direction: string }[] }>(
      'GET',
      `${base()}/conversations/${conversation.id}/messages`,
      { token: owner.accessToken },
    );
    expect(whatsapp.body.messages.filter((m) => m.direction === 'outbound')).toHaveLength(0);

    // A trial is not a version, and its audit names the source, never the prompt.
    expect((await api.call('GET', `${base()}/ai/agent`, { token: owner.accessToken })).body).toMatchObject({
      current: null,
    });
    const events = await auditOf('ai.trial.started');
    expect(events).toMatchObject([{ actorId: owner.userId, detail: { source: 'draft' } }]);
    expect(JSON.stringify(events)).not.toContain('Taslak talimat');
  });

  it('shows a handoff and its reason in the simulator thread, and answers again once handed back', async () => {
    const { conversationId } = await customerWrites('Deniz Deneme', 'Otoparkınız var mı?');
    const notice = await aiReplyIn('Deniz Deneme');
    expect(notice.ai).toMatchObject({ trial: 'draft', handoffReason: 'not-in-data', citations: [] });
    const resumed = await api.call('POST', `${base()}/conversations/${conversationId}/ai/resume`, {
      token: owner.accessToken,
    });
    expect(resumed.status).toBe(200);
    await customerWrites('Deniz Deneme', 'İade koşulları nedir?');
    const answer = await aiReplyIn('Deniz Deneme', 2);
    expect(answer.ai?.citations).toEqual([expect.objectContaining({ kind: 'knowledge' })]);
  });

  it('goes silent again once the trial stops', async () => {
    const stopped = await api.call('DELETE', `${base()}/ai/trial`, { token: owner.accessToken });
    expect(stopped.status).toBe(204);
    expect((await trialNow()).body).toEqual({ trial: null });
    expect(await auditOf('ai.trial.stopped')).toMatchObject([{ actorId: owner.userId, detail: { source: 'draft' } }]);
    openai.reset();
    await customerWrites('Ece Deneme', 'İade koşulları nedir?');
    await settle();
    expect(openai.state.requests).toHaveLength(0);
    expect((await threadOf('Ece Deneme')).messages.filter((m) => m.direction === 'to-customer')).toHaveLength(0);
  });

  it('answers the sandbox with the version in force while the agent is off, saying which version', async () => {
    const saved = await api.call('PUT', `${base()}/ai/agent`, {
      token: owner.accessToken,
      body: draft(VERSION_PROMPT),
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const started = await api.call<{ trial: Trial }>('PUT', `${base()}/ai/trial`, {
      token: owner.accessToken,
      body: { source: 'current' },
    });
    expect(started.status).toBe(200);
    expect(started.body.trial).toMatchObject({ source: 'current', version: 1, settings: null });
    openai.reset();
    await customerWrites('Ece Deneme', 'İade koşulları nedir, sürümü deniyorum?');
    const reply = await aiReplyIn('Ece Deneme');
    expect(reply.ai).toMatchObject({ version: 1, trial: 'current', citations: [{ kind: 'knowledge' }] });
    expect(systemPrompts().some((prompt) => prompt.includes(VERSION_PROMPT))).toBe(true);
    expect(systemPrompts().some((prompt) => prompt.includes(DRAFT_PROMPT))).toBe(false);
    // Still off for everyone else: trying it switched nothing on.
    const inForce = await api.call<{ current: { enabled: boolean; version: number } }>('GET', `${base()}/ai/agent`, {
      token: owner.accessToken,
    });
    expect(inForce.body.current).toMatchObject({ enabled: false, version: 1 });
  });
});
