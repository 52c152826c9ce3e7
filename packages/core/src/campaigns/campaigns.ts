import { randomBytes } from 'node:crypto';
import {
  type CampaignDraft,
  type CampaignState,
  type CampaignSummary,
  type CampaignTemplate,
  type CampaignView,
  campaignId as campaignIdSchema,
  campaignTemplate as campaignTemplateSchema,
  MAX_SCHEDULE_DAYS,
} from '@asistone/contract/campaigns';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { returnAllowance, type UsageStore, useAllowance } from '../billing/usage.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { type AudienceStore, audienceSize, requireLists } from './audience.js';
import type { CampaignStore } from './campaign-records.js';
import { liveCounts, ZERO_COUNTS } from './counts.js';
import { transitionCampaign } from './lifecycle.js';
import { CAMPAIGN_FANOUT_QUEUE } from './send-queues.js';
import { checkedTemplate, whatsappNumber } from './templates.js';

/**
 * Campaigns as the merchant composes and steers them: a draft (name, number, audience, template
 * and its variables, holdout, attribution window) changed freely until it is sent now or
 * scheduled; then paused, resumed or cancelled. Starting one counts its audience against the
 * plan's campaign messages of the month, all at once (billing/usage.ts): a campaign the month
 * cannot hold does not start. Every change of state is one conditional write
 * (lifecycle.ts), so a merchant's click and the scheduler or a send worker acting at the same
 * moment cannot both win; every one is audited with ids and states only.
 */

export type CampaignsStore = CampaignStore & AudienceStore & AuditStore;

export interface CampaignsDeps {
  store: CampaignsStore;
  keyring: TenantKeyring;
  producer: Pick<Producer, 'send'>;
}

/** Starting a campaign also counts its recipients against the plan's month. */
export type StartDeps = CampaignsDeps & { store: UsageStore };

export interface Actor {
  userId: string;
  sourceAddress?: string | undefined;
}

type CampaignItem = NonNullable<
  Awaited<ReturnType<ReturnType<CampaignStore['entities']['campaign']['get']>['go']>>['data']
>;

const DAY_MS = 86_400_000;
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/** `cmp_` and 16 random bytes: unguessable, and naming nothing. */
export const newCampaignId = () => `cmp_${randomBytes(16).toString('base64url')}`;

/** The mapping sealed: a fixed text is the merchant's, yet may name anyone. */
const sealTemplate = (keys: TenantKeys, campaignId: string, template: CampaignTemplate) =>
  keys.seal('campaign', 'template', campaignId, JSON.stringify(template));

function openTemplate(keys: TenantKeys, item: CampaignItem): CampaignTemplate | null {
  if (!item.template) return null;
  return campaignTemplateSchema.parse(JSON.parse(keys.open('campaign', 'template', item.campaignId, item.template)));
}

/** The campaign, of this business, or 404: an id that is not one of ours reads as absent. */
export async function requireCampaign(store: CampaignStore, tenantId: string, campaignId: string) {
  if (!campaignIdSchema.safeParse(campaignId).success) throw new NotFoundError('No such campaign');
  const { data } = await store.entities.campaign.get({ tenantId, campaignId }).go({ consistent: true });
  if (!data) throw new NotFoundError('No such campaign');
  return data;
}

async function countsOf(store: CampaignStore, item: CampaignItem) {
  if (item.finalCounts) return { ...ZERO_COUNTS, ...(item.finalCounts as object) };
  // Nothing is counted before the fan-out starts.
  if (item.state === 'draft' || item.state === 'scheduled') return { ...ZERO_COUNTS };
  return liveCounts(store, item.tenantId, item.campaignId);
}

async function summaryOf(store: CampaignStore, item: CampaignItem): Promise<CampaignSummary> {
  return {
    campaignId: item.campaignId,
    name: item.name,
    state: item.state,
    pauseReason: item.state === 'paused' ? (item.pauseReason ?? null) : null,
    templateName: item.templateName ?? null,
    scheduledAt: item.state === 'scheduled' ? iso(item.scheduledAt) : null,
    startedAt: iso(item.startedAt),
    completedAt: iso(item.completedAt),
    counts: await countsOf(store, item),
    createdAt: new Date(item.createdAt).toISOString(),
    updatedAt: new Date(item.updatedAt).toISOString(),
  };
}

