import { NotFoundError } from '../platform/errors.js';
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

export async function listTemplates(store: InboxStore, tenantId: string) {
  const { data } = await store.entities.template.query.byId({ tenantId }).go({ pages: 'all' });
  const syncedAt = data.reduce((latest, item) => Math.max(latest, item.syncedAt), 0);
  return {
    templates: data.map(view).sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language)),
    ...(syncedAt > 0 && { syncedAt: new Date(syncedAt).toISOString() }),
  };
}

/** One synced template, or undefined when the business never synced it. */
export async function findTemplate(store: InboxStore, tenantId: string, name: string, language: string) {
  const accounts = await whatsappAccounts(store, tenantId);
  for (const account of accounts) {
    const { data } = await store.entities.template
      .get({ tenantId, wabaId: account.accountId as string, name, language })
      .go();
    if (data) return view(data);
  }
  return undefined;
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
