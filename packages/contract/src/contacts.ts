import * as z from 'zod';
import { channelKindSchema } from './inbox.js';

/**
 * A merchant's customer (a contact) and the rights the privacy policy gives them: access and
 * portability (an archive through a short-lived link), correction, restriction and erasure.
 * Owners and admins use them from the contact's page (`contacts.manage`); the team reads the
 * profile with `conversations.read`.
 */

/** Contact ids are the product's own opaque ids (letters, digits, `-` and `_`). */
export const contactIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** `GET /businesses/:tenantId/contacts/:contactId` (conversations.read). */
export const contactAnswer = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  /** E.164, when the channel gave one. */
  phone: z.string().nullable(),
  /** Instagram username, when the channel gave one. */
  handle: z.string().nullable(),
  /** Entered by the team (order and cart messages by mail use it once they land). */
  email: z.string().nullable(),
  /** Kept, but left out of AI replies, campaigns and recovery messages. */
  restricted: z.boolean(),
  /** ISO time the restriction was set, when restricted. */
  restrictedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The contact's conversations, newest first. */
  conversations: z.array(
    z.object({ conversationId: z.string(), channelKind: channelKindSchema, lastMessageAt: z.string().nullable() }),
  ),
});
export type Contact = z.output<typeof contactAnswer>;

/**
 * `PATCH /businesses/:tenantId/contacts/:contactId` (contacts.manage): correct the fields the
 * team may correct; audited as `contact.corrected` with the names of the fields, never their
 * values. `null` clears a field. Phone numbers and handles are the channel's addresses and are
 * not edited. Answers the contact as it then stands.
 */
export const contactPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    email: z.string().trim().toLowerCase().max(254).email().nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });

/**
 * `PUT /businesses/:tenantId/contacts/:contactId/restriction` (contacts.manage): restrict or lift
 * the restriction; audited as `contact.restricted` / `contact.unrestricted`. Answers the contact.
 */
export const restrictionBody = z.object({ restricted: z.boolean() }).strict();

/** What one data class held or removed for a request, by count (never the data itself). */
export const removedSchema = z.object({
  /** The data class, e.g. `inbox.messages`, or `media.objects` for stored files. */
  dataClass: z.string(),
  count: z.number().int().nonnegative(),
});

/**
 * Proof that a contact's data was erased: what was removed, when and by whom. It holds no
 * personal data (not even the contact's id), so it outlives the contact.
 */
export const erasureReceiptSchema = z.object({
  receiptId: z.string(),
  requestId: z.string(),
  /** ISO time the erasure finished. */
  erasedAt: z.string(),
  /** `member:<userId>`, `ops:<name>` or `meta` (a person removed the app in their Facebook or Instagram settings). */
  erasedBy: z.string(),
  removed: z.array(removedSchema),
});
export type ErasureReceipt = z.output<typeof erasureReceiptSchema>;

/**
 * `POST /businesses/:tenantId/contacts/:contactId/export` (contacts.manage) → 201: everything
 * held about the contact as one ZIP archive (`contact.json` and one CSV per section, cells safe
 * against formula injection), downloadable through `url` until `expiresAt` (a few minutes).
 * Recorded as a request (done at once) and audited as `contact.exported`.
 */
export const contactExportAnswer = z.object({
  requestId: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  fileName: z.string(),
});
export type ContactExport = z.output<typeof contactExportAnswer>;

/**
 * `POST /businesses/:tenantId/contacts/:contactId/erase` (contacts.manage) → 200 with the
 * receipt: the contact's profile, blind indexes, consents, conversations, messages, notes,
 * tickets and media objects are removed; audited as `contact.erased`. The body repeats the
 * word the page asks the member to type, so a stray request erases nothing.
 */
export const erasureBody = z.object({ confirm: z.literal('ERASE') }).strict();
export const erasureAnswer = erasureReceiptSchema;
