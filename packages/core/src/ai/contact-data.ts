import { conversationIdOf } from '../inbox/inbound.js';
import type { ContactData, ContactDataContext, ContactRows } from '../platform/area.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { AI_RECORDS } from './records.js';

/**
 * What the AI agent keeps about one contact, for the privacy engine's export and erasure: per
 * message it saw, the outcome and the sealed citations (`ai.replies`), and per conversation who
 * answers it (`ai.responders`, no personal data, erased with the rest). Found from the
 * conversation ids derived from the business's channels (inbox/inbound.ts conversationIdOf), so
 * it does not depend on the inbox's records, which the inbox may have erased first.
 */

const storeOf = (ctx: ContactDataContext) => ctx.storeOf({ ...AI_RECORDS, ...TENANCY_RECORDS });

async function conversationIds(ctx: ContactDataContext): Promise<string[]> {
  const { data } = await storeOf(ctx)
    .entities.channel.query.byTenant({ tenantId: ctx.tenantId })
    .go({ pages: 'all', attributes: ['kind', 'externalId'] });
  return [
    ...new Set(data.map((channel) => conversationIdOf(ctx.keys, channel.kind, channel.externalId, ctx.contactId))),
  ];
}

async function repliesOf(ctx: ContactDataContext, conversationId: string) {
  const { data } = await storeOf(ctx)
    .entities.aiReply.query.byConversation({ tenantId: ctx.tenantId, conversationId })
    .go({ pages: 'all' });
  return data;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

const replies: ContactData = {
  dataClass: 'ai.replies',
  async export(ctx) {
    const rows: Record<string, unknown>[] = [];
    for (const conversationId of await conversationIds(ctx)) {
      for (const reply of await repliesOf(ctx, conversationId)) {
        let citations: string | null = null;
        try {
          citations = reply.citations ? ctx.keys.open('aiReply', 'citations', reply.messageId, reply.citations) : null;
        } catch {
          citations = null;
        }
        rows.push({
          conversationId,
          messageId: reply.messageId,
          state: reply.state,
          reason: reply.reason ?? null,
          agentVersion: reply.agentVersion ?? null,
          replyMessageId: reply.replyMessageId ?? null,
          ticketId: reply.ticketId ?? null,
          citations,
          createdAt: iso(reply.createdAt),
        });
      }
    }
    // A contact the agent never saw has no section (no empty file in their archive).
    const section: ContactRows = rows.length > 0 ? { ai_replies: rows } : {};
    return section;
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    let items = 0;
    for (const conversationId of await conversationIds(ctx)) {
      for (const reply of await repliesOf(ctx, conversationId)) {
        await store.entities.aiReply
          .delete({ tenantId: ctx.tenantId, conversationId, messageId: reply.messageId })
          .go();
        items++;
      }
      const responder = await store.entities.aiResponder.get({ tenantId: ctx.tenantId, conversationId }).go();
      if (responder.data) {
        await store.entities.aiResponder.delete({ tenantId: ctx.tenantId, conversationId }).go();
        items++;
      }
    }
    return { items, objects: 0 };
  },
};

export const AI_CONTACT_DATA: ContactData[] = [replies];
