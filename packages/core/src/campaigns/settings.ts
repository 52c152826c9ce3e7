import {
  type CampaignSettings,
  type CampaignSettingsAnswer,
  campaignSettings,
} from '@asistone/contract/campaign-audience';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { ValidationError } from '../platform/errors.js';
import type { CampaignSettingsStore } from './settings-records.js';

/**
 * A business's campaign settings. The defaults are the careful ones: one campaign per customer
 * a week, no price (the check says it cannot estimate a cost rather than guess one), and İYS
 * attested, because a commercial message to a Turkish number needs İYS consent: the business
 * switches it off only when it knows its messages do not need it.
 */
export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  frequencyCap: { max: 1, days: 7 },
  marketingPrice: null,
  iys: { mode: 'attested', brandCode: null },
  sendRate: 80,
};

type SettingsItem = NonNullable<
  Awaited<ReturnType<ReturnType<CampaignSettingsStore['entities']['campaignSettings']['get']>['go']>>['data']
>;

function settingsOfItem(item: SettingsItem): CampaignSettings {
  return {
    frequencyCap: { max: item.capMax, days: item.capDays },
    marketingPrice:
      item.priceAmount && item.priceCurrency ? { amount: item.priceAmount, currency: item.priceCurrency } : null,
    iys: { mode: item.iysMode, brandCode: item.iysBrandCode ?? null },
    sendRate: item.sendRate ?? DEFAULT_CAMPAIGN_SETTINGS.sendRate,
  };
}

/** The stored settings or the defaults; a stored item that no longer parses reads as the defaults. */
export async function campaignSettingsOf(
  store: CampaignSettingsStore,
  tenantId: string,
): Promise<CampaignSettingsAnswer> {
  const { data } = await store.entities.campaignSettings.get({ tenantId }).go({ consistent: true });
  const parsed = data ? campaignSettings.safeParse(settingsOfItem(data)) : undefined;
  if (!data || !parsed?.success) return { settings: DEFAULT_CAMPAIGN_SETTINGS, updatedAt: null };
  return { settings: parsed.data, updatedAt: new Date(data.updatedAt).toISOString() };
}

/** Saves them whole and audits what changed by name (the values are the business's, not personal, but kept short). */
export async function saveCampaignSettings(
  store: CampaignSettingsStore & AuditStore,
  tenantId: string,
  actor: { userId: string; sourceAddress?: string | undefined },
  input: unknown,
  nowMs = Date.now(),
): Promise<CampaignSettingsAnswer> {
  const parsed = campaignSettings.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The campaign settings are not valid',
      parsed.error.issues.map((issue) => issue.path.join('.')),
    );
  }
  const next = parsed.data;
  const before = (await campaignSettingsOf(store, tenantId)).settings;
  await store.entities.campaignSettings
    .put({
      tenantId,
      capMax: next.frequencyCap.max,
      capDays: next.frequencyCap.days,
      ...(next.marketingPrice && {
        priceAmount: next.marketingPrice.amount,
        priceCurrency: next.marketingPrice.currency,
      }),
      iysMode: next.iys.mode,
      ...(next.iys.brandCode && { iysBrandCode: next.iys.brandCode }),
      sendRate: next.sendRate,
      updatedBy: actor.userId,
    })
    .go();
  const changed = (['frequencyCap', 'marketingPrice', 'iys', 'sendRate'] as const).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(next[field]),
  );
  await recordAuditEvent(
    store,
    tenantId,
    {
      action: 'campaign.settings_changed',
      actorId: actor.userId,
      target: { type: 'campaign-settings', id: tenantId },
      sourceAddress: actor.sourceAddress,
      detail: {
        changed: changed.join(',') || 'nothing',
        capMax: String(next.frequencyCap.max),
        capDays: String(next.frequencyCap.days),
        iysMode: next.iys.mode,
        sendRate: String(next.sendRate),
      },
    },
    nowMs,
  );
  return campaignSettingsOf(store, tenantId);
}
