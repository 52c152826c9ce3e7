import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/** A list to fill: an uploaded file to import, or an inbox selection to snapshot. The list says which. */
export const CampaignImportMessage = z.object({
  tenantId: z.string().min(1),
  listId: z.string().regex(/^cl_[A-Za-z0-9_-]{16,40}$/),
});
export type CampaignImportMessage = z.infer<typeof CampaignImportMessage>;

/** Seconds the importer works in one delivery before it checkpoints and continues in a new message. */
export const IMPORT_WORK_SECONDS = 600;

/**
 * Lists are filled off the API: a file of up to a million rows takes longer than a request may,
 * and the worker's progress (checkpointed every thousand rows) is what the list page shows.
 */
export const CAMPAIGN_IMPORTS_QUEUE = {
  name: 'campaign-imports',
  description: "Campaign lists to fill: an uploaded CSV's rows, or a snapshot of the inbox's WhatsApp customers",
  message: CampaignImportMessage,
  // Six times the consumer's timeout.
  visibilityTimeoutSeconds: 5400,
  batchSize: 1,
  maxReceiveCount: 3,
  sequential: true,
  consumer: {
    description:
      'Imports a campaign list: streams the file, normalises the numbers, merges duplicates, records consent, writes the report of rejected rows',
    handler: 'functions/workers/campaign-imports.handler',
    // Works IMPORT_WORK_SECONDS, then continues in a new message from its checkpoint.
    timeoutSeconds: 900,
    memoryMb: 1024,
    // Reads the list, the contacts' consent states and the conversations of a selection; writes
    // the list, its members, the contacts, the consent ledger and the audit entry; opens the
    // uploaded file and writes, assembles and deletes the report's parts and the file.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      blobs: ['GetObject', 'PutObject', 'DeleteObject'],
      sends: ['campaign-imports'],
    },
  },
} as const satisfies QueueDeclaration;
