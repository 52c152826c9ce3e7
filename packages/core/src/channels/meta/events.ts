import type { Logger } from '@aws-lambda-powertools/logger';
import {
  ChannelNotConnectedError,
  type InboundMessage,
  type RecordedMessage,
  recordInbound,
} from '../../inbox/inbound.js';
import type { InboxStore } from '../../inbox/records.js';
import { applyStatus, type StatusUpdate } from '../../inbox/statuses.js';
import type { TenantKeyring, TenantKeys } from '../../platform/crypto/keyring.js';
import { PermanentError } from '../../platform/errors.js';
import { type ChannelDirectory, channelDirectory } from '../../tenancy/channel-directory.js';
import { type MetaDelivery, metaDeliveryText } from './envelope.js';
import { processMessagingEntries } from './messaging-events.js';
import { ACCOUNT_FIELDS, applyWhatsAppAccountChange } from './whatsapp-account-events.js';
import { inboundFromWhatsApp, statusesFromWhatsApp } from './whatsapp-inbound.js';
import { WhatsAppChange, WhatsAppEntry, WhatsAppValue } from './whatsapp-payload.js';

export interface MetaEventDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  log: Logger;
  /** Who owns each provider id; one per container keeps its cache (default: one per delivery). */
  directory?: ChannelDirectory;
  /**
   * Called for each message stored, redeliveries included (a first attempt may have stopped
   * right after storing it): the worker asks the media queue to fetch its media, which that
   * queue's worker does once. Its failure retries the delivery, like storage's.
   */
  onRecorded?: (message: InboundMessage, recorded: RecordedMessage) => Promise<void>;
  /**
   * The platform's own Meta app ids (Facebook app, Instagram app): an echo sent by one of them is
   * a reply Asistone sent, which the outbound worker stores; only other apps' echoes are kept.
   */
  ownAppIds?: readonly string[];
  /**
   * A status of a campaign message (its callback data starts {@link CAMPAIGN_CALLBACK_PREFIX}):
   * the campaign's recipient settles it, not the inbox, which never stored the message (a
   * pending status would wait for it forever). The tenant is the webhook number's owner; the
   * callback data only names ids within it. Its failure retries the delivery, like storage's.
   */
  onCampaignStatus?: (tenantId: string, update: StatusUpdate) => Promise<void>;
}

/** How a campaign send's callback data starts (`cmp1:<campaignId>:<contactId>`). */
export const CAMPAIGN_CALLBACK_PREFIX = 'cmp1:';

/** What one delivery came to: every change is accounted for, none silently. */
export interface MetaDeliveryReport {
  /** Messages stored, and redeliveries of messages stored before. */
  recorded: number;
  duplicates: number;
  /** Changes (or Messenger/Instagram entries) for a provider id no business has connected. */
  unknownBusiness: number;
  /** Dashboard test events (`entry[].id === "0"`). */
  tests: number;
  /** Changes and messages that could not be processed, each logged with its reason. */
  skipped: number;
  /** WhatsApp template and account changes applied (template status, messaging limit...). */
  applied: number;
  /** Account changes understood that hold nothing for the merchant, or older than known; logged. */
  ignored: number;
  /** Changes of fields the inbox does not handle yet (calls, history...). */
  notHandled: number;
}

/** The inbox channel a delivery's `object` stands for, as log lines and the dashboard name it. */
const channelOf = (object: unknown) =>
  object === 'whatsapp_business_account'
    ? 'whatsapp'
    : object === 'page'
      ? 'messenger'
      : object === 'instagram'
        ? 'instagram'
        : 'other';

/** A provider id in a log line: enough to tell ids apart, not enough to be one (a WABA or number id). */
const masked = (id: string) => (id.length > 4 ? `…${id.slice(-4)}` : '…');

