import {
  attachmentAnswer,
  attachmentBody,
  consentBody,
  consentsAnswer,
  conversationAnswer,
  conversationPatchBody,
  conversationsAnswer,
  conversationsQuery,
  messagesAnswer,
  messagesQuery,
  noteAnswer,
  noteBody,
  notesAnswer,
  replyAnswer,
  replyBody,
  templatesAnswer,
  templatesQuery,
  ticketAnswer,
  ticketBody,
  ticketPatchBody,
  ticketsAnswer,
  ticketsQuery,
} from '@asistone/contract/inbox';
import { can } from '@asistone/contract/roles';
import { roleIn } from '@asistone/core/accounts/businesses';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { GraphError } from '@asistone/core/channels/meta/graph-errors';
import { type AttachmentDeps, prepareAttachment } from '@asistone/core/inbox/attachments';
import { consentOf, setConsentByAgent } from '@asistone/core/inbox/consent';
import { changeConversation, getConversation, listConversations } from '@asistone/core/inbox/conversations';
import { listMessages } from '@asistone/core/inbox/messages';
import { addNote, listNotes } from '@asistone/core/inbox/notes';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { queueReply, type ReplyDeps, readConversation, showTyping } from '@asistone/core/inbox/replies';
import { listTemplates, syncTemplates, templatesOfConversation } from '@asistone/core/inbox/templates';
import { changeTicket, listTickets, openTicket } from '@asistone/core/inbox/tickets';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { ConflictError, NotFoundError, ValidationError } from '@asistone/core/platform/errors';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { openChannelToken } from '@asistone/core/tenancy/tenants';
import { accounts } from '../lib/deps.js';
import { type BusinessScope, defineRoute } from '../lib/route.js';

/** The inbox: conversations, their messages and replies, notes, tickets and WhatsApp templates. */

const inboxDeps = once(async (): Promise<ReplyDeps & AttachmentDeps> => {
  const { storeOf, keyring, producer, blobs } = platform();
  return { store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }), keyring, producer, blobs };
});

/** The consent ledger's routes also write the audit log. */
const consentDeps = once(async () => {
  const { storeOf, keyring } = platform();
  return { store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }), keyring };
});
const CONSENTS = '/businesses/:tenantId/contacts/:contactId/consents';

const CONVERSATIONS = '/businesses/:tenantId/conversations';
const CONVERSATION = `${CONVERSATIONS}/:conversationId`;

/** What every `…/conversations/:conversationId…` call in the inbox starts with: deps, business, conversation. */
async function inConversation(business: BusinessScope, params: Record<string, string>) {
  return [await inboxDeps(), business.tenantId, params.conversationId ?? ''] as const;
}

/** An assignee must be a member of this business who can answer conversations. */
async function checkAssignee(tenantId: string, assigneeId: string | null | undefined) {
  if (!assigneeId) return;
  const role = await roleIn(await accounts(), tenantId, assigneeId);
  if (!role || !can(role, 'conversations.reply')) {
    throw new ValidationError('The assignee is not a member of this business who answers conversations', [
      'assigneeId',
    ]);
  }
}

