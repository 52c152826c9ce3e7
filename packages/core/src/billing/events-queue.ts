import type { WebhookDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { BillingEventMessage } from './iyzico-webhook.js';

/**
 * iyzico's subscription notifications, verified and queued by `/webhooks/iyzico`; the worker
 * claims each once, reads the subscription back from iyzico and applies it (events.ts).
 */
export const BILLING_EVENTS_QUEUE = {
  name: 'billing-events',
  description:
    "Signed iyzico subscription notifications (a renewal paid or failed) awaiting the subscription's read-back",
  message: BillingEventMessage,
  // Six times the consumer's timeout, as AWS advises (tests/infra/declared.test.ts).
  visibilityTimeoutSeconds: 180,
  batchSize: 5,
  // iyzico itself stops after three attempts, so the queue is what keeps trying through an outage.
  maxReceiveCount: 8,
  consumer: {
    description:
      "Applies iyzico's subscription notifications: the subscription read back, the business's billing updated",
    handler: 'functions/workers/billing-events.handler',
    timeoutSeconds: 30,
    // Finds the business by its subscription, claims the notification, writes the account, the
    // invoice and the audit log (sealed fields: the business's key), and mails the owner.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'], sends: ['mail'] },
    // iyzico's keys (the read-back), its host and merchant id; links in the mails.
    settings: { secrets: ['IYZICO_API_KEY', 'IYZICO_SECRET_KEY'], iyzico: true, appUrl: true },
  },
} as const satisfies QueueDeclaration;

/** `POST /webhooks/iyzico`: iyzico's merchant notifications for Asistone's own subscriptions. */
export const IYZICO_WEBHOOK = {
  name: 'iyzico',
  description: "iyzico: subscription notifications (X-IYZ-SIGNATURE-V3 with the merchant's secret key)",
  handler: 'functions/webhooks/iyzico.handler',
  timeoutSeconds: 10,
  // One merchant account: the signature is checked with a deployment secret and the business is
  // found by the worker, so no table and no tenant key here.
  access: { sends: ['billing-events'] },
  settings: { secrets: ['IYZICO_SECRET_KEY'], iyzico: true },
} as const satisfies WebhookDeclaration;
