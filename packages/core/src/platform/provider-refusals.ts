import { createLogger } from './log.js';

/**
 * The one log line that says an outside service refused us, and why. In AWS a metric filter on
 * every function's log group counts these lines by `provider` and `refusal` (stacks/Monitoring.ts),
 * and each provider's two alarms watch the counts; on the local stack the alarm watch reads the
 * same lines from the log file. Its message and field names are that contract: keep them.
 */
export const PROVIDER_REFUSED_MESSAGE = 'provider refused';

/** Our credentials were refused (expired token, bad key, bad signature), or we are rate limited. */
export type Refusal = 'auth' | 'rate-limit';

/** AWS KMS, which holds the tenants' keys: its throttling is watched the same way. */
export const KMS_PROVIDER = { name: 'kms' } as const;

/** What a refusal line may say besides who and why: never a body, a token or a customer's data. */
export interface RefusalDetail {
  status?: number;
  code?: string | number;
  /** What we were doing: `token-refresh`, `webhook-signature`, `send`... */
  operation?: string;
}

const log = createLogger('provider');

/**
 * Logs one refusal. Called where a client decides what a provider's answer means, once per
 * refused request (a throttled answer the client waits out and retries is not a refusal; giving
 * up is), so the counts mean "requests that failed because of it".
 */
export function providerRefused(provider: { name: string }, refusal: Refusal, detail: RefusalDetail = {}): void {
  log.warn(PROVIDER_REFUSED_MESSAGE, { provider: provider.name, refusal, ...detail });
}
