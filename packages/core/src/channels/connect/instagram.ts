import { recordAuditEvent } from '../../audit/audit-log.js';
import { ensureChannelRoom } from '../../billing/usage.js';
import { ValidationError } from '../../platform/errors.js';
import { channelDirectory } from '../../tenancy/channel-directory.js';
import { type ChannelItem, saveConnectedChannel } from '../../tenancy/tenants.js';
import { ChannelTakenError, type ConnectActor, explainGraphFailure, type MetaConnectDeps } from './deps.js';

/** The Instagram webhook fields the inbox handles (Instagram has no separate echo field). */
export const INSTAGRAM_FIELDS = [
  'messages',
  'messaging_postbacks',
  'messaging_seen',
  'message_reactions',
  'messaging_referral',
];

/** A long-lived Instagram Login token's life when Meta does not say: 60 days. */
export const INSTAGRAM_TOKEN_SECONDS = 60 * 24 * 3600;

/**
 * Connects an Instagram professional account by Instagram Login: the code becomes a 1-hour
 * token, that a 60-day one (with the Instagram app's secret), whose account (`/me`, the id
 * webhooks name) is subscribed and recorded with its expiry. The `instagram-token-refresh`
 * schedule keeps it fresh from then on.
 */
export async function connectInstagram(
  deps: MetaConnectDeps,
  actor: ConnectActor,
  tenantId: string,
  input: { code: string; redirectUri: string },
  nowMs = Date.now(),
): Promise<ChannelItem> {
  const { instagramAppId: appId, instagramAppSecret: appSecret } = deps.meta;
  if (!appId || !appSecret) {
    throw new ValidationError('Instagram Login is not set up for this installation: connect Instagram later');
  }
  const short = await deps.graph
    .instagramExchangeCode({ appId, appSecret, code: input.code, redirectUri: input.redirectUri })
    .catch((error: unknown) => explainGraphFailure(error, 'sign-in code (it works once)', 'code'));
  const long = await deps.graph
    .instagramLongLived(short.accessToken, appSecret)
    .catch((error: unknown) => explainGraphFailure(error, 'long-lived token'));
  const me = await deps.graph
    .instagramMe(long.accessToken)
    .catch((error: unknown) => explainGraphFailure(error, 'account lookup'));

  const owners = await channelDirectory(deps.store, 0).ownersOf('instagram', me.userId);
  if (owners.some((owner) => owner !== tenantId)) throw new ChannelTakenError('Instagram account');
  // The account is known only now; nothing is subscribed or stored beyond the plan's channels.
  await ensureChannelRoom(deps, tenantId, [{ kind: 'instagram', externalId: me.userId }]);
  await deps.graph
    .subscribeApp(me.userId, long.accessToken, INSTAGRAM_FIELDS, 'instagram')
    .catch((error: unknown) => explainGraphFailure(error, 'webhook subscription of the Instagram account'));

  const channel = await saveConnectedChannel(
    deps,
    tenantId,
    { kind: 'instagram', externalId: me.userId, label: `Instagram @${me.username}` },
    { accessToken: long.accessToken, tokenExpiresAt: nowMs + (long.expiresIn ?? INSTAGRAM_TOKEN_SECONDS) * 1000 },
    nowMs,
  );
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: actor.userId,
    target: { type: 'channel', id: `instagram:${me.userId}` },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'instagram' },
  });
  deps.log.info('channel connected', { tenantId, kind: 'instagram' });
  return channel;
}
