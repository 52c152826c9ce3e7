import { ConflictError, NotFoundError } from '../platform/errors.js';
import { findConversation } from './conversations.js';
import type { InboxStore } from './records.js';
import { newerTemplateFacts } from './template-status.js';

/** WhatsApp message templates, synced from the business's WABA for the reply box's picker. */

export interface SyncedTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
}

export interface TemplateView {
  /** The WABA it belongs to: the same name and language may exist in two. */
  accountId: string;
  name: string;
  language: string;
  status: string;
  category: string;
  variables: number;
  components?: unknown[];
}

/** How many `{{n}}` placeholders the body has (the variables a send must fill). */
export function variableCountOf(components: unknown[]): number {
  const body = components.find(
    (component): component is { type: string; text?: string } =>
      typeof component === 'object' &&
      component !== null &&
      String((component as { type?: unknown }).type).toUpperCase() === 'BODY',
  );
  const found = new Set((body?.text ?? '').match(/\{\{\s*[\w]+\s*\}\}/g) ?? []);
  return found.size;
}

type TemplateItem = NonNullable<
  Awaited<ReturnType<ReturnType<InboxStore['entities']['template']['get']>['go']>>['data']
>;

function view(item: TemplateItem): TemplateView {
  let components: unknown[] | undefined;
  try {
    components = item.components ? (JSON.parse(item.components) as unknown[]) : undefined;
  } catch {
    components = undefined;
  }
  return {
    accountId: item.wabaId,
    name: item.name,
    language: item.language,
    status: item.status,
    category: item.category,
    variables: item.variableCount,
    ...(components && { components }),
  };
}

/** The business's WhatsApp accounts (WABAs) of its connected numbers, with the channel to read them through. */
export async function whatsappAccounts(store: InboxStore, tenantId: string) {
  const { data } = await store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' });
  return data.filter(
    (channel) => channel.kind === 'whatsapp' && channel.status !== 'disconnected' && channel.accountId,
  );
}

/** The business's synced templates: every WABA's, or one WABA's when `accountId` is given. */
export async function listTemplates(store: InboxStore, tenantId: string, accountId?: string) {
  const index = store.entities.template.query.byId;
  const { data } = await (accountId ? index({ tenantId, wabaId: accountId }) : index({ tenantId })).go({
    pages: 'all',
  });
  const syncedAt = data.reduce((latest, item) => Math.max(latest, item.syncedAt), 0);
  return {
    templates: data
      .map(view)
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name) ||
          a.language.localeCompare(b.language) ||
          a.accountId.localeCompare(b.accountId),
      ),
    ...(syncedAt > 0 && { syncedAt: new Date(syncedAt).toISOString() }),
  };
}

/**
 * The WABA a conversation's replies go through (its WhatsApp number's account), or undefined
 * for a conversation on another channel or a number recorded without its account.
 */
export async function accountOfConversation(store: InboxStore, tenantId: string, conversationId: string) {
  const conversation = await findConversation(store, tenantId, conversationId);
  if (conversation.channelKind !== 'whatsapp') return undefined;
  const { data } = await store.entities.channel
    .get({ tenantId, kind: 'whatsapp', externalId: conversation.channelId })
    .go();
  return data?.accountId;
}

/** The templates a reply in this conversation may send: those of its number's WABA. */
export async function templatesOfConversation(store: InboxStore, tenantId: string, conversationId: string) {
  const accountId = await accountOfConversation(store, tenantId, conversationId);
  if (!accountId) return { templates: [] };
  return listTemplates(store, tenantId, accountId);
}

/**
 * The template a reply in this conversation names, checked: it must be synced and APPROVED in
 * the WABA of the conversation's number (Meta refuses a template of another WABA, and the
 * person should learn before the reply is queued, not from a failed message later).
 */
export async function sendableTemplate(
  store: InboxStore,
  tenantId: string,
  conversationId: string,
  name: string,
  language: string,
): Promise<TemplateView> {
  const accountId = await accountOfConversation(store, tenantId, conversationId);
  const data = accountId
    ? (await store.entities.template.get({ tenantId, wabaId: accountId, name, language }).go()).data
    : undefined;
  if (!data) {
    // 409 `conflict` (as a paused one): the request is fine, the account's templates do not allow it.
    throw new ConflictError(
      `The template ${name} (${language}) is not among the synced templates of this number's WhatsApp account: sync templates, or pick one of that account's`,
    );
  }
  if (data.status !== 'APPROVED') {
    throw new ConflictError(
      `The template ${name} (${language}) is ${data.status.toLowerCase()} in this number's WhatsApp account: only an approved template can be sent`,
    );
  }
  return view(data);
}

/**
 * Replaces the stored templates of every WABA of the business with what Meta lists now
 * (`fetch` reads one WABA through the channel's token); templates Meta no longer lists are
 * removed.
 */
export async function syncTemplates(
  store: InboxStore,
  tenantId: string,
  fetch: (channel: Awaited<ReturnType<typeof whatsappAccounts>>[number]) => Promise<SyncedTemplate[]>,
) {
  const accounts = await whatsappAccounts(store, tenantId);
  if (accounts.length === 0) throw new NotFoundError('No connected WhatsApp number to read templates from');
  const syncedAt = Date.now();
  const done = new Set<string>();
  for (const account of accounts) {
    const wabaId = account.accountId as string;
    if (done.has(wabaId)) continue;
    done.add(wabaId);
    const templates = await fetch(account);
    const fresh = new Set<string>();
    for (const template of templates) {
      if (!template.name || !template.language) continue;
      fresh.add(`${template.name}#${template.language}`);
      await store.entities.template
        .put({
          tenantId,
          wabaId,
          name: template.name,
          language: template.language,
          status: template.status,
          category: template.category,
          variableCount: variableCountOf(template.components),
          components: JSON.stringify(template.components).slice(0, 20_000),
          syncedAt,
          // A status or category Meta's webhooks reported after this sync read the list wins.
          ...(await newerTemplateFacts(
            store,
            { tenantId, wabaId, name: template.name, language: template.language },
            syncedAt,
          )),
        })
        .go();
    }
    const { data: stored } = await store.entities.template.query.byId({ tenantId, wabaId }).go({ pages: 'all' });
    for (const item of stored) {
      if (!fresh.has(`${item.name}#${item.language}`)) {
        await store.entities.template.delete({ tenantId, wabaId, name: item.name, language: item.language }).go();
      }
    }
  }
  return listTemplates(store, tenantId);
}
