import { DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import type { signUpBody } from '@asistone/contract/auth';
import type * as z from 'zod';
import { sealMail } from '../notify/outbound.js';
import { createBusiness } from './businesses.js';
import type { AccountRequestDeps, AccountsDeps, RequestOrigin } from './deps.js';
import { InvalidLinkError } from './errors.js';
import { SEALED_SIGN_UP_REQUEST, type SignUpRequest } from './mail-requests.js';
import { signUpNoticeMail, verifyEmailMail } from './mails.js';
import { hashPassword } from './passwords.js';
import {
  accountKeys,
  createAccount,
  emailIndexOf,
  findUserByEmailIndex,
  ignoreExisting,
  normalizeEmail,
} from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, secretHash } from './secrets.js';
import { POLICIES, takeAttempt } from './throttle.js';

const CONFIRMATION_SECONDS = 24 * 3600;

/** A sign-up as the API validated it; callers other than the API may leave the language out (Turkish). */
export type SignUp = Omit<z.output<typeof signUpBody>, 'language'> & { language?: Language | undefined };

/**
 * Starts a sign-up. Answers the same way, after the same work, whether the address is new or
 * taken: the limit is counted, the password hashed, and one message goes on the account-requests
 * queue. Its worker ({@link answerSignUpRequest}) then looks the address up: a new address gets
 * a confirmation link, a taken one a notice. Nothing here reads the accounts, so neither the
 * answer nor its timing tells whether the address has one.
 */
export async function signUp(deps: AccountsDeps, input: SignUp, origin: RequestOrigin): Promise<void> {
  const keys = await accountKeys(deps);
  if (origin.sourceAddress) {
    await takeAttempt(deps.store, POLICIES.signUpAddress, keys.blindIndex('address', origin.sourceAddress));
  }
  const passwordHash = await hashPassword(input.password);
  const requestId = newId('r');
  const seal = (field: keyof SignUpRequest['sealed'], value: string) =>
    keys.seal(SEALED_SIGN_UP_REQUEST, field, requestId, value);
  await deps.requests.enqueue({
    kind: 'sign-up-request',
    tenantId: ACCOUNTS_TENANT,
    requestId,
    requestedAt: Date.now(),
    termsVersion: input.termsVersion,
    language: input.language ?? DEFAULT_LANGUAGE,
    sealed: {
      email: seal('email', normalizeEmail(input.email)),
      name: seal('name', input.name),
      businessName: seal('businessName', input.businessName),
      passwordHash: seal('passwordHash', passwordHash),
      token: seal('token', newSecret()),
    },
  });
  deps.log.info('sign-up requested', { requestId });
}

/**
 * The account-requests worker's half of a sign-up: an address that already has an account gets a notice
 * (and no second account); a new one gets its pending sign-up and a confirmation link, valid
 * 24 hours from the request. A redelivered request finds its sign-up and its mail already made.
 */
export async function answerSignUpRequest(deps: AccountRequestDeps, request: SignUpRequest): Promise<void> {
  const keys = await deps.keyring.forTenant(ACCOUNTS_TENANT);
  const open = (field: keyof SignUpRequest['sealed']) =>
    keys.open(SEALED_SIGN_UP_REQUEST, field, request.requestId, request.sealed[field]);
  const email = open('email');
  const emailIndex = emailIndexOf(keys, email);
  const existing = await findUserByEmailIndex(deps, emailIndex);
  if (existing) {
    // The notice is for the account's holder, in their language, not in the requester's.
    const notice = signUpNoticeMail(email, deps.appUrl, request.requestId, existing.language ?? DEFAULT_LANGUAGE);
    await deps.mails.enqueue(sealMail(keys, notice));
    deps.log.info('sign-up for an existing account: notice sent', {
      userId: existing.userId,
      requestId: request.requestId,
    });
    return;
  }
  const token = open('token');
  const tokenHash = secretHash(token);
  const name = open('name');
  const seal = (field: string, value: string) => keys.seal('signUp', field, tokenHash, value);
  await deps.store.entities.signUp
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash,
      userId: newId('u'),
      businessId: newId('b'),
      name: seal('name', name),
      email: seal('email', email),
      emailIndex,
      businessName: seal('businessName', open('businessName')),
      passwordHash: open('passwordHash'),
      termsVersion: request.termsVersion,
      acceptedAt: request.requestedAt,
      language: request.language,
      createdAt: request.requestedAt,
      expiresAt: Math.floor(request.requestedAt / 1000) + CONFIRMATION_SECONDS,
    })
    .go()
    .catch(ignoreExisting);
  const link = `${deps.appUrl}/verify-email?token=${token}`;
  await deps.mails.enqueue(sealMail(keys, verifyEmailMail(email, name, link, tokenHash, request.language)));
  deps.log.info('sign-up started: confirmation sent', { requestId: request.requestId });
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
    language: pending.language,
  });
  await createBusiness(deps, { tenantId: pending.businessId, name: open('businessName'), ownerId: pending.userId });
  await deps.store.entities.signUp.delete({ tenantId: ACCOUNTS_TENANT, tokenHash }).go();
  deps.log.info('sign-up confirmed', { userId: pending.userId, tenantId: pending.businessId });
  return { userId: pending.userId, tenantId: pending.businessId };
}
