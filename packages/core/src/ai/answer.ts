/**
 * The agent's final answer in structured form: the model is asked (Chat Completions
 * `response_format: json_schema`, strict) for the reply to the customer and how sure it is that
 * the reply is supported by its tool results. The merchant's `handoff.minConfidence` is compared
 * with that number: below it, a person answers instead.
 *
 * An OpenAI-compatible endpoint may ignore `response_format` and answer in plain text: that text
 * is the reply, with no confidence, so the low-confidence rule cannot fire there (every other
 * guardrail still does). A reply that starts as JSON but is not the requested object is never
 * sent: it may be half an answer, or the raw JSON would reach the customer.
 */

/** The name the schema is sent under (a-z, 0-9, `_`, `-`; at most 64). */
export const ANSWER_FORMAT_NAME = 'customer_reply';

/** Strict form: every property required, no other property (as the tools' schemas). */
export const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    reply: {
      type: 'string',
      description:
        'The message to the customer, only from your tool results; exactly HANDOFF when they do not answer the question.',
    },
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description:
        'How sure you are that the reply is fully supported by your tool results: 0 = a guess, 1 = stated word for word in them.',
    },
  },
  required: ['reply', 'confidence'],
  additionalProperties: false,
} as const;

export type ParsedAnswer =
  /** `confidence` is absent when the endpoint answered in plain text. */
  | { kind: 'reply'; reply: string; confidence?: number }
  /** JSON that is not the requested object, or nothing at all: handed to a person. */
  | { kind: 'malformed'; detail: string };

/** A JSON object, bare or in a ```json fence (what a model prompted for JSON without the format tends to write). */
const JSON_LIKE = /^\s*(?:```(?:json)?\s*)?\{/i;
const FENCE = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i;

/**
 * The model's final text, read as the structured answer when it looks like JSON, otherwise as a
 * plain-text reply. The result never carries the malformed text itself (it goes nowhere).
 *
 * @example
 * parseAnswer('{"reply":"Kargoda.","confidence":0.9}') // { kind: 'reply', reply: 'Kargoda.', confidence: 0.9 }
 * parseAnswer('Kargoda.')                              // { kind: 'reply', reply: 'Kargoda.' }
 * parseAnswer('{"reply":"Kargo')                       // { kind: 'malformed', detail: 'not JSON' }
 */
export function parseAnswer(text: string | undefined): ParsedAnswer {
  const content = text?.trim() ?? '';
  if (!content) return { kind: 'malformed', detail: 'empty answer' };
  if (!JSON_LIKE.test(content)) return { kind: 'reply', reply: content };
  let value: unknown;
  try {
    value = JSON.parse(FENCE.exec(content)?.[1] ?? content);
  } catch {
    return { kind: 'malformed', detail: 'not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'malformed', detail: 'not an object' };
  const { reply, confidence } = value as Record<string, unknown>;
  if (typeof reply !== 'string' || !reply.trim()) return { kind: 'malformed', detail: 'no reply' };
  // The schema requires it: a missing or impossible number is not read as "sure".
  if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    return { kind: 'malformed', detail: 'no valid confidence' };
  }
  return { kind: 'reply', reply: reply.trim(), confidence };
}
