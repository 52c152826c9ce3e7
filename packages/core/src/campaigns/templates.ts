import type { CampaignTemplate, CampaignTemplateOption } from '@asistone/contract/campaigns';
import type { InboxStore } from '../inbox/records.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { variableCountOf } from './render.js';

/**
 * The templates a campaign may send from one WhatsApp number: those synced from the number's
 * WhatsApp account (WABA) that Meta approved in the MARKETING category. A campaign is marketing
 * by nature; sending it under a UTILITY template would be recategorised or refused by Meta, and a
 * template of another WABA is refused outright, so neither is offered.
 */

type TemplateItem = NonNullable<
  Awaited<ReturnType<ReturnType<InboxStore['entities']['template']['get']>['go']>>['data']
>;

/** The BODY component's text, as Meta returned the components ('' when there is none). */
export function bodyTextOf(componentsJson: string | undefined): string {
  if (!componentsJson) return '';
  try {
    const components = JSON.parse(componentsJson) as unknown;
    if (!Array.isArray(components)) return '';
    for (const component of components) {
      const { type, text } = (component ?? {}) as { type?: unknown; text?: unknown };
      if (String(type).toUpperCase() === 'BODY' && typeof text === 'string') return text;
    }
  } catch {
    // A stored value that is not JSON offers no body.
  }
  return '';
}

const sendable = (item: TemplateItem) =>
  item.status.toUpperCase() === 'APPROVED' && item.category.toUpperCase() === 'MARKETING';

function option(item: TemplateItem): CampaignTemplateOption {
  const body = bodyTextOf(item.components);
  return { name: item.name, language: item.language, category: item.category, body, variables: variableCountOf(body) };
}

/** The business's WhatsApp number a campaign names, or 404 (another business's reads as absent). */
export async function whatsappNumber(store: InboxStore, tenantId: string, channelId: string) {
  const { data } = await store.entities.channel.get({ tenantId, kind: 'whatsapp', externalId: channelId }).go();
  if (!data || data.status === 'disconnected') throw new NotFoundError('No such WhatsApp number');
  return data;
}

/** The approved MARKETING templates of the number's WhatsApp account, by name then language. */
export async function campaignTemplates(
  store: InboxStore,
  tenantId: string,
  channelId: string,
): Promise<{ templates: CampaignTemplateOption[]; syncedAt: string | null }> {
  const channel = await whatsappNumber(store, tenantId, channelId);
  if (!channel.accountId) return { templates: [], syncedAt: null };
  const { data } = await store.entities.template.query
    .byId({ tenantId, wabaId: channel.accountId })
    .go({ pages: 'all' });
  const syncedAt = data.reduce((latest, item) => Math.max(latest, item.syncedAt), 0);
  return {
    templates: data
      .filter(sendable)
      .map(option)
      .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language)),
    syncedAt: syncedAt > 0 ? new Date(syncedAt).toISOString() : null,
  };
}

/**
 * The template a campaign names, checked: synced in the number's WhatsApp account, APPROVED,
 * MARKETING, and the mapping fills each body variable exactly once. Answers the template with
 * its body; a failed check is a ValidationError naming what to fix.
 */
export async function checkedTemplate(
  store: InboxStore,
  tenantId: string,
  channelId: string,
  template: CampaignTemplate,
): Promise<CampaignTemplateOption> {
  const channel = await whatsappNumber(store, tenantId, channelId);
  const { data } = channel.accountId
    ? await store.entities.template
        .get({ tenantId, wabaId: channel.accountId, name: template.name, language: template.language })
        .go()
    : { data: null };
  if (!data) {
    throw new ValidationError(
      `The template ${template.name} (${template.language}) is not among this number's synced WhatsApp templates: sync templates, or choose another`,
      ['template.name'],
    );
  }
  if (data.status.toUpperCase() !== 'APPROVED') {
    throw new ValidationError(
      `The template ${template.name} (${template.language}) is ${data.status.toLowerCase()} at WhatsApp, not approved: choose an approved template`,
      ['template.name'],
    );
  }
  if (data.category.toUpperCase() !== 'MARKETING') {
    throw new ValidationError(
      `The template ${template.name} is in the ${data.category.toLowerCase()} category: campaigns send MARKETING templates only`,
      ['template.name'],
    );
  }
  const found = option(data);
  if (template.variables.length !== found.variables) {
    throw new ValidationError(
      `The template ${template.name} has ${found.variables} variable${found.variables === 1 ? '' : 's'}; the mapping fills ${template.variables.length}: give each variable exactly one value`,
      ['template.variables'],
    );
  }
  return found;
}
