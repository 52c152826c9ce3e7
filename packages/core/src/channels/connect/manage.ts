import { recordAuditEvent } from '../../audit/audit-log.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { ChannelKind } from '../../tenancy/tenants.js';
import { type ChannelItem, markChannelDisconnected, openChannelToken } from '../../tenancy/tenants.js';
import { GraphError } from '../meta/graph-errors.js';
import type { ConnectActor, ConnectDeps, ConnectGraph } from './deps.js';

/** A channel as the API shows it: never its token or PIN. */
export interface ChannelView {
  kind: ChannelKind;
  externalId: string;
  label: string;
  status: ChannelItem['status'];
  connectedAt: string;
  accountId?: string;
  tokenExpiresAt?: string;
  disconnectedAt?: string;
  lastTest?: { ok: boolean; at: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function channelView(channel: ChannelItem): ChannelView {
  return {
    kind: channel.kind,
    externalId: channel.externalId,
    label: channel.label,
    status: channel.status,
    connectedAt: iso(channel.connectedAt),
    ...(channel.accountId && { accountId: channel.accountId }),
    ...(channel.tokenExpiresAt && { tokenExpiresAt: iso(channel.tokenExpiresAt) }),
    ...(channel.disconnectedAt && { disconnectedAt: iso(channel.disconnectedAt) }),
    ...(channel.lastTestedAt && { lastTest: { ok: Boolean(channel.lastTestOk), at: iso(channel.lastTestedAt) } }),
  };
}

/** Every channel of the business, disconnected ones included (their conversations stay). */
export async function listChannels(deps: Pick<ConnectDeps, 'store'>, tenantId: string): Promise<ChannelView[]> {
  const found = await deps.store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' });
  return found.data.map(channelView);
}

async function requireChannel(
  deps: Pick<ConnectDeps, 'store'>,
  tenantId: string,
  kind: ChannelKind,
  externalId: string,
) {
  const found = await deps.store.entities.channel.get({ tenantId, kind, externalId }).go();
  if (!found.data) throw new NotFoundError('No such channel');
  return found.data;
}

/**
 * Disconnects a channel: the app is unsubscribed at Meta (the WABA only when no other number
 * of the business stays under it), the channel is marked disconnected and leaves the channel
 * directory, so Meta's deliveries for it are counted as for no known business; conversations
 * and messages stay. A refusal from Meta (a token already revoked) does not keep the channel
 * connected: the merchant asked to stop, and it is logged. Disconnecting twice is a no-op.
 */
export async function disconnectChannel(
  deps: ReleaseDeps,
  actor: ConnectActor,
  tenantId: string,
  kind: ChannelKind,
  externalId: string,
): Promise<void> {
  const channel = await requireChannel(deps, tenantId, kind, externalId);
  if (channel.status === 'disconnected') return;
  const keys = await deps.keyring.forTenant(tenantId);
  const token = openChannelToken(keys, channel);
  const subscribed = kind === 'whatsapp' ? await whatsappAccountToRelease(deps, channel) : externalId;
  if (token && subscribed && kind !== 'sandbox') {
    try {
      await deps.graph.unsubscribeApp(subscribed, token, kind === 'instagram' ? 'instagram' : 'facebook');
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      deps.log.warn('unsubscribe refused by Meta; channel disconnected anyway', {
        tenantId,
        kind,
        reason: error.kind,
        code: error.code,
      });
    }
  }
  await markChannelDisconnected(deps, channel);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.disconnected',
    actorId: actor.userId,
    target: { type: 'channel', id: `${kind}:${externalId}` },
    sourceAddress: actor.sourceAddress,
    detail: { kind },
  });
  deps.log.info('channel disconnected', { tenantId, kind });
}

/** What disconnecting needs: no app secret, only the channel's own token. */
export type ReleaseDeps = Pick<ConnectDeps, 'store' | 'keyring' | 'log'> & {
  graph: Pick<ConnectGraph, 'unsubscribeApp'>;
};

/**
 * Disconnects every channel of a business that is being deleted, before its key (and so its
 * tokens) is destroyed: unsubscribed at Meta, Meta stops sending its customers' messages to us
 * at all, rather than us dropping them on arrival. A channel Meta cannot be reached for is
 * logged and left: the deletion goes on regardless (the promise is the deletion), and a token
 * destroyed with the key is one Meta will no longer honour.
 */
