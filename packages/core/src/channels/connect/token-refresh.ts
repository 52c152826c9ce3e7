import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantKeyring } from '../../platform/crypto/keyring.js';
import { type ChannelItem, openChannelToken, saveConnectedChannel } from '../../tenancy/tenants.js';
import type { GraphClient } from '../meta/graph.js';
import { GraphError } from '../meta/graph-errors.js';
import { type ExpiryMailDeps, queueChannelExpiryMails } from './expiry-mail.js';
import { INSTAGRAM_TOKEN_SECONDS } from './instagram.js';

const DAY_MS = 24 * 3600 * 1000;
/** Refreshed when it lapses within this: ten daily chances before it does. */
export const REFRESH_WITHIN_MS = 10 * DAY_MS;
/** Instagram refuses to refresh a token younger than a day. */
export const MIN_TOKEN_AGE_MS = DAY_MS;
/** Shown as `expiring`, and mailed about, when it lapses within this and could not be refreshed. */
export const EXPIRING_WITHIN_MS = 7 * DAY_MS;

export interface TokenRefreshDeps extends ExpiryMailDeps {
  keyring: TenantKeyring;
  graph: Pick<GraphClient, 'instagramRefresh'>;
  log: Logger;
}

export interface TokenRefreshReport {
  refreshed: number;
  expiring: number;
  expired: number;
  /** Tokens a day old or less, left for tomorrow. */
  tooYoung: number;
  failed: number;
  reminders: number;
}

/**
 * One run of the `instagram-token-refresh` schedule at `nowMs`: every connected Instagram
 * channel whose token lapses within 10 days (read from the expiry index, soonest first, no
 * scan) is refreshed if it is at least a day old. One that cannot be refreshed becomes
 * `expiring` (under 7 days left) or `expired`, and its business's owners and admins are mailed
 * once per expiry. Each channel is handled on its own: one failure does not stop the rest.
 */
export async function refreshInstagramTokens(deps: TokenRefreshDeps, nowMs = Date.now()): Promise<TokenRefreshReport> {
  const report: TokenRefreshReport = { refreshed: 0, expiring: 0, expired: 0, tooYoung: 0, failed: 0, reminders: 0 };
  const due = await deps.store.entities.channel.query
    .byTokenExpiry({})
    .lt({ tokenExpiresAt: nowMs + REFRESH_WITHIN_MS })
    .go({ pages: 'all' });
  for (const channel of due.data) {
    try {
      await refreshOne(deps, channel, nowMs, report);
    } catch (error) {
      report.failed++;
      deps.log.error('instagram token refresh failed', { tenantId: channel.tenantId, error: error as Error });
    }
  }
  deps.log.info('instagram tokens checked', { ...report, due: due.data.length });
  return report;
}

async function refreshOne(deps: TokenRefreshDeps, channel: ChannelItem, nowMs: number, report: TokenRefreshReport) {
  const expiresAt = channel.tokenExpiresAt ?? 0;
  const keys = await deps.keyring.forTenant(channel.tenantId);
  const token = openChannelToken(keys, channel);
  const oldEnough = nowMs - (channel.tokenIssuedAt ?? 0) >= MIN_TOKEN_AGE_MS;
  if (token && expiresAt > nowMs && oldEnough) {
    try {
      const fresh = await deps.graph.instagramRefresh(token);
      await saveConnectedChannel(
        deps,
        channel.tenantId,
        { kind: 'instagram', externalId: channel.externalId, label: channel.label },
        { accessToken: fresh.accessToken, tokenExpiresAt: nowMs + (fresh.expiresIn ?? INSTAGRAM_TOKEN_SECONDS) * 1000 },
        nowMs,
      );
      report.refreshed++;
      return;
    } catch (error) {
      // Refused (revoked, permissions withdrawn): fall through to the expiry warning below.
      if (!(error instanceof GraphError) || error.retryable) throw error;
      deps.log.warn('instagram token refresh refused', {
        tenantId: channel.tenantId,
        reason: error.kind,
        code: error.code,
      });
    }
  } else if (expiresAt > nowMs && !oldEnough) {
    report.tooYoung++;
  }

  const lapsed = expiresAt <= nowMs;
  const status = lapsed ? 'expired' : expiresAt - nowMs < EXPIRING_WITHIN_MS ? 'expiring' : channel.status;
  if (lapsed) report.expired++;
  else if (status === 'expiring') report.expiring++;
  if (status === channel.status && (status === 'connected' || channel.reminderSentFor === expiresAt)) return;

  const remind = status !== 'connected' && channel.reminderSentFor !== expiresAt;
  if (remind)
    report.reminders += await queueChannelExpiryMails(deps, { ...channel, tokenExpiresAt: expiresAt }, lapsed);
  await deps.store.entities.channel.put({ ...channel, status, ...(remind && { reminderSentFor: expiresAt }) }).go();
}
