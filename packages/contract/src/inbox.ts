import * as z from 'zod';

/**
 * The inbox: conversations, their messages, replies, notes, tickets and WhatsApp templates,
 * all under `/api/businesses/:tenantId/`. Reads need `conversations.read`, writes
 * `conversations.reply`, `POST /templates/sync` needs `channels.manage`.
 *
 * What the shapes add to the plain message, kept small on purpose:
 * - A message also carries `clientId` (outbound, the id the app chose) so the app can match its
 *   optimistic copy, and `failureReason`/`error` only when it failed.
 * - Message `status` adds 'queued' (stored, not yet handed to the provider) to the provider's list.
 * - `POST /conversations/:id/read` and `/typing` answer 204.
 * - `GET /tickets` also takes `conversationId=` to list one conversation's tickets.
 */

export const channelKindSchema = z.enum(['whatsapp', 'instagram', 'messenger', 'sandbox']);
export type ChannelKind = z.infer<typeof channelKindSchema>;

export const conversationStatusSchema = z.enum(['open', 'pending', 'resolved']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

/** Short tags; lower-case letters, digits, spaces, '-' and '_' (Turkish letters too). */
export const labelSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{N} _-]+$/u, 'letters, digits, spaces, - and _');

export const conversationSchema = z.object({
  id: z.string(),
  channel: z.object({ kind: channelKindSchema, externalId: z.string(), label: z.string() }),
  contact: z.object({
    id: z.string(),
    name: z.string().optional(),
    phone: z.string().optional(),
    handle: z.string().optional(),
  }),
  status: conversationStatusSchema,
  assigneeId: z.string().optional(),
  labels: z.array(z.string()),
  unreadCount: z.number().int(),
  /** ISO time of the newest message. */
  lastMessageAt: z.string(),
  preview: z.string(),
  /**
   * ISO time the free-form reply window closes (WhatsApp 24 h after the customer's last
   * message; Instagram/Messenger 7 days with the human-agent tag); absent when never opened.
   * After it, only templates can be sent (WhatsApp).
   */
  windowClosesAt: z.string().optional(),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** `GET …/conversations` — newest first, 25 a page. */
export const conversationsQuery = z.object({
  channel: channelKindSchema.optional(),
  status: conversationStatusSchema.optional(),
  /** `me`, `none` or a member's user id. */
  assignee: z.string().min(1).max(64).optional(),
  label: labelSchema.optional(),
  unread: z.enum(['true', 'false']).optional(),
  /** Name (substring, case and accents ignored) or phone number (exact, any usual format). */
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(512).optional(),
});
export const conversationsAnswer = z.object({
  conversations: z.array(conversationSchema),
  cursor: z.string().optional(),
});
export const conversationAnswer = conversationSchema;

export const messageStatusSchema = z.enum(['received', 'queued', 'sent', 'delivered', 'read', 'failed']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** Why a reply failed, in words a person understands. */
export const failureReasonSchema = z.enum([
  'outside-window',
  'undeliverable',
  'rate-limited',
  'paused-template',
  'template',
  'auth',
  'invalid',
  'server',
  'no-channel',
]);
export type FailureReason = z.infer<typeof failureReasonSchema>;

/**
 * What a message carries besides its text, sealed with it as one piece (it is personal). The
 * inbox's own type for it (core inbox/inbound.ts MessageDetails) is checked against this schema
 * where messages are read back (core inbox/messages.ts), so the web reads the fields as stored.
 */
export const messageDetailsSchema = z.object({
  /** An emoji on an earlier message, by its provider id; an empty emoji removes the reaction. */
  reaction: z.object({ messageId: z.string(), emoji: z.string() }).optional(),
  /** Media the provider holds (WhatsApp names it by `id`, Messenger and Instagram by a `url`), fetched by the media worker. */
  media: z
    .object({
      id: z.string().optional(),
      url: z.string().optional(),
      mimeType: z.string().optional(),
      sha256: z.string().optional(),
      filename: z.string().optional(),
      voice: z.boolean().optional(),
    })
    .optional(),
  /** Messenger and Instagram: every attachment as sent (type, link, title). */
  attachments: z
    .array(z.object({ type: z.string(), url: z.string().optional(), title: z.string().optional() }))
    .optional(),
  /** Instagram: a reply to the business's story, or a mention of the business in the customer's. */
  story: z
    .object({ kind: z.enum(['reply', 'mention']), id: z.string().optional(), url: z.string().optional() })
    .optional(),
  /** The provider id of the message this one answers. */
  replyTo: z.string().optional(),
  /** An echo: sent by the business from another tool (Page Inbox, the phone app), by that app. */
  sentElsewhere: z.object({ appId: z.string().optional() }).optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  /** Contact cards the customer shared, as the provider sent them. */
  contacts: z.array(z.unknown()).optional(),
  /** A button or list item the customer tapped (`kind` names which), with its id and title. */
  reply: z.object({ kind: z.string(), id: z.string().optional(), title: z.string().optional() }).optional(),
  order: z.object({ catalogId: z.string(), itemCount: z.number() }).optional(),
  system: z.object({ kind: z.string().optional() }).optional(),
  /** The ad or post the customer came from, as the provider sent it. */
  referral: z.record(z.string(), z.unknown()).optional(),
  /** A message the inbox cannot show yet: the provider's type name, kept so nothing is dropped. */
  unsupported: z.object({ type: z.string(), errorCode: z.number().optional() }).optional(),
  /** A template reply: which template, in which language, with which variables. */
  template: z
    .object({ name: z.string(), language: z.string().optional(), variables: z.array(z.string()).optional() })
    .optional(),
  /**
   * A media reply: the link the provider fetches it from, or the file uploaded for it
   * (`attachmentId`, shown through the media route like a customer's).
   */
  outboundMedia: z
    .object({
      url: z.string().optional(),
      attachmentId: z.string().optional(),
      mimeType: z.string().optional(),
      size: z.number().optional(),
      fileName: z.string().optional(),
    })
    .optional(),
  /** Written by the AI agent: the settings version in force and the records the answer used (citations). */
  ai: z
    .object({
      /** Absent when an unsaved draft answered (a trial in the sandbox simulator). */
      version: z.number().optional(),
      /** Set when a trial answered in the sandbox simulator: of the version in force, or of a draft. */
      trial: z.enum(['current', 'draft']).optional(),
      citations: z.array(
        z.object({ kind: z.enum(['order', 'product', 'knowledge']), id: z.string(), label: z.string() }),
      ),
    })
    .optional(),
});
export type MessageDetails = z.infer<typeof messageDetailsSchema>;

export const messageSchema = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  /** text, image, audio, video, document, sticker, location, contacts, interactive, button, reaction, order, system, template, unsupported ... */
  type: z.string(),
  text: z.string().optional(),
  details: messageDetailsSchema.optional(),
  /** ISO */
  sentAt: z.string(),
  status: messageStatusSchema,
  error: z
    .object({ code: z.number().optional(), title: z.string().optional(), reason: failureReasonSchema })
    .optional(),
  authorId: z.string().optional(),
  clientId: z.string().optional(),
  deleted: z.boolean().optional(),
});
export type Message = z.infer<typeof messageSchema>;

/** `GET …/conversations/:conversationId/messages?before=` — oldest→newest, 50 a page; `cursor` = the next `before`. */
export const messagesQuery = z.object({ before: z.string().max(512).optional() });
export const messagesAnswer = z.object({ messages: z.array(messageSchema), cursor: z.string().optional() });

/**
 * `GET …/conversations/:conversationId/messages/:messageId/media` — a message's media as copied
 * into the business's storage by the media worker (core inbox/media.ts mediaView).
 */
export const mediaAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('failed'), reason: z.string() }),
  z.object({
    status: z.literal('stored'),
    /** A presigned S3 link of 5 minutes; on the local stack a path on the app's own origin (`/local-media/…`). */
    url: z.string().min(1),
    mimeType: z.string(),
    expiresAt: z.iso.datetime(),
  }),
]);
export type MediaAnswer = z.infer<typeof mediaAnswer>;

