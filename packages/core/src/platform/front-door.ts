import { safeEqual } from './webhook.js';

/**
 * The API is reached only through its front door: CloudFront in AWS, the gateway locally. The
 * door adds this header with a secret that only it and the API know, overwriting whatever the
 * caller sent; a request without it (someone calling the function URL directly, who could
 * otherwise set `x-asistone-viewer-address` and dodge the per-address limits) is refused
 * before any work.
 */
export const ORIGIN_SECRET_HEADER = 'x-asistone-origin-secret';

/** Where the API finds the secret in AWS: a Secrets Manager secret the Api stack creates. */
export const ORIGIN_SECRET_ARN_VARIABLE = 'ORIGIN_SECRET_ARN';

/**
 * True when `presented` equals one of the accepted secrets (the current one, and during a
 * rotation the previous one), compared in constant time.
 */
export function isThroughFrontDoor(presented: string | undefined, accepted: readonly string[]): boolean {
  if (!presented) return false;
  let matched = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (const secret of accepted) if (secret && safeEqual(presented, secret)) matched = true;
  return matched;
}
