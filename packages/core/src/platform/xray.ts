import type { Tracer } from '@aws-lambda-powertools/tracer';
import { currentTraceId } from './trace.js';

/**
 * X-Ray on AWS, through Powertools' Tracer: each webhook call, API request and queue message gets
 * a subsegment annotated with the delivery's `traceId`, so X-Ray's search
 * (`annotation.traceId = "…"`) finds the same id as the logs.
 *
 * Loaded only where it can do something (in Lambda, active tracing on, not turned off by
 * `POWERTOOLS_TRACE_ENABLED=false`): the tracer and the X-Ray SDK under it stay out of every
 * cold start that would not use them, the local stack and the CLIs among them. Tracing is
 * best effort: a tracer that fails to load or record never fails the work.
 */
let loading: Promise<Tracer | undefined> | undefined;

function tracer(): Promise<Tracer | undefined> | undefined {
  const env = process.env;
  if (env.POWERTOOLS_TRACE_ENABLED === 'false' || !env.AWS_LAMBDA_FUNCTION_NAME || !env._X_AMZN_TRACE_ID) {
    return undefined;
  }
  loading ??= import('@aws-lambda-powertools/tracer').then(({ Tracer }) => new Tracer()).catch(() => undefined);
  return loading;
}

/**
 * Runs `work` in an X-Ray subsegment named `## <name>`, annotated with the current trace id; off
 * AWS, just runs it. Errors are recorded on the subsegment (their class only: messages may carry
 * personal data) and rethrown.
 *
 * @example
 * return traced('webhook meta', () => handle(request));
 */
export async function traced<T>(name: string, work: () => Promise<T>): Promise<T> {
  const loaded = tracer();
  const xray = loaded && (await loaded);
  const parent = xray?.getSegment();
  if (!parent) return work();
  let subsegment: ReturnType<typeof parent.addNewSubsegment> | undefined;
  try {
    subsegment = parent.addNewSubsegment(`## ${name}`);
    const traceId = currentTraceId();
    if (traceId) subsegment.addAnnotation('traceId', traceId);
  } catch {
    subsegment = undefined;
  }
  try {
    return await work();
  } catch (error) {
    subsegment?.addErrorFlag();
    subsegment?.addAnnotation('error', error instanceof Error ? error.name : 'Error');
    throw error;
  } finally {
    try {
      subsegment?.close();
    } catch {
      // A subsegment that cannot be closed is lost from X-Ray; the work's result is not.
    }
  }
}
