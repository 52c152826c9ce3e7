import * as z from 'zod';

/**
 * The parts of a Messenger (`object: "page"`) or Instagram (`object: "instagram"`) webhook that
 * Asistone reads. Both platforms send the same `messaging[]` events; unknown fields pass through
 * untouched, since Meta adds fields without notice and a new field must never fail a delivery.
 */

const participant = z.looseObject({ id: z.string().min(1) });

/** One attachment: media carry a URL (no media id as on WhatsApp); shares and stickers too. */
export const MessagingAttachment = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      title: z.string().optional(),
      sticker_id: z.union([z.number(), z.string()]).optional(),
      /** Instagram reels and posts shared into the chat. */
      reel_video_id: z.union([z.number(), z.string()]).optional(),
    })
    .nullish(),
});

export const MessagingMessage = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  /** Sent by the business (Page Inbox, another tool, or Asistone itself), not by the customer. */
  is_echo: z.boolean().optional(),
  /** The app that sent an echo. */
  app_id: z.union([z.number(), z.string()]).optional(),
  /** What the sender passed as `message.metadata` to the Send API (echoes only). */
  metadata: z.string().optional(),
  /** Instagram: the customer unsent this message. */
  is_deleted: z.boolean().optional(),
  /** Instagram: a kind of message the API does not deliver (GIFs, some stickers...). */
  is_unsupported: z.boolean().optional(),
  quick_reply: z.looseObject({ payload: z.string() }).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().optional(),
      /** Instagram: a reply to the business's story. */
      story: z.looseObject({ url: z.string().optional(), id: z.string().optional() }).optional(),
    })
    .optional(),
  attachments: z.array(MessagingAttachment).optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
});

/** A reaction on an earlier message; `unreact` removes it (its emoji may be absent). */
export const MessagingReaction = z.looseObject({
  mid: z.string().min(1),
  action: z.enum(['react', 'unreact']),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
});

export const MessagingEvent = z.looseObject({
  sender: participant,
  recipient: participant,
  /** Milliseconds since the epoch (Messenger and Instagram both stamp in ms). */
  timestamp: z.number().int().nonnegative(),
  message: z.unknown().optional(),
  reaction: z.unknown().optional(),
  /** Messenger `message_reads`: everything up to `watermark`; Instagram `messaging_seen`: one `mid`. */
  read: z.looseObject({ watermark: z.number().optional(), mid: z.string().optional() }).optional(),
  /** Messenger `message_deliveries`. */
  delivery: z.looseObject({ mids: z.array(z.string()).optional(), watermark: z.number().optional() }).optional(),
  /** A tap on a button the business sent. */
  postback: z
    .looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() })
    .optional(),
  /** Messenger `message_edits`: the customer changed a message they sent. */
  message_edit: z.looseObject({ mid: z.string().min(1), text: z.string().optional() }).optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
});

/**
 * One entry: `id` is the Page (Messenger) or the Instagram professional account; `"0"` marks a
 * Dashboard test. Events come in `messaging[]`, or `standby[]` when another app owns the thread
 * (handover protocol); Instagram Dashboard tests and comment fields come as `changes[]`.
 */
export const MessagingEntry = z.looseObject({
  id: z.string().min(1),
  time: z.number().optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});

export type MessagingAttachment = z.infer<typeof MessagingAttachment>;
export type MessagingMessage = z.infer<typeof MessagingMessage>;
export type MessagingEvent = z.infer<typeof MessagingEvent>;
export type MessagingEntry = z.infer<typeof MessagingEntry>;
