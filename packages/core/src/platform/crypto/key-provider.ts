/**
 * Who protects tenant data keys. Locally, a wrapping key file per tenant; in AWS, a KMS key
 * per tenant. Both wrap a 256-bit data key bound to `{ tenant: <id> }`, and both can destroy
 * the tenant's key, which makes every wrapped copy (backups included) useless.
 */
export interface KeyProvider {
  readonly kind: 'local' | 'kms';
  /** Creates the tenant's wrapping key and returns its reference. */
  createTenantKey(tenantId: string): Promise<string>;
  /** A fresh data key: plaintext for use now, wrapped for storage. */
  generateDataKey(tenantId: string, keyRef: string): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  /** Unwraps a stored data key. */
  unwrapDataKey(tenantId: string, keyRef: string, wrapped: Buffer): Promise<Buffer>;
  /** Makes the tenant's wrapping key unusable, for good. */
  destroyTenantKey(tenantId: string, keyRef: string): Promise<void>;
}
