import { ProductError } from '../platform/errors.js';

/**
 * What can go wrong only for a person signing in. Errors every area shares (not found,
 * conflict, forbidden, unauthenticated, rate limited, invalid) live in platform/errors.ts.
 * Messages are safe to show and never name an account.
 */
export type AccountsErrorCode =
  | 'invalid_credentials'
  | 'totp_required'
  | 'email_not_verified'
  | 'invalid_link'
  | 'wrong_account';

export class AccountsError extends ProductError {
  override name = 'AccountsError';
  constructor(
    override readonly code: AccountsErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export class InvalidCredentialsError extends AccountsError {
  override name = 'InvalidCredentialsError';
  constructor(message = 'Email or password is incorrect') {
    super('invalid_credentials', message);
  }
}

export class TotpRequiredError extends AccountsError {
  override name = 'TotpRequiredError';
  constructor() {
    super('totp_required', 'Enter the 6-digit code from your authenticator app');
  }
}

export class EmailNotVerifiedError extends AccountsError {
  override name = 'EmailNotVerifiedError';
  constructor() {
    super('email_not_verified', 'Confirm your email address first: follow the link we sent you');
  }
}

/** A verification, reset or invitation link that is unknown, used or expired. */
export class InvalidLinkError extends AccountsError {
  override name = 'InvalidLinkError';
  constructor(message = 'This link is invalid or has expired') {
    super('invalid_link', message);
  }
}

/**
 * Signed in as someone other than the person an invitation was sent to: the page offers to
 * switch accounts. The message names neither address.
 */
export class WrongAccountError extends AccountsError {
  override name = 'WrongAccountError';
  constructor() {
    super('wrong_account', 'This invitation was sent to another email address: sign in with that one to accept');
  }
}
