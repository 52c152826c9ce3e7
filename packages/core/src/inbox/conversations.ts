import { openOrUndefined, type TenantKeyring, type TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError, ProductError, ValidationError } from '../platform/errors.js';
import type { InboxStore } from './records.js';

/**
 * Conversations as the team sees them: list with filters and search, one conversation, and
 * the team's own changes (status, assignee, labels, read). Every personal field is opened here,
 * for the one request that asked, and never stored in clear.
 */

export type ConversationChannelKind = 'whatsapp' | 'instagram' | 'messenger' | 'sandbox';
export type ConversationStatus = 'open' | 'pending' | 'resolved';

export interface InboxDeps {
  store: InboxStore;
  keyring: TenantKeyring;
}

type ConversationItem = NonNullable<
  Awaited<ReturnType<ReturnType<InboxStore['entities']['conversation']['get']>['go']>>['data']
>;
type ContactItem = NonNullable<Awaited<ReturnType<ReturnType<InboxStore['entities']['contact']['get']>['go']>>['data']>;

const HOUR = 3_600_000;

/**
 * How long after the customer's last message a free-form reply may go: WhatsApp's customer
 * service window is 24 h; Messenger and Instagram allow 24 h as a response and up to 7 days with
 * the HUMAN_AGENT tag (a person writing, which the inbox always is). The sandbox has no provider
 * and no window.
 */
export const REPLY_WINDOW_MS: Record<ConversationChannelKind, number | undefined> = {
  whatsapp: 24 * HOUR,
  messenger: 7 * 24 * HOUR,
  instagram: 7 * 24 * HOUR,
  sandbox: undefined,
};

/** Messenger and Instagram need the HUMAN_AGENT tag past this (their standard window). */
export const STANDARD_WINDOW_MS = 24 * HOUR;

/** 'closed' was the only other status before; it reads as resolved. */
export function statusOf(stored: string): ConversationStatus {
  return stored === 'open' || stored === 'pending' ? stored : 'resolved';
}

/** When free-form replies stop being allowed, ms; undefined when there is no window or it never opened. */
export function windowClosesAt(conversation: Pick<ConversationItem, 'channelKind' | 'lastInboundAt'>) {
  const length = REPLY_WINDOW_MS[conversation.channelKind as ConversationChannelKind];
  if (length === undefined || !conversation.lastInboundAt) return undefined;
  return conversation.lastInboundAt + length;
}

export function isWindowOpen(conversation: Pick<ConversationItem, 'channelKind' | 'lastInboundAt'>, now = Date.now()) {
  if (REPLY_WINDOW_MS[conversation.channelKind as ConversationChannelKind] === undefined) return true;
  const closes = windowClosesAt(conversation);
  return closes !== undefined && now < closes;
}

/** A free-form reply (text, media) after the customer's window: only a template may go. */
export class WindowClosedError extends ProductError {
  override name = 'WindowClosedError';
  constructor() {
    super(
      'window_closed',
      "The customer's messaging window has closed: only an approved WhatsApp template can be sent now",
    );
  }
}

export interface ConversationView {
  id: string;
  channel: { kind: ConversationChannelKind; externalId: string; label: string };
  contact: { id: string; name?: string; phone?: string; handle?: string };
  status: ConversationStatus;
  assigneeId?: string;
  labels: string[];
  unreadCount: number;
  lastMessageAt: string;
  preview: string;
  windowClosesAt?: string;
}

function contactView(keys: TenantKeys, contactId: string, contact: ContactItem | undefined) {
  const name = openOrUndefined(keys, 'contact', 'name', contactId, contact?.name);
  const phone = openOrUndefined(keys, 'contact', 'phone', contactId, contact?.phone);
  const handle = openOrUndefined(keys, 'contact', 'handle', contactId, contact?.handle);
  return { id: contactId, ...(name && { name }), ...(phone && { phone }), ...(handle && { handle }) };
}

function view(
  keys: TenantKeys,
  conversation: ConversationItem,
  contact: ContactItem | undefined,
  channelLabel: string | undefined,
): ConversationView {
  const closes = windowClosesAt(conversation);
  return {
    id: conversation.conversationId,
    channel: {
      kind: conversation.channelKind,
      externalId: conversation.channelId,
      label: channelLabel ?? conversation.channelId,
    },
    contact: contactView(keys, conversation.contactId, contact),
    status: statusOf(conversation.status),
    ...(conversation.assigneeId && { assigneeId: conversation.assigneeId }),
    labels: conversation.labels ?? [],
    unreadCount: Math.max(0, conversation.unreadCount ?? 0),
    lastMessageAt: new Date(conversation.lastMessageAt).toISOString(),
    preview:
      openOrUndefined(
        keys,
        'conversation',
        'lastMessagePreview',
        conversation.conversationId,
        conversation.lastMessagePreview,
      ) ?? '',
    ...(closes !== undefined && { windowClosesAt: new Date(closes).toISOString() }),
  };
}

