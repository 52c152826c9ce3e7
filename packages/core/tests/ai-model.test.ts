import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_OPENAI_CONFIDENCE,
  FAKE_OPENAI_HANDOFF,
  type FakeOpenAi,
  LOCAL_OPENAI_API_KEY,
  startFakeOpenAi,
} from '../../local/src/fakes/openai.js';
import { ANSWER_FORMAT_NAME, ANSWER_SCHEMA } from '../src/ai/answer.js';
import {
  type ModelTool,
  ModelUnavailableError,
  OPENAI_DEFAULT_BASE_URL,
  openAiModel,
  openAiSettings,
} from '../src/ai/model.js';
import { ConfigError } from '../src/platform/errors.js';

/**
 * The model client through the official SDK against the fake OpenAI over HTTP: what it sends
 * (store: false, strict function tools), what it reads back, and how it fails (bounded, classified,
 * no content in the error).
 */
let fake: FakeOpenAi;

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const tools: ModelTool[] = [
  {
    name: 'customer_orders',
    description: "This customer's orders",
    parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
  },
  {
    name: 'order_status',
    description: 'One order of this customer by its name',
    parameters: {
      type: 'object',
      properties: { orderName: { type: 'string' } },
      required: ['orderName'],
      additionalProperties: false,
    },
  },
  {
    name: 'search_knowledge',
    description: "The business's knowledge base",
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' } },
      required: ['query'],
      additionalProperties: false,
    },
  },
];

const model = (overrides: { timeoutMs?: number; apiKey?: string } = {}) =>
  openAiModel({ baseUrl: fake.baseUrl, apiKey: overrides.apiKey ?? fake.apiKey, ...overrides });

const ask = (question: string) => ({
  model: 'gpt-4.1-mini',
  messages: [
    { role: 'system' as const, content: 'Answer only from the tools.' },
    { role: 'user' as const, content: question },
  ],
  tools,
  maxTokens: 300,
});