async function viewOf(deps: CampaignsDeps, item: CampaignItem): Promise<CampaignView> {
  const keys = await deps.keyring.forTenant(item.tenantId);
  return {
    ...(await summaryOf(deps.store, item)),
    channelId: item.channelId,
    audience: item.audience as CampaignView['audience'],
    template: openTemplate(keys, item),
    holdoutPercent: item.holdoutPercent,
    attributionDays: item.attributionDays,
  };
}

/** What a draft names must be the business's: the number, the lists, the template (approved marketing). */
async function checkDraft(store: CampaignsStore, tenantId: string, draft: CampaignDraft) {
  await whatsappNumber(store, tenantId, draft.channelId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new ValidationError(error.message, ['channelId']);
    throw error;
  });
  if (draft.audience.kind === 'lists') {
    await requireLists(store, tenantId, draft.audience.listIds).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new ValidationError(error.message, ['audience.listIds']);
      throw error;
    });
  }
  if (draft.template) await checkedTemplate(store, tenantId, draft.channelId, draft.template);
}

const audit = (
  deps: CampaignsDeps,
  tenantId: string,
  actor: Actor,
  action: Parameters<typeof recordAuditEvent>[2]['action'],
  campaignId: string,
  detail: Record<string, string>,
  now: number,
) =>
  recordAuditEvent(
    deps.store,
    tenantId,
    {
      action,
      actorId: actor.userId,
      target: { type: 'campaign', id: campaignId },
      sourceAddress: actor.sourceAddress,
      detail,
    },
    now,
  );

export async function createCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  actor: Actor,
  draft: CampaignDraft,
  now = Date.now(),
): Promise<CampaignView> {
  await checkDraft(deps.store, tenantId, draft);
  const keys = await deps.keyring.forTenant(tenantId);
  const campaignId = newCampaignId();
  await deps.store.entities.campaign
    .create({
      tenantId,
      campaignId,
      name: draft.name,
      state: 'draft',
      channelId: draft.channelId,
      audience: draft.audience,
      ...(draft.template && {
        template: sealTemplate(keys, campaignId, draft.template),
        templateName: draft.template.name,
      }),
      holdoutPercent: draft.holdoutPercent,
      attributionDays: draft.attributionDays,
      createdBy: actor.userId,
      createdAt: now,
    })
    .go({ response: 'none' });
  await audit(deps, tenantId, actor, 'campaign.created', campaignId, { state: 'draft' }, now);
  return getCampaign(deps, tenantId, campaignId);
}

/** Changes a draft; a campaign that was scheduled or sent meanwhile is refused (409), nothing changed. */
export async function updateCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  change: Partial<CampaignDraft>,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state !== 'draft') throw new ConflictError(`The campaign is ${item.state}: only a draft can be changed`);
  const keys = await deps.keyring.forTenant(tenantId);
  const current: CampaignDraft = {
    name: item.name,
    channelId: item.channelId,
    audience: item.audience as CampaignDraft['audience'],
    template: openTemplate(keys, item),
    holdoutPercent: item.holdoutPercent,
    attributionDays: item.attributionDays,
  };
  const next: CampaignDraft = { ...current, ...change };
  await checkDraft(deps.store, tenantId, next);
  const update = deps.store.entities.campaign.patch({ tenantId, campaignId }).set({
    name: next.name,
    channelId: next.channelId,
    audience: next.audience,
    holdoutPercent: next.holdoutPercent,
    attributionDays: next.attributionDays,
    ...(next.template && {
      template: sealTemplate(keys, campaignId, next.template),
      templateName: next.template.name,
    }),
  });
  try {
    await (next.template ? update : update.remove(['template', 'templateName']))
      .where((attr, { eq }) => eq(attr.state, 'draft'))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('The campaign is no longer a draft: it was not changed');
    throw error;
  }
  await audit(
    deps,
    tenantId,
    actor,
    'campaign.updated',
    campaignId,
    { fields: Object.keys(change).sort().join(',') },
    now,
  );
  return getCampaign(deps, tenantId, campaignId);
}

export async function getCampaign(deps: CampaignsDeps, tenantId: string, campaignId: string): Promise<CampaignView> {
  return viewOf(deps, await requireCampaign(deps.store, tenantId, campaignId));
}

