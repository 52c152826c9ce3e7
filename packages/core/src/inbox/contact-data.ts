import type { ContactData, ContactDataContext, ContactRows } from '../platform/area.js';
import { openOrUndefined, type TenantKeys } from '../platform/crypto/keyring.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { conversationIdOf } from './inbound.js';
import { type MessageItem, messageView } from './messages.js';
import { INBOX_RECORDS, type InboxStore } from './records.js';

/**
 * What the inbox holds about one contact, for the privacy engine's export and erasure
 * (privacy/contact-rights.ts): the profile and its user-id links, the consent ledger, the
 * conversations with their messages, notes, tickets and reply bookkeeping, the ads the contact
 * wrote from, the media records and the stored files. One entry per data class, in erasure
 * order: files and the records that name them before the messages, messages before their
 * conversations, the profile last (the engine runs `holdsContact` last), so an erasure stopped
 * halfway is finished by a rerun, which still finds every conversation through the contact.
 */

/** How long the media links in an export work: time to download the archive and open it. */
export const EXPORT_MEDIA_LINK_SECONDS = 3600;

const storeOf = (ctx: ContactDataContext): InboxStore => ctx.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });

type ConversationItem = NonNullable<
  Awaited<ReturnType<ReturnType<InboxStore['entities']['conversation']['get']>['go']>>['data']
>;

const iso = (ms: number | undefined) => (ms === undefined || ms === 0 ? null : new Date(ms).toISOString());

/**
 * The contact's conversations. Through the `byContact` index, and also by the ids they must
 * have: a conversation's id is derived from the channel and the contact (inbound.ts
 * conversationIdOf), so one written before the index existed is found with one read per
 * channel the business has (a handful), instead of reading every conversation of the business.
 * A conversation on a channel record removed since is only found through the index.
 */
export async function conversationsOfContact(
  store: InboxStore,
  keys: TenantKeys,
  tenantId: string,
  contactId: string,
): Promise<ConversationItem[]> {
  const [indexed, channels] = await Promise.all([
    store.entities.conversation.query.byContact({ tenantId, contactId }).go({ pages: 'all' }),
    store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all', attributes: ['kind', 'externalId'] }),
  ]);
  const found = new Map<string, ConversationItem>();
  for (const item of indexed.data) found.set(item.conversationId, item as ConversationItem);
  const derived = channels.data
    .map((channel) => conversationIdOf(keys, channel.kind, channel.externalId, contactId))
    .filter((id) => !found.has(id));
  for (const conversationId of new Set(derived)) {
    const { data } = await store.entities.conversation.get({ tenantId, conversationId }).go();
    if (data && data.contactId === contactId) found.set(conversationId, data as ConversationItem);
  }
  return [...found.values()].sort((a, b) => b.lastMessageAt - a.lastMessageAt);
}

async function messagesOf(store: InboxStore, tenantId: string, conversationId: string): Promise<MessageItem[]> {
  const { data } = await store.entities.message.query.byConversation({ tenantId, conversationId }).go({ pages: 'all' });
  return data as MessageItem[];
}

/** Runs deletes a few at a time; each one is idempotent (deleting what is gone does nothing). */
async function removeEach<T>(items: readonly T[], remove: (item: T) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < items.length; i += 10) await Promise.all(items.slice(i, i + 10).map(remove));
  return items.length;
}