export async function releaseBusinessChannels(deps: ReleaseDeps, tenantId: string, by: string): Promise<number> {
  const { data } = await deps.store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' });
  let released = 0;
  for (const channel of data) {
    if (channel.status === 'disconnected') continue;
    try {
      await disconnectChannel(deps, { userId: by }, tenantId, channel.kind, channel.externalId);
      released += 1;
    } catch (error) {
      deps.log.warn('channel not released before the business was deleted', {
        tenantId,
        kind: channel.kind,
        error,
      });
    }
  }
  return released;
}

/** The WABA to unsubscribe from, unless another connected number of the business still needs it. */
async function whatsappAccountToRelease(deps: Pick<ConnectDeps, 'store'>, channel: ChannelItem) {
  if (!channel.accountId) return undefined;
  const numbers = await deps.store.entities.channel.query
    .byTenant({ tenantId: channel.tenantId, kind: 'whatsapp' })
    .go({ pages: 'all' });
  const shared = numbers.data.some(
    (other) =>
      other.externalId !== channel.externalId &&
      other.accountId === channel.accountId &&
      other.status !== 'disconnected',
  );
  return shared ? undefined : channel.accountId;
}

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  detail: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** A check that calls Meta: a Graph error becomes a failed check naming its kind, never a 500. */
async function graphCheck(name: string, run: () => Promise<string>): Promise<ConnectionCheck> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (error) {
    if (error instanceof CheckFailed) return { name, ok: false, detail: error.message };
    if (!(error instanceof GraphError)) throw error;
    return { name, ok: false, detail: `Meta answered ${error.kind}: ${error.title}` };
  }
}

/** Meta answered, but not what the channel needs. */
class CheckFailed extends Error {}

/**
 * Tests a channel the way it will be used: its token opens, Meta accepts it, and (per kind) the
 * number, Page or account answers. The outcome is kept on the channel (`lastTest`).
 */
export async function testChannel(
  deps: ConnectDeps,
  tenantId: string,
  kind: ChannelKind,
  externalId: string,
  nowMs = Date.now(),
): Promise<{ ok: boolean; checks: ConnectionCheck[] }> {
  const channel = await requireChannel(deps, tenantId, kind, externalId);
  if (channel.status === 'disconnected')
    throw new ConflictError('This channel is disconnected: connect it again first');
  const checks: ConnectionCheck[] = [];
  if (kind === 'sandbox') {
    checks.push({ name: 'sandbox', ok: true, detail: 'The sandbox needs no provider: replies are delivered at once' });
  } else {
    const keys = await deps.keyring.forTenant(tenantId);
    const token = openChannelToken(keys, channel);
    checks.push({
      name: 'token',
      ok: Boolean(token),
      detail: token ? 'A token is stored, sealed' : 'No token is stored: connect the channel again',
    });
    if (channel.tokenExpiresAt) {
      const days = Math.floor((channel.tokenExpiresAt - nowMs) / DAY_MS);
      checks.push({
        name: 'token-expiry',
        ok: channel.tokenExpiresAt > nowMs,
        detail: channel.tokenExpiresAt > nowMs ? `Valid for ${days} more days` : 'Expired: connect the channel again',
      });
    }
    if (token) checks.push(...(await providerChecks(deps, channel, token)));
  }
  const ok = checks.every((check) => check.ok);
  const { lastTestedAt: _at, lastTestOk: _ok, ...rest } = channel;
  await deps.store.entities.channel.put({ ...rest, lastTestedAt: nowMs, lastTestOk: ok }).go();
  return { ok, checks };
}

async function providerChecks(deps: ConnectDeps, channel: ChannelItem, token: string): Promise<ConnectionCheck[]> {
  const { appId, appSecret } = deps.meta;
  if (channel.kind === 'instagram') {
    return [
      await graphCheck('account', async () => {
        const me = await deps.graph.instagramMe(token);
        if (me.userId !== channel.externalId) throw new CheckFailed('The token belongs to another Instagram account');
        return `@${me.username} answers`;
      }),
    ];
  }
  const checks = [
    await graphCheck('token-valid', async () => {
      const grant = await deps.graph.debugToken({ inputToken: token, appToken: `${appId}|${appSecret}` });
      if (!grant.isValid) throw new CheckFailed('Meta says the token is no longer valid: connect the channel again');
      return 'Meta accepts the token';
    }),
  ];
  if (channel.kind === 'whatsapp') {
    checks.push(
      await graphCheck('phone-number', async () => {
        const number = await deps.graph.phoneNumber(channel.externalId, token);
        return `${number.displayPhoneNumber} · ${number.verifiedName}${number.qualityRating ? ` · quality ${number.qualityRating}` : ''}`;
      }),
    );
  }
  return checks;
}
