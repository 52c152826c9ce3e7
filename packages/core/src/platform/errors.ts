/**
 * Errors every layer shares. Handlers map them to HTTP statuses or queue outcomes; nothing
 * else needs to know which is which.
 */

/** Input that will never succeed, however often it is retried (bad shape, unknown target). */
export class PermanentError extends Error {
  override name = 'PermanentError';
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
