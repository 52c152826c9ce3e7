import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { query, request, seg } from './client';
import type {
  AttachmentAnswer,
  Conversation,
  ConversationFilters,
  ConversationPatch,
  ConversationsPage,
  InboxMessage,
  MediaAnswer,
  MessagesPage,
  Note,
  OutgoingMessage,
  Template,
  Ticket,
  TicketPatch,
} from './inbox-types';

export type * from './inbox-types';

/**
 * The inbox's calls (docs/api.md, conversations and replies) and their queries. The inbox is
 * kept fresh by polling: every open list and thread asks again every 1.5 s, so a message stored
 * by the worker is on screen within 2 s without a reload. On AWS that is one small, indexed
 * query per open screen and interval (the list's first page and the open thread's newest page),
 * which the API's Lambda answers from DynamoDB in a few ms.
 */
export const INBOX_POLL_MS = 1_500;

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;
const conversation = (tenantId: string, conversationId: string) =>
  `${business(tenantId)}/conversations/${seg(conversationId)}`;

export const inboxApi = {
  conversations: (tenantId: string, filters: ConversationFilters, cursor?: string) =>
    request<ConversationsPage>(
      `${business(tenantId)}/conversations${query({
        channel: filters.channel,
        status: filters.status,
        assignee: filters.assignee,
        label: filters.label,
        unread: filters.unread ? 'true' : undefined,
        q: filters.q?.trim() || undefined,
        cursor,
      })}`,
    ),
  conversation: (tenantId: string, conversationId: string) =>
    request<Conversation>(conversation(tenantId, conversationId)),
  messages: (tenantId: string, conversationId: string, before?: string) =>
    request<MessagesPage>(`${conversation(tenantId, conversationId)}/messages${query({ before })}`),
  update: (tenantId: string, conversationId: string, patch: ConversationPatch) =>
    request<Conversation>(conversation(tenantId, conversationId), { method: 'PATCH', body: patch }),
  markRead: (tenantId: string, conversationId: string) =>
    request<void>(`${conversation(tenantId, conversationId)}/read`, { method: 'POST' }),
  typing: (tenantId: string, conversationId: string) =>
    request<void>(`${conversation(tenantId, conversationId)}/typing`, { method: 'POST' }),
  send: (tenantId: string, conversationId: string, message: OutgoingMessage) =>
    request<{ message: InboxMessage }>(`${conversation(tenantId, conversationId)}/messages`, {
      method: 'POST',
      body: message,
    }),
  /** Asks where to upload a file to send (the API checks the channel's limits first). */
  prepareAttachment: (
    tenantId: string,
    conversationId: string,
    file: { fileName: string; contentType: string; size: number },
  ) =>
    request<AttachmentAnswer>(`${conversation(tenantId, conversationId)}/attachments`, { method: 'POST', body: file }),
  media: (tenantId: string, conversationId: string, messageId: string) =>
    request<MediaAnswer>(`${conversation(tenantId, conversationId)}/messages/${seg(messageId)}/media`),
  notes: (tenantId: string, conversationId: string) =>
    request<{ notes: Note[] }>(`${conversation(tenantId, conversationId)}/notes`),
  addNote: (tenantId: string, conversationId: string, text: string) =>
    request<Note>(`${conversation(tenantId, conversationId)}/notes`, { method: 'POST', body: { text } }),
  tickets: (tenantId: string, filters: { status?: string; conversationId?: string }) =>
    request<{ tickets: Ticket[] }>(`${business(tenantId)}/tickets${query(filters)}`),
  openTicket: (tenantId: string, conversationId: string, input: { title: string; assigneeId?: string }) =>
    request<Ticket>(`${conversation(tenantId, conversationId)}/tickets`, { method: 'POST', body: input }),
  updateTicket: (tenantId: string, ticketId: string, patch: TicketPatch) =>
    request<Ticket>(`${business(tenantId)}/tickets/${seg(ticketId)}`, { method: 'PATCH', body: patch }),
  /** The templates of the conversation's number's WhatsApp account: the ones a reply there may send. */
  templates: (tenantId: string, conversationId: string) =>
    request<{ templates: Template[] }>(`${business(tenantId)}/templates${query({ conversationId })}`),
  syncTemplates: (tenantId: string) =>
    request<{ templates: Template[] }>(`${business(tenantId)}/templates/sync`, { method: 'POST' }),
};

