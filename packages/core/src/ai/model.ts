import type OpenAI from 'openai';
import type { ProviderDeclaration } from '../platform/area.js';
import { ConfigError } from '../platform/errors.js';
import { providerRefused } from '../platform/provider-refusals.js';

/**
 * The language model behind the agent, through the official `openai` SDK (Chat Completions with
 * function tools), which also speaks to any OpenAI-compatible endpoint: the deployment picks the
 * base URL. Every call says `store: false` (the content is for this answer only, never kept or
 * trained on), waits at most 20 s and retries once: a customer waiting on WhatsApp is better
 * served by a person than by a minute of retries. Every failure is a `ModelUnavailableError`
 * with a reason and no content, and the agent hands the conversation to a person.
 */

export interface ModelToolCall {
  id: string;
  name: string;
  /** JSON, as the model wrote it: the tool parses and validates it. */
  arguments: string;
}

export interface ModelMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** On a `tool` message: the call it answers. */
  toolCallId?: string;
  /** On an `assistant` message: the calls it made (sent back with their answers). */
  toolCalls?: ModelToolCall[];
}

export interface ModelTool {
  name: string;
  description: string;
  /** JSON Schema in strict form: every property required, `additionalProperties: false`. */
  parameters: object;
}

export interface ModelTurn {
  text?: string;
  toolCalls: ModelToolCall[];
  finish: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  /** The model declined (structured outputs' `message.refusal`); its words are not kept. */
  refused?: boolean;
  /** The provider's `x-request-id`, for support cases (never content). */
  requestId?: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface AgentModel {
  complete(input: {
    model: string;
    messages: ModelMessage[];
    tools: ModelTool[];
    maxTokens: number;
    /**
     * The final answer as JSON of this schema (strict structured output), beside the tools. An
     * OpenAI-compatible endpoint may ignore it and answer in plain text: callers read both.
     */
    answerFormat?: { name: string; schema: object };
  }): Promise<ModelTurn>;
}

/** Why the model gave no answer: what the operator needs, never what was asked. */
export type ModelFailure =
  /** No answer within the timeout, retries included. */
  | 'timeout'
  /** The endpoint could not be reached. */
  | 'unreachable'
  /** 5xx after the retry. */
  | 'provider-error'
  /** 429 for rate: tokens or requests per minute. */
  | 'rate-limited'
  /** 429 `insufficient_quota`: the account is out of credit, retrying does not help. */
  | 'quota'
  /** 401/403: the key is wrong or lacks access (a deployment problem). */
  | 'credentials'
  /** 400/404/422: the request was refused (unknown model, bad schema): our problem, not the customer's. */
  | 'rejected'
  /** A 2xx whose body is not a chat completion. */
  | 'malformed';

/** The model gave no usable answer. The agent hands the conversation to a person. */
export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
  constructor(
    readonly reason: ModelFailure,
    readonly status?: number,
    readonly requestId?: string,
  ) {
    super(`model unavailable: ${reason}${status ? ` (HTTP ${status})` : ''}`);
  }
}

export interface OpenAiModelSettings {
  /** Including `/v1`, e.g. `https://api.openai.com/v1`; always passed to the SDK (see below). */
  baseUrl: string;
  apiKey: string;
  /** Per attempt; default 20 s. */
  timeoutMs?: number;
  /** Default 1 (the SDK's own default is 2); at most 2. */
  maxRetries?: number;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_RETRIES = 1;

/**
 * Where the model is and its key: `OPENAI_BASE_URL` (any OpenAI-compatible endpoint; OpenAI's
 * own by default) and the `OPENAI_API_KEY` secret, which only the ai-replies and ai-content workers read. On the
 * local stage the base URL is required, so the local stack never reaches a real provider.
 *
 * @example
 * const model = openAiModel(openAiSettings(await withSecrets(process.env)));
 */
export function openAiSettings(env: Record<string, string | undefined>): OpenAiModelSettings {
  const apiKey = env.OPENAI_API_KEY || undefined;
  if (!apiKey) throw new ConfigError('invalid configuration: OPENAI_API_KEY is not set');
  const configured = env.OPENAI_BASE_URL || undefined;
  if (!configured && env.STAGE === 'local') {
    throw new ConfigError('invalid configuration: OPENAI_BASE_URL (the fake OpenAI) is required on the local stage');
  }
  const baseUrl = (configured ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new ConfigError('invalid configuration: OPENAI_BASE_URL must be an http(s) URL');
  }
  return { baseUrl, apiKey };
}

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function toChatMessage(message: ModelMessage): ChatMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      if (!message.toolCallId) throw new TypeError('a tool message needs the id of the call it answers');
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        content: message.content || null,
        ...(calls.length > 0 && {
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
      };
    }
  }
}

const FINISHES = new Set(['stop', 'tool_calls', 'length', 'content_filter']);

