import { randomBytes } from 'node:crypto';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError } from '../platform/errors.js';
import { findConversation, type InboxDeps } from './conversations.js';
import type { InboxStore } from './records.js';

/**
 * Handoff tickets: a conversation that needs someone's follow-up. Opened by a person from the
 * inbox today; the AI agent will open them too (`openedBy.kind: 'ai'`) when it hands over.
 */

export type TicketStatus = 'open' | 'pending' | 'closed';

export interface TicketView {
  id: string;
  conversationId: string;
  title: string;
  status: TicketStatus;
  assigneeId?: string;
  openedBy: { kind: 'person' | 'ai'; id: string };
  createdAt: string;
  updatedAt: string;
}

type TicketItem = NonNullable<Awaited<ReturnType<ReturnType<InboxStore['entities']['ticket']['get']>['go']>>['data']>;

function view(keys: TenantKeys, ticket: TicketItem): TicketView {
  return {
    id: ticket.ticketId,
    conversationId: ticket.conversationId,
    title: keys.open('ticket', 'title', ticket.ticketId, ticket.title),
    status: ticket.status,
    ...(ticket.assigneeId && { assigneeId: ticket.assigneeId }),
    openedBy: { kind: ticket.openedByKind, id: ticket.openedById },
    createdAt: new Date(ticket.createdAt).toISOString(),
    updatedAt: new Date(ticket.updatedAt).toISOString(),
  };
}

export async function openTicket(
  deps: InboxDeps,
  tenantId: string,
  conversationId: string,
  input: { title: string; assigneeId?: string; openedBy: { kind: 'person' | 'ai'; id: string } },
): Promise<TicketView> {
  await findConversation(deps.store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const ticketId = `tk_${randomBytes(12).toString('base64url')}`;
  const { data } = await deps.store.entities.ticket
    .create({
      tenantId,
      ticketId,
      conversationId,
      title: keys.seal('ticket', 'title', ticketId, input.title),
      status: 'open',
      ...(input.assigneeId && { assigneeId: input.assigneeId }),
      openedByKind: input.openedBy.kind,
      openedById: input.openedBy.id,
    })
    .go();
  return view(keys, data as TicketItem);
}

/** The business's tickets, newest first; a business keeps hundreds, not millions, so all are read. */
export async function listTickets(
  deps: InboxDeps,
  tenantId: string,
  filter: { status?: TicketStatus; conversationId?: string },
): Promise<TicketView[]> {
  const keys = await deps.keyring.forTenant(tenantId);
  const { data } = await deps.store.entities.ticket.query
    .byRecency({ tenantId })
    .where((attr, { eq }) =>
      [
        filter.status && eq(attr.status, filter.status),
        filter.conversationId && eq(attr.conversationId, filter.conversationId),
      ]
        .filter(Boolean)
        .join(' AND '),
    )
    .go({ order: 'desc', pages: 'all' });
  return data.map((ticket) => view(keys, ticket));
}

export async function changeTicket(
  deps: InboxDeps,
  tenantId: string,
  ticketId: string,
  change: { status?: TicketStatus; assigneeId?: string | null },
): Promise<TicketView> {
  const { data: existing } = await deps.store.entities.ticket.get({ tenantId, ticketId }).go();
  if (!existing) throw new NotFoundError('No such ticket');
  const patch = deps.store.entities.ticket.patch({ tenantId, ticketId });
  const set = {
    updatedAt: Date.now(),
    ...(change.status && { status: change.status }),
    ...(change.assigneeId && { assigneeId: change.assigneeId }),
  };
  const { data } = await (change.assigneeId === null ? patch.set(set).remove(['assigneeId']) : patch.set(set)).go({
    response: 'all_new',
  });
  const keys = await deps.keyring.forTenant(tenantId);
  return view(keys, data as TicketItem);
}