/** The contact's stored files (received media, files sent in replies) and their records. */
const media: ContactData = {
  dataClass: 'inbox.media',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows: Record<string, unknown>[] = [];
    for (const conversation of await conversationsOfContact(store, ctx.keys, ctx.tenantId, ctx.contactId)) {
      for (const message of await messagesOf(store, ctx.tenantId, conversation.conversationId)) {
        const { data } = await store.entities.media.get({ tenantId: ctx.tenantId, messageId: message.messageId }).go();
        if (!data) continue;
        rows.push({
          conversationId: conversation.conversationId,
          messageId: message.messageId,
          status: data.status,
          mimeType: data.mimeType ?? null,
          size: data.size ?? null,
          sha256: data.sha256 ?? null,
          reason: data.reason ?? null,
          link:
            data.status === 'stored' && data.key
              ? await ctx.blobs.presignGet(ctx.tenantId, data.key, EXPORT_MEDIA_LINK_SECONDS)
              : null,
          linkExpiresAt:
            data.status === 'stored' && data.key
              ? new Date(Date.now() + EXPORT_MEDIA_LINK_SECONDS * 1000).toISOString()
              : null,
        });
      }
    }
    return { media: rows };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId } = ctx;
    let items = 0;
    let objects = 0;
    for (const conversation of await conversationsOfContact(store, ctx.keys, tenantId, ctx.contactId)) {
      const { conversationId } = conversation;
      // The objects first (their records and messages lead to them): received media under
      // `media/<conversation>/`, files sent in replies under `outbound/<conversation>/`.
      for (const under of [`media/${conversationId}/`, `outbound/${conversationId}/`]) {
        const keys: string[] = [];
        for await (const key of ctx.blobs.list(tenantId, under)) keys.push(key);
        objects += await removeEach(keys, (key) => ctx.blobs.delete(tenantId, key));
      }
      const messages = await messagesOf(store, tenantId, conversationId);
      const records = [];
      for (const message of messages) {
        const { data } = await store.entities.media.get({ tenantId, messageId: message.messageId }).go();
        if (data) records.push(data);
      }
      items += await removeEach(records, (record) =>
        store.entities.media.delete({ tenantId, messageId: record.messageId }).go(),
      );
      // Files being sent (a day's TTL): few, read with the business's others and picked by conversation.
      const { data: attachments } = await store.entities.attachment.query
        .byId({ tenantId })
        .where((attr, { eq }) => eq(attr.conversationId, conversationId))
        .go({ pages: 'all' });
      items += await removeEach(attachments, (attachment) =>
        store.entities.attachment.delete({ tenantId, attachmentId: attachment.attachmentId }).go(),
      );
    }
    return { items, objects };
  },
};

/** The team's notes on the contact's conversations. */
const notes: ContactData = {
  dataClass: 'inbox.notes',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows: Record<string, unknown>[] = [];
    for (const conversation of await conversationsOfContact(store, ctx.keys, ctx.tenantId, ctx.contactId)) {
      const { data } = await store.entities.note.query
        .byConversation({ tenantId: ctx.tenantId, conversationId: conversation.conversationId })
        .go({ pages: 'all' });
      for (const note of data) {
        rows.push({
          conversationId: conversation.conversationId,
          noteId: note.noteId,
          authorId: note.authorId,
          createdAt: iso(note.createdAt),
          text: openOrUndefined(ctx.keys, 'note', 'text', note.noteId, note.text) ?? null,
        });
      }
    }
    return { notes: rows };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId } = ctx;
    let items = 0;
    for (const { conversationId } of await conversationsOfContact(store, ctx.keys, tenantId, ctx.contactId)) {
      const { data } = await store.entities.note.query
        .byConversation({ tenantId, conversationId })
        .go({ pages: 'all' });
      items += await removeEach(data, (note) =>
        store.entities.note.delete({ tenantId, conversationId, createdAt: note.createdAt, noteId: note.noteId }).go(),
      );
    }
    return { items, objects: 0 };
  },
};

