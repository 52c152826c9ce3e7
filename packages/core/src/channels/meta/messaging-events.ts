import { applyWatermark, editText, markDeleted, recordEcho } from '../../inbox/echoes.js';
import { ChannelNotConnectedError, recordInbound } from '../../inbox/inbound.js';
import { applyStatus } from '../../inbox/statuses.js';
import type { TenantKeys } from '../../platform/crypto/keyring.js';
import { PermanentError } from '../../platform/errors.js';
import type { ChannelDirectory } from '../../tenancy/channel-directory.js';
import type { MetaDeliveryReport, MetaEventDeps } from './events.js';
import { actionFromMessagingEvent, type MessagingAction, type MessagingKind } from './messaging-inbound.js';
import { MessagingEntry } from './messaging-payload.js';

const pick = ({ customerId, status, watermark, at }: Extract<MessagingAction, { kind: 'watermark' }>) => ({
  customerId,
  status,
  watermark,
  at,
});

/** A provider id in a log line: enough to tell ids apart, not enough to be one. */
const masked = (id: string) => (id.length > 4 ? `…${id.slice(-4)}` : '…');

/**
 * Messenger (`page`) and Instagram entries: `entry[].id` is the Page or the professional account,
 * which names the business. Each event of `messaging[]` (and `standby[]`, when another app owns
 * the thread: the customer still wrote to the business) is applied on its own: customer messages,
 * reactions and button taps are recorded as inbound; echoes of what the business sent elsewhere
 * as outbound; unsent messages are marked deleted; receipts become statuses. What cannot be read
 * is logged with its reason and the rest go on; only a transient failure throws.
 */
export async function processMessagingEntries(
  deps: MetaEventDeps,
  directory: ChannelDirectory,
  kind: MessagingKind,
  entries: unknown[],
  receivedAt: number,
  report: MetaDeliveryReport,
): Promise<void> {
  let position = 0;
  for (const item of entries) {
    const parsed = MessagingEntry.safeParse(item);
    if (!parsed.success) {
      report.skipped++;
      deps.log.warn(`${kind} entry skipped`, { reason: 'entry does not match the expected shape' });
      continue;
    }
    const entry = parsed.data;
    if (entry.id === '0') {
      report.tests++;
      deps.log.info('meta dashboard test event', { object: kind });
      continue;
    }
    const owners = await directory.ownersOf(kind, entry.id);
    if (owners.length !== 1) {
      report.unknownBusiness++;
      deps.log.warn(`${kind} entry for no known business`, { channel: masked(entry.id), owners: owners.length });
      continue;
    }
    const tenantId = owners[0] as string;
    const where = { channel: masked(entry.id), tenantId };
    if (entry.changes?.length) {
      // Comments and mentions on posts: not part of the inbox yet, counted.
      report.notHandled += entry.changes.length;
      deps.log.info(`${kind} changes not handled yet`, { ...where, count: entry.changes.length });
    }
    let keys: TenantKeys | undefined;
    for (const event of [...(entry.messaging ?? []), ...(entry.standby ?? [])]) {
      const action = actionFromMessagingEvent(tenantId, kind, entry.id, event, receivedAt, position++);
      if ('rejected' in action) {
        report.skipped++;
        deps.log.warn(`${kind} event skipped`, { ...where, reason: action.rejected });
        continue;
      }
      if (action.kind === 'not-handled') {
        report.notHandled++;
        deps.log.debug(`${kind} event not handled`, { ...where, what: action.what });
        continue;
      }
      keys ??= await deps.keyring.forTenant(tenantId);
      const inbox = { store: deps.store, keys };
      try {
        switch (action.kind) {
          case 'inbound': {
            const result = await recordInbound(inbox, action.message);
            if (result.duplicate) report.duplicates++;
            else report.recorded++;
            await deps.onRecorded?.(action.message, result);
            break;
          }
          case 'echo': {
            // Asistone's own reply: stored by the outbound worker under this provider id, which
            // may not be linked yet when its echo arrives (recordEcho also checks the link).
            if (action.echo.appId && deps.ownAppIds?.includes(action.echo.appId)) {
              report.duplicates++;
              break;
            }
            const outcome = await recordEcho(inbox, action.echo);
            if (outcome === 'recorded') report.recorded++;
            else report.duplicates++;
            break;
          }
          case 'deleted': {
            const outcome = await markDeleted(inbox, {
              tenantId,
              kind,
              providerMessageId: action.providerMessageId,
              at: action.at,
            });
            if (outcome === 'unknown') report.skipped++;
            deps.log.info(`${kind} message unsent`, { ...where, outcome });
            break;
          }
          case 'edited': {
            const outcome = await editText(inbox, {
              tenantId,
              kind,
              providerMessageId: action.providerMessageId,
              text: action.text,
            });
            if (outcome === 'unknown') report.skipped++;
            deps.log.info(`${kind} message edited`, { ...where, outcome });
            break;
          }
          case 'statuses':
            for (const update of action.updates) await applyStatus(inbox, update);
            break;
          case 'watermark': {
            const channel = { kind, externalId: entry.id };
            const updated = await applyWatermark(inbox, { tenantId, channel, ...pick(action) });
            deps.log.debug(`${kind} receipt applied`, { ...where, status: action.status, updated });
            break;
          }
        }
      } catch (error) {
        // As for WhatsApp: a channel disconnected a moment ago (still in the directory's cache)
        // belongs to no one; what can never be stored is logged and skipped; anything else retries.
        if (error instanceof ChannelNotConnectedError) {
          report.unknownBusiness++;
          deps.log.warn(`${kind} entry for no known business`, { ...where, reason: error.message });
          continue;
        }
        if (!(error instanceof PermanentError)) throw error;
        report.skipped++;
        deps.log.warn(`${kind} event skipped`, { ...where, reason: error.message });
      }
    }
  }
}
