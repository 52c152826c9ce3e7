import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { SealedDataError } from '../errors.js';

/** Where a sealed value belongs. The ciphertext opens only in the same place. */
export interface SealContext {
  tenantId: string;
  /** Entity name, e.g. `contact`. */
  entity: string;
  /** Field name, e.g. `phone`. */
  field: string;
  /** The item's own id, so a value copied onto another item does not open. */
  itemKey: string;
}

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function additionalData(context: SealContext): Buffer {
  // Unit separators cannot appear in ids, so no two contexts serialize alike.
  return Buffer.from(`${context.tenantId}\u001f${context.entity}\u001f${context.field}\u001f${context.itemKey}`);
}

/**
 * Encrypts one field with AES-256-GCM, binding it to its tenant, entity, field and item.
 *
 * @example
 * const sealed = sealField(key, 'Merhaba', { tenantId, entity: 'message', field: 'text', itemKey });
 */
export function sealField(key: KeyObject, plaintext: string, context: SealContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens a value sealed by {@link sealField}; throws {@link SealedDataError} on any mismatch. */
export function openField(key: KeyObject, sealed: string, context: SealContext): string {
  if (!sealed.startsWith(VERSION)) throw new SealedDataError('unknown sealed format');
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SealedDataError('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(additionalData(context));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedDataError('sealed value failed authentication');
  }
}

/** True for strings produced by {@link sealField}. */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(VERSION);
}