/** Channel labels of a business, by `kind#externalId` (a business has a handful of channels). */
async function channelLabels(store: InboxStore, tenantId: string): Promise<Map<string, string>> {
  const { data } = await store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' });
  return new Map(data.map((channel) => [`${channel.kind}#${channel.externalId}`, channel.label]));
}

async function contactsOf(store: InboxStore, tenantId: string, contactIds: string[]) {
  const unique = [...new Set(contactIds)];
  if (unique.length === 0) return new Map<string, ContactItem>();
  const { data } = await store.entities.contact.get(unique.map((contactId) => ({ tenantId, contactId }))).go();
  return new Map(data.map((contact) => [contact.contactId, contact]));
}

/** A stored conversation of this business; another business's id reads as not found. */
export async function findConversation(store: InboxStore, tenantId: string, conversationId: string) {
  const { data } = await store.entities.conversation.get({ tenantId, conversationId }).go();
  if (!data) throw new NotFoundError('No such conversation');
  return data;
}

export async function getConversation(deps: InboxDeps, tenantId: string, conversationId: string) {
  const conversation = await findConversation(deps.store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const [contacts, labels] = await Promise.all([
    contactsOf(deps.store, tenantId, [conversation.contactId]),
    channelLabels(deps.store, tenantId),
  ]);
  return view(
    keys,
    conversation,
    contacts.get(conversation.contactId),
    labels.get(`${conversation.channelKind}#${conversation.channelId}`),
  );
}

export interface ConversationFilter {
  channel?: ConversationChannelKind;
  status?: ConversationStatus;
  /** 'me' (with `callerId`), 'none', or a member's id. */
  assignee?: string;
  label?: string;
  unread?: boolean;
  q?: string;
  cursor?: string;
}

export const PAGE_SIZE = 25;
/** Stored conversations one list request reads at most before answering with what it found. */
export const SCAN_LIMIT = 2_000;

/** Lower case, accents and Turkish dotted/dotless i folded, so "Şükrü" matches "sukru". */
export function foldName(value: string): string {
  return value.toLocaleLowerCase('tr').normalize('NFD').replace(/\p{M}/gu, '').replace(/ı/g, 'i');
}

/**
 * A phone number as stored (E.164 with '+'), from what a person types: spaces, dashes, dots and
 * brackets dropped, a leading 00 read as '+', a Turkish national number (0 and 10 digits) given
 * +90. Undefined when it cannot be a phone number (then the search is by name only).
 */
export function normalisePhone(value: string): string | undefined {
  const compact = value.replace(/[\s().-]/g, '');
  if (!/^(\+|00)?\d{7,15}$/.test(compact)) return undefined;
  if (compact.startsWith('+')) return compact;
  if (compact.startsWith('00')) return `+${compact.slice(2)}`;
  if (/^0\d{10}$/.test(compact)) return `+90${compact.slice(1)}`;
  return `+${compact}`;
}

/** Where a list page stopped: the newest-first position of the last conversation read. */
interface ListPosition {
  at: number;
  id: string;
}

function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): ListPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && Number.isSafeInteger(at) && typeof id === 'string' && /^cv_[\w-]{1,64}$/.test(id)) {
      return { at, id };
    }
  } catch {
    // falls through
  }
  throw new ValidationError('The cursor is not one this list gave', ['cursor']);
}

/**
 * A page of the business's conversations, newest first, filtered. Filters and search run on the
 * server over the recency index: status, channel, assignee, label and unread are plain fields;
 * `q` matches a phone number exactly by its blind index (the number normalised to E.164) or a
 * name as a case- and accent-insensitive substring, which needs the name opened, so a search
 * reads at most {@link SCAN_LIMIT} conversations per request and answers with a cursor to go on
 * from there. Enough for an inbox's working set; a business with far more would want a search
 * index of name tokens (blind-indexed) instead.
 */
