import * as z from 'zod';
import type { QueueDeclaration } from '../../platform/queue/declarations.js';

/**
 * A message's media to copy into the business's storage. WhatsApp names it by media id (its
 * download URL lives 5 minutes, the id 7 days, so the worker asks for a fresh URL); Messenger and
 * Instagram give a signed CDN link, which opens the customer's file: it travels sealed.
 */
export const MediaFetchRequest = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  sentAt: z.number().int(),
  channel: z.object({ kind: z.enum(['whatsapp', 'instagram', 'messenger', 'sandbox']), externalId: z.string().min(1) }),
  /** The message's type (image, audio, video, document, sticker): its size and type limits. */
  messageType: z.string().min(1),
  mediaId: z.string().min(1).optional(),
  /** The attachment URL, sealed with the tenant key (`media`, `url`, messageId). */
  sealedUrl: z.string().min(1).optional(),
  mimeType: z.string().optional(),
  sha256: z.string().optional(),
});

export type MediaFetchRequest = z.infer<typeof MediaFetchRequest>;

export const MEDIA_QUEUE = {
  name: 'media',
  description: "Customers' media (WhatsApp, Instagram, Messenger) to copy into the business's storage",
  message: MediaFetchRequest,
  visibilityTimeoutSeconds: 360,
  batchSize: 5,
  // A Graph hiccup or rate limit comes back after the visibility timeout; the media id lives 7
  // days, so 6 receives over half an hour ride out an outage before the dead-letter queue.
  maxReceiveCount: 6,
  consumer: {
    description: 'Downloads each media file from Meta, checks size, type and checksum, stores it in S3',
    handler: 'functions/workers/media.handler',
    // Up to 100 MB documents: a minute of download leaves room for the rest.
    timeoutSeconds: 60,
    memoryMb: 512,
    // Reads the channel's sealed token, writes the media record, stores the file.
    access: { table: ['GetItem', 'PutItem'], tenantKeys: ['Decrypt'], blobs: ['PutObject'] },
    settings: { metaGraph: true },
  },
} as const satisfies QueueDeclaration;