/**
 * Processes one signed Meta delivery taken from the queue. One POST may carry changes for
 * several businesses: each entry and change finds its business from the ids in the payload
 * (WhatsApp: the change's `metadata.phone_number_id`, else the entry's WABA id; Messenger: the
 * Page id; Instagram: the professional account id), never from the URL.
 *
 * Each change, and each message in it, is processed on its own: what belongs to no business is
 * acknowledged and counted, what cannot be processed is logged with its reason, and the rest is
 * applied. Only a transient failure (storage down) throws, so the whole delivery is retried;
 * every step is idempotent, so what was already applied is applied once.
 */
export async function processMetaDelivery(deps: MetaEventDeps, delivery: MetaDelivery): Promise<MetaDeliveryReport> {
  const report: MetaDeliveryReport = {
    recorded: 0,
    duplicates: 0,
    unknownBusiness: 0,
    tests: 0,
    skipped: 0,
    applied: 0,
    ignored: 0,
    notHandled: 0,
  };
  const directory = deps.directory ?? channelDirectory(deps.store);
  let payload: unknown;
  try {
    payload = JSON.parse(metaDeliveryText(delivery));
  } catch {
    // The webhook queued it only after parsing it: this is not what it queued.
    throw new PermanentError('delivery body is not JSON');
  }
  const { object, entry } = (payload ?? {}) as { object?: unknown; entry?: unknown };
  const entries = Array.isArray(entry) ? entry : [];
  if (!Array.isArray(entry)) {
    report.skipped++;
    deps.log.warn('meta delivery skipped', { object: String(object), reason: 'no entry list' });
  }

  if (object === 'whatsapp_business_account') {
    for (const item of entries) await processWhatsAppEntry(deps, directory, item, delivery.receivedAt, report);
  } else if (object === 'page' || object === 'instagram') {
    const kind = object === 'page' ? 'messenger' : 'instagram';
    await processMessagingEntries(deps, directory, kind, entries, delivery.receivedAt, report);
  } else {
    report.skipped++;
    deps.log.warn('meta delivery skipped', { object: String(object), reason: 'object not subscribed' });
  }

  // `recorded` by `channel` is the dashboard's inbound count.
  deps.log.info('meta delivery processed', { ...report, channel: channelOf(object), receivedAt: delivery.receivedAt });
  return report;
}

async function processWhatsAppEntry(
  deps: MetaEventDeps,
  directory: ChannelDirectory,
  item: unknown,
  receivedAt: number,
  report: MetaDeliveryReport,
): Promise<void> {
  const entry = WhatsAppEntry.safeParse(item);
  if (!entry.success) {
    report.skipped++;
    deps.log.warn('whatsapp entry skipped', { reason: 'entry does not match the expected shape' });
    return;
  }
  if (entry.data.id === '0') {
    report.tests++;
    deps.log.info('meta dashboard test event', {
      object: 'whatsapp_business_account',
      changes: entry.data.changes.length,
    });
    return;
  }
  const accountId = entry.data.id;
  // Meta's time for the entry (seconds) orders account facts that arrive out of order; never
  // later than its arrival, so one odd stamp cannot outrank every later change.
  const time = (entry.data as { time?: unknown }).time;
  const at = typeof time === 'number' && time > 0 ? Math.min(Math.floor(time * 1000), receivedAt) : receivedAt;
  for (const changeItem of entry.data.changes) {
    const change = WhatsAppChange.safeParse(changeItem);
    if (!change.success) {
      report.skipped++;
      deps.log.warn('whatsapp change skipped', { account: masked(accountId), reason: 'change has no field' });
      continue;
    }
    const { field } = change.data;
    const value = field === 'messages' ? WhatsAppValue.safeParse(change.data.value) : undefined;
    const phoneNumberId = value?.success ? value.data.metadata.phone_number_id : undefined;

    // The number names the business; events without one (templates, account) name its WABA.
    const byNumber = phoneNumberId ? await directory.ownersOf('whatsapp', phoneNumberId) : [];
    const owners = byNumber.length > 0 ? byNumber : await directory.ownersOfAccount('whatsapp', accountId);
    const where = { field, account: masked(accountId), ...(phoneNumberId && { channel: masked(phoneNumberId) }) };
    if (owners.length !== 1) {
      // Nobody's (or, from a stale record, several businesses'): acknowledged, never guessed.
      report.unknownBusiness++;
      deps.log.warn('whatsapp change for no known business', { ...where, owners: owners.length });
      continue;
    }
    const tenantId = owners[0] as string;

    if (ACCOUNT_FIELDS.has(field)) {
      const outcome = await applyWhatsAppAccountChange(deps.store, tenantId, accountId, field, change.data.value, at);
      if (outcome.kind === 'rejected') {
        report.skipped++;
        deps.log.warn('whatsapp change skipped', { ...where, tenantId, reason: outcome.reason });
      } else {
        report[outcome.kind]++;
        deps.log.info(`whatsapp account change ${outcome.kind}`, { ...where, tenantId, what: outcome.what });
      }
      continue;
    }
    if (field !== 'messages') {
      report.notHandled++;
      deps.log.info('whatsapp change not handled yet', { ...where, tenantId });
      continue;
    }
    if (!value?.success) {
      report.skipped++;
      deps.log.warn('whatsapp change skipped', {
        ...where,
        tenantId,
        reason: 'value does not match the expected shape',
      });
      continue;
    }
    await recordWhatsAppMessages(deps, tenantId, value.data, receivedAt, where, report);
    await applyWhatsAppStatuses(deps, tenantId, value.data, where, report);
  }
}