/** The AI model's provider, as the ai area declares it for its alarms. */
export const OPENAI_PROVIDER = {
  name: 'openai',
  auth: 'OpenAI refused our key or our account is out of credit: AI agents hand every conversation to people',
  rateLimit: 'OpenAI is rate limiting us: AI replies wait and are retried, or hand off',
} as const satisfies ProviderDeclaration;

/** Counts a refused key, an exhausted account or a rate limit, once per failed call. */
function counted(error: ModelUnavailableError): ModelUnavailableError {
  const detail = { status: error.status, operation: 'chat-completion' };
  if (error.reason === 'credentials' || error.reason === 'quota') providerRefused(OPENAI_PROVIDER, 'auth', detail);
  if (error.reason === 'rate-limited') providerRefused(OPENAI_PROVIDER, 'rate-limit', detail);
  return error;
}

/** Chat Completions' error classes → why, with the provider's message left out (it may echo content). */
async function classify(error: unknown): Promise<ModelUnavailableError> {
  const sdk = await import('openai');
  if (error instanceof sdk.APIConnectionTimeoutError) return new ModelUnavailableError('timeout');
  if (error instanceof sdk.APIConnectionError) return new ModelUnavailableError('unreachable');
  if (error instanceof sdk.APIError) {
    const status = error.status;
    const requestId = error.requestID ?? undefined;
    if (status === 429) {
      const quota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
      return new ModelUnavailableError(quota ? 'quota' : 'rate-limited', status, requestId);
    }
    if (status === 401 || status === 403) return new ModelUnavailableError('credentials', status, requestId);
    if (status !== undefined && status >= 500) return new ModelUnavailableError('provider-error', status, requestId);
    // 408 and 409 are retried by the SDK; what is left is a refusal of the request itself.
    return new ModelUnavailableError(status === 408 ? 'timeout' : 'rejected', status, requestId);
  }
  throw error;
}

/**
 * The agent's model over the official SDK.
 *
 * The SDK is loaded on the first call, not with this module: it is a large library and only
 * the ai-replies worker calls it, so no other bundle's cold start compiles it.
 *
 * @example
 * const model = openAiModel({ baseUrl: 'https://api.openai.com/v1', apiKey });
 * const turn = await model.complete({ model: 'gpt-4.1-mini', messages, tools, maxTokens: 400 });
 */
export function openAiModel(settings: OpenAiModelSettings): AgentModel {
  let client: Promise<OpenAI> | undefined;
  const connect = async () => {
    const { OpenAI: Client } = await import('openai');
    return new Client({
      apiKey: settings.apiKey,
      // Always explicit: left out, the SDK takes OPENAI_BASE_URL from the environment, which may
      // point anywhere (a developer's shell, another tool's setting).
      baseURL: settings.baseUrl,
      // Nor organization or project headers from the environment.
      organization: null,
      project: null,
      timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: Math.min(Math.max(settings.maxRetries ?? DEFAULT_MAX_RETRIES, 0), 2),
      // OPENAI_LOG=debug would log request bodies, which hold customers' messages.
      logLevel: 'off',
    });
  };
  return {
    async complete(input) {
      client ??= connect();
      const sdk = await client;
      let completion: OpenAI.Chat.Completions.ChatCompletion & { _request_id?: string | null };
      try {
        completion = await sdk.chat.completions.create({
          model: input.model,
          messages: input.messages.map(toChatMessage),
          ...(input.tools.length > 0 && {
            tools: input.tools.map((tool) => ({
              type: 'function' as const,
              function: {
                name: tool.name,
                description: tool.description,
                parameters: tool.parameters as Record<string, unknown>,
                strict: true,
              },
            })),
          }),
          ...(input.answerFormat && {
            response_format: {
              type: 'json_schema' as const,
              json_schema: {
                name: input.answerFormat.name,
                schema: input.answerFormat.schema as Record<string, unknown>,
                strict: true,
              },
            },
          }),
          max_completion_tokens: input.maxTokens,
          // Response storage off on every call: the content is used for this answer only.
          store: false,
        });
      } catch (error) {
        throw counted(await classify(error));
      }
      const requestId = completion._request_id ?? undefined;
      const choice = completion.choices?.[0];
      if (!choice?.message) throw new ModelUnavailableError('malformed', undefined, requestId);
      const toolCalls = (choice.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
      );
      const reported = String(choice.finish_reason);
      // `function_call` is the legacy name of a tool call; anything unknown is treated as a stop.
      const finish = (
        reported === 'function_call' ? 'tool_calls' : FINISHES.has(reported) ? reported : 'stop'
      ) as ModelTurn['finish'];
      const text = choice.message.content ?? undefined;
      const refused = typeof choice.message.refusal === 'string' && choice.message.refusal !== '';
      return {
        ...(text !== undefined && text !== '' && { text }),
        ...(refused && { refused }),
        toolCalls,
        finish: toolCalls.length > 0 && finish === 'stop' ? 'tool_calls' : finish,
        ...(requestId && { requestId }),
        ...(completion.usage && {
          usage: { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens },
        }),
      };
    },
  };
}
