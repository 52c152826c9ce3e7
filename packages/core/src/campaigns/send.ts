import { setTimeout as sleep } from 'node:timers/promises';
import type { CampaignAudience } from '@asistone/contract/campaign-audience';
import {
  type CampaignTemplate,
  campaignTemplate,
  type PauseReason,
  type RecipientState,
} from '@asistone/contract/campaigns';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import type { GraphClient } from '../channels/meta/graph.js';
import { GraphError } from '../channels/meta/graph-errors.js';
import { recordConsent } from '../inbox/consent.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { openChannelToken } from '../tenancy/tenants.js';
import type { AudienceStore } from './audience.js';
import type { CampaignStore } from './campaign-records.js';
import { CountTally } from './counts.js';
import { eligibilityOfBatch } from './eligibility.js';
import { transitionCampaign } from './lifecycle.js';
import { listColumnsOf } from './list-columns.js';
import {
  type CampaignPaceStore,
  dailyLimitOf,
  type PaceKey,
  reserveSlots,
  returnTier,
  slowDown,
  takeTier,
} from './pace.js';
import { campaignErrorAction } from './provider-errors.js';
import { claim, fail, move, recordSent, release } from './recipient-moves.js';
import { bodyParameters, EmptyVariableError } from './render.js';
import { CAMPAIGN_SCHEDULER_SCHEDULE, CAMPAIGN_SEND_QUEUE, type CampaignSendMessage } from './send-queues.js';
import { campaignSettingsOf } from './settings.js';
import { countedToday, refundTouch, takeTouch } from './touch.js';

/**
 * The send step: one batch of a campaign's recipients sent at the number's pace.
 *
 * Each recipient is sent at most once. It is claimed with a conditional update from `queued` to
 * `sending`, and a `sending` recipient is never claimed again: a redelivered batch, a second
 * copy of it, or a crash after the claim sends nobody twice (a crash leaves the outcome unknown;
 * the status webhook settles it by the callback data every send carries). Consent, restriction
 * and the frequency cap are checked again just before the claim, so a STOP that arrived during the
 * campaign wins; the cap is then taken with a conditional write, so two campaigns at once cannot
 * both pass it. A recipient goes back to `queued` only when WhatsApp's answer proves nothing was
 * sent (an error body), or when it was never sent (no pace, no tier): the batch then queues
 * itself again, held back until the first of them is due.
 */

export type SendStore = CampaignStore & AudienceStore & CampaignPaceStore & AuditStore;