export const inboxKeys = {
  all: (tenantId: string) => ['inbox', tenantId] as const,
  list: (tenantId: string, filters: ConversationFilters) => ['inbox', tenantId, 'list', filters] as const,
  conversation: (tenantId: string, id: string) => ['inbox', tenantId, 'conversation', id] as const,
  messages: (tenantId: string, id: string) => ['inbox', tenantId, 'messages', id] as const,
  media: (tenantId: string, id: string, messageId: string) => ['inbox', tenantId, 'media', id, messageId] as const,
  notes: (tenantId: string, id: string) => ['inbox', tenantId, 'notes', id] as const,
  tickets: (tenantId: string, conversationId?: string) =>
    ['inbox', tenantId, 'tickets', ...(conversationId ? [conversationId] : [])] as const,
  templates: (tenantId: string, conversationId?: string) =>
    ['inbox', tenantId, 'templates', ...(conversationId ? [conversationId] : [])] as const,
};

export function useConversations(tenantId: string, filters: ConversationFilters) {
  return useQuery({
    queryKey: inboxKeys.list(tenantId, filters),
    queryFn: () => inboxApi.conversations(tenantId, filters),
    refetchInterval: INBOX_POLL_MS,
    // A new filter keeps the previous list on screen until its answer is in.
    placeholderData: keepPreviousData,
  });
}

export function useConversation(tenantId: string, conversationId: string) {
  return useQuery({
    queryKey: inboxKeys.conversation(tenantId, conversationId),
    queryFn: () => inboxApi.conversation(tenantId, conversationId),
    refetchInterval: INBOX_POLL_MS,
  });
}

/** The newest page of the thread, polled; older pages are asked for on demand (ThreadMessages). */
export function useMessages(tenantId: string, conversationId: string) {
  return useQuery({
    queryKey: inboxKeys.messages(tenantId, conversationId),
    queryFn: () => inboxApi.messages(tenantId, conversationId),
    refetchInterval: INBOX_POLL_MS,
  });
}

/**
 * A stored media file's short-lived link. Asked again while the worker is still fetching it,
 * and before the link (5 minutes) runs out.
 */
export function useMedia(tenantId: string, conversationId: string, messageId: string) {
  return useQuery({
    queryKey: inboxKeys.media(tenantId, conversationId, messageId),
    queryFn: () => inboxApi.media(tenantId, conversationId, messageId),
    refetchInterval: (current) => (current.state.data?.status === 'pending' ? 2_000 : 4 * 60_000),
    staleTime: 4 * 60_000,
    retry: false,
  });
}

function useInvalidateInbox(tenantId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) });
}

export function useUpdateConversation(tenantId: string, conversationId: string) {
  const invalidate = useInvalidateInbox(tenantId);
  return useMutation({
    mutationFn: (patch: ConversationPatch) => inboxApi.update(tenantId, conversationId, patch),
    onSettled: invalidate,
  });
}

export function useMarkRead(tenantId: string) {
  const invalidate = useInvalidateInbox(tenantId);
  return useMutation({
    mutationFn: (conversationId: string) => inboxApi.markRead(tenantId, conversationId),
    onSuccess: invalidate,
  });
}

export function useTyping(tenantId: string, conversationId: string) {
  return useMutation({ mutationFn: () => inboxApi.typing(tenantId, conversationId) });
}

