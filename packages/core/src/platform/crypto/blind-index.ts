import { createHmac } from 'node:crypto';

/**
 * A deterministic, keyed fingerprint of a normalised value: equal inputs give equal indexes
 * within one tenant, and nothing can be learnt from it without that tenant's key.
 *
 * @example
 * blindIndex(indexKey, 'phone', '+905551112233') // 'Wm3...'
 */
export function blindIndex(indexKey: Buffer, kind: string, normalisedValue: string): string {
  return createHmac('sha256', indexKey).update(`${kind}\u001f${normalisedValue}`).digest('base64url');
}
