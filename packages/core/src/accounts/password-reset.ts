import { DEFAULT_LANGUAGE } from '@asistone/contract/accounts';
import { recordInBusinesses } from '../audit/audit-log.js';
import { sealMail } from '../notify/outbound.js';
import { isConditionFailure } from '../platform/store/service.js';
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
  const link = `${deps.appUrl}/reset-password?token=${token}`;
  await deps.mails.enqueue(sealMail(keys, passwordResetMail(to, link, tokenHash, user.language ?? DEFAULT_LANGUAGE)));
  deps.log.info('password reset link sent', { userId: user.userId, requestId: request.requestId });
}

/**
 * How long a confirmation holds its link while it changes the password. Concurrent
 * confirmations of one link cannot both win it; one that fails half-way (a crash or timeout
 * between the claim and the end) frees the link again after this long.
 */
const RESET_CLAIM_MS = 60_000;

/**
 * Sets the new password and signs the person out everywhere. The link is claimed with one
 * conditional write before anything changes, so of several confirmations racing with it
 * exactly one sets its password and the others are told the link is invalid. It is marked
 * used at the end; a claim whose work failed lapses, so the same link can be retried.
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
  // Hashed before the claim, so the claim is held for as short a time as possible.
  const passwordHash = await hashPassword(password);
  const claimedAt = await claimResetLink(deps, tokenHash);
  try {
    await deps.store.entities.user
      .patch({ tenantId: ACCOUNTS_TENANT, userId: reset.userId })
      .set({ passwordHash })
      .go({ response: 'none' });
    await revokeAllSessions(deps, reset.userId);
    await deps.store.entities.passwordReset
      .patch({ tenantId: ACCOUNTS_TENANT, tokenHash })
      .set({ usedAt: Date.now() })
      .go({ response: 'none' });
  } catch (error) {
    await releaseResetLink(deps, tokenHash, claimedAt);
    throw error;
  }
  await recordInBusinesses(deps.store, await businessIdsOf(deps, reset.userId), {
    action: 'auth.password_reset',
    actorId: reset.userId,
    sourceAddress: origin.sourceAddress,
  });
  deps.log.info('password reset', { userId: reset.userId });
}

/**
 * Wins the link for one confirmation and tells when, or throws {@link InvalidLinkError}: used,
 * expired, or held by another confirmation.
 */
async function claimResetLink(deps: AccountsDeps, tokenHash: string): Promise<number> {
  const nowMs = Date.now();
  try {
    await deps.store.entities.passwordReset
      .patch({ tenantId: ACCOUNTS_TENANT, tokenHash })
      .set({ claimedAt: nowMs })
      .where(
        ({ usedAt, claimedAt, expiresAt }, { notExists, lt, gt }) =>
          `${notExists(usedAt)} AND ${gt(expiresAt, Math.floor(nowMs / 1000))} AND (${notExists(claimedAt)} OR ${lt(claimedAt, nowMs - RESET_CLAIM_MS)})`,
      )
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new InvalidLinkError();
  }
  return nowMs;
}

/**
 * Frees a claim whose work failed, so the person can retry at once rather than after the claim
 * lapses. Best effort: the claim lapses anyway, and the error that matters is the one thrown.
 */
async function releaseResetLink(deps: AccountsDeps, tokenHash: string, claimedAt: number): Promise<void> {
  await deps.store.entities.passwordReset
    .patch({ tenantId: ACCOUNTS_TENANT, tokenHash })
    .remove(['claimedAt'])
    .where(
      (attributes, { eq, notExists }) => `${eq(attributes.claimedAt, claimedAt)} AND ${notExists(attributes.usedAt)}`,
    )
    .go({ response: 'none' })
    .catch(() => undefined);
}