/** `PATCH …/conversations/:conversationId` */
export const conversationPatchBody = z
  .object({
    status: conversationStatusSchema.optional(),
    /** null clears it. */
    assigneeId: z.string().min(1).max(64).nullable().optional(),
    labels: z.array(labelSchema).max(20).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');

const clientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');

/** What a file the team sends goes as. */
export const outboundMediaKindSchema = z.enum(['image', 'video', 'audio', 'document']);
export type OutboundMediaKind = z.infer<typeof outboundMediaKindSchema>;

/** `POST …/conversations/:conversationId/messages` → 202 `{ message }` (status 'queued'); the same `clientId` again → the same message. */
export const replyBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().trim().min(1).max(4096), clientId: clientIdSchema }),
  z.object({
    kind: z.literal('template'),
    name: z.string().min(1).max(512),
    language: z.string().min(2).max(15),
    variables: z.array(z.string().min(1).max(1024)).max(20).default([]),
    clientId: clientIdSchema,
  }),
  /**
   * Media: a file uploaded through `…/attachments` (`attachmentId`; its kind follows its type),
   * or a public link the provider fetches (`mediaKind` and `url`).
   */
  z
    .object({
      kind: z.literal('media'),
      attachmentId: z
        .string()
        .regex(/^at_[A-Za-z0-9_-]{8,40}$/)
        .optional(),
      mediaKind: outboundMediaKindSchema.optional(),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .optional(),
      caption: z.string().max(1024).optional(),
      clientId: clientIdSchema,
    })
    .refine(
      (body) => (body.attachmentId ? !body.url && !body.mediaKind : Boolean(body.url && body.mediaKind)),
      'either attachmentId, or mediaKind and url',
    ),
]);
export type ReplyBody = z.infer<typeof replyBody>;