/** The business's campaigns, newest first. */
export async function listCampaigns(deps: Pick<CampaignsDeps, 'store'>, tenantId: string): Promise<CampaignSummary[]> {
  const { data } = await deps.store.entities.campaign.query.byId({ tenantId }).go({ pages: 'all' });
  data.sort((a, b) => b.createdAt - a.createdAt || b.campaignId.localeCompare(a.campaignId));
  return Promise.all(data.map((item) => summaryOf(deps.store, item)));
}

/** Deletes a draft (a campaign that went out stays, with its results, until cancelled or the account goes). */
export async function deleteCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = Date.now(),
): Promise<void> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state !== 'draft') throw new ConflictError(`The campaign is ${item.state}: only a draft can be deleted`);
  try {
    await deps.store.entities.campaign
      .delete({ tenantId, campaignId })
      .where((attr, { eq }) => eq(attr.state, 'draft'))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('The campaign is no longer a draft: it was not deleted');
    throw error;
  }
  await audit(deps, tenantId, actor, 'campaign.deleted', campaignId, {}, now);
}

function refused(item: CampaignItem, what: string): never {
  throw new ConflictError(`The campaign is ${item.state}: it cannot be ${what}`);
}

/** After a conditional write lost: the state the campaign has now, for the refusal. */
async function lost(store: CampaignStore, tenantId: string, campaignId: string, what: string): Promise<never> {
  refused(await requireCampaign(store, tenantId, campaignId), what);
}

/**
 * Sends a draft now (`at` null: `sending`, and the fan-out is queued) or schedules it (`at`: a
 * time within {@link MAX_SCHEDULE_DAYS} days; the scheduler starts it). A scheduled campaign may
 * be sent now or scheduled again. The template is checked again: it may have been paused or
 * recategorised since it was chosen. Sent now, its audience is counted against the plan's month
 * first: more than remains is refused (PlanLimitError), the campaign left as it was.
 */
export async function sendCampaign(
  deps: StartDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  at: string | null,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state !== 'draft' && item.state !== 'scheduled') refused(item, at ? 'scheduled' : 'sent');
  const keys = await deps.keyring.forTenant(tenantId);
  const template = openTemplate(keys, item);
  if (!template) throw new ValidationError('Choose a template and fill its variables before sending', ['template']);
  await checkDraft(deps.store, tenantId, {
    name: item.name,
    channelId: item.channelId,
    audience: item.audience as CampaignDraft['audience'],
    template,
    holdoutPercent: item.holdoutPercent,
    attributionDays: item.attributionDays,
  });
  const from: CampaignState[] = ['draft', 'scheduled'];
  if (at === null) {
    const recipients = await audienceSize(deps, tenantId, item.audience as CampaignDraft['audience']);
    await useAllowance(deps, tenantId, 'campaignMessages', recipients, now);
    const moved = await transitionCampaign(deps.store, tenantId, campaignId, from, 'sending', {
      startedAt: now,
      fanout: 'pending',
    });
    if (!moved) {
      // Someone else moved it first (sent, unscheduled, deleted): this start counted for nothing.
      await returnAllowance(deps, tenantId, 'campaignMessages', recipients, now);
      await lost(deps.store, tenantId, campaignId, 'sent');
    }
    await deps.producer.send(CAMPAIGN_FANOUT_QUEUE, { tenantId, campaignId });
    await audit(deps, tenantId, actor, 'campaign.started', campaignId, { from: item.state }, now);
  } else {
    const when = Date.parse(at);
    if (when <= now) throw new ValidationError('The time is in the past: choose a later time, or send now', ['at']);
    if (when > now + MAX_SCHEDULE_DAYS * DAY_MS) {
      throw new ValidationError(`A campaign can be scheduled at most ${MAX_SCHEDULE_DAYS} days ahead`, ['at']);
    }
    const moved = await transitionCampaign(deps.store, tenantId, campaignId, from, 'scheduled', { scheduledAt: when });
    if (!moved) await lost(deps.store, tenantId, campaignId, 'scheduled');
    await audit(deps, tenantId, actor, 'campaign.scheduled', campaignId, { at: new Date(when).toISOString() }, now);
  }
  return getCampaign(deps, tenantId, campaignId);
}

