import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * A draft asked for and kept `writing`: only ids; the brief (sealed), the chosen products and the
 * guardrails in force are read by the worker, so nothing personal travels through the queue.
 */
export const AiContentRequest = z.object({
  tenantId: z.string().min(1).max(64),
  draftId: z.string().min(1).max(64),
});
export type AiContentRequest = z.infer<typeof AiContentRequest>;

/** The worker's time: one model call of at most 2 × 20 s (one retry), plus the store's reads and writes. */
export const AI_CONTENT_TIMEOUT_SECONDS = 60;

/**
 * Content on request's inference step (docs/ai-agent.md), off the API like the agent's: the API
 * answers at once, carries no model client and reads no model key, and a slow model holds no
 * request open. Each draft is written once whatever the queue delivers (content-writing.ts).
 */
export const AI_CONTENT_QUEUE = {
  name: 'ai-content',
  description: 'Drafts of campaign messages and ad texts a person asked for, for the AI to write',
  message: AiContentRequest,
  // Six times the consumer's timeout.
  visibilityTimeoutSeconds: 6 * AI_CONTENT_TIMEOUT_SECONDS,
  batchSize: 1,
  maxReceiveCount: 4,
  consumer: {
    description:
      'Writes one requested draft with the AI model from its brief and chosen products, checks it, and keeps it awaiting review (or failed, with its reason)',
    handler: 'functions/workers/ai-content.handler',
    timeoutSeconds: AI_CONTENT_TIMEOUT_SECONDS,
    // Reads the draft, the agent's settings in force (Query), the chosen products (one GetItem
    // each, at most five: no batch read) with their stock, the shop's domains and currency
    // (Query); claims and writes the draft and gives the hour's slot back on a failure
    // (UpdateItem); opens the brief and seals the text.
    access: {
      table: ['GetItem', 'Query', 'UpdateItem'],
      tenantKeys: ['Decrypt'],
    },
    settings: { secrets: ['OPENAI_API_KEY'], modelEndpoint: true },
  },
} as const satisfies QueueDeclaration;
