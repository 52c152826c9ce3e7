import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/**
 * A fake of an OpenAI-compatible Chat Completions endpoint for the local stack and tests,
 * speaking OpenAI's real shapes: `POST /v1/chat/completions` with a Bearer key, answers with
 * `choices[0].message` (text or `tool_calls`), `finish_reason`, `usage` and an `x-request-id`
 * header, errors as `{ error: { message, type, param, code } }`.
 *
 * Stricter than OpenAI in one way, on purpose: a request without `store: false` is refused (400),
 * so a regression that would let the provider keep customers' messages fails every test.
 *
 * What it answers:
 * - Scripted: `POST /dev/openai/script` `{ answers: [...] }` queues the next answers, one per
 *   request (text, tool calls, or an error status, each optionally delayed): tests decide.
 * - Otherwise a deterministic "grounded" model: on a customer's question it calls the tools the
 *   request offers by keywords (orders, products, the knowledge base, a proposal), then answers
 *   only by quoting what those tools returned, and answers `HANDOFF` when they returned nothing
 *   or no tool fits.
 * - Structured output: when the request asks for `response_format: { type: 'json_schema' }`, the
 *   final answer is that JSON, `{"reply": …, "confidence": …}`: the grounded model is sure (0.9)
 *   of an answer quoted from tool results and unsure (0.1) of a `HANDOFF`; a scripted text gets
 *   its `confidence` (0.9 if unset), or goes out as written with `raw: true` (an endpoint that
 *   ignores the format, or broken JSON); `{ refusal }` declines as structured outputs do. Only a
 *   schema with a `reply` is filled in; without `response_format` answers are plain text.
 *
 * Every request is recorded (`GET /dev/openai/requests`) so tests assert what reached the model.
 * Local only: nothing in stacks/ or functions/ refers to it.
 */

/** The local stack's key: any other is refused with 401, as OpenAI would. */
export const LOCAL_OPENAI_API_KEY = 'sk-local-asistone-fake-openai-key';

/** What the grounded model answers when the business's data does not hold the answer. */
export const FAKE_OPENAI_HANDOFF = 'HANDOFF';
/** The grounded model's confidence in an answer quoted from tool results, and in a handoff. */
export const FAKE_OPENAI_CONFIDENCE = { grounded: 0.9, ungrounded: 0.1 } as const;

/** One scripted answer. */
export type FakeOpenAiAnswer = (
  | {
      text: string;
      finish?: 'stop' | 'length' | 'content_filter';
      /** Asked for structured output: the answer's confidence (0.9 unless set). */
      confidence?: number;
      /** The text as the message content even when structured output was asked for. */
      raw?: boolean;
    }
  | { toolCalls: { name: string; arguments: Record<string, unknown> | string; id?: string }[]; text?: string }
  /** The model declines, as structured outputs do: `message.refusal` with no content. */
  | { refusal: string }
  /** An error as OpenAI sends it; `code` e.g. `insufficient_quota` on a 429. */
  | { status: number; code?: string; message?: string }
) & {
  /** Wait this long before answering (a slow or hung provider). */
  delayMs?: number;
};

export interface FakeOpenAiRequest {
  at: number;
  /** The status the fake answered. */
  status: number;
  /** The request body as received (the fake's data is test data, never a real customer's). */
  body: ChatRequest | undefined;
}

export interface FakeOpenAiState {
  apiKey: string;
  script: FakeOpenAiAnswer[];
  requests: FakeOpenAiRequest[];
}

export interface FakeOpenAi {
  /** The server's root; the SDK's base URL is `${url}/v1`. */
  url: string;
  baseUrl: string;
  apiKey: string;
  state: FakeOpenAiState;
  /** Queues answers for the next requests. */
  script(...answers: FakeOpenAiAnswer[]): void;
  /** Forgets the script and the recorded requests. */
  reset(): void;
  stop(): Promise<void>;
}

/** The settings that point a process at this fake. */
export function fakeOpenAiEnvironment(fake: Pick<FakeOpenAi, 'baseUrl' | 'apiKey'>) {
  return { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: fake.apiKey };
}

interface ChatToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}
interface ChatMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: ChatToolCall[];
}
interface ChatTool {
  type?: string;
  function?: { name?: string; description?: string; parameters?: { properties?: Record<string, unknown> } };
}
interface ChatRequest {
  model?: unknown;
  messages?: ChatMessage[];
  tools?: ChatTool[];
  store?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown; strict?: unknown } };
}

