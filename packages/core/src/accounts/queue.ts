import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { PasswordResetRequest, SignUpRequest } from './mail-requests.js';

/**
 * Sign-up and password-reset requests. The API does the same work for every address and puts
 * one request here; this queue's worker looks the account up and decides which mail, if any,
 * goes out, then hands the finished mail to the mail queue.
 */
export const ACCOUNT_REQUESTS_QUEUE = {
  name: 'account-requests',
  description: 'Sign-up and password-reset requests: the account is looked up and the right mail queued',
  message: z.discriminatedUnion('kind', [PasswordResetRequest, SignUpRequest]),
  visibilityTimeoutSeconds: 180,
  batchSize: 5,
  maxReceiveCount: 8,
  consumer: {
    description: 'Decides the mail of each sign-up and password-reset request',
    handler: 'functions/workers/account-requests.handler',
    timeoutSeconds: 30,
    // Looks accounts up, writes pending sign-ups and reset links, queues the mail; opens sealed
    // fields with the accounts key (it never creates one).
    access: { table: ['GetItem', 'PutItem'], tenantKeys: ['Decrypt'], sends: ['mail'] },
    // Links in mails point at the web app.
    settings: { appUrl: true },
  },
} as const satisfies QueueDeclaration;
