import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { maskingReplacer } from './masking.js';
import { currentTraceId } from './trace.js';

export { mask, maskText } from './masking.js';

/**
 * Powertools' own line, with the delivery's `traceId` (platform/trace.ts) beside the message.
 * Read at the moment each line is written, from the async context of the code that writes it, so
 * handlers running side by side in one process never lend each other their id.
 */
class TracedLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        traceId: currentTraceId(),
        cold_start: context?.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: context?.tenantId,
      },
    }).addAttributes(additionalLogAttributes);
  }
}

/**
 * The one logger. Powertools formats it (JSON, Lambda context, cold start) and every line carries
 * the delivery's `traceId`; the replacer masks personal data and secrets in every attribute,
 * message and error before it is printed.
 *
 * @example
 * const log = createLogger('meta-webhook');
 * log.info('webhook accepted', { tenantId, bytes });
 */
export function createLogger(service: string): Logger {
  return new Logger({
    serviceName: `asistone-${service}`,
    logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
    logFormatter: new TracedLogFormatter(),
    jsonReplacerFn: maskingReplacer,
  });
}