export async function listConversations(
  deps: InboxDeps,
  tenantId: string,
  callerId: string,
  filter: ConversationFilter,
): Promise<{ conversations: ConversationView[]; cursor?: string }> {
  const { store } = deps;
  const keys = await deps.keyring.forTenant(tenantId);
  const start = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const assignee = filter.assignee === 'me' ? callerId : filter.assignee;
  const query = filter.q?.trim();
  const phone = query ? normalisePhone(query) : undefined;
  const phoneIndex = phone ? keys.blindIndex('phone', phone) : undefined;
  const nameQuery = query ? foldName(query) : undefined;

  const matchesFields = (c: ConversationItem) =>
    (!filter.channel || c.channelKind === filter.channel) &&
    (!filter.status || statusOf(c.status) === filter.status) &&
    (assignee === undefined || (assignee === 'none' ? !c.assigneeId : c.assigneeId === assignee)) &&
    (!filter.label || (c.labels ?? []).includes(filter.label)) &&
    (filter.unread === undefined || (c.unreadCount ?? 0) > 0 === filter.unread);

  const found: { conversation: ConversationItem; contact?: ContactItem }[] = [];
  let scanned = 0;
  let last: ListPosition | undefined;
  let more = false;
  let dynamoCursor: string | null | undefined;
  // A fresh query each round: ElectroDB's chains are not meant to be reused.
  const index = () => store.entities.conversation.query.byRecency({ tenantId });
  while (found.length < PAGE_SIZE && scanned < SCAN_LIMIT) {
    const ranged = start ? index().lt({ lastMessageAt: start.at, conversationId: start.id }) : index();
    const page = await ranged.go({ order: 'desc', limit: 100, ...(dynamoCursor && { cursor: dynamoCursor }) });
    const candidates = page.data.filter(matchesFields);
    const contacts = query
      ? await contactsOf(
          store,
          tenantId,
          candidates.map((c) => c.contactId),
        )
      : undefined;
    for (const conversation of page.data) {
      scanned += 1;
      last = { at: conversation.lastMessageAt, id: conversation.conversationId };
      if (!matchesFields(conversation)) continue;
      const contact = contacts?.get(conversation.contactId);
      if (query) {
        const byPhone = phoneIndex !== undefined && contact?.phoneIndex === phoneIndex;
        const name = openOrUndefined(keys, 'contact', 'name', conversation.contactId, contact?.name);
        const handle = openOrUndefined(keys, 'contact', 'handle', conversation.contactId, contact?.handle);
        const byName =
          nameQuery !== undefined &&
          [name, handle].some((value) => value !== undefined && foldName(value).includes(nameQuery));
        if (!byPhone && !byName) continue;
      }
      found.push({ conversation, ...(contact && { contact }) });
      if (found.length === PAGE_SIZE) break;
    }
    dynamoCursor = page.cursor;
    if (found.length === PAGE_SIZE) {
      // Stopped inside the page: more may follow if this page was not its last item or had a next.
      more = Boolean(page.cursor) || last?.id !== page.data.at(-1)?.conversationId;
      break;
    }
    if (!page.cursor) break;
    if (scanned >= SCAN_LIMIT) more = true;
  }

  const missing = found.filter((entry) => !entry.contact).map((entry) => entry.conversation.contactId);
  const [contacts, labels] = await Promise.all([contactsOf(store, tenantId, missing), channelLabels(store, tenantId)]);
  const conversations = found.map(({ conversation, contact }) =>
    view(
      keys,
      conversation,
      contact ?? contacts.get(conversation.contactId),
      labels.get(`${conversation.channelKind}#${conversation.channelId}`),
    ),
  );
  return { conversations, ...(more && last && { cursor: encodeCursor(last) }) };
}

export interface ConversationChange {
  status?: ConversationStatus;
  /** null clears it. */
  assigneeId?: string | null;
  labels?: string[];
}

/**
 * Applies the team's change to a conversation. An assignee must be a member of the business who
 * can answer conversations (`isAgent`), checked by the caller's layer.
 */
export async function changeConversation(
  deps: InboxDeps,
  tenantId: string,
  conversationId: string,
  change: ConversationChange,
) {
  await findConversation(deps.store, tenantId, conversationId);
  const set = {
    ...(change.status && { status: change.status }),
    ...(change.assigneeId && { assigneeId: change.assigneeId }),
    ...(change.labels && { labels: [...new Set(change.labels.map((label) => label.trim()))] }),
  };
  const patch = deps.store.entities.conversation.patch({ tenantId, conversationId });
  if (change.assigneeId === null) {
    await (Object.keys(set).length > 0 ? patch.set(set) : patch).remove(['assigneeId']).go();
  } else if (Object.keys(set).length > 0) {
    await patch.set(set).go();
  }
  return getConversation(deps, tenantId, conversationId);
}

/** The team read the conversation: its unread count goes to 0. */
export async function markConversationRead(deps: InboxDeps, tenantId: string, conversationId: string) {
  const conversation = await findConversation(deps.store, tenantId, conversationId);
  await deps.store.entities.conversation
    .patch({ tenantId, conversationId })
    .set({ unreadCount: 0, lastReadAt: Date.now() })
    .go();
  return conversation;
}
