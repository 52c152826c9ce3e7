import { recordInBusinesses } from '../audit/audit-log.js';
import { sealMail } from '../notify/outbound.js';
import { businessIdsOf } from './businesses.js';
import type { AccountRequestDeps, AccountsDeps, RequestOrigin } from './deps.js';
import { InvalidLinkError } from './errors.js';
import { type PasswordResetRequest, SEALED_RESET_REQUEST } from './mail-requests.js';
import { passwordResetMail } from './mails.js';
import { hashPassword } from './passwords.js';
import { accountKeys, emailIndexOf, findUserByEmailIndex, ignoreExisting, profileOf } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, secretHash } from './secrets.js';
import { revokeAllSessions } from './sessions.js';
import { POLICIES, takeAttempt } from './throttle.js';

const RESET_SECONDS = 60 * 60;

/**
 * Asks for a reset link. The answer and the work are the same whether the address has an
 * account or not: the limits are counted, then one message goes on the account-requests queue,
 * whose worker looks the account up ({@link sendPasswordResetLink}). Nothing here reads the account,
 * so neither the answer nor its timing tells whether one exists.
 */
export async function requestPasswordReset(deps: AccountsDeps, email: string, origin: RequestOrigin): Promise<void> {
  const keys = await accountKeys(deps);
  const emailIndex = emailIndexOf(keys, email);
  if (origin.sourceAddress) {
    await takeAttempt(deps.store, POLICIES.resetAddress, keys.blindIndex('address', origin.sourceAddress));
  }
  await takeAttempt(deps.store, POLICIES.resetAccount, emailIndex);
  const requestId = newId('r');
  await deps.requests.enqueue({
    kind: 'password-reset-request',
    tenantId: ACCOUNTS_TENANT,
    requestId,
    emailIndex,
    token: keys.seal(SEALED_RESET_REQUEST, 'token', requestId, newSecret()),
  });
  deps.log.info('password reset requested', { requestId });
}

/**
 * The account-requests worker's half: mails a reset link when the address has an account, and does
 * nothing otherwise. A redelivered request finds its link and its mail already made.
 */
export async function sendPasswordResetLink(deps: AccountRequestDeps, request: PasswordResetRequest): Promise<void> {
  const user = await findUserByEmailIndex(deps, request.emailIndex);
  if (!user) {
    deps.log.info('password reset requested for no account', { requestId: request.requestId });
    return;
  }
  const keys = await deps.keyring.forTenant(ACCOUNTS_TENANT);
  const token = keys.open(SEALED_RESET_REQUEST, 'token', request.requestId, request.token);
  const tokenHash = secretHash(token);
  await deps.store.entities.passwordReset
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash,
      userId: user.userId,
      expiresAt: Math.floor(Date.now() / 1000) + RESET_SECONDS,
    })
    .go()
    .catch(ignoreExisting);
  const to = profileOf(keys, user).email;
  await deps.mails.enqueue(
    sealMail(keys, passwordResetMail(to, `${deps.appUrl}/reset-password?token=${token}`, tokenHash)),
  );
  deps.log.info('password reset link sent', { userId: user.userId, requestId: request.requestId });
}

/**
 * Sets the new password and signs the person out everywhere. The link is marked used last,
 * so a failure half-way leaves it usable for a retry; using it twice changes nothing more.
 */
export async function confirmPasswordReset(
  deps: AccountsDeps,
  token: string,
  password: string,
  origin: RequestOrigin,
): Promise<void> {
  const tokenHash = secretHash(token);
  const found = await deps.store.entities.passwordReset.get({ tenantId: ACCOUNTS_TENANT, tokenHash }).go();
  const reset = found.data;
  if (!reset || reset.usedAt || reset.expiresAt <= Date.now() / 1000) throw new InvalidLinkError();
  const passwordHash = await hashPassword(password);
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId: reset.userId })
    .set({ passwordHash })
    .go({ response: 'none' });
  await revokeAllSessions(deps, reset.userId);
  await deps.store.entities.passwordReset
    .patch({ tenantId: ACCOUNTS_TENANT, tokenHash })
    .set({ usedAt: Date.now() })
    .go({ response: 'none' });
  await recordInBusinesses(deps.store, await businessIdsOf(deps, reset.userId), {
    action: 'auth.password_reset',
    actorId: reset.userId,
    sourceAddress: origin.sourceAddress,
  });
  deps.log.info('password reset', { userId: reset.userId });
}
