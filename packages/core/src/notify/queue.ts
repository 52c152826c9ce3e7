import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { DeliverMailMessage } from './mail-messages.js';

/**
 * Finished mails to send. Whoever needs a mail renders and seals it, and hands it here; the mail
 * worker only opens, sends once, and keeps a receipt. It knows no area.
 */
export const MAIL_QUEUE = {
  name: 'mail',
  description: 'Rendered mails (sign-up, password reset, invitations), sealed, to send through Resend once each',
  message: DeliverMailMessage,
  // A Resend call is bounded (5 s, one short retry-after wait); a batch of 5 in turn fits in 30 s.
  visibilityTimeoutSeconds: 180,
  batchSize: 5,
  // A failed send comes back after the visibility timeout: 8 receives ride out ~25 minutes of a
  // Resend outage or rate limiting before the mail waits in the dead-letter queue for a replay.
  maxReceiveCount: 8,
  // Resend allows a few requests per second per team: two consumers sending one mail at a time.
  maxConcurrency: 2,
  sequential: true,
  consumer: {
    description: 'Sends each queued mail once through Resend (the dev outbox locally)',
    handler: 'functions/workers/mail.handler',
    timeoutSeconds: 30,
    // Reads and writes send receipts; opens sealed mails with existing tenant keys.
    access: { table: ['GetItem', 'PutItem'], tenantKeys: ['Decrypt'] },
    // The one function that sends mail holds Resend's key.
    settings: { secrets: ['RESEND_API_KEY'] },
  },
} as const satisfies QueueDeclaration;
