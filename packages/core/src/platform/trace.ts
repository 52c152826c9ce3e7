import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * One id follows a delivery end to end: the webhook call, API request or scheduled run that
 * starts it, every queue message it sends, every worker that handles one, and any dead letter or
 * replay on the way. Every log line carries it as `traceId`, so ops find a failure's whole path
 * with one search (`npm run trace -- <id>` locally, Logs Insights in AWS).
 *
 * The id lives in an AsyncLocalStorage context, never on a module-level logger: the local stack
 * runs many handlers at once in one process, and a warm Lambda may run work left from an earlier
 * invocation, so anything shared would mix deliveries up.
 */

/** The SQS message attribute that carries the id from producer to worker. */
export const TRACE_ATTRIBUTE = 'traceId';

/**
 * What an id may look like: hex and dashes, 8 to 64 characters. Ours are 32 hex characters, X-Ray
 * roots `1-5759e988-bd862e3fe1be46a994272793`. Anything else arriving with a message is replaced,
 * so a log search can never be fed markup, spaces or a customer's data through this field.
 */
const TRACE_ID = /^[0-9a-f][0-9a-f-]{7,63}$/;

interface TraceContext {
  traceId: string;
}

const current = new AsyncLocalStorage<TraceContext>();

/** A fresh id: 16 random bytes in hex. */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** The id in its canonical form (lowercase) when it is one, else undefined. */
export function validTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim().toLowerCase();
  return TRACE_ID.test(id) ? id : undefined;
}

/**
 * The root of the X-Ray trace Lambda runs this invocation in (`Root=1-…;Parent=…;Sampled=…` in
 * `_X_AMZN_TRACE_ID`), so the logs and X-Ray's search share one id. Undefined off AWS.
 */
export function xRayTraceRoot(header = process.env._X_AMZN_TRACE_ID): string | undefined {
  if (!header) return undefined;
  const root = /(?:^|;)\s*Root=([^;]+)/.exec(header)?.[1];
  return validTraceId(root);
}

/**
 * The id of the delivery being handled. Outside any context (a CLI, a handler that started no
 * trace) on AWS, the invocation's X-Ray root; else undefined.
 */
export function currentTraceId(): string | undefined {
  return current.getStore()?.traceId ?? xRayTraceRoot();
}

/**
 * Runs `work` as part of the delivery `traceId` names: a valid id is kept, an invalid or missing
 * one replaced by a fresh id (a message from before tracing, or one whose attribute was tampered
 * with, still gets a path of its own).
 *
 * @example
 * await withTrace(record.messageAttributes?.traceId?.stringValue, () => handle(message));
 */
export function withTrace<T>(traceId: unknown, work: () => T): T {
  return current.run({ traceId: validTraceId(traceId) ?? newTraceId() }, work);
}

/**
 * Starts a delivery's trace at its entry (a webhook call, an API request, a scheduled run): the
 * X-Ray root on AWS, a fresh id elsewhere. Never an id from the request: its headers are the
 * caller's.
 */
export function startTrace<T>(work: () => T): T {
  return withTrace(xRayTraceRoot(), work);
}

/** The message attribute to send with a queue message, when there is an id to carry. */
export function traceAttributes(): Record<string, { DataType: 'String'; StringValue: string }> | undefined {
  const traceId = currentTraceId();
  return traceId ? { [TRACE_ATTRIBUTE]: { DataType: 'String', StringValue: traceId } } : undefined;
}

/** The id a received SQS record carries, in Lambda's shape or the SDK's; unchecked (see {@link withTrace}). */
export function traceIdOfRecord(record: { messageAttributes?: unknown; MessageAttributes?: unknown }): unknown {
  const lambda = record.messageAttributes as Record<string, { stringValue?: unknown } | undefined> | undefined;
  const sdk = record.MessageAttributes as Record<string, { StringValue?: unknown } | undefined> | undefined;
  return lambda?.[TRACE_ATTRIBUTE]?.stringValue ?? sdk?.[TRACE_ATTRIBUTE]?.StringValue;
}
