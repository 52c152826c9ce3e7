/**
 * Shapes of the inbox API (conversations, messages, notes, tickets, templates, media), as the
 * web app reads them: the contract's (`@asistone/contract/inbox`), so neither can drift from the API.
 */

import {
  type ChannelKind,
  type ConversationStatus,
  channelKindSchema,
  type conversationPatchBody,
  type conversationSchema,
  conversationStatusSchema,
  type conversationsAnswer,
  type FailureReason,
  failureReasonSchema,
  type messageSchema,
  type messagesAnswer,
  type noteSchema,
  type replyBody,
  type templateSchema,
  type ticketPatchBody,
  type ticketSchema,
  ticketStatusSchema,
} from '@asistone/contract/inbox';

export { MEGABYTE, OUTBOUND_MEDIA_LIMITS, outboundMediaKindOf } from '@asistone/contract/inbox';

import type * as z from 'zod';

export type {
  AttachmentAnswer,
  ChannelKind,
  ConversationStatus,
  FailureReason,
  MediaAnswer,
  MessageDetails,
  MessageStatus,
} from '@asistone/contract/inbox';

export const CHANNEL_KINDS: readonly ChannelKind[] = channelKindSchema.options;
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = conversationStatusSchema.options;
export const FAILURE_REASONS: readonly FailureReason[] = failureReasonSchema.options;

/** A time as the app receives it (ISO) or keeps it (ms). */
export type Instant = string | number;

export type Conversation = z.output<typeof conversationSchema>;
export type ConversationsPage = z.output<typeof conversationsAnswer>;

export interface ConversationFilters {
  channel?: ChannelKind;
  status?: ConversationStatus;
  /** `me`, `none` or a member's user id. */
  assignee?: string;
  label?: string;
  unread?: boolean;
  q?: string;
}

export type ConversationPatch = z.input<typeof conversationPatchBody>;

export type InboxMessage = z.output<typeof messageSchema>;
export type MessagesPage = z.output<typeof messagesAnswer>;

export type OutgoingMessage = z.input<typeof replyBody>;

export type Note = z.output<typeof noteSchema>;

export type Ticket = z.output<typeof ticketSchema>;
export type TicketStatus = Ticket['status'];
export const TICKET_STATUSES: readonly TicketStatus[] = ticketStatusSchema.options;
export type TicketPatch = z.input<typeof ticketPatchBody>;

export type Template = z.output<typeof templateSchema>;
