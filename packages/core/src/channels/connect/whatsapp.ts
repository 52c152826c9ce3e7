import { randomInt } from 'node:crypto';
import { recordAuditEvent } from '../../audit/audit-log.js';
import { ensureChannelRoom } from '../../billing/usage.js';
import { ValidationError } from '../../platform/errors.js';
import { channelDirectory } from '../../tenancy/channel-directory.js';
import { type ChannelItem, saveConnectedChannel } from '../../tenancy/tenants.js';
import { ChannelTakenError, type ConnectActor, explainGraphFailure, type MetaConnectDeps } from './deps.js';

export interface WhatsAppSignup {
  /** The exchangeable code Embedded Signup hands the page: valid 30 seconds, once. */
  code: string;
  /** Session info the page received from Meta's popup (browser-supplied: checked below). */
  wabaId: string;
  phoneNumberId: string;
  /** A WhatsApp Business app number shared with the Cloud API: never registered (it has its own PIN). */
  coexistence?: boolean | undefined;
}

/** The scopes a business token must hold for the WABA the page named. */
const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'] as const;

/** A two-step verification PIN: six digits from the CSPRNG. */
const newPin = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * Connects a WhatsApp number finished in Embedded Signup (v4), as a Tech Provider does:
 * 1. the code is exchanged for the business token at once (it lives 30 seconds);
 * 2. `debug_token` proves the token is for this app and grants the WABA the page claimed (the
 *    ids came from the browser: without this, anyone could bind someone else's WABA);
 * 3. the WABA's numbers are read with the token: the number must be one of them (its display
 *    number names the channel);
 * 4. the app is subscribed to the WABA (`subscribed_apps`), so Meta delivers its messages;
 * 5. the number is registered with a random PIN kept sealed (not for coexistence numbers);
 * 6. the channel is recorded with its token sealed, and the connection audited.
 * Every check comes before any write: a refused code, a foreign WABA or a number beyond the
 * plan's channels stores nothing (the plan is checked first: the code is not even used).
 */
export async function connectWhatsApp(
  deps: MetaConnectDeps,
  actor: ConnectActor,
  tenantId: string,
  signup: WhatsAppSignup,
): Promise<ChannelItem> {
  const owners = await channelDirectory(deps.store, 0).ownersOf('whatsapp', signup.phoneNumberId);
  if (owners.some((owner) => owner !== tenantId)) throw new ChannelTakenError('WhatsApp number');
  await ensureChannelRoom(deps, tenantId, [{ kind: 'whatsapp', externalId: signup.phoneNumberId }]);

  const { appId, appSecret } = deps.meta;
  const { accessToken } = await deps.graph
    .exchangeCode({ appId, appSecret, code: signup.code })
    .catch((error: unknown) => explainGraphFailure(error, 'sign-in code (it works once, for 30 seconds)', 'code'));

  const grant = await deps.graph
    .debugToken({ inputToken: accessToken, appToken: `${appId}|${appSecret}` })
    .catch((error: unknown) => explainGraphFailure(error, 'token check'));
  if (!grant.isValid || grant.appId !== appId) {
    throw new ValidationError('Meta did not confirm this sign-in for Asistone: start the connection again', ['code']);
  }
  for (const scope of WHATSAPP_SCOPES) {
    const granted = grant.granularScopes.find((candidate) => candidate.scope === scope);
    if (!granted?.targetIds?.includes(signup.wabaId)) {
      throw new ValidationError(
        'This Meta sign-in does not grant the WhatsApp Business Account you chose: start the connection again',
        ['wabaId'],
      );
    }
  }

  // The number must be the WABA's own: a token may grant several WABAs of one business, and a
  // number filed under the wrong one would get the other's template and account events.
  const numbers = await deps.graph
    .wabaPhoneNumbers(signup.wabaId, accessToken)
    .catch((error: unknown) => explainGraphFailure(error, 'phone number lookup', 'phoneNumberId'));
  const number = numbers.find((candidate) => candidate.id === signup.phoneNumberId);
  if (!number) {
    throw new ValidationError(
      'This phone number is not in the WhatsApp Business Account you chose: start the connection again',
      ['phoneNumberId'],
    );
  }
  await deps.graph
    .subscribeApp(signup.wabaId, accessToken)
    .catch((error: unknown) => explainGraphFailure(error, 'webhook subscription of the WhatsApp Business Account'));
  const pin = signup.coexistence ? undefined : newPin();
  if (pin) {
    await deps.graph
      .registerPhone(signup.phoneNumberId, accessToken, pin)
      .catch((error: unknown) => explainGraphFailure(error, 'phone number registration', 'phoneNumberId'));
  }

  const channel = await saveConnectedChannel(
    deps,
    tenantId,
    {
      kind: 'whatsapp',
      externalId: signup.phoneNumberId,
      accountId: signup.wabaId,
      label: `WhatsApp ${number.displayPhoneNumber} · ${number.verifiedName}`,
    },
    {
      accessToken,
      // Seconds since the epoch from debug_token; 0 means the business token does not expire.
      tokenExpiresAt: grant.expiresAt ? grant.expiresAt * 1000 : undefined,
      pin,
      coexistence: Boolean(signup.coexistence),
    },
  );
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: actor.userId,
    target: { type: 'channel', id: `whatsapp:${signup.phoneNumberId}` },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'whatsapp', account: signup.wabaId, ...(signup.coexistence && { coexistence: 'true' }) },
  });
  deps.log.info('channel connected', { tenantId, kind: 'whatsapp', registered: Boolean(pin) });
  return channel;
}
