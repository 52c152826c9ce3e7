import type { AI_HANDOFF_REASONS } from '@asistone/contract/ai-thread';
import type { InboxDeps } from '../inbox/conversations.js';
import { findConversation } from '../inbox/conversations.js';
import { addNote } from '../inbox/notes.js';
import type { InboxStore } from '../inbox/records.js';
import { queueReply, type ReplyDeps, WindowClosedError } from '../inbox/replies.js';
import { openTicket } from '../inbox/tickets.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { AI_RECORDS } from './records.js';

/**
 * Handing a conversation to people: the agent never improvises. It opens a ticket with the
 * reason and a short summary (and the proposal, when the customer asked for something only a
 * person may do), tells the customer a person will answer, and marks the conversation as
 * people's: it stays silent there until a person hands it back (`resumeAgent`). One responder
 * at a time.
 */

/** Why the agent handed over: codes stored on the records, explained to the team in the ticket. */
export type HandoffReason =
  | 'person-requested'
  | 'anger'
  | 'sensitive-topic'
  | 'forbidden-topic'
  | 'model-hand-off'
  | 'action-proposed'
  | 'not-in-data'
  | 'check-failed'
  | 'model-unavailable'
  | 'model-stopped'
  /** The model said it was less sure of its answer than the merchant's `handoff.minConfidence`. */
  | 'low-confidence'
  /** The plan's AI replies for the month are used up (billing/usage.ts): people answer until it renews. */
  | 'plan-limit';

/**
 * Every reason is one the app can say (contract AI_HANDOFF_REASONS): a reason added here and not
 * there fails to compile instead of reading as "a person should answer".
 */
export const HANDOFF_REASONS_ARE_KNOWN: HandoffReason extends (typeof AI_HANDOFF_REASONS)[number] ? true : never = true;

/** The author id of every message the agent writes (the thread shows them as AI-written). */
export const AI_AUTHOR = 'ai';

export type AiInboxStore = InboxStore & Store<typeof AI_RECORDS>;
export type AiStore = Store<typeof AI_RECORDS>;

export interface HandoffDeps extends ReplyDeps {
  aiStore: AiStore;
}

const REASON_TEXT: Record<HandoffReason, { tr: string; en: string }> = {
  'person-requested': { tr: 'Müşteri bir kişiyle görüşmek istedi', en: 'The customer asked for a person' },
  anger: { tr: 'Müşteri sinirli görünüyor', en: 'The customer seems upset' },
  'sensitive-topic': { tr: 'Hassas konu', en: 'Sensitive topic' },
  'forbidden-topic': { tr: 'Asistanın konuşmadığı bir konu', en: 'A topic the agent does not discuss' },
  'model-hand-off': { tr: 'Asistan bir kişiye devretti', en: 'The agent handed over' },
  'action-proposed': { tr: 'Onay bekleyen işlem önerisi', en: 'An action awaiting approval' },
  'not-in-data': { tr: 'Cevap işletmenin verisinde yok', en: "The answer is not in the business's data" },
  'check-failed': { tr: 'Taslak cevap kontrolden geçmedi', en: 'The draft answer failed a check' },
  'model-unavailable': { tr: 'Yapay zekâ servisine ulaşılamadı', en: 'The AI service could not be reached' },
  'model-stopped': { tr: 'Yapay zekâ cevabı tamamlanamadı', en: 'The AI answer could not be completed' },
  'low-confidence': {
    tr: 'Asistan cevabından yeterince emin değil',
    en: 'The agent was not sure enough of its answer',
  },
  'plan-limit': {
    tr: 'Planın bu ayki yapay zekâ cevapları bitti',
    en: "The plan's AI replies for this month are used up",
  },
};

/** What the customer is told, in their language. */
export const HANDOFF_NOTICE = {
  tr: 'Sorunuzu ekibimize ilettim; bir temsilcimiz en kısa sürede size buradan cevap verecek.',
  en: "I've passed your question to our team; a person will answer you here shortly.",
} as const;

export interface Handoff {
  tenantId: string;
  conversationId: string;
  /** The inbound message that led to it: the handoff is done once for it, retries finish it. */
  messageId: string;
  reason: HandoffReason;
  /** The check or the model's own words, short and without personal data (`detail` of a check). */
  detail?: string;
  /** The customer's recent words, for the team (sealed in the ticket and the note). */
  summary: string;
  proposal?: { kind: string; orderName?: string; details?: string };
  language: 'tr' | 'en';
}

export interface HandoffOutcome {
  ticketId?: string;
  noticeMessageId?: string;
  /** False when another message's handoff had already taken the conversation. */
  handedOff: boolean;
}

