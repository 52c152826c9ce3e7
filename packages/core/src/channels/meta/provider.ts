import type { ProviderDeclaration } from '../../platform/area.js';
import { providerRefused } from '../../platform/provider-refusals.js';
import type { GraphError } from './graph-errors.js';

/** Meta's Graph and Marketing APIs, as the channels area declares them for their alarms. */
export const META_PROVIDER = {
  name: 'meta',
  auth: "Meta refused a business's token (expired, revoked, or a permission removed): its channel or ads stop until it reconnects",
  rateLimit: 'Meta is rate limiting our calls: replies, media and ad figures wait and are retried',
} as const satisfies ProviderDeclaration;

/**
 * Counts a Graph answer that refused our token or our rate (GraphError kinds `auth` and
 * `rate-limited`) and hands the error back to be thrown. Called once per failed answer by the
 * clients that talk to Meta, beside the place that reads the answer.
 */
export function reportedGraphError(error: GraphError): GraphError {
  if (error.kind === 'auth') providerRefused(META_PROVIDER, 'auth', { status: error.status, code: error.code });
  if (error.kind === 'rate-limited') {
    providerRefused(META_PROVIDER, 'rate-limit', { status: error.status, code: error.code });
  }
  return error;
}
