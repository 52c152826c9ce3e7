import { z } from 'zod';
import { createBusiness } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { InvalidLinkError } from './errors.js';
import { signUpNoticeMail, verifyEmailMail } from './mails.js';
import { hashPassword, passwordSchema } from './passwords.js';
import { accountKeys, createAccount, emailIndexOf, findUserByEmail, normalizeEmail } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, secretHash } from './secrets.js';
import { consentSchema } from './terms.js';
import { POLICIES, takeAttempt } from './throttle.js';

const CONFIRMATION_SECONDS = 24 * 3600;

export const signUpSchema = z
  .object({
    businessName: z.string().trim().min(1).max(120),
    name: z.string().trim().min(1).max(120),
    email: z.email().max(254),
    password: passwordSchema,
  })
  .extend(consentSchema.shape);

export type SignUp = z.infer<typeof signUpSchema>;

/**
 * Starts a sign-up. Answers the same way whether the address is new or taken: a new address
 * gets a confirmation link, a taken one a notice; both paths hash the password, so the time
 * taken tells nothing either.
 */
export async function signUp(deps: AccountsDeps, input: SignUp, origin: RequestOrigin): Promise<void> {
  const keys = await accountKeys(deps);
  if (origin.sourceAddress) {
    await takeAttempt(deps.store, POLICIES.signUpAddress, keys.blindIndex('address', origin.sourceAddress));
  }
  const [passwordHash, existing] = await Promise.all([
    hashPassword(input.password),
    findUserByEmail(deps, input.email),
  ]);
  const email = normalizeEmail(input.email);
  if (existing) {
    await deps.mailer.send(signUpNoticeMail(email, deps.appUrl, newId('n')));
    deps.log.info('sign-up for an existing account: notice sent', { userId: existing.userId });
    return;
  }
  const token = newSecret();
  const tokenHash = secretHash(token);
  const seal = (field: string, value: string) => keys.seal('signUp', field, tokenHash, value);
  const nowMs = Date.now();
  await deps.store.entities.signUp
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash,
      userId: newId('u'),
      businessId: newId('b'),
      name: seal('name', input.name),
      email: seal('email', email),
      emailIndex: emailIndexOf(keys, email),
      businessName: seal('businessName', input.businessName),
      passwordHash,
      termsVersion: input.termsVersion,
      acceptedAt: nowMs,
      createdAt: nowMs,
      expiresAt: Math.floor(nowMs / 1000) + CONFIRMATION_SECONDS,
    })
    .go();
  await deps.mailer.send(verifyEmailMail(email, input.name, `${deps.appUrl}/verify-email?token=${token}`, tokenHash));
  deps.log.info('sign-up started: confirmation sent');
}

/** The newest unconfirmed sign-up for an address, if one is still valid. */
export async function pendingSignUpFor(deps: Pick<AccountsDeps, 'store' | 'keyring'>, email: string) {
  const keys = await accountKeys(deps);
  const pending = await deps.store.entities.signUp.query
    .byEmail({ tenantId: ACCOUNTS_TENANT, emailIndex: emailIndexOf(keys, email) })
    .go({ order: 'desc', limit: 1 });
  const newest = pending.data[0];
  return newest && newest.expiresAt > Date.now() / 1000 ? newest : undefined;
}

/**
 * Confirms a sign-up: creates the account, then the business with its own data key and the
 * person as owner. Each step keeps what a previous try wrote; the sign-up is removed last, so
 * following the link again after a failure finishes the job.
 */
export async function confirmSignUp(deps: AccountsDeps, token: string): Promise<{ userId: string; tenantId: string }> {
  const tokenHash = secretHash(token);
  const found = await deps.store.entities.signUp.get({ tenantId: ACCOUNTS_TENANT, tokenHash }).go();
  const pending = found.data;
  if (!pending || pending.expiresAt <= Date.now() / 1000) throw new InvalidLinkError();
  const keys = await accountKeys(deps);
  const open = (field: 'name' | 'email' | 'businessName') => keys.open('signUp', field, tokenHash, pending[field]);
  await createAccount(deps, {
    userId: pending.userId,
    name: open('name'),
    email: open('email'),
    passwordHash: pending.passwordHash,
    termsVersion: pending.termsVersion,
    termsAcceptedAt: pending.acceptedAt,
  });
  await createBusiness(deps, { tenantId: pending.businessId, name: open('businessName'), ownerId: pending.userId });
  await deps.store.entities.signUp.delete({ tenantId: ACCOUNTS_TENANT, tokenHash }).go();
  deps.log.info('sign-up confirmed', { userId: pending.userId, tenantId: pending.businessId });
  return { userId: pending.userId, tenantId: pending.businessId };
}
