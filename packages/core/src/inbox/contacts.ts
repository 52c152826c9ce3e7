import type { Contact } from '@asistone/contract/contacts';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { conversationsOfContact } from './contact-data.js';
import { contactIdOf } from './inbound.js';
import type { InboxStore } from './records.js';

/**
 * A merchant's customer as the contact's page shows it, and the rights the team exercises for
 * them there: correction (name, email) and restriction (kept, but left out of AI replies,
 * campaigns and recovery messages). The privacy engine (privacy/contact-rights.ts) records each
 * as a request and audits it by the names of what changed, never the values.
 */

export interface ContactsDeps {
  store: InboxStore;
  keyring: TenantKeyring;
}

type ContactItem = NonNullable<Awaited<ReturnType<ReturnType<InboxStore['entities']['contact']['get']>['go']>>['data']>;

async function requireContact(store: InboxStore, tenantId: string, contactId: string): Promise<ContactItem> {
  const { data } = await store.entities.contact.get({ tenantId, contactId }).go();
  if (!data) throw new NotFoundError('No such contact');
  return data as ContactItem;
}

function opened(keys: TenantKeys, contactId: string, field: string, sealed: string | undefined): string | null {
  if (sealed === undefined) return null;
  try {
    return keys.open('contact', field, contactId, sealed);
  } catch {
    return null;
  }
}

async function answer(deps: ContactsDeps, keys: TenantKeys, contact: ContactItem): Promise<Contact> {
  const { tenantId, contactId } = contact;
  const conversations = await conversationsOfContact(deps.store, keys, tenantId, contactId);
  return {
    contactId,
    name: opened(keys, contactId, 'name', contact.name),
    phone: opened(keys, contactId, 'phone', contact.phone),
    handle: opened(keys, contactId, 'handle', contact.handle),
    email: opened(keys, contactId, 'email', contact.email),
    restricted: contact.restricted === true,
    restrictedAt: contact.restricted && contact.restrictedAt ? new Date(contact.restrictedAt).toISOString() : null,
    createdAt: new Date(contact.createdAt).toISOString(),
    updatedAt: new Date(contact.updatedAt).toISOString(),
    conversations: conversations.map((conversation) => ({
      conversationId: conversation.conversationId,
      channelKind: conversation.channelKind,
      lastMessageAt: conversation.lastMessageAt ? new Date(conversation.lastMessageAt).toISOString() : null,
    })),
  };
}

/** The contact with its conversations, or 404 (another business's contact reads the same). */
export async function getContact(
  deps: Pick<ContactsDeps, 'store' | 'keyring'>,
  tenantId: string,
  contactId: string,
): Promise<Contact> {
  const contact = await requireContact(deps.store, tenantId, contactId);
  return answer(deps, await deps.keyring.forTenant(tenantId), contact);
}

/**
 * Writes the corrected fields (`null` clears one) and answers the contact as it then stands with
 * the names of the fields that changed (none: nothing was written). The privacy engine's
 * correctContact (privacy/contact-rights.ts) records and audits it: the inbox cannot import the
 * privacy area, which reads the inbox's data.
 */
export async function changeContactFields(
  deps: Pick<ContactsDeps, 'store' | 'keyring'>,
  tenantId: string,
  contactId: string,
  patch: { name?: string | null | undefined; email?: string | null | undefined },
): Promise<{ contact: Contact; changed: string[] }> {
  const contact = await requireContact(deps.store, tenantId, contactId);
  const keys = await deps.keyring.forTenant(tenantId);
  const set: Record<string, string> = {};
  const remove: ('name' | 'email')[] = [];
  const changed: string[] = [];
  for (const field of ['name', 'email'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value === opened(keys, contactId, field, contact[field])) continue;
    changed.push(field);
    if (value === null) remove.push(field);
    else set[field] = keys.seal('contact', field, contactId, value);
  }
  if (changed.length === 0) return { contact: await answer(deps, keys, contact), changed };
  let update = deps.store.entities.contact.patch({ tenantId, contactId }).set(set);
  if (remove.length > 0) update = update.remove(remove);
  const { data } = await update.go({ response: 'all_new' });
  return { contact: await answer(deps, keys, data as ContactItem), changed };
}

/**
 * Restricts processing of the contact (or lifts it): kept, but AI replies, campaigns and
 * recovery messages leave them out (they ask {@link isContactRestricted}). `changed` is false
 * when it already stood so. Recorded and audited by privacy/contact-rights.ts restrictContact.
 */
export async function setContactRestriction(
  deps: Pick<ContactsDeps, 'store' | 'keyring'>,
  tenantId: string,
  contactId: string,
  restricted: boolean,
): Promise<{ contact: Contact; changed: boolean }> {
  const contact = await requireContact(deps.store, tenantId, contactId);
  const keys = await deps.keyring.forTenant(tenantId);
  if ((contact.restricted === true) === restricted)
    return { contact: await answer(deps, keys, contact), changed: false };
  const update = deps.store.entities.contact.patch({ tenantId, contactId });
  const { data } = await (restricted
    ? update.set({ restricted: true, restrictedAt: Date.now() })
    : update.set({ restricted: false }).remove(['restrictedAt'])
  ).go({ response: 'all_new' });
  return { contact: await answer(deps, keys, data as ContactItem), changed: true };
}

/**
 * Whether the contact asked for their data's processing to be restricted. The AI replies,
 * campaigns and cart-recovery messages (areas still to come) must ask this before they use a
 * contact, and leave a restricted one out. A contact that does not exist is not restricted
 * (there is nothing to process).
 */
export async function isContactRestricted(store: InboxStore, tenantId: string, contactId: string): Promise<boolean> {
  const { data } = await store.entities.contact
    .get({ tenantId, contactId })
    .go({ attributes: ['restricted'], consistent: true });
  return data?.restricted === true;
}

/**
 * The inbox contact of a WhatsApp number the business writes to first (a campaign list's row, an
 * order's customer): the same contact an inbound message from that number finds (its id derives
 * from the number), with the number sealed and its blind index, and the name only when the
 * contact has none yet (the customer's own WhatsApp name, or the team's correction, stands).
 * Answers its id. Idempotent: running it again writes the same values.
 */
export async function ensureWhatsAppContact(
  deps: { store: InboxStore; keys: TenantKeys },
  tenantId: string,
  e164: string,
  name?: string,
): Promise<string> {
  const { store, keys } = deps;
  const contactId = contactIdOf(keys, 'whatsapp', e164.slice(1));
  await store.entities.contact
    .upsert({
      tenantId,
      contactId,
      phone: keys.seal('contact', 'phone', contactId, e164),
      phoneIndex: keys.blindIndex('phone', e164),
    })
    .go();
  if (name) {
    await store.entities.contact
      .patch({ tenantId, contactId })
      .set({ name: keys.seal('contact', 'name', contactId, name) })
      .where((item, { notExists }) => notExists(item.name))
      .go()
      .catch((error: unknown) => {
        // It has a name already: theirs stands.
        if (!isConditionFailure(error)) throw error;
      });
  }
  return contactId;
}
