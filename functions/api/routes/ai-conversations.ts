import { conversationResponderAnswer } from '@asistone/contract/ai-thread';
import { responderOf, resumeAgent } from '@asistone/core/ai/handoff';
import { AI_RECORDS } from '@asistone/core/ai/records';
import { findConversation } from '@asistone/core/inbox/conversations';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/** The AI agent in one conversation: who answers it, and handing it back to the agent after a handoff. */

const deps = once(async () => {
  const { storeOf, keyring } = platform();
  const store = storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AI_RECORDS });
  return { store, aiStore: store, keyring };
});

const PATH = '/businesses/:tenantId/conversations/:conversationId/ai';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

export const aiConversationRoutes = [
  defineRoute({
    method: 'get',
    path: PATH,
    access: 'conversations.read',
    summary: 'Who answers this conversation now: the AI agent, or people after a handoff (with the reason and ticket)',
    answers: { 200: { description: 'The responder', schema: conversationResponderAnswer } },
    async handle({ c, business, params }) {
      const { store, aiStore } = await deps();
      const conversationId = params.conversationId ?? '';
      await findConversation(store, business.tenantId, conversationId);
      const state = await responderOf(aiStore, business.tenantId, conversationId);
      const handedOffAt = iso(state?.handedOffAt);
      const resumedAt = iso(state?.resumedAt);
      return c.json({
        responder: state?.responder ?? 'agent',
        ...(state?.responder === 'people' && state.reason && { reason: state.reason }),
        ...(state?.responder === 'people' && state.ticketId && { ticketId: state.ticketId }),
        ...(handedOffAt && { handedOffAt }),
        ...(resumedAt && { resumedAt }),
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${PATH}/resume`,
    access: 'conversations.reply',
    summary: "Hand the conversation back to the AI agent: it answers the customer's next messages again",
    answers: { 200: { description: 'The agent answers again', schema: conversationResponderAnswer } },
    async handle({ c, business, caller, params }) {
      const resumed = await resumeAgent(await deps(), business.tenantId, params.conversationId ?? '', caller.userId);
      return c.json(resumed);
    },
  }),
];
