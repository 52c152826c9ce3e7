import * as z from 'zod';
import type { InboxStore } from '../../inbox/records.js';
import { applyTemplateChange, type TemplateChange } from '../../inbox/template-status.js';
import { isConditionFailure } from '../../platform/store/service.js';

/**
 * WhatsApp changes that name no phone number, only the WhatsApp Business Account (`entry[].id`):
 * template verdicts, and the account's standing and limits. Meta sends these to the app's own
 * callback whatever override a number has (docs/external reference), so they all arrive here.
 * Shapes: Meta's webhook reference for each field; samples in events/meta/whatsapp-official-*.
 */

/**
 * The words Meta uses, checked before they become part of a key or a field: template names are
 * lowercase letters, digits and underscores (Meta's rule, 512 at most), languages are locale
 * codes (`tr`, `en_US`, `en-US`), and verdicts, categories and tiers are upper-case identifiers.
 */
const name = z.string().regex(/^[a-z0-9_]{1,512}$/);
const locale = z.string().regex(/^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}$/);
const word = z.string().regex(/^[A-Z0-9_]{1,64}$/);

const templateName = { message_template_name: name, message_template_language: locale };

/** `message_template_status_update`: approved, rejected, paused, disabled, archived... */
const TemplateStatusValue = z.looseObject({
  ...templateName,
  event: word,
  reason: word.nullish().catch(undefined),
  message_template_category: word.optional(),
});

/** `message_template_quality_update`: GREEN, YELLOW, RED or UNKNOWN. */
const TemplateQualityValue = z.looseObject({ ...templateName, new_quality_score: word });

/**
 * `template_category_update`: `new_category` is the template's category now, both when a change
 * is announced (with `correct_category`, applied in 24 hours, when another webhook says so) and
 * when it is done.
 */
const TemplateCategoryValue = z.looseObject({ ...templateName, new_category: word });

/** A limit as a tier name: Meta sends `TIER_2K` now, and sent 2000 (or -1 for unlimited) before. */
const limit = z.union([word, z.number().int().min(-1).max(1e9)]).transform((value) => {
  if (typeof value === 'string') return value;
  if (value < 0) return 'TIER_UNLIMITED';
  const tiers: Record<number, string> = { 250: 'TIER_250', 1000: 'TIER_1K', 2000: 'TIER_2K' };
  return tiers[value] ?? (value >= 1000 && value % 1000 === 0 ? `TIER_${value / 1000}K` : `TIER_${value}`);
});

/** `phone_number_quality_update`: the number's throughput or the portfolio's messaging limit. */
const QualityValue = z.looseObject({
  event: word.optional(),
  max_daily_conversations_per_business: limit.optional(),
  /** Replaced by `max_daily_conversations_per_business` in 2026; read while Meta still sends it. */
  current_limit: limit.optional(),
});

/** `business_capability_update`: the portfolio's messaging limit and number allowances. */
const CapabilityValue = z.looseObject({
  max_daily_conversations_per_business: limit.optional(),
  max_daily_conversation_per_phone: limit.optional(),
});