/** Recorded requests kept (oldest dropped): a long `npm start` session must not grow without end. */
const MAX_RECORDED = 500;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'requests',
  500: 'server_error',
  502: 'server_error',
  503: 'server_error',
};

const requestId = () => `req_${randomBytes(16).toString('hex')}`;

function errorBody(status: number, message: string, code: string | null, param: string | null = null) {
  return { error: { message, type: ERROR_TYPES[status] ?? 'server_error', param, code } };
}

const text = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join(' ')
      : '';

/** Why a request is refused, as OpenAI words it (or the fake's own `store` rule). */
function invalid(
  body: ChatRequest | undefined,
): { message: string; param: string | null; code: string | null } | undefined {
  if (!body || typeof body !== 'object')
    return { message: 'We could not parse the JSON body of your request.', param: null, code: null };
  if (typeof body.model !== 'string' || body.model === '')
    return { message: 'you must provide a model parameter', param: 'model', code: null };
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { message: "Invalid 'messages': empty array.", param: 'messages', code: 'empty_array' };
  }
  if (body.store !== false) {
    return {
      message: "This endpoint keeps no responses: send 'store': false (the fake refuses any other value).",
      param: 'store',
      code: 'store_must_be_false',
    };
  }
  const format = body.response_format;
  if (format !== undefined) {
    if (!['text', 'json_object', 'json_schema'].includes(String(format?.type))) {
      return {
        message: "Invalid value for 'response_format.type'.",
        param: 'response_format.type',
        code: 'invalid_value',
      };
    }
    const schema = format.json_schema;
    if (format.type === 'json_schema' && (typeof schema?.name !== 'string' || !/^[\w-]{1,64}$/.test(schema.name))) {
      return {
        message: "Invalid 'response_format.json_schema.name': a-z, A-Z, 0-9, underscores and dashes, at most 64.",
        param: 'response_format.json_schema.name',
        code: 'invalid_value',
      };
    }
  }
  const offered = new Set<string>();
  for (const tool of body.tools ?? []) {
    if (tool.type !== 'function' || typeof tool.function?.name !== 'string') {
      return {
        message: "Invalid 'tools': each tool must be {type:'function', function:{name,...}}.",
        param: 'tools',
        code: null,
      };
    }
    offered.add(tool.function.name);
  }
  // As OpenAI: a tool message answers a call of the assistant message before it.
  const open = new Set<string>();
  for (const [index, message] of body.messages.entries()) {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(String(message.role))) {
      return {
        message: `Invalid value for 'messages[${index}].role'.`,
        param: `messages[${index}].role`,
        code: 'invalid_value',
      };
    }
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        if (call.id) open.add(call.id);
        if (call.function?.name && !offered.has(call.function.name) && offered.size > 0) {
          return { message: `Unknown tool '${call.function.name}'.`, param: `messages[${index}]`, code: null };
        }
      }
    }
    if (message.role === 'tool') {
      if (!message.tool_call_id || !open.has(message.tool_call_id)) {
        return {
          message:
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: `messages.[${index}].role`,
          code: null,
        };
      }
    }
  }
  return undefined;
}

/** Matching as Turkish customers type: lower-cased with Turkish rules, then without marks ("İade" = "iade"). */
const fold = (value: string) =>
  value
    .toLocaleLowerCase('tr-TR')
    .replace(/[ıiİ]/g, 'i')
    .replace(/ş/g, 's')
    .replace(/ç/g, 'c')
    .replace(/ğ/g, 'g')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u');

