import * as z from 'zod';
import type { Access } from '../platform/access.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * A customer's message the agent may answer: only ids; the message, its conversation and the
 * settings in force are read by the worker, so nothing personal travels through the queue.
 */
export const AiReplyRequest = z.object({
  tenantId: z.string().min(1).max(64),
  conversationId: z.string().min(1).max(64),
  messageId: z.string().min(1).max(64),
});
export type AiReplyRequest = z.infer<typeof AiReplyRequest>;

/**
 * The inference step, off the channel consumers: a slow or failing model never holds up storing
 * Meta's deliveries, and each inbound message is answered (or handed off) once, on its own.
 */
export const AI_REPLIES_QUEUE = {
  name: 'ai-replies',
  description: "Customers' messages for the AI agent to answer from the business's data, or hand to a person",
  message: AiReplyRequest,
  // Six times the consumer's timeout; a claim left by a stopped worker is taken over after its lease (agent.ts).
  visibilityTimeoutSeconds: 720,
  batchSize: 1,
  maxReceiveCount: 4,
  consumer: {
    description:
      'Answers one inbound message with the AI agent (tools over the business data, checked draft) or hands the conversation to a person with a ticket',
    handler: 'functions/workers/ai-replies.handler',
    // Up to 4 model turns of at most 2 × 20 s (one retry) each, plus the store's reads.
    timeoutSeconds: 120,
    // Reads the settings, the conversation and its messages, the contact's restriction, the
    // Shopify local copy (the product search reads its hits in one BatchGetItem) and the
    // knowledge base (tools); writes the claim and outcome per message, the responder state, the
    // reply (message + request) and the ticket; opens and seals fields; queues the reply to `outbound`.
    access: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['outbound'],
    },
    settings: { secrets: ['OPENAI_API_KEY'], modelEndpoint: true },
  },
} as const satisfies QueueDeclaration;

/** What the channel consumers (Meta's worker, the sandbox route) add to their access to hand messages to the agent. */
export const AI_REPLIES_SENDER_ACCESS = { sends: ['ai-replies'] } as const satisfies Access;

/**
 * The hook the channels call for every customer message recorded (Meta's worker, the sandbox
 * route), redeliveries too: the worker answers each message once whatever it is handed.
 */
export function aiReplyRequestOf(
  message: { tenantId: string },
  recorded: { conversationId: string; messageId: string },
): AiReplyRequest {
  return { tenantId: message.tenantId, conversationId: recorded.conversationId, messageId: recorded.messageId };
}
