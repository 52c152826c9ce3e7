import { CONSENT_REPLY_AUTHOR } from '../inbox/consent.js';
import { conversationIdOf } from '../inbox/inbound.js';
import type { InboxStore } from '../inbox/records.js';
import { queueReply } from '../inbox/replies.js';
import { whatsappAccounts } from '../inbox/templates.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { NoticeSkipped } from './channels.js';

/**
 * A WhatsApp template the business sends a customer on its own initiative (an order notice, a
 * cart reminder): through the first connected number whose account has the template approved in
 * one of the allowed categories, in the inbox, so the team sees what the customer got. Sent once
 * per `clientId` (the inbox's outbound queue keeps that promise). A missing number or template is
 * a {@link NoticeSkipped} with the reason the merchant reads.
 */

export type TemplateCategory = 'UTILITY' | 'MARKETING';

export interface TemplateMessage {
  name: string;
  language: string;
  /** The values of `{{1}}`, `{{2}}`…, in order. */
  variables: string[];
  categories: readonly TemplateCategory[];
  /** The once-per key of this message. */
  clientId: string;
}

export interface TemplateSent {
  conversationId: string;
  messageId: string;
  messageSentAt: number;
  /** The approved template's category where it was found (marketing needs the customer's consent). */
  category: TemplateCategory;
}

export interface TemplateSendDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  producer: Pick<Producer, 'send'>;
}

/** The number and category the template can go out with, without sending anything. */
export async function templateSender(store: InboxStore, tenantId: string, template: TemplateMessage) {
  const numbers = await whatsappAccounts(store, tenantId);
  if (numbers.length === 0) throw new NoticeSkipped('no WhatsApp number connected');
  for (const candidate of numbers) {
    const { data } = await store.entities.template
      .get({ tenantId, wabaId: candidate.accountId as string, name: template.name, language: template.language })
      .go();
    const category = data?.category as TemplateCategory | undefined;
    if (data?.status === 'APPROVED' && category && template.categories.includes(category)) {
      return { number: candidate, category };
    }
  }
  throw new NoticeSkipped('no approved WhatsApp template');
}

export async function sendTemplateMessage(
  deps: TemplateSendDeps,
  keys: TenantKeys,
  tenantId: string,
  customer: { phone: string; contactId: string },
  template: TemplateMessage,
  sender?: Awaited<ReturnType<typeof templateSender>>,
): Promise<TemplateSent> {
  const { store } = deps;
  const { number, category } = sender ?? (await templateSender(store, tenantId, template));
  const { contactId, phone } = customer;
  const conversationId = conversationIdOf(keys, 'whatsapp', number.externalId, contactId);
  // The business writes first: the contact (its number sealed, as the inbox keeps it) and a
  // conversation to carry the template, so the team sees in the inbox what the customer got.
  await store.entities.contact
    .upsert({
      tenantId,
      contactId,
      phone: keys.seal('contact', 'phone', contactId, phone),
      phoneIndex: keys.blindIndex('phone', phone),
    })
    .go();
  await store.entities.conversation
    .create({
      tenantId,
      conversationId,
      channelKind: 'whatsapp',
      channelId: number.externalId,
      contactId,
      status: 'resolved',
    })
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  const { message } = await queueReply(
    { store, keyring: deps.keyring, producer: deps.producer },
    tenantId,
    conversationId,
    CONSENT_REPLY_AUTHOR,
    {
      kind: 'template',
      name: template.name,
      language: template.language,
      variables: template.variables,
      clientId: template.clientId,
    },
  );
  return { conversationId, messageId: message.id, messageSentAt: Date.parse(message.sentAt), category };
}
