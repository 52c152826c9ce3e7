import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import type { ChannelSender } from './channel-sender.js';
import { markRead, showTyping } from './read-receipts.js';
import type { InboxStore } from './records.js';
import { sendReply } from './reply-sending.js';

/**
 * Replies leave through the `outbound` queue: the API stores the message as 'queued' and
 * enqueues its ids (no content: the content stays sealed on the message), and this worker
 * sends it through the channel's provider, once, paced per number, and records what happened
 * in words a person understands. The parts: channel-sender.ts (the provider port and its
 * failures), send-pace.ts (pace and quick retries), reply-sending.ts (one reply),
 * read-receipts.ts (blue ticks and "typing…").
 */

const ids = { tenantId: z.string().min(1).max(64), conversationId: z.string().min(1).max(64) };

export const OutboundRequest = z.discriminatedUnion('kind', [
  /** Send a stored outbound message. */
  z.object({ kind: z.literal('send'), ...ids, messageId: z.string().min(1).max(64), sentAt: z.number().int() }),
  /** Mark a customer's message read at the provider (WhatsApp blue ticks), optionally "typing…". */
  z.object({
    kind: z.literal('mark-read'),
    ...ids,
    messageId: z.string().min(1).max(64),
    sentAt: z.number().int(),
    typing: z.boolean().default(false),
  }),
  /** Show "typing…" where the provider has it without a message (Messenger, Instagram). */
  z.object({ kind: z.literal('typing'), ...ids }),
]);
export type OutboundRequest = z.infer<typeof OutboundRequest>;

export const OUTBOUND_QUEUE = {
  name: 'outbound',
  description: 'Replies stored as queued, and read receipts, to send through Meta (or the sandbox)',
  message: OutboundRequest,
  // Visibility is the back-off after a failed receive (6x the consumer's timeout): a
  // rate-limited or failing Graph API is tried again 90 s later, five receives in all (about
  // 7 minutes, each with a few quick attempts of its own) before the dead-letter queue.
  visibilityTimeoutSeconds: 90,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description: 'Sends each queued reply once through the Graph API, paced per number',
    handler: 'functions/workers/outbound.handler',
    // Three Graph attempts of at most 4 s each, with their short back-offs and the pace.
    timeoutSeconds: 15,
    // Reads messages, contacts and channels; writes statuses and the send pace; opens tokens;
    // presigns the links Meta fetches a reply's uploaded file from.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'], blobs: ['GetObject'] },
    settings: { metaGraph: true },
  },
} as const satisfies QueueDeclaration;

export interface OutboundDeps {
  store: InboxStore;
  keyring: TenantKeyring;
  sender: ChannelSender;
  /** Writes the one update ElectroDB cannot express (reply-sending.ts markSent). */
  documents: DynamoDBDocumentClient;
  log: Logger;
  /** Milliseconds between two sends through one number or page (default send-pace.ts SEND_INTERVAL_MS). */
  intervalMs?: number;
  /** Attempts inside one receive before the message goes back to the queue (default 3). */
  attempts?: number;
  /** Links the provider fetches a reply's uploaded file from (attachments.ts). */
  blobs?: Pick<Blobs, 'presignGet'>;
}

/** Handles one `outbound` request. */
export async function processOutbound(
  deps: OutboundDeps,
  request: OutboundRequest,
  delivery: { receiveCount: number },
): Promise<void> {
  if (request.kind === 'send') {
    await sendReply(deps, request, delivery.receiveCount, OUTBOUND_QUEUE.maxReceiveCount);
  } else if (request.kind === 'mark-read') {
    await markRead(deps, request);
  } else {
    await showTyping(deps, request);
  }
}
