/**
 * Shapes of the inbox API (conversations, messages, notes, tickets, templates, media), as the
 * web app reads them: the contract's (`@asistone/contract/inbox`), so neither can drift from the API.
 */

import type {
  conversationPatchBody,
  conversationSchema,
  conversationsAnswer,
  FailureReason,
  messageSchema,
  messagesAnswer,
  noteSchema,
  replyBody,
  templateSchema,
  ticketPatchBody,
  ticketSchema,
} from '@asistone/contract/inbox';
import type * as z from 'zod';

export type { ChannelKind, ConversationStatus, FailureReason, MessageStatus } from '@asistone/contract/inbox';

import type { ChannelKind, ConversationStatus } from '@asistone/contract/inbox';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['whatsapp', 'instagram', 'messenger', 'sandbox'];
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['open', 'pending', 'resolved'];

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

/** What a message carries besides its text, as the inbox stores it (core inbox/inbound.ts MessageDetails). */
export interface MessageDetails {
  reaction?: { messageId: string; emoji: string };
  media?: { id?: string; mimeType?: string; filename?: string; voice?: boolean; caption?: string; url?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contacts?: unknown[];
  reply?: { kind: string; id?: string; title?: string };
  order?: { catalogId: string; itemCount: number };
  system?: { kind?: string };
  referral?: Record<string, unknown>;
  unsupported?: { type: string; errorCode?: number };
  template?: { name: string; language?: string; variables?: string[] };
}

/** The contract keeps `details` open (a record); the inbox reads the fields it knows. */
export type InboxMessage = Omit<z.output<typeof messageSchema>, 'details'> & { details?: MessageDetails };
export type MessagesPage = { messages: InboxMessage[] } & Omit<z.output<typeof messagesAnswer>, 'messages'>;

export type OutgoingMessage = z.input<typeof replyBody>;

/** `GET …/messages/:messageId/media`: the stored file's presigned link (5 minutes). */
export interface MediaAnswer {
  status: 'pending' | 'stored' | 'failed';
  url?: string | null;
  mimeType?: string | null;
  expiresAt?: Instant | null;
  reason?: string | null;
}

export type Note = z.output<typeof noteSchema>;

export type TicketStatus = Ticket['status'];
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'closed'];
export type Ticket = z.output<typeof ticketSchema>;
export type TicketPatch = z.input<typeof ticketPatchBody>;

export type Template = z.output<typeof templateSchema>;

export const FAILURE_REASONS: readonly FailureReason[] = [
  'outside-window',
  'undeliverable',
  'rate-limited',
  'paused-template',
  'template',
  'auth',
  'invalid',
  'server',
  'no-channel',
];