async function recordWhatsAppMessages(
  deps: MetaEventDeps,
  tenantId: string,
  value: WhatsAppValue,
  receivedAt: number,
  where: Record<string, string>,
  report: MetaDeliveryReport,
): Promise<void> {
  const inbound = inboundFromWhatsApp(tenantId, value, receivedAt);
  if (inbound.length === 0) return;
  let keys: TenantKeys | undefined;
  for (const item of inbound) {
    if ('rejected' in item) {
      report.skipped++;
      deps.log.warn('whatsapp message skipped', { ...where, tenantId, reason: item.rejected });
      continue;
    }
    keys ??= await deps.keyring.forTenant(tenantId);
    try {
      const result = await recordInbound({ store: deps.store, keys }, item.message);
      if (result.duplicate) report.duplicates++;
      else report.recorded++;
      await deps.onRecorded?.(item.message, result);
    } catch (error) {
      // A number disconnected less than a minute ago may still be in the directory's cache:
      // the business let it go, so its messages belong to no one, as after the cache expires.
      if (error instanceof ChannelNotConnectedError) {
        report.unknownBusiness++;
        deps.log.warn('whatsapp change for no known business', { ...where, tenantId, reason: error.message });
        continue;
      }
      // Permanent: this message can never be stored as it is (its reason is logged, the rest go
      // on). Anything else (storage down) retries the whole delivery, which is idempotent.
      if (!(error instanceof PermanentError)) throw error;
      report.skipped++;
      deps.log.warn('whatsapp message skipped', { ...where, tenantId, reason: error.message });
    }
  }
}

async function applyWhatsAppStatuses(
  deps: MetaEventDeps,
  tenantId: string,
  value: WhatsAppValue,
  where: Record<string, string>,
  report: MetaDeliveryReport,
): Promise<void> {
  const statuses = statusesFromWhatsApp(tenantId, value);
  if (statuses.length === 0) return;
  const keys = await deps.keyring.forTenant(tenantId);
  let pending = 0;
  let campaign = 0;
  for (const item of statuses) {
    if ('rejected' in item) {
      report.skipped++;
      deps.log.warn('whatsapp status skipped', { ...where, tenantId, reason: item.rejected });
      continue;
    }
    if (item.update.callbackData?.startsWith(CAMPAIGN_CALLBACK_PREFIX)) {
      campaign++;
      if (deps.onCampaignStatus) await deps.onCampaignStatus(tenantId, item.update);
      else
        deps.log.warn('whatsapp status skipped', { ...where, tenantId, reason: 'campaign statuses not handled here' });
      continue;
    }
    if ((await applyStatus({ store: deps.store, keys }, item.update)) === 'pending') pending++;
  }
  deps.log.debug('whatsapp statuses applied', { ...where, tenantId, count: statuses.length, pending, campaign });
}