/** A megabyte as the limits below count it. */
export const MEGABYTE = 1024 * 1024;
const MB = MEGABYTE;

/** What a channel accepts per media kind: the types, and the largest file. */
type ChannelLimits = Record<OutboundMediaKind, { types: readonly string[]; maxBytes: number }>;

/** Office documents, PDF and plain text: what WhatsApp sends as a document. */
const DOCUMENT_TYPES = [
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

/**
 * WhatsApp Cloud API's supported media for sending (image JPEG/PNG 5 MB, video MP4/3GPP 16 MB,
 * audio AAC/MP4/MPEG/AMR/OGG 16 MB, documents 100 MB); Messenger and Instagram's Send API
 * (images PNG/JPEG/GIF 8 MB, audio AAC/M4A/WAV/MP4 and video 25 MB; files 25 MB, as for a
 * customer's). The sandbox has no provider: it takes what WhatsApp takes.
 */
const WHATSAPP: ChannelLimits = {
  image: { types: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { types: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: { types: ['audio/aac', 'audio/mp4', 'audio/mpeg', 'audio/amr', 'audio/ogg'], maxBytes: 16 * MB },
  document: { types: DOCUMENT_TYPES, maxBytes: 100 * MB },
};
const MESSAGING: ChannelLimits = {
  image: { types: ['image/png', 'image/jpeg', 'image/gif'], maxBytes: 8 * MB },
  video: { types: ['video/mp4'], maxBytes: 25 * MB },
  audio: { types: ['audio/aac', 'audio/x-m4a', 'audio/mp4', 'audio/wav'], maxBytes: 25 * MB },
  document: { types: ['application/pdf', 'text/plain'], maxBytes: 25 * MB },
};
/**
 * What a team member may send as a file on each channel, checked by the API before it hands out
 * an upload link (core inbox/attachments.ts) and by the app before it asks (so the person hears
 * at once, in their language).
 */
export const OUTBOUND_MEDIA_LIMITS: Record<ChannelKind, ChannelLimits> = {
  whatsapp: WHATSAPP,
  messenger: MESSAGING,
  instagram: MESSAGING,
  sandbox: WHATSAPP,
};

/** The kind a file of this type goes as on this channel; undefined when the channel cannot send it. */
export function outboundMediaKindOf(channel: ChannelKind, contentType: string): OutboundMediaKind | undefined {
  const limits = OUTBOUND_MEDIA_LIMITS[channel];
  return outboundMediaKindSchema.options.find((kind) => limits[kind].types.includes(contentType));
}

/**
 * `POST …/conversations/:conversationId/attachments` — a file the person is about to send
 * (checked against the channel's limits for its type and size) → 201 with where to upload it:
 * a presigned PUT that takes exactly this type and size, for 15 minutes. Then a media reply
 * names the `attachmentId`.
 */
export const attachmentBody = z.object({
  fileName: z.string().trim().min(1).max(200),
  contentType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a media type such as image/jpeg'),
  size: z.number().int().positive(),
});
export const attachmentAnswer = z.object({
  attachmentId: z.string(),
  /** What the message will be sent as. */
  mediaKind: outboundMediaKindSchema,
  upload: z.object({
    /** A presigned S3 link; on the local stack a path on the app's own origin (`/local-media/…`). */
    url: z.string().min(1),
    method: z.literal('PUT'),
    /** Send exactly these with the file (the link's signature covers them). */
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  }),
});
export type AttachmentAnswer = z.infer<typeof attachmentAnswer>;
export const replyAnswer = z.object({ message: messageSchema });

/** `GET|POST …/conversations/:conversationId/notes` — private, never sent to the customer. */
export const noteBody = z.object({ text: z.string().trim().min(1).max(4000) });
export const noteSchema = z.object({ id: z.string(), text: z.string(), authorId: z.string(), createdAt: z.string() });
export const notesAnswer = z.object({ notes: z.array(noteSchema) });
export const noteAnswer = noteSchema;

export const ticketStatusSchema = z.enum(['open', 'pending', 'closed']);
export const ticketSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  title: z.string(),
  status: ticketStatusSchema,
  assigneeId: z.string().optional(),
  openedBy: z.object({ kind: z.enum(['person', 'ai']), id: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.infer<typeof ticketSchema>;
/** `GET …/tickets?status=&conversationId=` newest first. */
export const ticketsQuery = z.object({
  status: ticketStatusSchema.optional(),
  conversationId: z.string().max(64).optional(),
});
export const ticketsAnswer = z.object({ tickets: z.array(ticketSchema) });
/** `POST …/conversations/:conversationId/tickets` → 201 */
export const ticketBody = z.object({
  title: z.string().trim().min(1).max(200),
  assigneeId: z.string().min(1).max(64).optional(),
});
/** `PATCH …/tickets/:ticketId` */
export const ticketPatchBody = z
  .object({ status: ticketStatusSchema.optional(), assigneeId: z.string().min(1).max(64).nullable().optional() })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
export const ticketAnswer = ticketSchema;

/**
 * `GET …/templates?conversationId=` — WhatsApp templates as last synced; `POST …/templates/sync`
 * → the same after a sync. Templates belong to a WhatsApp Business Account (`accountId`, the
 * WABA id): two numbers under different WABAs may each have an `order_update` (tr). With
 * `conversationId`, only the templates of that conversation's number's WABA (none for a
 * conversation on another channel): the ones a reply there may send.
 */
export const templatesQuery = z.object({ conversationId: z.string().min(1).max(64).optional() });
export const templateSchema = z.object({
  /** The WhatsApp Business Account (WABA) the template belongs to. */
  accountId: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  variables: z.number().int(),
  /** The components as Meta returned them (header, body text, buttons) for a preview. */
  components: z.array(z.unknown()).optional(),
});
export const templatesAnswer = z.object({ templates: z.array(templateSchema), syncedAt: z.string().optional() });

/**
 * A contact's consent ledger: `GET /businesses/:tenantId/contacts/:contactId/consents`
 * (conversations.read) answers the current state per channel and purpose and every entry,
 * newest first, with the wording the customer saw or sent; `POST` the same path
 * (conversations.reply) records one entry as the calling team member (source `agent`, audited)
 * and answers the ledger as it then stands. A customer's own keywords (DUR, İPTAL, STOP…; BAŞLA,
 * START) record entries with source `customer-keyword` and actor `customer`.
 */
export const consentChannelSchema = z.enum(['whatsapp', 'instagram', 'messenger', 'sms', 'email', 'sandbox']);
export const consentPurposeSchema = z.enum(['marketing', 'utility', 'service']);
export const consentStateSchema = z.enum(['granted', 'withdrawn']);
export const consentSourceSchema = z.enum(['customer-keyword', 'agent', 'import', 'shopify', 'api']);
export const consentStateViewSchema = z.object({
  channel: consentChannelSchema,
  purpose: consentPurposeSchema,
  state: consentStateSchema,
  source: consentSourceSchema,
  /** ISO time it was given or withdrawn. */
  at: z.string(),
});
export const consentEntrySchema = consentStateViewSchema.extend({
  id: z.string(),
  /** The exact text shown to the customer, or the message they sent. */
  wording: z.string(),
  /** A team member's user id, or `customer`. */
  actor: z.string(),
});
export const consentsAnswer = z.object({
  /** Only channel and purpose pairs with at least one entry; none means never asked. */
  current: z.array(consentStateViewSchema),
  history: z.array(consentEntrySchema),
});
export const consentBody = z.object({
  channel: consentChannelSchema,
  purpose: consentPurposeSchema,
  state: consentStateSchema,
  wording: z.string().trim().min(1).max(2000),
  /** A grant the business has also registered in İYS (counted by campaigns to Turkish numbers when attested). */
  iys: z.boolean().optional(),
});