/** The keyword rules of the grounded model, over folded text (Turkish and English). */
const RULES = {
  propose:
    /\b(iptal|cancel|refund|para(?:mi)? iade|iade etmek|iade et|iade istiyorum|adres(?:imi)? degis|address change|change (?:my )?address|indirim yap|discount)/,
  knowledge:
    /(iade|return|kargo suresi|teslimat suresi|shipping time|degisim|exchange|acilis|opening|calisma saat|hours|garanti|warranty|politika|policy)/,
  orders: /(siparis|order|kargom|kargo(?! suresi)|takip|tracking|#\d+|paketim|package|teslim)/,
  products:
    /(fiyat|price|stok|stock|urun|product|beden|size|renk|colou?r|var mi|kac tl|how much|gomlek|elbise|ayakkab|pantolon|ceket|canta|shirt|dress|shoes)/,
};

function proposalKind(folded: string): string {
  if (/iptal|cancel/.test(folded)) return 'cancel';
  if (/adres|address/.test(folded)) return 'address_change';
  if (/indirim|discount/.test(folded)) return 'discount';
  return 'refund';
}

/** Arguments for an offered tool from its schema's property names. */
function argumentsFor(tool: ChatTool, question: string, values: Record<string, unknown>): string {
  const properties = Object.keys(tool.function?.parameters?.properties ?? {});
  const args: Record<string, unknown> = {};
  for (const property of properties) {
    if (property in values) args[property] = values[property];
    else if (/order/i.test(property)) args[property] = /#?\d{3,}/.exec(question)?.[0] ?? null;
    else args[property] = question.slice(0, 200);
  }
  return JSON.stringify(args);
}

/** The tools the grounded model calls for a question, among those offered. */
function plannedCalls(tools: readonly ChatTool[], question: string): ChatToolCall[] {
  const byName = new Map(tools.map((tool) => [tool.function?.name ?? '', tool]));
  const calls: ChatToolCall[] = [];
  const call = (name: string, values: Record<string, unknown> = {}) => {
    const tool = byName.get(name);
    if (!tool || calls.some((existing) => existing.function?.name === name)) return;
    calls.push({
      id: `call_${randomBytes(12).toString('hex')}`,
      type: 'function',
      function: { name, arguments: argumentsFor(tool, question, values) },
    });
  };
  const orderName = /#\d{3,}/.exec(question)?.[0];
  const folded = fold(question);
  if (RULES.propose.test(folded)) {
    call('propose_action', {
      kind: proposalKind(folded),
      ...(orderName && { orderName }),
      details: question.slice(0, 200),
    });
  } else if (RULES.knowledge.test(folded)) {
    call('search_knowledge', { query: question.slice(0, 200) });
  }
  if (RULES.orders.test(folded)) {
    if (orderName && byName.has('order_status')) call('order_status', { orderName });
    else call('customer_orders');
  }
  if (RULES.products.test(folded)) call('search_products', { query: question.slice(0, 200) });
  return calls;
}

/** The readable values of a tool's answer (strings and numbers), empty when it found nothing. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined || typeof value === 'boolean') return out;
  if (typeof value === 'string') {
    if (value.trim()) out.push(value.trim());
  } else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (typeof value === 'object') {
    if ((value as { found?: unknown }).found === false) return out;
    for (const [key, item] of Object.entries(value)) if (key !== 'found') leaves(item, out);
  }
  return out;
}

function toolFindings(content: string): string[] {
  try {
    return leaves(JSON.parse(content));
  } catch {
    return content.trim() ? [content.trim()] : [];
  }
}

const looksEnglish = (question: string) => /\b(the|my|where|what|when|how|is|are|do|does|can|please)\b/i.test(question);

interface FakeTurn {
  content: string | null;
  toolCalls: ChatToolCall[];
  /** For an answer (no tool calls): how sure the model is of it, sent when structured output is asked for. */
  confidence?: number;
}

/** The grounded model's next message: tool calls for a new question, or an answer quoting the tools. */
function groundedAnswer(body: ChatRequest): FakeTurn {
  const messages = body.messages ?? [];
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const question = lastUser >= 0 ? text(messages[lastUser]?.content) : '';
  const results = messages.slice(lastUser + 1).filter((message) => message.role === 'tool');
  const handoff = { content: FAKE_OPENAI_HANDOFF, toolCalls: [], confidence: FAKE_OPENAI_CONFIDENCE.ungrounded };
  if (results.length === 0) {
    const calls = plannedCalls(body.tools ?? [], question);
    return calls.length > 0 ? { content: null, toolCalls: calls } : handoff;
  }
  // Only what the tools returned, whole values only (a cut price would not match its record).
  const findings = results.flatMap((message) => toolFindings(text(message.content)));
  if (findings.length === 0) return handoff;
  const quoted: string[] = [];
  let length = 0;
  for (const finding of findings) {
    if (length + finding.length > 400) break;
    quoted.push(finding);
    length += finding.length + 2;
  }
  const lead = looksEnglish(question) ? 'From our records:' : 'Kayıtlarımıza göre:';
  return { content: `${lead} ${quoted.join(', ')}`, toolCalls: [], confidence: FAKE_OPENAI_CONFIDENCE.grounded };
}

/**
 * An answer's content as the request asked for it: the JSON of a schema with a `reply` (and a
 * `confidence` when the schema has one), or the text itself for any other request.
 */
