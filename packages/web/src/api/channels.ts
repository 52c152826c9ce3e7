import type {
  channelSchema,
  channelTestAnswer,
  connectInstagramBody,
  connectMessengerBody,
  connectWhatsAppBody,
  messengerLoginAnswer,
  metaSetupAnswer,
  sandboxCustomerMessageAnswer,
  sandboxCustomerMessageBody,
  sandboxThreadAnswer,
} from '@asistone/contract/channels';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { NetworkError, query, request, seg } from './client';
import { INBOX_POLL_MS, inboxKeys } from './inbox';
import type { ChannelKind, Instant } from './inbox-types';

/** Settings › Channels: connecting WhatsApp, Messenger, Instagram and the sandbox (docs/api.md). */

export type Channel = z.output<typeof channelSchema>;
export type ChannelStatus = Channel['status'];
export type MetaSetup = z.output<typeof metaSetupAnswer>;
export type ChannelTest = z.output<typeof channelTestAnswer>;
export type MessengerLogin = z.output<typeof messengerLoginAnswer>;
type ConnectWhatsAppInput = z.input<typeof connectWhatsAppBody>;
type ConnectMessengerInput = z.input<typeof connectMessengerBody>;
type ConnectInstagramInput = z.input<typeof connectInstagramBody>;
type SandboxMessageInput = z.input<typeof sandboxCustomerMessageBody>;

/** A message as the customer sees it (the sandbox simulator's and the fake Meta's threads). */
export interface SimulatedMessage {
  id: string;
  direction: 'from-customer' | 'to-customer';
  text?: string | null;
  type?: string;
  status?: 'sent' | 'delivered' | 'read' | string;
  at: Instant;
  /** A file the business sent, as the customer's phone shows it (the dev customer page only). */
  media?: { url: string; mimeType: string };
}

const channels = (tenantId: string) => `/businesses/${seg(tenantId)}/channels`;

export const channelsApi = {
  list: (tenantId: string) => request<{ channels: Channel[] }>(channels(tenantId)),
  metaSetup: (tenantId: string) => request<MetaSetup>(`${channels(tenantId)}/meta-setup`),
  connectWhatsApp: (tenantId: string, input: ConnectWhatsAppInput) =>
    request<Channel>(`${channels(tenantId)}/whatsapp`, { method: 'POST', body: input }),
  messengerLogin: (tenantId: string, code: string) =>
    request<MessengerLogin>(`${channels(tenantId)}/messenger/login`, {
      method: 'POST',
      body: { code },
    }),
  connectMessenger: (tenantId: string, input: ConnectMessengerInput) =>
    request<unknown>(`${channels(tenantId)}/messenger`, { method: 'POST', body: input }),
  connectInstagram: (tenantId: string, input: ConnectInstagramInput) =>
    request<Channel>(`${channels(tenantId)}/instagram`, { method: 'POST', body: input }),
  connectSandbox: (tenantId: string) => request<Channel>(`${channels(tenantId)}/sandbox`, { method: 'POST' }),
  disconnect: (tenantId: string, kind: ChannelKind, externalId: string) =>
    request<void>(`${channels(tenantId)}/${seg(kind)}/${seg(externalId)}`, { method: 'DELETE' }),
  test: (tenantId: string, kind: ChannelKind, externalId: string) =>
    request<ChannelTest>(`${channels(tenantId)}/${seg(kind)}/${seg(externalId)}/test`, { method: 'POST' }),
  sandboxThread: (tenantId: string, customerName: string) =>
    request<z.output<typeof sandboxThreadAnswer>>(
      `${channels(tenantId)}/sandbox/customer-messages${query({ customerName })}`,
    ),
  sandboxSend: (tenantId: string, input: SandboxMessageInput) =>
    request<z.output<typeof sandboxCustomerMessageAnswer>>(`${channels(tenantId)}/sandbox/customer-messages`, {
      method: 'POST',
      body: input,
    }),
};

export const channelKeys = {
  list: (tenantId: string) => ['channels', tenantId] as const,
  metaSetup: (tenantId: string) => ['channels', tenantId, 'meta-setup'] as const,
  sandbox: (tenantId: string, customerName?: string) =>
    ['channels', tenantId, 'sandbox-thread', ...(customerName ? [customerName] : [])] as const,
};

export function useChannels(tenantId: string) {
  return useQuery({
    queryKey: channelKeys.list(tenantId),
    queryFn: async () => (await channelsApi.list(tenantId)).channels,
  });
}

