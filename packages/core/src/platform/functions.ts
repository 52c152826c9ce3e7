import { QUEUES } from './queue/declarations.js';
import { SCHEDULES } from './schedules.js';

/** Webhook endpoints, one function URL each, declared once for the stacks and the gateway. */
export const WEBHOOKS = {
  meta: {
    description: 'Meta: WhatsApp Cloud API, Instagram and Messenger deliveries and the GET handshake',
    handler: 'functions/webhooks/meta.handler',
    timeoutSeconds: 10,
  },
} as const;

export type WebhookProvider = keyof typeof WEBHOOKS;

/** The API router function. */
export const API = { handler: 'functions/api/router.handler', timeoutSeconds: 29 } as const;

export type FunctionKind = 'webhook' | 'api' | 'worker' | 'schedule';

/** Every Lambda of the product, by name: what `npm run invoke` and the benchmarks iterate. */
export function allFunctions(): Record<string, { handler: string; kind: FunctionKind }> {
  return {
    ...Object.fromEntries(
      Object.entries(WEBHOOKS).map(([name, fn]) => [
        `webhook-${name}`,
        { handler: fn.handler, kind: 'webhook' as const },
      ]),
    ),
    api: { handler: API.handler, kind: 'api' },
    ...Object.fromEntries(
      Object.entries(QUEUES).map(([name, queue]) => [
        `worker-${name}`,
        { handler: queue.consumer, kind: 'worker' as const },
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(SCHEDULES).map(([name, job]) => [
        `schedule-${name}`,
        { handler: job.handler, kind: 'schedule' as const },
      ]),
    ),
  };
}

/** Splits `functions/x/y.handler` into the source file (without extension) and the export. */
export function splitHandler(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  return { file: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}