function answerContent(body: ChatRequest, turn: FakeTurn, raw = false): string | null {
  if (turn.content === null || raw || body.response_format?.type !== 'json_schema') return turn.content;
  const schema = body.response_format.json_schema?.schema as { properties?: Record<string, unknown> } | undefined;
  const properties = schema?.properties ?? {};
  if (!('reply' in properties)) return turn.content;
  return JSON.stringify({
    reply: turn.content,
    ...('confidence' in properties && { confidence: turn.confidence ?? FAKE_OPENAI_CONFIDENCE.grounded }),
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The fake's routes, without a server (tests may mount it on their own). */
export function fakeOpenAiApp(state: FakeOpenAiState, now: () => number = Date.now): Hono {
  const app = new Hono();
  const record = (status: number, body: ChatRequest | undefined) => {
    state.requests.push({ at: now(), status, body });
    if (state.requests.length > MAX_RECORDED) state.requests.splice(0, state.requests.length - MAX_RECORDED);
  };

  app.post('/v1/chat/completions', async (c) => {
    const id = requestId();
    c.header('x-request-id', id);
    const body = (await c.req.json().catch(() => undefined)) as ChatRequest | undefined;
    const key = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (key !== state.apiKey) {
      record(401, body);
      return c.json(errorBody(401, 'Incorrect API key provided.', 'invalid_api_key'), 401);
    }
    const refusal = invalid(body);
    if (refusal || !body) {
      record(400, body);
      return c.json(
        errorBody(400, refusal?.message ?? 'Bad request', refusal?.code ?? null, refusal?.param ?? null),
        400,
      );
    }
    const scripted = state.script.shift();
    if (scripted?.delayMs) await sleep(scripted.delayMs, c.req.raw.signal);
    if (scripted && 'status' in scripted) {
      record(scripted.status, body);
      if (scripted.status === 429) c.header('retry-after-ms', '10');
      return c.json(
        errorBody(scripted.status, scripted.message ?? 'The fake was told to fail.', scripted.code ?? null),
        scripted.status as 400,
      );
    }
    let content: string | null;
    let toolCalls: ChatToolCall[];
    let finish: string;
    let refused: string | null = null;
    if (scripted && 'refusal' in scripted) {
      content = null;
      toolCalls = [];
      finish = 'stop';
      refused = scripted.refusal;
    } else if (scripted && 'toolCalls' in scripted) {
      content = scripted.text ?? null;
      toolCalls = scripted.toolCalls.map((call) => ({
        id: call.id ?? `call_${randomBytes(12).toString('hex')}`,
        type: 'function',
        function: {
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        },
      }));
      finish = 'tool_calls';
    } else if (scripted) {
      const turn = { content: scripted.text, toolCalls: [], confidence: scripted.confidence };
      content = answerContent(body, turn, scripted.raw);
      toolCalls = [];
      finish = scripted.finish ?? 'stop';
    } else {
      const recommendations = adsRecommendationAnswer(body);
      const turn = contentDraftAnswer(body) ?? groundedAnswer(body);
      content = recommendations ?? answerContent(body, turn);
      toolCalls = turn.toolCalls;
      finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    }
    record(200, body);
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.ceil(JSON.stringify({ content, toolCalls }).length / 4);
    c.header('openai-processing-ms', '12');
    return c.json({
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            refusal: refused,
            annotations: [],
            ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
          },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      service_tier: 'default',
      system_fingerprint: 'fp_asistone_fake',
    });
  });

  // For developers and tests: the script queue and what reached the model.
  app.post('/dev/openai/script', async (c: Context) => {
    const body = (await c.req.json().catch(() => undefined)) as { answers?: unknown } | undefined;
    if (!Array.isArray(body?.answers)) return c.json({ error: 'send { answers: [...] }' }, 400);
    state.script.push(...(body.answers as FakeOpenAiAnswer[]));
    return c.json({ queued: state.script.length });
  });
  app.delete('/dev/openai/script', (c) => {
    state.script.length = 0;
    return c.json({ queued: 0 });
  });
  app.get('/dev/openai/requests', (c) => c.json({ requests: state.requests }));
  app.delete('/dev/openai/requests', (c) => {
    state.requests.length = 0;
    return c.json({ requests: [] });
  });

  return app;
}

export function createFakeOpenAiState(options: { apiKey?: string } = {}): FakeOpenAiState {
  return { apiKey: options.apiKey ?? LOCAL_OPENAI_API_KEY, script: [], requests: [] };
}

/**
 * @example
 * const openai = await startFakeOpenAi();
 * const model = openAiModel({ baseUrl: openai.baseUrl, apiKey: openai.apiKey });
 * openai.script({ text: 'Merhaba' });
 */
export async function startFakeOpenAi(options: { port?: number; apiKey?: string } = {}): Promise<FakeOpenAi> {
  const state = createFakeOpenAiState(options);
  const app = fakeOpenAiApp(state);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    apiKey: state.apiKey,
    state,
    script: (...answers) => void state.script.push(...answers),
    reset() {
      state.script.length = 0;
      state.requests.length = 0;
    },
    stop: () =>
      new Promise<void>((done) => {
        // A scripted delay may still hold a connection: do not wait for it.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Content on request (core ai/content.ts): a request with no tools whose system message is the
 * marketing-copy prompt gets a draft built only from the product facts that prompt carries
 * (title, price with its currency, stock, the product's link), in the language it names, so
 * the draft passes the product's checks unless a test scripts an answer that should not.
 */
function contentDraftAnswer(body: ChatRequest): { content: string; toolCalls: [] } | undefined {
  if ((body.tools ?? []).length > 0) return undefined;
  const system = text(body.messages?.find((message) => message.role === 'system')?.content);
  if (!system.startsWith('You write marketing copy')) return undefined;
  const english = /^Language: en$/m.test(system);
  const factsLine = system.split('\n').at(-1) ?? '[]';
  let facts: {
    title?: string;
    variants?: { price?: string; currency?: string | null; inStock?: number }[];
    link?: string | null;
  }[];
  try {
    facts = JSON.parse(factsLine);
  } catch {
    facts = [];
  }
  const lines = facts.map((fact) => {
    const variant = fact.variants?.[0];
    const price = variant?.price ? `${variant.price}${variant.currency ? ` ${variant.currency}` : ''}` : '';
    const parts = english
      ? [
          `${fact.title}${price ? `, now ${price}` : ''}.`,
          variant?.inStock ? `${variant.inStock} in stock.` : '',
          fact.link ? `See it: ${fact.link}` : '',
        ]
      : [
          `${fact.title}${price ? ` şimdi ${price}` : ''}.`,
          variant?.inStock ? `Stokta ${variant.inStock} adet.` : '',
          fact.link ? `Hemen incele: ${fact.link}` : '',
        ];
    return parts.filter(Boolean).join(' ');
  });
  const lead = english ? 'New in our shop!' : 'Mağazamızda yeni sezon!';
  return { content: [lead, ...lines].join('\n'), toolCalls: [] };
}

/**
 * The ads page's recommendations (ads/recommendations.ts): a prompt that starts "You review Meta
 * ad performance" and ends with the table as one line of JSON gets, as the strict schema asks,
 * a budget shift from the row with the lowest ROAS to the one with the highest, and a pause for
 * a row that spent without a purchase, each citing the table's own figures, so the product's
 * check keeps them. JSON text, or undefined for any other request.
 */
function adsRecommendationAnswer(body: ChatRequest): string | undefined {
  const system = text(body.messages?.find((message) => message.role === 'system')?.content);
  if (!system.startsWith('You review Meta ad performance')) return undefined;
  type Row = { id: string; name: string; spend: string; roas: string | null; purchases: number };
  let table: { currency?: string; rows?: Row[] };
  try {
    table = JSON.parse(system.split('\n').at(-1) ?? '{}');
  } catch {
    table = {};
  }
  const rows = (table.rows ?? []).filter((row) => Number(row.spend) > 0);
  const byRoas = rows.filter((row) => row.roas !== null).sort((a, b) => Number(a.roas) - Number(b.roas));
  const recommendations: unknown[] = [];
  const low = byRoas[0];
  const high = byRoas.at(-1);
  if (low && high && low.id !== high.id) {
    recommendations.push({
      kind: 'budget-shift',
      title: `Bütçeyi ${low.name} kampanyasından ${high.name} kampanyasına kaydırın`,
      why: `${high.name} harcadığının ${high.roas} katını geri getiriyor, ${low.name} ise ${low.roas} katını.`,
      evidence: [
        { id: low.id, metric: 'roas', value: low.roas },
        { id: high.id, metric: 'roas', value: high.roas },
        { id: low.id, metric: 'spend', value: low.spend },
      ],
    });
  }
  const idle = rows.find((row) => row.purchases === 0);
  if (idle) {
    recommendations.push({
      kind: 'pause',
      title: `${idle.name} için duraklatmayı düşünün`,
      why: `${idle.spend} ${table.currency ?? ''} harcadı ve hiç satın alma getirmedi.`,
      evidence: [
        { id: idle.id, metric: 'spend', value: idle.spend },
        { id: idle.id, metric: 'purchases', value: String(idle.purchases) },
      ],
    });
  }
  return JSON.stringify({ recommendations });
}