/** Messages in and out, with the statuses and unsend and reply bookkeeping kept per message. */
const messages: ContactData = {
  dataClass: 'inbox.messages',
  async export(ctx) {
    const store = storeOf(ctx);
    const rows: Record<string, unknown>[] = [];
    for (const conversation of await conversationsOfContact(store, ctx.keys, ctx.tenantId, ctx.contactId)) {
      for (const message of await messagesOf(store, ctx.tenantId, conversation.conversationId)) {
        const view = messageView(ctx.keys, message);
        rows.push({
          conversationId: conversation.conversationId,
          channel: conversation.channelKind,
          messageId: view.id,
          direction: view.direction,
          type: view.type,
          sentAt: view.sentAt,
          receivedAt: iso(message.receivedAt),
          status: view.status,
          statusAt: iso(message.statusAt),
          text: view.text ?? null,
          details: view.details ?? null,
          unsentAt: iso(message.deletedAt),
        });
      }
    }
    return { messages: rows };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId } = ctx;
    let items = 0;
    for (const { conversationId } of await conversationsOfContact(store, ctx.keys, tenantId, ctx.contactId)) {
      const all = await messagesOf(store, tenantId, conversationId);
      // Bookkeeping keyed by message id first (deleting an absent item is a no-op, not counted),
      // then the messages, which are how a rerun finds those ids again.
      for (const message of all) {
        const { messageId } = message;
        const [status, unsent, reply] = await Promise.all([
          store.entities.messageStatus.delete({ tenantId, messageId }).go({ response: 'all_old' }),
          store.entities.unsentMessage.delete({ tenantId, messageId }).go({ response: 'all_old' }),
          store.entities.replyRequest.delete({ tenantId, messageId }).go({ response: 'all_old' }),
        ]);
        items += [status, unsent, reply].filter((out) => out.data !== null && out.data !== undefined).length;
      }
      items += await removeEach(all, (message) =>
        store.entities.message
          .delete({ tenantId, conversationId, sentAt: message.sentAt, messageId: message.messageId })
          .go(),
      );
    }
    return { items, objects: 0 };
  },
};

/**
 * The ads the contact wrote from, found through their own index by contact. A section only when
 * there is one: most customers came from no ad.
 */
const adReferrals: ContactData = {
  dataClass: 'inbox.ad-referrals',
  async export(ctx): Promise<ContactRows> {
    const { tenantId, contactId } = ctx;
    const { data } = await storeOf(ctx)
      .entities.adReferral.query.byContact({ tenantId, contactId })
      .go({ pages: 'all' });
    if (data.length === 0) return {};
    return {
      adReferrals: data.map((referral) => ({
        adId: referral.adId,
        conversationId: referral.conversationId,
        channel: referral.channelKind,
        firstAt: iso(referral.firstAt),
        lastAt: iso(referral.lastAt),
        messages: referral.count,
      })),
    };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId, contactId } = ctx;
    const { data } = await store.entities.adReferral.query
      .byContact({ tenantId, contactId })
      .go({ pages: 'all', attributes: ['adId', 'conversationId'] });
    const items = await removeEach(data, (referral) =>
      store.entities.adReferral.delete({ tenantId, adId: referral.adId, conversationId: referral.conversationId }).go(),
    );
    return { items, objects: 0 };
  },
};

/** The conversations themselves, their tickets and read watermarks. */
const conversations: ContactData = {
  dataClass: 'inbox.conversations',
  async export(ctx) {
    const store = storeOf(ctx);
    const found = await conversationsOfContact(store, ctx.keys, ctx.tenantId, ctx.contactId);
    const tickets: Record<string, unknown>[] = [];
    for (const conversation of found) {
      const { data } = await store.entities.ticket.query
        .byRecency({ tenantId: ctx.tenantId })
        .where((attr, { eq }) => eq(attr.conversationId, conversation.conversationId))
        .go({ pages: 'all' });
      for (const ticket of data) {
        tickets.push({
          conversationId: conversation.conversationId,
          ticketId: ticket.ticketId,
          title: openOrUndefined(ctx.keys, 'ticket', 'title', ticket.ticketId, ticket.title) ?? null,
          status: ticket.status,
          createdAt: iso(ticket.createdAt),
          updatedAt: iso(ticket.updatedAt),
        });
      }
    }
    return {
      conversations: found.map((conversation) => ({
        conversationId: conversation.conversationId,
        channel: conversation.channelKind,
        status: conversation.status === 'closed' ? 'resolved' : conversation.status,
        labels: conversation.labels ?? [],
        createdAt: iso(conversation.createdAt),
        lastMessageAt: iso(conversation.lastMessageAt),
        lastInboundAt: iso(conversation.lastInboundAt),
        lastOutboundAt: iso(conversation.lastOutboundAt),
      })),
      tickets,
    };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId } = ctx;
    let items = 0;
    for (const { conversationId } of await conversationsOfContact(store, ctx.keys, tenantId, ctx.contactId)) {
      // The business's tickets, picked by conversation (a business keeps hundreds, not millions).
      const { data: tickets } = await store.entities.ticket.query
        .byRecency({ tenantId })
        .where((attr, { eq }) => eq(attr.conversationId, conversationId))
        .go({ pages: 'all' });
      items += await removeEach(tickets, (ticket) =>
        store.entities.ticket.delete({ tenantId, ticketId: ticket.ticketId }).go(),
      );
      const watermark = await store.entities.receiptWatermark
        .delete({ tenantId, conversationId })
        .go({ response: 'all_old' });
      if (watermark.data) items++;
      // The conversation last: it is how the rest was found.
      await store.entities.conversation.delete({ tenantId, conversationId }).go();
      items++;
    }
    return { items, objects: 0 };
  },
};

