import { createHmac } from 'node:crypto';
import type { FakeChannel, FakeMessage, FakeMetaState } from './meta-state.js';

/**
 * What the fake Meta posts to the product's `/webhooks/meta`, in Meta's shapes and signed as Meta
 * signs (X-Hub-Signature-256: HMAC-SHA256 of the exact bytes with the app secret; Instagram Login
 * accounts with the Instagram app's secret). Deliveries go out one at a time, in order, so a
 * message's `sent` never arrives after its `delivered`.
 */

export interface WebhookSender {
  /** Queues a signed delivery after `delayMs`; resolves with the endpoint's HTTP status. */
  post(channel: FakeChannel, payload: unknown, delayMs?: number): Promise<number>;
  /** Waits for every queued delivery. */
  idle(): Promise<void>;
  stop(): void;
}

export function webhookSender(state: FakeMetaState, webhookUrl: () => string): WebhookSender {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const deliver = async (channel: FakeChannel, payload: unknown): Promise<number> => {
    const body = JSON.stringify(payload);
    const secret = channel === 'instagram' ? state.instagramAppSecret : state.appSecret;
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    // Meta retries failed deliveries; three quick tries are enough on one machine.
    let status = 0;
    for (let attempt = 0; attempt < 3 && !stopped; attempt += 1) {
      try {
        const response = await fetch(webhookUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.body?.cancel();
        if (status < 500) return status;
      } catch {
        status = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    return status;
  };

  return {
    post(channel, payload, delayMs = 0) {
      const waited = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delayMs);
        timers.add(timer);
      });
      const result = chain
        .then(() => waited)
        .then(() => (stopped ? 0 : deliver(channel, payload)))
        .then((httpStatus) => {
          state.deliveries.push({ channel, ...describe(payload), httpStatus, at: Date.now() });
          if (state.deliveries.length > 2000) state.deliveries.splice(0, 1000);
          return httpStatus;
        });
      chain = result.catch(() => undefined);
      return result;
    },
    async idle() {
      await chain;
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/** What a delivery carried, for tests reading the fake's state: `message`, `status:read`, `echo`, `delivery`, `read`. */
function describe(payload: unknown): { what: string; id?: string } {
  const entry = (
    payload as { entry?: { changes?: { value?: Record<string, unknown> }[]; messaging?: Record<string, unknown>[] }[] }
  ).entry?.[0];
  const value = entry?.changes?.[0]?.value as
    | { statuses?: { id: string; status: string }[]; messages?: { id: string }[] }
    | undefined;
  if (value?.statuses?.[0]) return { what: `status:${value.statuses[0].status}`, id: value.statuses[0].id };
  if (value?.messages?.[0]) return { what: 'message', id: value.messages[0].id };
  const event = entry?.messaging?.[0] as
    | { message?: { mid: string; is_echo?: boolean }; delivery?: { mids: string[] }; read?: { mid?: string } }
    | undefined;
  if (event?.message) return { what: event.message.is_echo ? 'echo' : 'message', id: event.message.mid };
  if (event?.delivery) return { what: 'delivery', id: event.delivery.mids[0] };
  if (event?.read) return { what: 'read', ...(event.read.mid ? { id: event.read.mid } : {}) };
  return { what: 'other' };
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** The number's display form as webhooks carry it: digits only. */
const digits = (value: string) => value.replace(/\D/g, '');

function whatsappEnvelope(state: FakeMetaState, phoneNumberId: string, value: Record<string, unknown>) {
  const phone = state.phoneNumbers.get(phoneNumberId);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: phone?.wabaId ?? '0',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: digits(phone?.displayPhoneNumber ?? ''),
                phone_number_id: phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

function messagingEnvelope(channel: 'messenger' | 'instagram', businessId: string, events: unknown[]) {
  return {
    object: channel === 'instagram' ? 'instagram' : 'page',
    entry: [{ id: businessId, time: Date.now(), messaging: events }],
  };
}

export interface CustomerMedia {
  id: string;
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mimeType: string;
  sha256: string;
  /** Where Messenger and Instagram attachments are fetched from (they carry a URL, not an id). */
  url: string;
  filename?: string;
}

/** A customer's message as Meta delivers it to the business. */
export function customerMessagePayload(
  state: FakeMetaState,
  message: FakeMessage,
  customerName: string | undefined,
  media?: CustomerMedia,
) {
  if (message.channel === 'whatsapp') {
    const content = media
      ? {
          type: media.kind,
          [media.kind]: {
            id: media.id,
            mime_type: media.mimeType,
            sha256: media.sha256,
            ...(message.text ? { caption: message.text } : {}),
            ...(media.filename ? { filename: media.filename } : {}),
          },
        }
      : { type: 'text', text: { body: message.text ?? '' } };
    return whatsappEnvelope(state, message.businessId, {
      contacts: [{ profile: { name: customerName ?? '' }, wa_id: message.customerId }],
      messages: [{ from: message.customerId, id: message.id, timestamp: seconds(message.at), ...content }],
    });
  }
  const attachment = media && {
    type: media.kind === 'document' ? 'file' : media.kind === 'sticker' ? 'image' : media.kind,
    payload: { url: media.url },
  };
  return messagingEnvelope(message.channel, message.businessId, [
    {
      sender: { id: message.customerId },
      recipient: { id: message.businessId },
      timestamp: message.at,
      message: {
        mid: message.id,
        ...(message.text ? { text: message.text } : {}),
        ...(attachment ? { attachments: [attachment] } : {}),
      },
    },
  ]);
}

/** A WhatsApp status for a message the business sent (`pricing` as per-message pricing reports it). */
export function whatsappStatusPayload(
  state: FakeMetaState,
  message: FakeMessage,
  error?: { code: number; title: string; details: string },
) {
  const category = message.category?.toLowerCase() ?? (message.type === 'template' ? 'utility' : 'service');
  // Whatever the send carried in `biz_opaque_callback_data` comes back in each of its statuses.
  const callback = (message.body as { biz_opaque_callback_data?: unknown } | undefined)?.biz_opaque_callback_data;
  return whatsappEnvelope(state, message.businessId, {
    statuses: [
      {
        id: message.id,
        status: message.status,
        timestamp: seconds(Date.now()),
        recipient_id: message.customerId,
        ...(typeof callback === 'string' ? { biz_opaque_callback_data: callback } : {}),
        ...(message.status === 'failed'
          ? {
              errors: [
                {
                  code: error?.code,
                  title: error?.title,
                  message: error?.title,
                  error_data: { details: error?.details },
                  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                },
              ],
            }
          : {
              pricing: {
                billable: category !== 'service',
                pricing_model: 'PMP',
                category,
                type: category === 'service' ? 'free_customer_service' : 'regular',
              },
            }),
      },
    ],
  });
}

/** Messenger / Instagram: the echo of what the business sent (with our app's id, as Meta marks it). */
export function echoPayload(state: FakeMetaState, message: FakeMessage) {
  const channel = message.channel === 'instagram' ? 'instagram' : 'messenger';
  return messagingEnvelope(channel, message.businessId, [
    {
      sender: { id: message.businessId },
      recipient: { id: message.customerId },
      timestamp: message.at,
      message: {
        mid: message.id,
        is_echo: true,
        app_id: Number(state.appId),
        ...(message.text ? { text: message.text } : {}),
      },
    },
  ]);
}

/** Messenger `delivery` / `read`, Instagram `read` (by mid), from the customer to the business. */
export function messagingReceiptPayload(message: FakeMessage, kind: 'delivered' | 'read') {
  const channel = message.channel === 'instagram' ? 'instagram' : 'messenger';
  const watermark = Date.now();
  const receipt =
    kind === 'delivered'
      ? { delivery: { mids: [message.id], watermark } }
      : channel === 'instagram'
        ? { read: { mid: message.id } }
        : { read: { watermark } };
  return messagingEnvelope(channel, message.businessId, [
    { sender: { id: message.customerId }, recipient: { id: message.businessId }, timestamp: watermark, ...receipt },
  ]);
}