/**
 * Sends a reply. The API stores it at once as `queued` (idempotent on `clientId`, so a retried
 * click never sends twice) and the outbound worker sends it; the thread's polling shows its
 * ticks moving on.
 */
export function useSendMessage(tenantId: string, conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (message: OutgoingMessage) => inboxApi.send(tenantId, conversationId, message),
    onSuccess: async ({ message }) => {
      client.setQueryData<MessagesPage>(inboxKeys.messages(tenantId, conversationId), (page) =>
        page && !page.messages.some((known) => known.id === message.id)
          ? { ...page, messages: [...page.messages, message] }
          : page,
      );
      await client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) });
    },
  });
}

/** The upload failed at storage (network, an expired link): no API error to describe. */
export class UploadError extends Error {
  override name = 'UploadError';
}

/**
 * Puts a file to its presigned link, straight to storage (S3 in AWS, the gateway's
 * `/local-media` locally), reporting progress (0..1). XMLHttpRequest, since fetch cannot report
 * an upload's progress.
 */
export function uploadFile(upload: AttachmentAnswer['upload'], file: Blob, onProgress: (share: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadError(`upload answered ${xhr.status}`));
    xhr.onerror = () => reject(new UploadError('upload failed'));
    xhr.send(file);
  });
}

/**
 * Sends a file with an optional caption: asks for an upload link, uploads the file, then sends
 * the media reply naming it (the same `clientId` makes a retried click send it once).
 */
export function useSendAttachment(tenantId: string, conversationId: string) {
  const send = useSendMessage(tenantId, conversationId);
  return useMutation({
    mutationFn: async (input: {
      file: File;
      contentType: string;
      caption?: string;
      clientId: string;
      onProgress(share: number): void;
    }) => {
      const prepared = await inboxApi.prepareAttachment(tenantId, conversationId, {
        fileName: input.file.name || 'file',
        contentType: input.contentType,
        size: input.file.size,
      });
      await uploadFile(prepared.upload, input.file, input.onProgress);
      return send.mutateAsync({
        kind: 'media',
        attachmentId: prepared.attachmentId,
        ...(input.caption ? { caption: input.caption } : {}),
        clientId: input.clientId,
      });
    },
  });
}

export function useNotes(tenantId: string, conversationId: string) {
  return useQuery({
    queryKey: inboxKeys.notes(tenantId, conversationId),
    queryFn: async () => (await inboxApi.notes(tenantId, conversationId)).notes,
  });
}

export function useAddNote(tenantId: string, conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => inboxApi.addNote(tenantId, conversationId, text),
    onSuccess: () => client.invalidateQueries({ queryKey: inboxKeys.notes(tenantId, conversationId) }),
  });
}

export function useTickets(tenantId: string, conversationId?: string) {
  return useQuery({
    queryKey: inboxKeys.tickets(tenantId, conversationId),
    queryFn: async () => (await inboxApi.tickets(tenantId, { conversationId })).tickets,
  });
}

export function useOpenTicket(tenantId: string, conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { title: string; assigneeId?: string }) => inboxApi.openTicket(tenantId, conversationId, input),
    onSuccess: () => client.invalidateQueries({ queryKey: inboxKeys.tickets(tenantId) }),
  });
}

export function useUpdateTicket(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, patch }: { ticketId: string; patch: TicketPatch }) =>
      inboxApi.updateTicket(tenantId, ticketId, patch),
    onSettled: () => client.invalidateQueries({ queryKey: inboxKeys.tickets(tenantId) }),
  });
}

export function useTemplates(tenantId: string, conversationId: string, enabled = true) {
  return useQuery({
    queryKey: inboxKeys.templates(tenantId, conversationId),
    queryFn: async () => (await inboxApi.templates(tenantId, conversationId)).templates,
    enabled,
  });
}

export function useSyncTemplates(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => inboxApi.syncTemplates(tenantId),
    onSuccess: () => client.invalidateQueries({ queryKey: inboxKeys.templates(tenantId) }),
  });
}