describe('openAiModel', () => {
  it('sends store: false, strict function tools and the token cap, and reads a scripted tool call', async () => {
    fake.script({ toolCalls: [{ id: 'call_1', name: 'order_status', arguments: { orderName: '#1042' } }] });
    const turn = await model().complete(ask('#1042 nerede?'));
    expect(turn).toMatchObject({
      toolCalls: [{ id: 'call_1', name: 'order_status', arguments: '{"orderName":"#1042"}' }],
      finish: 'tool_calls',
    });
    expect(turn.text).toBeUndefined();
    expect(turn.requestId).toMatch(/^req_/);
    expect(turn.usage?.inputTokens).toBeGreaterThan(0);
    const [request] = fake.state.requests;
    expect(request?.status).toBe(200);
    expect(request?.body).toMatchObject({
      model: 'gpt-4.1-mini',
      store: false,
      max_completion_tokens: 300,
      messages: [
        { role: 'system', content: 'Answer only from the tools.' },
        { role: 'user', content: '#1042 nerede?' },
      ],
    });
    expect(request?.body?.tools?.[1]).toEqual({
      type: 'function',
      function: {
        name: 'order_status',
        description: tools[1]?.description,
        parameters: tools[1]?.parameters,
        strict: true,
      },
    });
  });

  it('sends tool answers back in the shape OpenAI requires, and reads the final text', async () => {
    fake.script({ text: 'Siparişiniz #1042 kargoda.' });
    const turn = await model().complete({
      ...ask('#1042 nerede?'),
      messages: [
        ...ask('#1042 nerede?').messages,
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'order_status', arguments: '{"orderName":"#1042"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"order":"#1042","status":"shipped"}' },
      ],
    });
    expect(turn).toMatchObject({ text: 'Siparişiniz #1042 kargoda.', toolCalls: [], finish: 'stop' });
    // The fake refuses a tool message that answers no call (as OpenAI does): a 200 proves the shape.
    expect(fake.state.requests.map((request) => request.status)).toEqual([200]);
    expect(fake.state.requests[0]?.body?.messages?.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'order_status', arguments: '{"orderName":"#1042"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"order":"#1042","status":"shipped"}' },
    ]);
  });

  it('gives up after one retry when the provider fails twice: ModelUnavailableError without content', async () => {
    fake.script({ status: 500 }, { status: 500 }, { text: 'never reached' });
    const error = await model()
      .complete(ask('kartım 4111 sipariş #1042'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ reason: 'provider-error', status: 500 });
    expect((error as ModelUnavailableError).requestId).toMatch(/^req_/);
    expect(String((error as Error).message)).not.toContain('1042');
    // Two attempts (the call and one retry), the third answer still queued.
    expect(fake.state.requests).toHaveLength(2);
    expect(fake.state.script).toHaveLength(1);
  });

  it('recovers when only the first attempt fails', async () => {
    fake.script({ status: 503 }, { text: 'Merhaba' });
    expect((await model().complete(ask('merhaba'))).text).toBe('Merhaba');
    expect(fake.state.requests.map((request) => request.status)).toEqual([503, 200]);
  });

  it('bounds a hung provider: two timed-out attempts, then ModelUnavailableError', async () => {
    fake.script({ delayMs: 5_000, text: 'late' }, { delayMs: 5_000, text: 'late' });
    const started = Date.now();
    const error = await model({ timeoutMs: 300 })
      .complete(ask('merhaba'))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ModelUnavailableError', reason: 'timeout' });
    // Two 300 ms attempts plus the SDK's short backoff (under a second), never the 5 s answers.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('tells an exhausted quota from a rate limit, and a wrong key from an outage', async () => {
    fake.script({ status: 429, code: 'insufficient_quota' }, { status: 429, code: 'insufficient_quota' });
    await expect(model().complete(ask('merhaba'))).rejects.toMatchObject({ reason: 'quota', status: 429 });
    fake.script({ status: 429 }, { status: 429 });
    await expect(model().complete(ask('merhaba'))).rejects.toMatchObject({ reason: 'rate-limited' });
    fake.reset();
    await expect(model({ apiKey: 'sk-wrong' }).complete(ask('merhaba'))).rejects.toMatchObject({
      reason: 'credentials',
      status: 401,
    });
    // A refused request is not retried.
    expect(fake.state.requests).toHaveLength(1);
  });

  it('reports an unreachable endpoint as unavailable', async () => {
    const gone = await startFakeOpenAi();
    await gone.stop();
    await expect(
      openAiModel({ baseUrl: gone.baseUrl, apiKey: LOCAL_OPENAI_API_KEY, timeoutMs: 1_000 }).complete(ask('merhaba')),
    ).rejects.toMatchObject({ reason: 'unreachable' });
  });

  describe('base URL', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.OPENAI_BASE_URL;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved;
    });

    it('uses the base URL it was given even when OPENAI_BASE_URL points elsewhere', async () => {
      const elsewhere = await startFakeOpenAi();
      try {
        process.env.OPENAI_BASE_URL = elsewhere.baseUrl;
        fake.script({ text: 'from the configured endpoint' });
        expect((await model().complete(ask('merhaba'))).text).toBe('from the configured endpoint');
        expect(fake.state.requests).toHaveLength(1);
        expect(elsewhere.state.requests).toHaveLength(0);
      } finally {
        await elsewhere.stop();
      }
    });

    it("reads the endpoint and key from the function's settings, OpenAI's own by default", () => {
      expect(openAiSettings({ OPENAI_API_KEY: 'sk-x', STAGE: 'prod' })).toEqual({
        baseUrl: OPENAI_DEFAULT_BASE_URL,
        apiKey: 'sk-x',
      });
      expect(openAiSettings({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'https://llm.example.com/v1/' })).toEqual({
        baseUrl: 'https://llm.example.com/v1',
        apiKey: 'sk-x',
      });
      expect(() => openAiSettings({ STAGE: 'prod' })).toThrow(ConfigError);
      // The local stage never falls back to the real provider.
      expect(() => openAiSettings({ OPENAI_API_KEY: 'sk-x', STAGE: 'local' })).toThrow(/OPENAI_BASE_URL/);
      expect(() => openAiSettings({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'ftp://x' })).toThrow(ConfigError);
    });
  });
});

