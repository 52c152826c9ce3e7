import type { CampaignAudience } from '@asistone/contract/campaign-audience';
import type { CampaignPreviewAnswer, CampaignPreviewRecipient } from '@asistone/contract/campaigns';
import { campaignTemplate } from '@asistone/contract/campaigns';
import { ValidationError } from '../platform/errors.js';
import { audiencePages } from './audience.js';
import { type CampaignsDeps, requireCampaign } from './campaigns.js';
import { BATCH_SIZE, eligibilityOfBatch } from './eligibility.js';
import { listColumnsOf } from './list-columns.js';
import { maskPhone } from './phone-mask.js';
import { bodyParameters, EmptyVariableError, renderBody } from './render.js';
import { campaignSettingsOf } from './settings.js';
import { checkedTemplate } from './templates.js';

/**
 * What the first few recipients of a campaign would read: the first eligible contacts of its
 * audience (in the order the fan-out meets them), each with the number masked, the name, and the
 * body rendered with the same function the send uses, or the variable that would be empty. Read
 * only; the audience is read until enough eligible contacts are found, a bounded number at most.
 */

/** Contacts read at most while looking for eligible ones (a preview answers while the merchant waits). */
const SCAN_LIMIT = 2_000;

/** The first `count` eligible contacts of the audience, with their numbers and names opened. */
async function firstEligible(
  deps: CampaignsDeps,
  tenantId: string,
  audience: CampaignAudience,
  count: number,
  now: number,
) {
  const { settings } = await campaignSettingsOf(deps.store, tenantId);
  const keys = await deps.keyring.forTenant(tenantId);
  const found: { contactId: string; phone: string; name: string | undefined }[] = [];
  let scanned = 0;
  for await (const page of audiencePages(deps, tenantId, audience)) {
    for (let i = 0; i < page.length && found.length < count && scanned < SCAN_LIMIT; i += BATCH_SIZE) {
      const batch = page.slice(i, i + BATCH_SIZE);
      scanned += batch.length;
      const answers = await eligibilityOfBatch(
        { store: deps.store, keys },
        { tenantId, settings, now, names: true },
        batch,
      );
      answers.forEach((answer, index) => {
        if (!answer.ok || found.length >= count) return;
        found.push({ contactId: batch[index] as string, phone: answer.phone, name: answer.name });
      });
    }
    if (found.length >= count || scanned >= SCAN_LIMIT) break;
  }
  return found;
}

export async function previewCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  count: number,
  now = Date.now(),
): Promise<CampaignPreviewAnswer> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  const keys = await deps.keyring.forTenant(tenantId);
  if (!item.template) throw new ValidationError('Choose a template and fill its variables to preview', ['template']);
  const template = campaignTemplate.parse(JSON.parse(keys.open('campaign', 'template', campaignId, item.template)));
  const { body } = await checkedTemplate(deps.store, tenantId, item.channelId, template);
  const audience = item.audience as CampaignAudience;
  const people = await firstEligible(deps, tenantId, audience, count, now);
  const columns = await listColumnsOf(
    deps.store,
    keys,
    tenantId,
    audience,
    people.map((person) => person.contactId),
  );
  const recipients = people.map(({ contactId, phone, name }): CampaignPreviewRecipient => {
    const base = { contactId, phone: maskPhone(phone), name: name ?? null };
    try {
      const parameters = bodyParameters(template, { name, columns: columns.get(contactId) });
      return { ...base, text: renderBody(body, parameters), emptyVariable: null };
    } catch (error) {
      if (error instanceof EmptyVariableError) return { ...base, text: null, emptyVariable: error.variable };
      throw error;
    }
  });
  return { recipients, body };
}
