import * as z from 'zod';

/**
 * The AI agent in a conversation (docs/ai-agent.md): who answers it now. After a handoff the
 * agent stays silent until a person hands the conversation back (`POST …/ai/resume`).
 */

export const AI_HANDOFF_REASONS = [
  'person-requested',
  'anger',
  'sensitive-topic',
  'forbidden-topic',
  'model-hand-off',
  'action-proposed',
  'not-in-data',
  'check-failed',
  'model-unavailable',
  'model-stopped',
  'person-replied',
  'low-confidence',
  'plan-limit',
] as const;

/** `GET …/conversations/:conversationId/ai` and the answer of `POST …/ai/resume`. */
export const conversationResponderAnswer = z.object({
  responder: z.enum(['agent', 'people']),
  /** Why it went to people (one of AI_HANDOFF_REASONS; an unknown code reads as-is). */
  reason: z.string().optional(),
  ticketId: z.string().optional(),
  /** ISO */
  handedOffAt: z.string().optional(),
  /** ISO: when a person last handed it back. */
  resumedAt: z.string().optional(),
});
export type ConversationResponder = z.infer<typeof conversationResponderAnswer>;