export function useMetaSetup(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: channelKeys.metaSetup(tenantId),
    queryFn: () => channelsApi.metaSetup(tenantId),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

function useRefreshChannels(tenantId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: channelKeys.list(tenantId) }),
      client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) }),
    ]);
}

export function useChannelMutations(tenantId: string) {
  const refresh = useRefreshChannels(tenantId);
  return {
    connectWhatsApp: useMutation({
      mutationFn: (input: ConnectWhatsAppInput) => channelsApi.connectWhatsApp(tenantId, input),
      onSuccess: refresh,
    }),
    messengerLogin: useMutation({ mutationFn: (code: string) => channelsApi.messengerLogin(tenantId, code) }),
    connectMessenger: useMutation({
      mutationFn: (input: ConnectMessengerInput) => channelsApi.connectMessenger(tenantId, input),
      onSuccess: refresh,
    }),
    connectInstagram: useMutation({
      mutationFn: (input: ConnectInstagramInput) => channelsApi.connectInstagram(tenantId, input),
      onSuccess: refresh,
    }),
    connectSandbox: useMutation({ mutationFn: () => channelsApi.connectSandbox(tenantId), onSuccess: refresh }),
    disconnect: useMutation({
      mutationFn: ({ kind, externalId }: { kind: ChannelKind; externalId: string }) =>
        channelsApi.disconnect(tenantId, kind, externalId),
      onSuccess: refresh,
    }),
    test: useMutation({
      mutationFn: ({ kind, externalId }: { kind: ChannelKind; externalId: string }) =>
        channelsApi.test(tenantId, kind, externalId),
      onSettled: refresh,
    }),
  };
}

/** One simulated customer's thread (the sandbox keeps one conversation per customer name). */
export function useSandboxThread(tenantId: string, customerName: string) {
  return useQuery({
    queryKey: channelKeys.sandbox(tenantId, customerName),
    queryFn: async () => (await channelsApi.sandboxThread(tenantId, customerName)).messages,
    enabled: customerName.trim().length > 0,
    refetchInterval: INBOX_POLL_MS,
  });
}

export function useSandboxSend(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SandboxMessageInput) => channelsApi.sandboxSend(tenantId, input),
    onSuccess: () => client.invalidateQueries({ queryKey: channelKeys.sandbox(tenantId) }),
  });
}

/* The fake Meta's customer side (local stack only; the gateway serves it at /dev/meta/*). */

export type MetaChannel = 'whatsapp' | 'messenger' | 'instagram';

export interface CustomerThreadQuery {
  channel: MetaChannel;
  businessId: string;
  customerId: string;
}

/** The fake is not the API: plain JSON calls, no token, errors as `Error`s naming the status. */
async function fakeMeta<T>(path: string, init?: { method: 'POST'; body: unknown }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/dev/meta${path}`, {
      method: init?.method ?? 'GET',
      headers: init ? { 'content-type': 'application/json' } : undefined,
      body: init ? JSON.stringify(init.body) : undefined,
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) throw new Error(`fake Meta answered ${response.status}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file the customer sends: the fake Meta stores it and delivers a media message for it. */
export interface CustomerMedia {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mimeType: string;
  /** The bytes, base64. */
  data: string;
  filename?: string;
}

export const devCustomerApi = {
  thread: ({ channel, businessId, customerId }: CustomerThreadQuery) =>
    fakeMeta<SimulatedMessage[] | { messages: SimulatedMessage[] }>(
      `/customer/messages?${new URLSearchParams({ channel, businessId, customerId })}`,
    ).then((answer) => (Array.isArray(answer) ? answer : answer.messages)),
  send: (
    input: CustomerThreadQuery & { customerName: string; text?: string | undefined; media?: CustomerMedia | undefined },
  ) =>
    fakeMeta<{ messageId: string }>('/customer/messages', {
      method: 'POST',
      body: {
        channel: input.channel,
        businessId: input.businessId,
        customer: { id: input.customerId, name: input.customerName },
        ...(input.text ? { text: input.text } : {}),
        ...(input.media ? { media: input.media } : {}),
      },
    }),
  read: ({ channel, businessId, customerId }: CustomerThreadQuery) =>
    fakeMeta<unknown>('/customer/read', {
      method: 'POST',
      body: { channel, businessId, customerId, customer: { id: customerId } },
    }),
};

export function useCustomerThread(thread: CustomerThreadQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['dev-customer', thread] as const,
    queryFn: () => devCustomerApi.thread(thread),
    refetchInterval: INBOX_POLL_MS,
    enabled,
    retry: false,
  });
}