export interface SendLog {
  warn(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
}

export interface SendDeps {
  store: SendStore;
  keyring: TenantKeyring;
  graph: Pick<GraphClient, 'sendWhatsApp'>;
  producer: Pick<Producer, 'send'>;
  log: SendLog;
  now?: () => number;
  /** Milliseconds this run may still work; unbounded without. */
  timeLeftMs?: () => number;
}

export interface SendResult {
  outcome: 'not-sending' | 'sent' | 'paused';
  sent: number;
  failed: number;
  skipped: number;
  /** Recipients left `queued` for later (released, not yet due, beyond the daily tier). */
  waiting: number;
  /** Recipients whose outcome is unknown (no answer from WhatsApp). */
  unknown: number;
}

/** The alarm line: the metric filter of the campaign alarm matches it exactly. */
export const CAMPAIGN_PAUSED_ALARM = CAMPAIGN_SCHEDULER_SCHEDULE.alarm.logMessage;
/** Claims of one recipient after which a failing server is given up on. */
export const MAX_ATTEMPTS = 3;
/** Sends waiting for an answer at once. */
const MAX_IN_FLIGHT = 64;
/** How long before its slot a send starts its claim and checks. */
const PREPARE_AHEAD_MS = 100;
/** No recipient is claimed with less time than this left: the batch queues itself again. */
const STOP_MARGIN_MS = 15_000;
const DAY_MS = 86_400_000;
/** Our own failure code for a message never sent because a variable had no value (WhatsApp's codes are positive). */
export const EMPTY_VARIABLE_CODE = 0;

/** Who a message goes to, from the eligibility check: the contact is not read twice. */
interface Person {
  /** wa_id: the E.164 number without '+'. */
  to: string;
  name: string | undefined;
  /** The list file's columns, for a list audience. */
  columns: Record<string, string> | undefined;
}

type Recipient = {
  contactId: string;
  state: RecipientState;
  notBefore?: number | undefined;
  attempts?: number | undefined;
};

export async function sendBatch(deps: SendDeps, message: CampaignSendMessage): Promise<SendResult> {
  const { store, log } = deps;
  const { tenantId, campaignId, batch } = message;
  const now = deps.now ?? Date.now;
  const timeLeft = deps.timeLeftMs ?? (() => Number.POSITIVE_INFINITY);
  const result: SendResult = { outcome: 'sent', sent: 0, failed: 0, skipped: 0, waiting: 0, unknown: 0 };

  const campaign = await currentCampaign(store, tenantId, campaignId);
  if (campaign?.state !== 'sending' || !campaign.template) return { ...result, outcome: 'not-sending' };
  const keys = await deps.keyring.forTenant(tenantId);
  const template = campaignTemplate.parse(JSON.parse(keys.open('campaign', 'template', campaignId, campaign.template)));

  const { data: channel } = await store.entities.channel
    .get({ tenantId, kind: 'whatsapp', externalId: campaign.channelId })
    .go({ consistent: true });
  const token =
    channel && channel.status !== 'disconnected' && channel.status !== 'expired' ? safeToken(keys, channel) : undefined;
  if (!channel || !token) {
    await pauseBusiness(deps, tenantId, campaignId, 'auth', { why: 'no-connected-number' });
    return { ...result, outcome: 'paused' };
  }
  const pace: PaceKey = { tenantId, phoneNumberId: channel.externalId, coexistence: channel.coexistence };

  const { data: members } = await store.entities.campaignRecipient.query
    .byBatch({ tenantId, campaignId, batch })
    .go({ pages: 'all', attributes: ['contactId', 'state', 'notBefore', 'attempts'] });
  const queued = members.filter((recipient) => recipient.state === 'queued') as Recipient[];
  const at = now();
  const due = queued.filter((recipient) => (recipient.notBefore ?? 0) <= at);
  let nextDue = Math.min(...queued.filter((r) => (r.notBefore ?? 0) > at).map((r) => r.notBefore as number));
  result.waiting = queued.length - due.length;

  const { settings } = await campaignSettingsOf(store, tenantId);
  pace.rate = settings.sendRate;
  const cap = { max: settings.frequencyCap.max, windowMs: settings.frequencyCap.days * DAY_MS };
  const ids = (contactId: string) => ({ tenantId, campaignId, contactId });
  // The batch's changes are counted together, once per block of sends (see CountTally).
  const tally = new CountTally(store, tenantId, campaignId);
  // Checked again now: a STOP, a restriction or another campaign's message since the fan-out wins.
  const answers = await eligibilityOfBatch(
    { store, keys },
    { tenantId, settings, now: at, names: true },
    due.map((r) => r.contactId),
  );
  const eligible: Recipient[] = [];
  // Customers a campaign reached today already count in the daily tier: only new ones take it.
  const reachedToday = new Set<string>();
  const people = new Map<string, Person>();
  for (const [index, recipient] of due.entries()) {
    const answer = answers[index];
    if (answer?.ok) {
      eligible.push(recipient);
      if (answer.reachedToday) reachedToday.add(recipient.contactId);
      people.set(recipient.contactId, { to: answer.phone.replace(/^\+/, ''), name: answer.name, columns: undefined });
      continue;
    }
    if (await move(store, tally, ids(recipient.contactId), 'queued', 'skipped', { skipReason: answer?.reason })) {
      result.skipped++;
    }
  }

  // The daily tier: new customers beyond it wait for the window to free up.
  const fresh = eligible.filter((recipient) => !reachedToday.has(recipient.contactId));
  const tier = await takeTier(store, pace, dailyLimitOf(channel.messagingLimit), fresh.length, at);
  const tierTakenAt = at;
  const waiting = new Set(fresh.slice(tier.granted));
  const toSend = eligible.filter((recipient) => !waiting.has(recipient));
  for (const recipient of waiting) {
    await store.entities.campaignRecipient
      .patch({ tenantId, campaignId, contactId: recipient.contactId })
      .set({ notBefore: tier.nextAt })
      .where((attr, { eq }) => eq(attr.state, 'queued'))
      .go({ response: 'none' })
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    result.waiting++;
    nextDue = Math.min(nextDue, tier.nextAt ?? at + 60_000);
  }

  const columns = await listColumnsOf(
    store,
    keys,
    tenantId,
    campaign.audience as CampaignAudience,
    toSend.map((recipient) => recipient.contactId),
  );
  for (const [contactId, fields] of columns) {
    const person = people.get(contactId);
    if (person) person.columns = fields;
  }
  let halted = false;
  let unsentTier = 0;
  const inFlight = new Set<Promise<void>>();

  const sendOne = async (recipient: Recipient, slotAt: number) => {
    const { contactId } = recipient;
    const attempts = (recipient.attempts ?? 0) + 1;
    let usesTier = !reachedToday.has(contactId);
    if (!(await claim(store, tally, ids(contactId), attempts, slotAt))) {
      if (usesTier) unsentTier++;
      return;
    }
    const touch = await takeTouch(store, tenantId, contactId, cap, slotAt);
    if (!touch) {
      if (usesTier) unsentTier++;
      if (await move(store, tally, ids(contactId), 'sending', 'skipped', { skipReason: 'frequency-cap' })) {
        result.skipped++;
      }
      return;
    }
    // Another campaign reached the customer since the check: WhatsApp counts them once.
    if (usesTier && countedToday(touch)) {
      unsentTier++;
      usesTier = false;
    }
    /** Not sent after all: the cap and the tier are given back. */
    const giveBack = async () => {
      if (usesTier) unsentTier++;
      await refundTouch(store, tenantId, contactId, touch);
    };
    const person = people.get(contactId);
    let parameters: string[];
    try {
      if (!person) throw new EmptyVariableError(0);
      parameters = bodyParameters(template, { name: person.name, columns: person.columns });
    } catch (error) {
      if (!(error instanceof EmptyVariableError)) throw error;
      await giveBack();
      const title = person ? error.message : 'No WhatsApp number to send to';
      if (await fail(store, tally, ids(contactId), { code: EMPTY_VARIABLE_CODE, title }, slotAt)) result.failed++;
      return;
    }
    // Everything above is done ahead of the slot: only the call itself keeps to it.
    const wait = slotAt - now();
    if (wait > 0) await sleep(wait);
    try {
      const { messageId } = await deps.graph.sendWhatsApp(
        pace.phoneNumberId,
        token,
        templateBody(template, person.to, parameters, campaignId, contactId),
      );
      await recordSent(store, tally, ids(contactId), messageId, now());
      result.sent++;
    } catch (error) {
      const action = campaignErrorAction(error, attempts);
      const code = error instanceof GraphError ? error.code : undefined;
      const title = error instanceof GraphError ? error.title.slice(0, 200) : 'error';
      const released = async (notBefore: number) => {
        await giveBack();
        if (await release(store, tally, ids(contactId), notBefore)) {
          result.waiting++;
          nextDue = Math.min(nextDue, notBefore);
        }
      };
      switch (action.kind) {
        case 'throttled':
          await slowDown(store, pace, { retryAfterMs: action.toldByMeta ? action.retryAfterMs : undefined }, now());
          await released(now() + action.retryAfterMs);
          return;
        // The customer's pair limit or a failure on WhatsApp's side: a few more tries, later, then failed.
        case 'retry-later':
        case 'server':
          if (attempts < MAX_ATTEMPTS) {
            await released(now() + action.delayMs);
            return;
          }
          await refundTouch(store, tenantId, contactId, touch);
          if (await fail(store, tally, ids(contactId), { code: code ?? 0, title }, now())) result.failed++;
          return;
        case 'failed':
          if (action.refundTouch) await refundTouch(store, tenantId, contactId, touch);
          if (action.withdrawal) await recordWithdrawal(store, keys, tenantId, campaignId, contactId, now());
          if (await fail(store, tally, ids(contactId), { code: code ?? 0, title }, now())) result.failed++;
          return;
        case 'pause-account':
          halted = true;
          await released(now());
          await pauseBusiness(deps, tenantId, campaignId, action.reason, { code });
          return;
        case 'pause-template':
          halted = true;
          await released(now());
          await pauseTemplate(deps, tenantId, campaignId, template.name, code);
          return;
        case 'unknown':
          // It may have gone: left `sending`, never sent again; a status webhook settles it.
          result.unknown++;
          log.warn('campaign send outcome unknown; not sent again', {
            tenantId,
            campaignId,
            batch,
            status: (error as GraphError).status,
          });
          return;
      }
    }
  };

  let index = 0;
  try {
    while (index < toSend.length && !halted) {
      if (timeLeft() < STOP_MARGIN_MS) break;
      // Paused or cancelled by the merchant meanwhile: the rest waits (a resume queues it again).
      const state = await currentCampaign(store, tenantId, campaignId);
      if (state?.state !== 'sending') {
        halted = true;
        break;
      }
      const [block] = await Promise.all([reserveSlots(store, pace, toSend.length - index, now), tally.flush()]);
      for (let i = 0; i < block.count && index < toSend.length && !halted; i++, index++) {
        const slotAt = block.startAt + i * block.intervalMs;
        // Started a little ahead: the claim and the checks take a few writes before the call.
        const wait = slotAt - PREPARE_AHEAD_MS - now();
        if (wait > 0) await sleep(wait);
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        const work = sendOne(toSend[index] as Recipient, Math.max(slotAt, now())).finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
    }
    await Promise.all(inFlight);
  } finally {
    await tally.flush();
  }
  unsentTier += toSend.slice(index).filter((recipient) => !reachedToday.has(recipient.contactId)).length;
  await returnTier(store, pace, unsentTier, tierTakenAt);

  if (halted) {
    const after = await currentCampaign(store, tenantId, campaignId);
    if (after?.state !== 'sending') return { ...result, outcome: after?.state === 'paused' ? 'paused' : 'not-sending' };
  }
  // Not claimed for lack of time, released, or not yet due: the batch comes back for them.
  const left = toSend.length - index;
  if (left > 0) nextDue = Math.min(nextDue, now());
  result.waiting += left;
  if (result.waiting > 0 && Number.isFinite(nextDue)) {
    const delaySeconds = Math.max(1, Math.ceil((nextDue - now()) / 1000));
    await deps.producer.send(CAMPAIGN_SEND_QUEUE, { tenantId, campaignId, batch }, { delaySeconds });
  }
  return result;
}

function safeToken(keys: TenantKeys, channel: { kind: string; externalId: string; accessToken?: string | undefined }) {
  try {
    return openChannelToken(keys, channel);
  } catch {
    return undefined;
  }
}

async function currentCampaign(store: SendStore, tenantId: string, campaignId: string) {
  const { data } = await store.entities.campaign.get({ tenantId, campaignId }).go({ consistent: true });
  return data ?? undefined;
}

/** The Cloud API body of one campaign message; the callback data names the campaign and contact (ids only). */
export function templateBody(
  template: CampaignTemplate,
  to: string,
  parameters: readonly string[],
  campaignId: string,
  contactId: string,
): Record<string, unknown> {
  return {
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(parameters.length > 0 && {
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      }),
    },
    biz_opaque_callback_data: `cmp1:${campaignId}:${contactId}`,
  };
}

/** 131050: the customer stopped the business's marketing on WhatsApp; the ledger records the withdrawal. */
async function recordWithdrawal(
  store: SendStore,
  keys: TenantKeys,
  tenantId: string,
  campaignId: string,
  contactId: string,
  at: number,
) {
  await recordConsent(
    { store, keys },
    {
      tenantId,
      contactId,
      channel: 'whatsapp',
      purpose: 'marketing',
      state: 'withdrawn',
      source: 'api',
      at,
      wording: 'WhatsApp: the customer stopped marketing messages from this business (131050)',
      actor: 'customer',
      entryId: `wa131050_${campaignId}_${contactId}`,
    },
  );
}

/** Pauses every sending campaign of the business (the account may not send), with the alarm line. */
async function pauseBusiness(
  deps: SendDeps,
  tenantId: string,
  campaignId: string,
  reason: PauseReason,
  detail: Record<string, unknown>,
) {
  const paused = await pauseWhere(deps.store, tenantId, reason, () => true);
  deps.log.warn(CAMPAIGN_PAUSED_ALARM, { tenantId, campaignId, reason, paused, ...detail });
}

/** Pauses the business's sending campaigns that use the template WhatsApp paused. */
async function pauseTemplate(
  deps: SendDeps,
  tenantId: string,
  campaignId: string,
  templateName: string,
  code: number | undefined,
) {
  const paused = await pauseWhere(
    deps.store,
    tenantId,
    'template-paused',
    (item) => item.templateName === templateName,
  );
  deps.log.warn(CAMPAIGN_PAUSED_ALARM, { tenantId, campaignId, reason: 'template-paused', paused, code });
}

async function pauseWhere(
  store: SendStore,
  tenantId: string,
  reason: PauseReason,
  matches: (item: { templateName?: string | undefined }) => boolean,
): Promise<number> {
  const { data } = await store.entities.campaign.query
    .byId({ tenantId })
    .go({ pages: 'all', attributes: ['campaignId', 'state', 'templateName'] });
  let paused = 0;
  for (const item of data) {
    if (item.state !== 'sending' || !matches(item)) continue;
    if (!(await transitionCampaign(store, tenantId, item.campaignId, ['sending'], 'paused', { pauseReason: reason }))) {
      continue;
    }
    paused++;
    await recordAuditEvent(store, tenantId, {
      action: 'campaign.paused',
      actorId: 'system',
      target: { type: 'campaign', id: item.campaignId },
      detail: { reason },
    });
  }
  return paused;
}
