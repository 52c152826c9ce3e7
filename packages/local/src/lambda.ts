import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitHandler } from '@asistone/core/platform/area';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './emulators.js';
import { recordInvocation } from './invocations.js';

/** The repository root: handler paths in the declarations are relative to it. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event types.
export type LambdaHandler = (event: any, context: Context) => Promise<any>;

const loaded = new Map<string, Promise<LambdaHandler>>();

/** Imports a handler by its declared path (`functions/x/y.handler`), once per process. */
export function loadHandler(declared: string): Promise<LambdaHandler> {
  let handler = loaded.get(declared);
  if (!handler) {
    const { file, exportName } = splitHandler(declared);
    handler = import(pathToFileURL(join(ROOT, `${file}.ts`)).href).then((module) => {
      const fn = module[exportName];
      if (typeof fn !== 'function') throw new Error(`${declared} does not export a handler`);
      return fn as LambdaHandler;
    });
    loaded.set(declared, handler);
  }
  return handler;
}

/** A Lambda context as the runtime would pass it, with a real deadline. */
export function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const fail = () => {
    throw new Error('callback-style completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `asistone-local-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:asistone-local-${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/asistone-local-${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** Runs a handler with its timeout enforced, as Lambda would. */
export async function invoke<T>(
  declared: string,
  functionName: string,
  event: unknown,
  timeoutSeconds: number,
): Promise<T> {
  const handler = await loadHandler(declared);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${functionName} timed out after ${timeoutSeconds} s`)),
      timeoutSeconds * 1000,
    );
  });
  const started = Date.now();
  let failed = true;
  try {
    const result = await Promise.race([handler(event, lambdaContext(functionName, timeoutSeconds)), timeout]);
    failed = false;
    return result;
  } finally {
    clearTimeout(timer);
    // As Lambda's metrics count it: a handler that threw or timed out is an error.
    recordInvocation({ fn: functionName, at: Date.now(), ms: Date.now() - started, failed });
  }
}