/** The consent ledger and current states: one key prefix, `consent#<contactId>#`. */
const consents: ContactData = {
  dataClass: 'inbox.consents',
  async export(ctx) {
    const store = storeOf(ctx);
    const { tenantId, contactId } = ctx;
    const { data } = await store.entities.consentEntry.query.byContact({ tenantId, contactId }).go({ pages: 'all' });
    return {
      consents: data
        .sort((a, b) => a.at - b.at)
        .map((entry) => ({
          entryId: entry.entryId,
          channel: entry.channel,
          purpose: entry.purpose,
          state: entry.state,
          source: entry.source,
          at: iso(entry.at),
          wording:
            openOrUndefined(ctx.keys, 'consentEntry', 'wording', `${contactId}:${entry.entryId}`, entry.wording) ??
            null,
          actor: entry.actor,
        })),
    };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId, contactId } = ctx;
    const [states, entries] = await Promise.all([
      store.entities.consentState.query.byContact({ tenantId, contactId }).go({ pages: 'all' }),
      store.entities.consentEntry.query.byContact({ tenantId, contactId }).go({ pages: 'all' }),
    ]);
    let items = await removeEach(states.data, (state) =>
      store.entities.consentState.delete({ tenantId, contactId, channel: state.channel, purpose: state.purpose }).go(),
    );
    items += await removeEach(entries.data, (entry) =>
      store.entities.consentEntry.delete({ tenantId, contactId, entryId: entry.entryId }).go(),
    );
    return { items, objects: 0 };
  },
};

/** The profile (sealed name, number, handle, email, channel user id) and its user-id links. */
const contacts: ContactData = {
  dataClass: 'inbox.contacts',
  holdsContact: true,
  async export(ctx) {
    const store = storeOf(ctx);
    const { tenantId, contactId } = ctx;
    const { data } = await store.entities.contact.get({ tenantId, contactId }).go();
    if (!data) return { profile: [] };
    const open = (field: string, sealed: string | undefined) =>
      openOrUndefined(ctx.keys, 'contact', field, contactId, sealed) ?? null;
    return {
      profile: [
        {
          contactId,
          name: open('name', data.name),
          phone: open('phone', data.phone),
          handle: open('handle', data.handle),
          email: open('email', data.email),
          channelUserId: open('userId', data.userId),
          restricted: data.restricted === true,
          restrictedAt: iso(data.restrictedAt),
          createdAt: iso(data.createdAt),
          updatedAt: iso(data.updatedAt),
        },
      ],
    };
  },
  async erase(ctx) {
    const store = storeOf(ctx);
    const { tenantId, contactId } = ctx;
    // The links from a channel's user id (blind index) to the contact: the business's links are
    // read keys and contact id only and picked by contact, since the user id itself is sealed
    // and may have changed.
    const { data: links } = await store.entities.contactUser.query
      .byId({ tenantId })
      .where((attr, { eq }) => eq(attr.contactId, contactId))
      .go({ pages: 'all', attributes: ['userIndex', 'contactId'] });
    let items = await removeEach(links, (link) =>
      store.entities.contactUser.delete({ tenantId, userIndex: link.userIndex }).go(),
    );
    const profile = await store.entities.contact.delete({ tenantId, contactId }).go({ response: 'all_old' });
    if (profile.data) items++;
    return { items, objects: 0 };
  },
};

/** In erasure order (see the module's comment). */
export const INBOX_CONTACT_DATA: readonly ContactData[] = [
  media,
  notes,
  messages,
  adReferrals,
  conversations,
  consents,
  contacts,
];