/** A scheduled campaign back to a draft, to change it (the scheduler will not start it). */
export async function unscheduleCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state !== 'scheduled') refused(item, 'unscheduled');
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, ['scheduled'], 'draft', {
    remove: ['scheduledAt'],
  });
  if (!moved) await lost(deps.store, tenantId, campaignId, 'unscheduled');
  await audit(deps, tenantId, actor, 'campaign.unscheduled', campaignId, {}, now);
  return getCampaign(deps, tenantId, campaignId);
}

/** Stops sending; what was sent stays sent, the rest waits for a resume. */
export async function pauseCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state === 'scheduled') {
    throw new ConflictError('The campaign is scheduled, not sending: unschedule it to change it, or cancel it');
  }
  if (item.state !== 'sending') refused(item, 'paused');
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, ['sending'], 'paused', {
    pauseReason: 'merchant',
  });
  if (!moved) await lost(deps.store, tenantId, campaignId, 'paused');
  await audit(deps, tenantId, actor, 'campaign.paused', campaignId, { reason: 'merchant' }, now);
  return getCampaign(deps, tenantId, campaignId);
}

/** WhatsApp's account events after which the account sends again. */
const RESTORING_EVENTS = new Set(['ACCOUNT_RECONNECTED', 'DISABLED_UPDATE:REINSTATE']);

/**
 * Sends the rest of a paused campaign. A pause the product made stands until its cause is gone:
 * a paused template until WhatsApp approves it again, a policy block or a locked account until
 * WhatsApp reports the account restored, an expired token until the number is reconnected.
 */
export async function resumeCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  if (item.state !== 'paused') refused(item, 'resumed');
  const reason = item.pauseReason ?? 'merchant';
  if (reason === 'template-paused') {
    const keys = await deps.keyring.forTenant(tenantId);
    const template = openTemplate(keys, item);
    if (!template) throw new ConflictError('The campaign has no template to send');
    await checkedTemplate(deps.store, tenantId, item.channelId, template).catch((error: unknown) => {
      if (error instanceof ValidationError) {
        throw new ConflictError(
          `WhatsApp paused this campaign's template and has not approved it again: ${error.message}`,
        );
      }
      throw error;
    });
  } else if (reason !== 'merchant') {
    const { data: channel } = await deps.store.entities.channel
      .get({ tenantId, kind: 'whatsapp', externalId: item.channelId })
      .go();
    if (!channel || channel.status === 'disconnected') {
      throw new ConflictError(
        "This campaign's WhatsApp number is no longer connected: connect it again in Channels, or cancel the campaign",
      );
    }
    if (reason === 'auth' && channel.status !== 'connected') {
      throw new ConflictError(
        "WhatsApp refused this number's access: reconnect the number in Channels, then resume the campaign",
      );
    }
    if (
      (reason === 'policy-block' || reason === 'account-locked') &&
      !RESTORING_EVENTS.has(channel.accountEvent ?? '')
    ) {
      throw new ConflictError(
        reason === 'policy-block'
          ? 'WhatsApp blocked marketing from this account for a policy reason: resolve it in WhatsApp Manager; the campaign can resume once WhatsApp restores the account, or cancel it'
          : 'WhatsApp locked this account: resolve it in WhatsApp Manager; the campaign can resume once WhatsApp restores the account, or cancel it',
      );
    }
  }
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, ['paused'], 'sending');
  if (!moved) await lost(deps.store, tenantId, campaignId, 'resumed');
  // The fan-out continues from its cursor, or queues again the batches still waiting.
  await deps.producer.send(CAMPAIGN_FANOUT_QUEUE, { tenantId, campaignId });
  await audit(deps, tenantId, actor, 'campaign.resumed', campaignId, { reason }, now);
  return getCampaign(deps, tenantId, campaignId);
}

/** Stops a campaign for good: recipients not yet sent are never sent. */
export async function cancelCampaign(
  deps: CampaignsDeps,
  tenantId: string,
  campaignId: string,
  actor: Actor,
  now = Date.now(),
): Promise<CampaignView> {
  const item = await requireCampaign(deps.store, tenantId, campaignId);
  const from: CampaignState[] = ['draft', 'scheduled', 'sending', 'paused'];
  if (!from.includes(item.state)) refused(item, 'cancelled');
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, from, 'cancelled');
  if (!moved) await lost(deps.store, tenantId, campaignId, 'cancelled');
  await audit(deps, tenantId, actor, 'campaign.cancelled', campaignId, { from: item.state }, now);
  return getCampaign(deps, tenantId, campaignId);
}
