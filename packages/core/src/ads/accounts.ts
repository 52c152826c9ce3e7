import type { AdAccountView } from '@asistone/contract/ads';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { explainGraphFailure } from '../channels/connect/deps.js';
import type { GraphClient } from '../channels/meta/graph.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import type { AdAccountInfo, MarketingApi } from './marketing-api.js';
import type { AdsStore, BackfillJob } from './records.js';
import { backfillJobs, dayIn, historyStart, lastDayOf } from './sync.js';

/**
 * Connecting a business's Meta ad accounts, read-only: the Facebook Login code (scope
 * `ads_read`) becomes a long-lived token (about 60 days), every ad account it reads is kept
 * with the token sealed, and each account's history is queued to be pulled. Disconnecting drops
 * the token and keeps the figures until the business is deleted (the privacy policy).
 */

export interface AdAccountsDeps {
  store: AdsStore & AuditStore;
  keyring: TenantKeyring;
  graph: Pick<GraphClient, 'exchangeCode' | 'exchangeUserToken'>;
  ads: Pick<MarketingApi, 'adAccounts'>;
  meta: { appId: string; appSecret: string };
  /** Queues the account's first sync (the ads-sync queue). */
  queueSync: (tenantId: string, accountId: string) => Promise<void>;
  now?: () => number;
}

export interface AdsActor {
  userId: string;
  sourceAddress?: string | undefined;
}

/** Remind a week before the token lapses. */
export const REMINDER_BEFORE_MS = 7 * 86_400_000;

type AccountItem = NonNullable<Awaited<ReturnType<ReturnType<AdsStore['entities']['adAccount']['get']>['go']>>['data']>;

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function adAccountView(item: AccountItem, now = Date.now()): AdAccountView {
  const jobs = (item.backfill as BackfillJob[] | undefined) ?? [];
  const done = jobs.filter((job) => job.state === 'done').length;
  const expired = item.status === 'connected' && item.tokenExpiresAt !== undefined && item.tokenExpiresAt <= now;
  return {
    accountId: item.accountId,
    name: item.name,
    currency: item.currency,
    timezone: item.timezone,
    status: expired ? 'reconnect' : item.status,
    connectedAt: new Date(item.connectedAt).toISOString(),
    tokenExpiresAt: iso(item.tokenExpiresAt),
    backfill: {
      state: item.backfillState,
      from: item.backfillFrom,
      through: lastDayOf(jobs) ?? null,
      progress: jobs.length > 0 ? done / jobs.length : item.backfillState === 'done' ? 1 : 0,
    },
    syncedThrough: item.syncedThrough ?? null,
    lastSyncedAt: iso(item.lastSyncedAt),
    pausedUntil: item.pausedUntil && item.pausedUntil > now ? iso(item.pausedUntil) : null,
    lastError: item.lastError ?? null,
  };
}

export async function listAdAccounts(store: AdsStore, tenantId: string, now = Date.now()): Promise<AdAccountView[]> {
  const { data } = await store.entities.adAccount.query.byAccount({ tenantId }).go({ pages: 'all' });
  return data.map((item) => adAccountView(item, now)).sort((a, b) => a.name.localeCompare(b.name, 'tr'));
}

/** Exchanges the code, lists the ad accounts and keeps each one with the sealed token; queues their syncs. */
export async function connectAdAccounts(
  deps: AdAccountsDeps,
  actor: AdsActor,
  tenantId: string,
  input: { code: string; redirectUri?: string | undefined },
): Promise<AdAccountView[]> {
  const now = (deps.now ?? Date.now)();
  const { appId, appSecret } = deps.meta;
  const short = await deps.graph
    .exchangeCode({ appId, appSecret, code: input.code, ...(input.redirectUri && { redirectUri: input.redirectUri }) })
    .catch((error: unknown) => explainGraphFailure(error, 'sign-in code (it works once)', 'code'));
  const long = await deps.graph
    .exchangeUserToken({ appId, appSecret, token: short.accessToken })
    .catch((error: unknown) => explainGraphFailure(error, 'long-lived sign-in'));
  const accounts = await deps.ads
    .adAccounts(long.accessToken)
    .catch((error: unknown) => explainGraphFailure(error, 'list of your ad accounts'));
  if (accounts.length === 0) {
    throw new ValidationError('This Facebook sign-in reads no ad account: pick at least one when you sign in', [
      'code',
    ]);
  }
  const tokenExpiresAt = long.expiresIn ? now + long.expiresIn * 1000 : undefined;
  for (const account of accounts) {
    await keepAdAccount(deps, actor, tenantId, { account, token: long.accessToken, tokenExpiresAt }, now);
  }
  return listAdAccounts(deps.store, tenantId, now);
}

/**
 * Keeps one ad account with its sealed token (a reconnect keeps its history and where its sync
 * stands), records it in the audit log and queues its sync.
 */
export async function keepAdAccount(
  deps: Pick<AdAccountsDeps, 'store' | 'keyring' | 'queueSync'>,
  actor: AdsActor,
  tenantId: string,
  input: { account: AdAccountInfo; token: string; tokenExpiresAt: number | undefined },
  now: number,
): Promise<void> {
  const { account, tokenExpiresAt } = input;
  const keys = await deps.keyring.forTenant(tenantId);
  const key = { tenantId, accountId: account.accountId };
  const token = keys.seal('adAccount', 'token', account.accountId, input.token);
  const known = (await deps.store.entities.adAccount.get(key).go({ consistent: true })).data;
  if (known) {
    // A reconnect: a fresh token; the history and where the sync stands are kept.
    await deps.store.entities.adAccount
      .patch(key)
      .set({
        status: 'connected',
        token,
        name: account.name,
        connectedBy: actor.userId,
        connectedAt: now,
        ...(tokenExpiresAt && { tokenExpiresAt }),
      })
      .remove(['lastError', 'reminderSentAt', 'pausedUntil', ...(tokenExpiresAt ? [] : (['tokenExpiresAt'] as const))])
      .go({ response: 'none' });
  } else {
    const today = dayIn(now, account.timezone);
    const from = historyStart(today);
    await deps.store.entities.adAccount
      .create({
        ...key,
        name: account.name,
        currency: account.currency,
        timezone: account.timezone,
        status: 'connected',
        token,
        ...(tokenExpiresAt && { tokenExpiresAt }),
        connectedAt: now,
        connectedBy: actor.userId,
        backfillFrom: from,
        backfillState: 'waiting',
        backfill: backfillJobs(from, today),
      })
      .go({ response: 'none' });
  }
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: actor.userId,
    target: { type: 'ad-account', id: account.accountId },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'meta-ads' },
  });
  await deps.queueSync(tenantId, account.accountId);
}

/** Stops syncing an account and drops its token; its figures stay until the business is deleted. */
export async function disconnectAdAccount(
  deps: Pick<AdAccountsDeps, 'store'>,
  actor: AdsActor,
  tenantId: string,
  accountId: string,
): Promise<AdAccountView> {
  const key = { tenantId, accountId };
  const known = (await deps.store.entities.adAccount.get(key).go({ consistent: true })).data;
  if (!known) throw new NotFoundError('No such ad account');
  await deps.store.entities.adAccount
    .patch(key)
    .set({ status: 'disconnected' })
    .remove(['token', 'tokenExpiresAt', 'pausedUntil', 'leaseUntil'])
    .go({ response: 'none' });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.disconnected',
    actorId: actor.userId,
    target: { type: 'ad-account', id: accountId },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'meta-ads' },
  });
  const after = (await deps.store.entities.adAccount.get(key).go({ consistent: true })).data as AccountItem;
  return adAccountView(after);
}