export async function responderOf(store: AiStore, tenantId: string, conversationId: string) {
  return (await store.entities.aiResponder.get({ tenantId, conversationId }).go({ consistent: true })).data;
}

function ticketTitle(handoff: Handoff): string {
  const reason = REASON_TEXT[handoff.reason][handoff.language];
  const proposal = handoff.proposal
    ? ` — ${handoff.proposal.kind}${handoff.proposal.orderName ? ` ${handoff.proposal.orderName}` : ''}`
    : '';
  const summary = handoff.summary.replace(/\s+/g, ' ').trim().slice(0, 80);
  return `AI: ${reason}${proposal}${summary ? `: "${summary}"` : ''}`.slice(0, 200);
}

function noteText(handoff: Handoff): string {
  const lines = [
    `${handoff.language === 'tr' ? 'Devir nedeni' : 'Handoff reason'}: ${REASON_TEXT[handoff.reason][handoff.language]} (${handoff.reason}${handoff.detail ? `: ${handoff.detail}` : ''})`,
  ];
  if (handoff.proposal) {
    lines.push(
      `${handoff.language === 'tr' ? 'Öneri (onay bekliyor, hiçbir şey değiştirilmedi)' : 'Proposal (awaiting approval, nothing was changed)'}: ${handoff.proposal.kind}${handoff.proposal.orderName ? ` ${handoff.proposal.orderName}` : ''}${handoff.proposal.details ? ` — ${handoff.proposal.details}` : ''}`,
    );
  }
  lines.push(
    `${handoff.language === 'tr' ? 'Müşterinin son mesajları' : "The customer's last messages"}: ${handoff.summary.slice(0, 1000)}`,
  );
  return lines.join('\n');
}

/**
 * Hands the conversation to people, once per inbound message: the responder is flipped first
 * (conditionally, so two messages racing hand over once), then the ticket, then the notice to
 * the customer (a reply keyed by the message: sent once however often this runs). A retry after
 * a stop finds its own flip and completes what is missing.
 */
export async function handOff(deps: HandoffDeps, handoff: Handoff): Promise<HandoffOutcome> {
  const { tenantId, conversationId, messageId } = handoff;
  const now = Date.now();
  try {
    await deps.aiStore.entities.aiResponder
      .upsert({
        tenantId,
        conversationId,
        responder: 'people',
        reason: handoff.reason,
        handoffMessageId: messageId,
        handedOffAt: now,
      })
      .where(
        ({ responder, handoffMessageId }, { eq, notExists }) =>
          `${notExists(responder)} OR ${eq(responder, 'agent')} OR ${eq(handoffMessageId, messageId)}`,
      )
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { handedOff: false };
  }

  const current = await responderOf(deps.aiStore, tenantId, conversationId);
  let ticketId = current?.handoffMessageId === messageId ? current.ticketId : undefined;
  if (!ticketId) {
    const ticket = await openTicket(deps, tenantId, conversationId, {
      title: ticketTitle(handoff),
      openedBy: { kind: 'ai', id: AI_AUTHOR },
    });
    ticketId = ticket.id;
    await addNote(deps, tenantId, conversationId, AI_AUTHOR, noteText(handoff));
    await deps.aiStore.entities.aiResponder.patch({ tenantId, conversationId }).set({ ticketId }).go();
  }

  let noticeMessageId: string | undefined;
  try {
    const { message } = await queueReply(deps, tenantId, conversationId, AI_AUTHOR, {
      kind: 'text',
      text: HANDOFF_NOTICE[handoff.language],
      clientId: `ai-handoff-${messageId}`,
    });
    noticeMessageId = message.id;
  } catch (error) {
    // The window closed meanwhile: the ticket still tells the team; only a template could reach the customer now.
    if (!(error instanceof WindowClosedError)) throw error;
  }
  return { ticketId, ...(noticeMessageId && { noticeMessageId }), handedOff: true };
}

/**
 * A person hands the conversation back to the agent: it answers the customer's next messages
 * again (what was said meanwhile stays with the people who read it). Another business's
 * conversation reads as not found.
 */
export async function resumeAgent(
  deps: InboxDeps & { aiStore: AiStore },
  tenantId: string,
  conversationId: string,
  actorId: string,
): Promise<{ responder: 'agent'; resumedAt: string }> {
  await findConversation(deps.store, tenantId, conversationId);
  const resumedAt = Date.now();
  // A whole new item: the last handoff's reason, message and ticket go (the ticket stays open
  // in the inbox), so the next handoff opens its own ticket.
  await deps.aiStore.entities.aiResponder
    .put({ tenantId, conversationId, responder: 'agent', resumedAt, resumedBy: actorId })
    .go();
  return { responder: 'agent', resumedAt: new Date(resumedAt).toISOString() };
}
