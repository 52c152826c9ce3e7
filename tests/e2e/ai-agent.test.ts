import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../packages/local/src/fakes/openai.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * The AI agent on a real `npm start`: the merchant switches it on over the API, a customer writes
 * in the sandbox simulator, the `ai-replies` queue's worker answers through the official SDK
 * against the fake OpenAI (started by this test and given to the stack as its OpenAI-compatible
 * endpoint, so the test reads what reached the model), and the thread shows the AI-written reply
 * with its citations; a question outside the data opens a ticket, silences the agent, and a
 * person hands the conversation back.
 */

interface Message {
  id: string;
  direction: string;
  text?: string;
  authorId?: string;
  details?: { ai?: { version: number; citations: { kind: string; id: string; label: string }[] } };
}

let stack: RunningStack;
let openai: FakeOpenAi;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let analyst: SignedInPerson;
const base = () => `/businesses/${owner.tenantId}`;

async function customerWrites(customerName: string, text: string) {
  const wrote = await api.call<{ conversationId: string; messageId: string }>(
    'POST',
    `${base()}/channels/sandbox/customer-messages`,
    { token: owner.accessToken, body: { customerName, text } },
  );
  expect(wrote.status, JSON.stringify(wrote.body)).toBe(201);
  return wrote.body;
}

async function messagesOf(conversationId: string) {
  const answer = await api.call<{ messages: Message[] }>('GET', `${base()}/conversations/${conversationId}/messages`, {
    token: owner.accessToken,
  });
  expect(answer.status).toBe(200);
  return answer.body.messages;
}

async function saveAgent(enabled: boolean) {
  const saved = await api.call('PUT', `${base()}/ai/agent`, {
    token: owner.accessToken,
    body: {
      enabled,
      channels: ['sandbox'],
      prompt: 'Mağazamızın müşterilerine kısa ve kibar cevap ver.',
      guardrails: {},
      model: 'gpt-4.1-mini',
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

beforeAll(async () => {
  openai = await startFakeOpenAi();
  stack = await startStack({
    env: { ASISTONE_BUILD_WEB: 'false', LOCAL_OPENAI_BASE_URL: openai.baseUrl, LOCAL_OPENAI_API_KEY: openai.apiKey },
  });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Yapay');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  expect((await api.call('POST', `${base()}/channels/sandbox`, { token: owner.accessToken })).status).toBe(201);
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

describe('the AI agent on the local stack', () => {
  it('stays off until switched on, then answers from the knowledge base with its citation, AI-written', async () => {
    const before = await customerWrites('Selin Deneme', 'Kapalıyken: iade süresi kaç gün?');
    // Off by default: the worker saw the message and left it (the model was never called).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(openai.state.requests).toHaveLength(0);
    expect((await messagesOf(before.conversationId)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
    await saveAgent(true);
    const { conversationId } = await customerWrites('Selin Deneme', 'İade koşulları nedir?');
    expect(conversationId).toBe(before.conversationId);
    const reply = await eventually(
      async () => (await messagesOf(conversationId)).find((m) => m.authorId === 'ai'),
      30_000,
    );
    expect(reply.text).toContain('14 gün');
    expect(reply.details?.ai?.citations).toEqual([
      expect.objectContaining({ kind: 'knowledge', label: 'İade koşulları' }),
    ]);
    // Every call went out with storage off.
    expect(openai.state.requests.every((request) => (request.body as { store?: boolean }).store === false)).toBe(true);
    // One answer for the one message, however long we wait.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await messagesOf(conversationId)).filter((m) => m.authorId === 'ai')).toHaveLength(1);
  });

  it('hands a question outside the data to a person, stays silent, and answers again once handed back', async () => {
    const { conversationId } = await customerWrites('Deniz Deneme', 'Otoparkınız var mı?');
    const notice = await eventually(
      async () => (await messagesOf(conversationId)).find((m) => m.authorId === 'ai'),
      30_000,
    );
    expect(notice.text).toContain('temsilci');
    const tickets = await api.call<{ tickets: { title: string; openedBy: { kind: string } }[] }>(
      'GET',
      `${base()}/tickets?conversationId=${conversationId}`,
      { token: owner.accessToken },
    );
    expect(tickets.body.tickets).toMatchObject([{ openedBy: { kind: 'ai' } }]);
    const state = await api.call('GET', `${base()}/conversations/${conversationId}/ai`, { token: owner.accessToken });
    expect(state.body).toMatchObject({ responder: 'people', reason: 'not-in-data' });

    openai.reset();
    await customerWrites('Deniz Deneme', 'İade koşulları nedir?');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(openai.state.requests).toHaveLength(0);

    // Handing back needs the right to reply: an analyst may not; the owner may.
    const refused = await api.call('POST', `${base()}/conversations/${conversationId}/ai/resume`, {
      token: analyst.accessToken,
    });
    expect(refused.status).toBe(403);
    const resumed = await api.call('POST', `${base()}/conversations/${conversationId}/ai/resume`, {
      token: owner.accessToken,
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ responder: 'agent' });
    await customerWrites('Deniz Deneme', 'İade koşulları nedir, tekrar soruyorum?');
    await eventually(
      async () => (await messagesOf(conversationId)).find((m) => m.authorId === 'ai' && m.text?.includes('14 gün')),
      30_000,
    );
  });

  it('lets no person pass a reply off as the AI agent’s', async () => {
    const { conversationId } = await customerWrites('Fatma Deneme', 'Merhaba');
    const sent = await api.call<{ message: Message }>('POST', `${base()}/conversations/${conversationId}/messages`, {
      token: owner.accessToken,
      body: {
        kind: 'text',
        text: 'Ben yazdım',
        clientId: 'c_forged_ai_reply',
        ai: { version: 1, citations: [{ kind: 'order', id: '1', label: '#1' }] },
      },
    });
    expect(sent.status).toBe(202);
    expect(sent.body.message.authorId).not.toBe('ai');
    expect(sent.body.message.details?.ai).toBeUndefined();
  });

  it("answers 404 for another business's conversation, and changes nothing", async () => {
    const other = await newOwner(api, 'Baska');
    const { conversationId } = await customerWrites('Ece Deneme', 'Merhaba');
    const path = `/businesses/${other.tenantId}/conversations/${conversationId}/ai`;
    expect((await api.call('GET', path, { token: other.accessToken })).status).toBe(404);
    expect((await api.call('POST', `${path}/resume`, { token: other.accessToken })).status).toBe(404);
  });
});
