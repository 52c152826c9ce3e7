import type { ExpiryMailDeps } from '../channels/connect/expiry-mail.js';
import type { Producer } from '../platform/queue/producer.js';
import { ADS_SYNC_QUEUE } from './queue.js';
import type { AdsStore } from './records.js';
import { remindToReconnect } from './reminders.js';

/**
 * The hourly visit: every connected ad account with a token that still works is queued for its
 * sync (an account Meta paused stays paused: the worker skips it), and owners of tokens that
 * lapse within the week are reminded once. Reads the accounts' directory, never the businesses.
 */
export async function sweepAdAccounts(
  deps: ExpiryMailDeps & { ads: AdsStore; producer: Producer },
  now = Date.now(),
): Promise<{ accounts: number; queued: number; reminded: number }> {
  const { data } = await deps.ads.entities.adAccount.query
    .directory({})
    .go({ pages: 'all', attributes: ['tenantId', 'accountId', 'name', 'status', 'tokenExpiresAt', 'reminderSentAt'] });
  let queued = 0;
  let reminded = 0;
  for (const account of data) {
    if (account.status !== 'connected') continue;
    reminded += await remindToReconnect(deps, account, now);
    if (account.tokenExpiresAt !== undefined && account.tokenExpiresAt <= now) continue;
    await deps.producer.send(ADS_SYNC_QUEUE, { tenantId: account.tenantId, accountId: account.accountId });
    queued += 1;
  }
  return { accounts: data.length, queued, reminded };
}