describe('the fake OpenAI', () => {
  const post = (body: unknown, key = fake.apiKey) =>
    fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const chat = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'merhaba' }] };

  it('refuses a request without store: false, and a wrong key, in OpenAI error shapes', async () => {
    const unstored = await post(chat);
    expect(unstored.status).toBe(400);
    expect(unstored.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await unstored.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: 'store', code: 'store_must_be_false' },
    });
    expect((await post({ ...chat, store: true })).status).toBe(400);
    const wrongKey = await post({ ...chat, store: false }, 'sk-nope');
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect((await post({ ...chat, store: false })).status).toBe(200);
    expect(fake.state.requests.map((request) => request.status)).toEqual([400, 400, 401, 200]);
  });

  it('takes a script over HTTP and answers it in order, then falls back to the grounded model', async () => {
    const queued = await fetch(`${fake.url}/dev/openai/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: [{ text: 'birinci' }, { status: 502 }] }),
    });
    expect(await queued.json()).toEqual({ queued: 2 });
    const first = await post({ ...chat, store: false });
    expect(await first.json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'birinci' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
    expect((await post({ ...chat, store: false })).status).toBe(502);
    // Nothing queued and no tool fits "merhaba": the grounded model hands off.
    const third = (await (await post({ ...chat, store: false })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(third.choices[0]?.message.content).toBe(FAKE_OPENAI_HANDOFF);
    const recorded = (await (await fetch(`${fake.url}/dev/openai/requests`)).json()) as { requests: unknown[] };
    expect(recorded.requests).toHaveLength(3);
  });

  describe('grounded by default', () => {
    it('asks for the order tool, then answers by quoting what it returned', async () => {
      const question = ask('Siparişim #1042 ne zaman gelir?');
      const first = await model().complete(question);
      expect(first.finish).toBe('tool_calls');
      expect(first.toolCalls).toEqual([
        { id: expect.stringMatching(/^call_/), name: 'order_status', arguments: '{"orderName":"#1042"}' },
      ]);
      const call = first.toolCalls[0] as { id: string; name: string; arguments: string };
      const second = await model().complete({
        ...question,
        messages: [
          ...question.messages,
          { role: 'assistant', content: '', toolCalls: [call] },
          {
            role: 'tool',
            toolCallId: call.id,
            content: JSON.stringify({
              order: '#1042',
              status: 'Kargoda',
              tracking: 'https://kargo.example/T123',
              total: '1299.90 TRY',
            }),
          },
        ],
      });
      expect(second.finish).toBe('stop');
      expect(second.text).toBe('Kayıtlarımıza göre: #1042, Kargoda, https://kargo.example/T123, 1299.90 TRY');
    });

    it('asks for the customer orders without an order number, and the knowledge base for the return policy', async () => {
      expect((await model().complete(ask('kargom nerede'))).toolCalls.map((call) => call.name)).toEqual([
        'customer_orders',
      ]);
      const policy = await model().complete(ask('İade koşullarınız neler?'));
      expect(policy.toolCalls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
        ['search_knowledge', { query: 'İade koşullarınız neler?' }],
      ]);
    });

    it('answers HANDOFF when the tools found nothing', async () => {
      const question = ask('#9999 siparişim nerede?');
      const first = await model().complete(question);
      const call = first.toolCalls[0] as { id: string; name: string; arguments: string };
      const second = await model().complete({
        ...question,
        messages: [
          ...question.messages,
          { role: 'assistant', content: '', toolCalls: [call] },
          {
            role: 'tool',
            toolCallId: call.id,
            content: JSON.stringify({ found: false, message: 'no order of yours' }),
          },
        ],
      });
      expect(second).toMatchObject({ text: FAKE_OPENAI_HANDOFF, toolCalls: [], finish: 'stop' });
    });
  });

  describe('the final answer as structured output', () => {
    const answerFormat = { name: ANSWER_FORMAT_NAME, schema: ANSWER_SCHEMA };

    it('asks for the strict JSON schema beside the tools; the grounded model is sure of quoted tool results only', async () => {
      const question = { ...ask('Siparişim #1042 nerede?'), answerFormat };
      const first = await model().complete(question);
      expect(fake.state.requests[0]?.body?.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'customer_reply', schema: ANSWER_SCHEMA, strict: true },
      });
      const call = first.toolCalls[0] as { id: string; name: string; arguments: string };
      const answerFor = (content: unknown) =>
        model().complete({
          ...question,
          messages: [
            ...question.messages,
            { role: 'assistant', content: '', toolCalls: [call] },
            { role: 'tool', toolCallId: call.id, content: JSON.stringify(content) },
          ],
        });
      const quoted = await answerFor({ order: '#1042', status: 'Kargoda' });
      expect(JSON.parse(quoted.text ?? '')).toEqual({
        reply: 'Kayıtlarımıza göre: #1042, Kargoda',
        confidence: FAKE_OPENAI_CONFIDENCE.grounded,
      });
      const nothing = await answerFor({ found: false });
      expect(JSON.parse(nothing.text ?? '')).toEqual({
        reply: FAKE_OPENAI_HANDOFF,
        confidence: FAKE_OPENAI_CONFIDENCE.ungrounded,
      });
    });

    it('reads a refusal without its words, and leaves a request without the format in plain text', async () => {
      fake.script({ refusal: 'I cannot help with that request.' }, { text: 'Kargoda.', confidence: 0.2 });
      const refused = await model().complete({ ...ask('x'), answerFormat });
      expect(refused).toEqual(expect.objectContaining({ refused: true, toolCalls: [], finish: 'stop' }));
      expect(JSON.stringify(refused)).not.toContain('cannot help');
      const plain = await model().complete(ask('x'));
      expect(plain.text).toBe('Kargoda.');
      expect(fake.state.requests[1]?.body).not.toHaveProperty('response_format');
    });
  });
});
