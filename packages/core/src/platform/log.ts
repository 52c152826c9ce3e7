import { Logger } from '@aws-lambda-powertools/logger';
import { maskingReplacer } from './masking.js';

export { mask, maskText } from './masking.js';

/**
 * The one logger. Powertools formats it (JSON, Lambda context, cold start); the replacer
 * masks personal data and secrets in every attribute, message and error before it is printed.
 *
 * @example
 * const log = createLogger('meta-webhook');
 * log.info('webhook accepted', { tenantId, bytes });
 */
export function createLogger(service: string): Logger {
  return new Logger({
    serviceName: `asistone-${service}`,
    logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
    jsonReplacerFn: maskingReplacer,
  });
}