export const inboxRoutes = [
  defineRoute({
    method: 'get',
    path: CONVERSATIONS,
    access: 'conversations.read',
    summary:
      'Conversations, newest first, filtered by channel, status, assignee, label, unread, and searched by name or phone',
    query: conversationsQuery,
    answers: { 200: { description: 'A page of conversations', schema: conversationsAnswer } },
    async handle({ c, business, caller, query }) {
      const page = await listConversations(await inboxDeps(), business.tenantId, caller.userId, {
        ...query,
        unread: query.unread === undefined ? undefined : query.unread === 'true',
      });
      return c.json(page);
    },
  }),
  defineRoute({
    method: 'get',
    path: CONVERSATION,
    access: 'conversations.read',
    summary: 'One conversation',
    answers: { 200: { description: 'The conversation', schema: conversationAnswer } },
    async handle({ c, business, params }) {
      return c.json(await getConversation(...(await inConversation(business, params))));
    },
  }),
  defineRoute({
    method: 'patch',
    path: CONVERSATION,
    access: 'conversations.reply',
    summary: 'Change the status, assignee (null clears it) or labels of a conversation',
    body: conversationPatchBody,
    answers: { 200: { description: 'The conversation as changed', schema: conversationAnswer } },
    async handle({ c, business, params, body }) {
      await checkAssignee(business.tenantId, body.assigneeId);
      return c.json(await changeConversation(...(await inConversation(business, params)), body));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/read`,
    access: 'conversations.reply',
    summary: "The team read the conversation: unread to 0, and on WhatsApp the customer's newest message marked read",
    answers: { 204: { description: 'Read' } },
    async handle({ c, business, params }) {
      await readConversation(...(await inConversation(business, params)));
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/typing`,
    access: 'conversations.reply',
    summary: 'Show the customer that someone is typing',
    answers: { 204: { description: 'Shown where the channel can' } },
    async handle({ c, business, params }) {
      await showTyping(...(await inConversation(business, params)));
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CONVERSATION}/messages`,
    access: 'conversations.read',
    summary: 'Messages of a conversation, oldest to newest, 50 a page ending before `before`',
    query: messagesQuery,
    answers: { 200: { description: 'A page of messages', schema: messagesAnswer } },
    async handle({ c, business, params, query }) {
      return c.json(await listMessages(...(await inConversation(business, params)), query.before));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/messages`,
    access: 'conversations.reply',
    summary:
      'Reply: text or media inside the window, a WhatsApp template any time; stored as queued and sent by the outbound worker (idempotent on clientId)',
    body: replyBody,
    answers: { 202: { description: 'Queued (or the message this clientId stored before)', schema: replyAnswer } },
    async handle({ c, business, caller, params, body }) {
      const { message } = await queueReply(...(await inConversation(business, params)), caller.userId, body);
      return c.json({ message }, 202);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/attachments`,
    access: 'conversations.reply',
    summary:
      "A file to send: checked against the channel's limits, answered with a 15-minute presigned upload link for exactly its type and size; a media reply then names the attachmentId",
    body: attachmentBody,
    answers: { 201: { description: 'Where to upload the file', schema: attachmentAnswer } },
    async handle({ c, business, params, body }) {
      return c.json(await prepareAttachment(...(await inConversation(business, params)), body), 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CONVERSATION}/notes`,
    access: 'conversations.read',
    summary: "The team's private notes on a conversation",
    answers: { 200: { description: 'Notes, oldest first', schema: notesAnswer } },
    async handle({ c, business, params }) {
      return c.json({ notes: await listNotes(...(await inConversation(business, params))) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/notes`,
    access: 'conversations.reply',
    summary: 'Add a private note (never sent to the customer)',
    body: noteBody,
    answers: { 201: { description: 'Added', schema: noteAnswer } },
    async handle({ c, business, caller, params, body }) {
      const note = await addNote(...(await inConversation(business, params)), caller.userId, body.text);
      return c.json(note, 201);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/tickets`,
    access: 'conversations.reply',
    summary: 'Open a handoff ticket on a conversation',
    body: ticketBody,
    answers: { 201: { description: 'Opened', schema: ticketAnswer } },
    async handle({ c, business, caller, params, body }) {
      await checkAssignee(business.tenantId, body.assigneeId);
      const ticket = await openTicket(...(await inConversation(business, params)), {
        title: body.title,
        ...(body.assigneeId && { assigneeId: body.assigneeId }),
        openedBy: { kind: 'person', id: caller.userId },
      });
      return c.json(ticket, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/tickets',
    access: 'conversations.read',
    summary: "The business's tickets, newest first, by status or conversation",
    query: ticketsQuery,
    answers: { 200: { description: 'Tickets', schema: ticketsAnswer } },
    async handle({ c, business, query }) {
      return c.json({ tickets: await listTickets(await inboxDeps(), business.tenantId, query) });
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/businesses/:tenantId/tickets/:ticketId',
    access: 'conversations.reply',
    summary: 'Change the status or assignee of a ticket',
    body: ticketPatchBody,
    answers: { 200: { description: 'The ticket as changed', schema: ticketAnswer } },
    async handle({ c, business, params, body }) {
      await checkAssignee(business.tenantId, body.assigneeId);
      return c.json(await changeTicket(await inboxDeps(), business.tenantId, params.ticketId ?? '', body));
    },
  }),
  defineRoute({
    method: 'get',
    path: CONSENTS,
    access: 'conversations.read',
    summary:
      "A contact's consent per channel and purpose, and every grant and withdrawal, newest first, with its source, actor and wording",
    answers: { 200: { description: 'The consent ledger', schema: consentsAnswer } },
    async handle({ c, business, params }) {
      return c.json(await consentOf(await consentDeps(), business.tenantId, params.contactId ?? ''));
    },
  }),
  defineRoute({
    method: 'post',
    path: CONSENTS,
    access: 'conversations.reply',
    summary:
      "Record a contact's consent as given or withdrawn for a channel and purpose, with the wording they were shown (source agent, audited)",
    body: consentBody,
    answers: { 201: { description: 'Recorded; the ledger as it now stands', schema: consentsAnswer } },
    async handle({ c, business, caller, origin, params, body }) {
      const ledger = await setConsentByAgent(
        await consentDeps(),
        business.tenantId,
        params.contactId ?? '',
        { userId: caller.userId, sourceAddress: origin.sourceAddress },
        body,
      );
      return c.json(ledger, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/templates',
    access: 'conversations.read',
    summary:
      'WhatsApp message templates as last synced from the business’s WhatsApp accounts, each with its account; with conversationId, only those its number may send',
    query: templatesQuery,
    answers: { 200: { description: 'Templates', schema: templatesAnswer } },
    async handle({ c, business, query }) {
      const { store } = await inboxDeps();
      return c.json(
        query.conversationId
          ? await templatesOfConversation(store, business.tenantId, query.conversationId)
          : await listTemplates(store, business.tenantId),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/templates/sync',
    access: 'channels.manage',
    summary: 'Read the templates of every connected WhatsApp account from Meta now',
    answers: { 200: { description: 'Templates after the sync', schema: templatesAnswer } },
    async handle({ c, business }) {
      const deps = await inboxDeps();
      const keys = await deps.keyring.forTenant(business.tenantId);
      const graph = graphClient(metaGraphSettings(process.env));
      const synced = await syncTemplates(deps.store, business.tenantId, async (channel) => {
        const token = openChannelToken(keys, channel);
        if (!token) throw new NotFoundError('The WhatsApp number has no access token: connect it again');
        return graph.templates(channel.accountId as string, token).catch((error: unknown) => {
          // Meta's refusal (token revoked, WABA gone) is the business's to fix, not our failure.
          if (error instanceof GraphError && !error.retryable) {
            throw new ConflictError(`Meta did not list the templates (${error.kind}): ${error.title}`);
          }
          throw error;
        });
      });
      return c.json(synced);
    },
  }),
];
