import { randomBytes } from 'node:crypto';
import { recordAuditEvent } from '../../audit/audit-log.js';
import { ensureChannelRoom } from '../../billing/usage.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { channelDirectory } from '../../tenancy/channel-directory.js';
import { type ChannelItem, saveConnectedChannel } from '../../tenancy/tenants.js';
import {
  ChannelTakenError,
  type ConnectActor,
  type ConnectDeps,
  explainGraphFailure,
  type MetaConnectDeps,
} from './deps.js';

/** How long a person has to pick Pages after signing in at Meta. */
const LOGIN_SECONDS = 10 * 60;

/**
 * The Page webhook fields the inbox handles. Only fields subscribed at both the app and the
 * Page deliver, so the Page asks for every one the inbox reads.
 */
export const MESSENGER_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_referrals',
];

interface LoginPage {
  id: string;
  name: string;
  accessToken: string;
}

const SEALED_PAGES = ['channelLogin', 'pages'] as const;

/**
 * First half of connecting Messenger: the Facebook Login code is exchanged for the person's
 * token, and the Pages it manages are listed with their Page tokens. Nothing is connected yet:
 * the tokens are kept sealed for 10 minutes under a login id, and only names go back.
 */
export async function startMessengerLogin(
  deps: ConnectDeps,
  actor: ConnectActor,
  tenantId: string,
  input: { code: string; redirectUri?: string | undefined },
): Promise<{ loginId: string; pages: { id: string; name: string }[] }> {
  const { appId, appSecret } = deps.meta;
  const short = await deps.graph
    .exchangeCode({ appId, appSecret, code: input.code, ...(input.redirectUri && { redirectUri: input.redirectUri }) })
    .catch((error: unknown) => explainGraphFailure(error, 'sign-in code (it works once)', 'code'));
  // Page tokens listed with a short-lived user token lapse within the hour; with a long-lived
  // one they do not expire, which is what a connected Page needs.
  const { accessToken } = await deps.graph
    .exchangeUserToken({ appId, appSecret, token: short.accessToken })
    .catch((error: unknown) => explainGraphFailure(error, 'long-lived sign-in'));
  const pages = await deps.graph
    .pages(accessToken)
    .catch((error: unknown) => explainGraphFailure(error, 'list of your Facebook Pages'));
  const loginId = `l${randomBytes(12).toString('hex')}`;
  const keys = await deps.keyring.forTenant(tenantId);
  const kept: LoginPage[] = pages.map(({ id, name, accessToken: token }) => ({ id, name, accessToken: token }));
  await deps.store.entities.channelLogin
    .create({
      tenantId,
      loginId,
      userId: actor.userId,
      pages: keys.seal(...SEALED_PAGES, loginId, JSON.stringify(kept)),
      expiresAt: Math.floor(Date.now() / 1000) + LOGIN_SECONDS,
    })
    .go();
  return { loginId, pages: kept.map(({ id, name }) => ({ id, name })) };
}

/**
 * Second half: the Pages the person picked are subscribed to the app (with their own Page
 * token) and recorded as channels, tokens sealed. Picking a Page the login did not list is
 * refused before anything is subscribed; the login is used up once the Pages are connected.
 */
export async function connectMessengerPages(
  deps: MetaConnectDeps,
  actor: ConnectActor,
  tenantId: string,
  input: { loginId: string; pageIds: string[] },
): Promise<ChannelItem[]> {
  const login = (await deps.store.entities.channelLogin.get({ tenantId, loginId: input.loginId }).go()).data;
  if (!login || login.userId !== actor.userId || login.expiresAt <= Date.now() / 1000) {
    throw new NotFoundError('This Facebook sign-in is over: sign in again to pick your Pages');
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const pages = JSON.parse(keys.open(...SEALED_PAGES, login.loginId, login.pages)) as LoginPage[];
  const picked = [...new Set(input.pageIds)].map((id) => pages.find((page) => page.id === id));
  if (picked.some((page) => !page)) {
    throw new ValidationError('Pick only Pages this Facebook sign-in listed', ['pageIds']);
  }
  const directory = channelDirectory(deps.store, 0);
  for (const page of picked as LoginPage[]) {
    const owners = await directory.ownersOf('messenger', page.id);
    if (owners.some((owner) => owner !== tenantId)) throw new ChannelTakenError(`Page "${page.name}"`);
  }
  // All the Pages picked fit the plan, or none is connected.
  await ensureChannelRoom(
    deps,
    tenantId,
    (picked as LoginPage[]).map((page) => ({ kind: 'messenger', externalId: page.id })),
  );

  const channels: ChannelItem[] = [];
  for (const page of picked as LoginPage[]) {
    await deps.graph
      .subscribeApp(page.id, page.accessToken, MESSENGER_FIELDS)
      .catch((error: unknown) => explainGraphFailure(error, `webhook subscription of the Page "${page.name}"`));
    channels.push(
      await saveConnectedChannel(
        deps,
        tenantId,
        { kind: 'messenger', externalId: page.id, label: `Messenger · ${page.name}` },
        { accessToken: page.accessToken },
      ),
    );
    await recordAuditEvent(deps.store, tenantId, {
      action: 'integration.connected',
      actorId: actor.userId,
      target: { type: 'channel', id: `messenger:${page.id}` },
      sourceAddress: actor.sourceAddress,
      detail: { kind: 'messenger' },
    });
  }
  await deps.store.entities.channelLogin.delete({ tenantId, loginId: login.loginId }).go();
  deps.log.info('channel connected', { tenantId, kind: 'messenger', pages: channels.length });
  return channels;
}