const AccountValue = z.looseObject({
  event: word,
  ban_info: z
    .looseObject({ waba_ban_state: word.optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/**
 * `account_update` events that change whether the business can send: the merchant needs to see
 * them on the channel. The rest (pricing tiers, location, partner sharing) change nothing they
 * can act on in Asistone.
 */
const STANDING_EVENTS = new Set([
  'ACCOUNT_VIOLATION',
  'ACCOUNT_RESTRICTION',
  'DISABLED_UPDATE',
  'ACCOUNT_DELETED',
  'ACCOUNT_OFFBOARDED',
  'ACCOUNT_RECONNECTED',
  'PARTNER_REMOVED',
  'PARTNER_APP_UNINSTALLED',
]);

/**
 * A template status event as the status the template list would show: REINSTATED and
 * UNARCHIVED make it sendable again. FLAGGED (at risk, still sendable), LOCKED/UNLOCKED (editing)
 * and LIMIT_EXCEEDED (the account's template count) leave the status as it is.
 */
const STATUS_OF_EVENT: Record<string, string> = {
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  PENDING: 'PENDING',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  IN_APPEAL: 'IN_APPEAL',
  PENDING_DELETION: 'PENDING_DELETION',
  DELETED: 'DELETED',
  ARCHIVED: 'ARCHIVED',
  REINSTATED: 'APPROVED',
  UNARCHIVED: 'APPROVED',
};

/** The WhatsApp fields handled here; any other field (calls, history...) is not handled yet. */
export const ACCOUNT_FIELDS = new Set([
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
  'phone_number_quality_update',
  'business_capability_update',
  'account_update',
  'phone_number_name_update',
  'account_alerts',
]);

/**
 * What became of one change: `applied` (something the merchant sees changed or was kept for
 * later), `ignored` (understood, nothing for the merchant, with what it was for the log), or
 * `rejected` (its value is not the shape Meta documents).
 */
export type AccountChangeOutcome =
  | { kind: 'applied'; what: string }
  | { kind: 'ignored'; what: string }
  | { kind: 'rejected'; reason: string };

/**
 * Applies one WhatsApp account-level change for the business that owns the WABA. `at` is Meta's
 * time for it (the entry's `time`), which decides between facts that arrive out of order.
 * Only a storage failure throws (the delivery is retried; every write here is idempotent).
 */
export async function applyWhatsAppAccountChange(
  store: InboxStore,
  tenantId: string,
  wabaId: string,
  field: string,
  value: unknown,
  at: number,
): Promise<AccountChangeOutcome> {
  switch (field) {
    case 'message_template_status_update': {
      const parsed = TemplateStatusValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'template status does not match the expected shape' };
      const status = STATUS_OF_EVENT[parsed.data.event];
      const change = {
        ...templateOf(wabaId, parsed.data, at),
        status,
        statusReason: parsed.data.reason ?? undefined,
        category: parsed.data.message_template_category,
      };
      if (!status && !change.category) return { kind: 'ignored', what: `template ${parsed.data.event}` };
      return template(store, tenantId, change, `template ${parsed.data.event}`);
    }
    case 'message_template_quality_update': {
      const parsed = TemplateQualityValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'template quality does not match the expected shape' };
      const change = { ...templateOf(wabaId, parsed.data, at), qualityScore: parsed.data.new_quality_score };
      return template(store, tenantId, change, `template quality ${parsed.data.new_quality_score}`);
    }
    case 'template_category_update': {
      const parsed = TemplateCategoryValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'template category does not match the expected shape' };
      const change = { ...templateOf(wabaId, parsed.data, at), category: parsed.data.new_category };
      return template(store, tenantId, change, `template category ${parsed.data.new_category}`);
    }
    case 'phone_number_quality_update': {
      const parsed = QualityValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'number quality does not match the expected shape' };
      const tier = parsed.data.max_daily_conversations_per_business ?? parsed.data.current_limit;
      // The number in it is only its display number, which channels do not keep: a number's
      // own event (throughput upgrade, onboarding) is logged; the portfolio's limit is kept.
      if (!tier) return { kind: 'ignored', what: `number ${parsed.data.event ?? 'update'}` };
      return channels(store, tenantId, wabaId, { messagingLimit: tier, messagingLimitAt: at }, `limit ${tier}`);
    }
    case 'business_capability_update': {
      const parsed = CapabilityValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'capability does not match the expected shape' };
      const tier = parsed.data.max_daily_conversations_per_business ?? parsed.data.max_daily_conversation_per_phone;
      if (!tier) return { kind: 'ignored', what: 'capability without a messaging limit' };
      return channels(store, tenantId, wabaId, { messagingLimit: tier, messagingLimitAt: at }, `limit ${tier}`);
    }
    case 'account_update': {
      const parsed = AccountValue.safeParse(value);
      if (!parsed.success) return { kind: 'rejected', reason: 'account update does not match the expected shape' };
      const { event, ban_info } = parsed.data;
      if (!STANDING_EVENTS.has(event)) return { kind: 'ignored', what: `account ${event}` };
      // A disabling names its state (SCHEDULE_FOR_DISABLE, DISABLE, REINSTATE): that is the news.
      const standing =
        event === 'DISABLED_UPDATE' && ban_info?.waba_ban_state ? `${event}:${ban_info.waba_ban_state}` : event;
      return channels(store, tenantId, wabaId, { accountEvent: standing, accountEventAt: at }, `account ${standing}`);
    }
    case 'phone_number_name_update': {
      // The display name's review names the number only by its display number (see above);
      // WhatsApp Manager shows the outcome to the merchant.
      const decision = z.looseObject({ decision: word }).safeParse(value);
      return { kind: 'ignored', what: `display name ${decision.success ? decision.data.decision : 'update'}` };
    }
    case 'account_alerts': {
      // Meta's own alerts (limit increase deferred, official business account verdicts, profile
      // photo removed) go to the merchant by Meta; only their type is logged here.
      const alert = z.looseObject({ alert_info: z.looseObject({ alert_type: word }) }).safeParse(value);
      return { kind: 'ignored', what: `alert ${alert.success ? alert.data.alert_info.alert_type : 'update'}` };
    }
    default:
      return { kind: 'ignored', what: field };
  }
}

