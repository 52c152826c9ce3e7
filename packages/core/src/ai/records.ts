import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * The inference step's records, in the business's partition (`t#<tenant>`):
 * - the responder of each conversation (the agent, or people after a handoff until a person
 *   hands it back): one item per conversation the agent has acted in;
 * - one item per inbound message the agent saw, created before anything else (the conditional
 *   create is what makes each message answered at most once however often it is delivered),
 *   then holding the outcome: answered (with the reply and its citations), handed off (with the
 *   ticket), or silent with the reason.
 * The citations and the handoff summary name the customer's orders and repeat their words:
 * sealed with the tenant key like the messages they belong to.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const AI_REPLY_STATES = ['claimed', 'answered', 'handed-off', 'silent'] as const;
export type AiReplyState = (typeof AI_REPLY_STATES)[number];

export const AiResponderRecord = new Entity({
  model: { entity: 'aiResponder', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    conversationId: { type: 'string', required: true, readOnly: true },
    /** Who answers: the agent, or people (the agent stays silent until a person hands it back). */
    responder: { type: ['agent', 'people'] as const, required: true },
    /** Why it went to people (a handoff reason code, or `person-replied`): not personal. */
    reason: { type: 'string' },
    /** The inbound message whose handoff this is: its retry finishes the same handoff. */
    handoffMessageId: { type: 'string' },
    ticketId: { type: 'string' },
    handedOffAt: { type: 'number' },
    /** When a person handed it back, and who (account id): the agent answers again after this. */
    resumedAt: { type: 'number' },
    resumedBy: { type: 'string' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byConversation: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['conversationId'], template: 'airesponder#${conversationId}', casing: 'none' },
    },
  },
});

export const AiReplyRecord = new Entity({
  model: { entity: 'aiReply', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** The inbound message answered (inbox message id). */
    messageId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    state: { type: AI_REPLY_STATES, required: true },
    /** Why it was silent or handed off (a code such as `agent-off`, `not-in-data`): not personal. */
    reason: { type: 'string' },
    /** The settings version in force when it was answered (absent when an unsaved draft was being tried). */
    agentVersion: { type: 'number' },
    /** Set when a trial in the sandbox simulator answered: of the version in force, or of a draft (ai/trial.ts). */
    trial: { type: ['current', 'draft'] as const },
    /** The outbound message carrying the answer or the handoff notice. */
    replyMessageId: { type: 'string' },
    ticketId: { type: 'string' },
    /** Sealed JSON: the records the answer used (kind, id, label). */
    citations: { type: 'string' },
    /** Model turns and tool calls it took: what the benchmark and a reviewer look at. */
    modelTurns: { type: 'number' },
    toolCalls: { type: 'number' },
    /** When the current worker took it (a stopped worker's claim is taken over after a lease). */
    claimedAt: { type: 'number', required: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    /**
     * Under its conversation: a contact's erasure finds every one from the conversation ids it
     * derives from the business's channels, even after the inbox erased the messages.
     */
    byConversation: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['conversationId', 'messageId'],
        template: 'aireply#${conversationId}#${messageId}',
        casing: 'none',
      },
    },
  },
});

export const AI_RECORDS = { aiResponder: AiResponderRecord, aiReply: AiReplyRecord };
export type AiRecordsStore = Store<typeof AI_RECORDS>;

export const AI_DATA_CLASSES: DataClass[] = [
  {
    name: 'ai.responders',
    description: 'Per conversation: whether the AI agent or people answer, the handoff reason and ticket',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'airesponder#' }]),
  },
  {
    name: 'ai.replies',
    description:
      'Per inbound message the AI agent saw: outcome, reason, reply and ticket ids, and the sealed citations (order, product, knowledge ids)',
    personal: true,
    // Part of the conversation's history: kept as long as the messages it answers.
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'aireply#' }]),
  },
];
