import { z } from 'zod';
import { recordInBusinesses } from '../audit/audit-log.js';
import { businessIdsOf } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { InvalidLinkError } from './errors.js';
import { passwordResetMail } from './mails.js';
import { hashPassword, passwordSchema } from './passwords.js';
import { accountKeys, emailIndexOf, findUserByEmail, profileOf } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newSecret, secretHash } from './secrets.js';
import { revokeAllSessions } from './sessions.js';
import { POLICIES, takeAttempt } from './throttle.js';

const RESET_SECONDS = 60 * 60;

export const resetRequestSchema = z.object({ email: z.email().max(254) });
export const resetConfirmSchema = z.object({ token: z.string().min(20).max(200), password: passwordSchema });

/**
 * Mails a reset link when the address has an account, and silently does nothing otherwise:
 * the caller always gets the same answer.
 */
export async function requestPasswordReset(deps: AccountsDeps, email: string, origin: RequestOrigin): Promise<void> {
  const keys = await accountKeys(deps);
  if (origin.sourceAddress) {
    await takeAttempt(deps.store, POLICIES.resetAddress, keys.blindIndex('address', origin.sourceAddress));
  }
  await takeAttempt(deps.store, POLICIES.resetAccount, emailIndexOf(keys, email));
  const user = await findUserByEmail(deps, email);
  if (!user) {
    deps.log.info('password reset requested for no account');
    return;
  }
  const token = newSecret();
  const tokenHash = secretHash(token);
  await deps.store.entities.passwordReset
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash,
      userId: user.userId,
      expiresAt: Math.floor(Date.now() / 1000) + RESET_SECONDS,
    })
    .go();
  const to = profileOf(keys, user).email;
  await deps.mailer.send(passwordResetMail(to, `${deps.appUrl}/reset-password?token=${token}`, tokenHash));
  deps.log.info('password reset link sent', { userId: user.userId });
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
