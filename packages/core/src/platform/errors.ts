/**
 * Errors every layer shares. Handlers map them to HTTP statuses or queue outcomes; nothing
 * else needs to know which is which.
 */

/** Input that will never succeed, however often it is retried (bad shape, unknown target). */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/**
 * An answer the caller may see: a stable `code` the API turns into a status, and a message
 * that is safe to show (it never names an account or echoes personal data).
 */
export class ProductError extends PermanentError {
  override name = 'ProductError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The thing asked for does not exist, or belongs to another business (which reads the same). */
export class NotFoundError extends ProductError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The request contradicts what is stored (already exists, already done, last owner, ...). */
export class ConflictError extends ProductError {
  override name = 'ConflictError';
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The person is known but their role does not allow this. */
export class ForbiddenError extends ProductError {
  override name = 'ForbiddenError';
  constructor(message = 'Your role does not allow this') {
    super('forbidden', message);
  }
}

/** No valid session: sign in first. */
export class UnauthenticatedError extends ProductError {
  override name = 'UnauthenticatedError';
  constructor(message = 'Sign in to continue') {
    super('unauthenticated', message);
  }
}

/** Too many attempts; the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends ProductError {
  override name = 'RateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super('rate_limited', message);
  }
}

/** The caller sent something malformed; safe to show them `message`. */
export class ValidationError extends PermanentError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Configuration is missing or invalid: the process cannot start. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A tenant's data key is gone: either never provisioned, or destroyed on deletion. */
export class TenantKeyMissingError extends PermanentError {
  override name = 'TenantKeyMissingError';
  constructor(readonly tenantId: string) {
    super('no data key for this tenant');
  }
}

/** Sealed data failed authentication: tampered, moved to another item, or wrong key. */
export class SealedDataError extends Error {
  override name = 'SealedDataError';
}
