import { PermanentError } from '../platform/errors.js';

/**
 * What can go wrong for a person signing in or managing a team. Each error carries a stable
 * `code` the API turns into a status; messages are safe to show and never name an account.
 */
export type AccountsErrorCode =
  | 'invalid_credentials'
  | 'totp_required'
  | 'email_not_verified'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_link'
  | 'rate_limited';

export class AccountsError extends PermanentError {
  override name = 'AccountsError';
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
  ) {
    super(message);
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

export class UnauthenticatedError extends AccountsError {
  override name = 'UnauthenticatedError';
  constructor(message = 'Sign in to continue') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AccountsError {
  override name = 'ForbiddenError';
  constructor(message = 'Your role does not allow this') {
    super('forbidden', message);
  }
}

export class NotFoundError extends AccountsError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends AccountsError {
  override name = 'ConflictError';
  constructor(message: string) {
    super('conflict', message);
  }
}

/** A verification, reset or invitation link that is unknown, used or expired. */
export class InvalidLinkError extends AccountsError {
  override name = 'InvalidLinkError';
  constructor(message = 'This link is invalid or has expired') {
    super('invalid_link', message);
  }
}

export class RateLimitedError extends AccountsError {
  override name = 'RateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super('rate_limited', message);
  }
}