function templateOf(
  wabaId: string,
  value: { message_template_name: string; message_template_language: string },
  at: number,
): TemplateChange {
  return { wabaId, name: value.message_template_name, language: value.message_template_language, at };
}

async function template(
  store: InboxStore,
  tenantId: string,
  change: TemplateChange,
  what: string,
): Promise<AccountChangeOutcome> {
  const news = await applyTemplateChange(store, tenantId, change);
  // An older verdict than one already known is acknowledged and changes nothing.
  return news.length > 0 ? { kind: 'applied', what } : { kind: 'ignored', what: `${what} (older than known)` };
}

type ChannelFacts =
  | { messagingLimit: string; messagingLimitAt: number }
  | { accountEvent: string; accountEventAt: number };

/**
 * Writes an account fact on each connected number of the business under this WABA, unless a
 * newer one is there. The status is written with it, read just before and required unchanged:
 * the channel directory index is sparse on the status, and ElectroDB rewrites an index's keys
 * on a partial update from the attributes it is given, so a write without the status could put
 * a disconnected number back in the directory.
 */
async function channels(
  store: InboxStore,
  tenantId: string,
  wabaId: string,
  facts: ChannelFacts,
  what: string,
): Promise<AccountChangeOutcome> {
  const { data } = await store.entities.channel.query.byTenant({ tenantId, kind: 'whatsapp' }).go({ pages: 'all' });
  const numbers = data.filter((channel) => channel.accountId === wabaId && channel.status !== 'disconnected');
  const [stampField, at] =
    'messagingLimitAt' in facts
      ? (['messagingLimitAt', facts.messagingLimitAt] as const)
      : (['accountEventAt', facts.accountEventAt] as const);
  let written = 0;
  for (const channel of numbers) {
    await store.entities.channel
      .patch({ tenantId, kind: channel.kind, externalId: channel.externalId })
      .set({ ...facts, status: channel.status })
      .where(
        (attributes, { eq, notExists, lt }) =>
          `${eq(attributes.status, channel.status)} AND (${notExists(attributes[stampField])} OR ${lt(attributes[stampField], at)})`,
      )
      .go()
      .then(
        () => written++,
        (error: unknown) => {
          // Newer news already there, or the number was disconnected meanwhile: nothing to do.
          if (!isConditionFailure(error)) throw error;
        },
      );
  }
  if (numbers.length === 0) return { kind: 'ignored', what: `${what} (no connected number)` };
  return written > 0 ? { kind: 'applied', what } : { kind: 'ignored', what: `${what} (older than known)` };
}
