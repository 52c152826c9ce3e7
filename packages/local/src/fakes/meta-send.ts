import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { authorize, fail, GraphFailure, injectedSendFailure, missingParameter } from './meta-http.js';
import { checkThroughput, countSend, recipientFailure } from './meta-send-limits.js';
import {
  type FakeChannel,
  type FakeMedia,
  type FakeMessage,
  type FakeMetaState,
  newId,
  remember,
  sha256Base64,
} from './meta-state.js';
import { echoPayload, messagingReceiptPayload, type WebhookSender, whatsappStatusPayload } from './meta-webhooks.js';

/**
 * Sending, as the Cloud API and the Send API answer it: the request is checked and answered at
 * once, and what happens to the message afterwards (sent, delivered, read, or failed outside the
 * 24-hour window) arrives later as webhooks, as it does from Meta.
 */

export interface FakeContext {
  state: FakeMetaState;
  webhooks: WebhookSender;
  /** The fake's own base URL (media URLs point at it). */
  url(): string;
  /** Milliseconds after the send at which each status is posted; `read: undefined` waits for the customer. */
  statusDelaysMs: { sent: number; delivered: number; read?: number };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * When the customer last wrote in this thread (the 24-hour window opens there); undefined when
 * the fake never saw them write: tests may post signed webhooks straight to the product, so a
 * customer the fake does not know is given the benefit of the doubt (window open). To test a
 * closed window, let the customer write through `/dev/meta/customer/messages` and age it.
 */
function lastFromCustomer(state: FakeMetaState, channel: FakeChannel, businessId: string, customerId: string) {
  let last = 0;
  for (let index = state.messages.length - 1; index >= 0; index -= 1) {
    const message = state.messages[index] as FakeMessage;
    if (
      message.direction === 'from-customer' &&
      message.channel === channel &&
      message.businessId === businessId &&
      message.customerId === customerId
    ) {
      last = Math.max(last, message.at);
    }
  }
  return last === 0 ? undefined : last;
}

const wamid = () => `wamid.${randomBytes(24).toString('base64url')}`;
const mid = () => `m_${randomBytes(24).toString('base64url')}`;

/** Moves a business message to `status` and posts the matching webhook(s). */
export function postStatus(ctx: FakeContext, message: FakeMessage, status: 'sent' | 'delivered' | 'read', delayMs = 0) {
  const order = ['accepted', 'sent', 'delivered', 'read'];
  if (message.status === 'failed' || order.indexOf(message.status) >= order.indexOf(status)) return;
  message.status = status;
  if (message.channel === 'whatsapp') {
    void ctx.webhooks.post('whatsapp', whatsappStatusPayload(ctx.state, { ...message, status }), delayMs);
    return;
  }
  if (status === 'sent') void ctx.webhooks.post(message.channel, echoPayload(ctx.state, message), delayMs);
  // Instagram reports reads only; Messenger deliveries and reads.
  else if (status === 'read' || message.channel === 'messenger') {
    void ctx.webhooks.post(message.channel, messagingReceiptPayload(message, status), delayMs);
  }
}

function scheduleStatuses(ctx: FakeContext, message: FakeMessage) {
  if (!ctx.state.statusWebhooks) return;
  const { sent, delivered, read } = ctx.statusDelaysMs;
  const at = (delay: number, status: 'sent' | 'delivered' | 'read') =>
    setTimeout(() => postStatus(ctx, message, status), delay).unref();
  at(sent, 'sent');
  at(delivered, 'delivered');
  if (read !== undefined) at(read, 'read');
}

function textOf(body: Record<string, unknown>): string | undefined {
  const text = body.text as { body?: unknown } | undefined;
  if (typeof text?.body === 'string') return text.body;
  const template = body.template as { name?: unknown } | undefined;
  if (typeof template?.name === 'string') return `[template ${template.name}]`;
  const type = typeof body.type === 'string' ? body.type : undefined;
  const media = type ? (body[type] as { caption?: unknown } | undefined) : undefined;
  return typeof media?.caption === 'string' ? media.caption : type ? `[${type}]` : undefined;
}

/** The largest file the fake fetches from a link (WhatsApp's largest, a 100 MB document). */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/**
 * Fetches the media a business sends by link, as Meta does, and keeps the bytes (the customer's
 * side shows them: `/dev/meta/customer/media/:id`). Undefined when the link does not give a
 * file, which Meta reports as a failed message (131053).
 */
async function fetchMedia(state: FakeMetaState, businessId: string, link: string): Promise<FakeMedia | undefined> {
  try {
    const answer = await fetch(link, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    if (!answer.ok) return undefined;
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (bytes.byteLength === 0 || bytes.byteLength > MAX_MEDIA_BYTES) return undefined;
    const media: FakeMedia = {
      id: newId(16),
      businessId,
      needsToken: false,
      bytes,
      mimeType: answer.headers.get('content-type') ?? 'application/octet-stream',
      sha256: sha256Base64(bytes),
    };
    state.media.set(media.id, media);
    return media;
  } catch {
    return undefined;
  }
}

/** The link of the media a send carries (Cloud API `{type: {link}}`, Send API `attachment.payload.url`). */
function mediaLinkOf(body: Record<string, unknown>, type: string): string | undefined {
  const cloud = body[type] as { link?: unknown } | undefined;
  if (typeof cloud?.link === 'string') return cloud.link;
  const payload = (body.message as { attachment?: { payload?: { url?: unknown } } } | undefined)?.attachment?.payload;
  return typeof payload?.url === 'string' ? payload.url : undefined;
}

/** POST /{phone-number-id}/messages: a message, or a read receipt with an optional typing indicator. */
export async function sendWhatsApp(ctx: FakeContext, c: Context, phoneNumberId: string) {
  const { state } = ctx;
  const phone = state.phoneNumbers.get(phoneNumberId);
  authorize(state, c, phoneNumberId);
  if (!phone) return fail(400, 100, undefined, 33);
  const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
  if (body.messaging_product !== 'whatsapp') return missingParameter('messaging_product');

  if (body.status === 'read') {
    const read = state.messages.find(
      (message) => message.id === body.message_id && message.businessId === phoneNumberId,
    );
    // A message the fake did not carry (a test posted its webhook directly) is accepted as Meta
    // would accept a real one; an id that is not a wamid at all is not.
    if (!read && !String(body.message_id ?? '').startsWith('wamid.')) {
      return fail(400, 100, '(#100) Invalid parameter', 2494010);
    }
    if (read) read.status = 'read';
    return c.json({ success: true });
  }

  const injected = injectedSendFailure(state);
  if (injected) throw new GraphFailure(injected);
  if (!phone.registered) return fail(400, 133010);
  const to = typeof body.to === 'string' ? body.to.replace(/\D/g, '') : '';
  if (!to) return missingParameter('to');
  // Meta refuses over the number's throughput before it looks at the recipient.
  checkThroughput(state, phoneNumberId);
  const scriptedForRecipient = recipientFailure(state, to);
  if (scriptedForRecipient) throw new GraphFailure(scriptedForRecipient);
  const type = typeof body.type === 'string' ? body.type : 'text';
  if (type === 'text' && typeof (body.text as { body?: unknown } | undefined)?.body !== 'string') {
    return missingParameter('text[body]');
  }
  const template = type === 'template' ? (body.template as { name?: string; language?: { code?: string } }) : undefined;
  const found = template
    ? state.wabas
        .get(phone.wabaId)
        ?.templates.find((t) => t.name === template.name && t.language === template.language?.code)
    : undefined;
  if (template) {
    if (!found || found.status === 'REJECTED' || found.status === 'PENDING') return fail(404, 132001);
    if (found?.status === 'PAUSED') return fail(400, 132015);
  }

  const link = mediaLinkOf(body, type);
  const media = link ? await fetchMedia(state, phoneNumberId, link) : undefined;
  const message: FakeMessage = {
    id: wamid(),
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customerId: to,
    direction: 'to-customer',
    type,
    text: textOf({ ...body, type }),
    body,
    ...(media && { mediaId: media.id }),
    status: 'accepted',
    at: Date.now(),
    ...(found && { category: found.category }),
  };
  remember(state, message);
  countSend(state, phoneNumberId, message.at);
  // Templates may go outside the window: no need to look for the customer's last message.
  const windowOpen =
    template !== undefined ||
    (lastFromCustomer(state, 'whatsapp', phoneNumberId, to) ?? Date.now()) > Date.now() - DAY_MS;
  if (!state.statusWebhooks) {
    // Statuses are off (a load run): the message stays accepted, whatever would have followed.
  } else if (link && !media) {
    // Meta accepts the request, then cannot download the media: the message fails by webhook.
    message.status = 'failed';
    void ctx.webhooks.post(
      'whatsapp',
      whatsappStatusPayload(state, message, {
        code: 131053,
        title: 'Media upload error',
        details: 'Unable to download the media from the link provided.',
      }),
      ctx.statusDelaysMs.sent,
    );
  } else if (!template && !windowOpen) {
    // Meta accepts the request and fails the message afterwards, by status webhook.
    message.status = 'failed';
    void ctx.webhooks.post(
      'whatsapp',
      whatsappStatusPayload(state, message, {
        code: 131047,
        title: 'Re-engagement message',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      }),
      ctx.statusDelaysMs.sent,
    );
  } else {
    scheduleStatuses(ctx, message);
  }
  return c.json({
    messaging_product: 'whatsapp',
    contacts: [{ input: String(body.to), wa_id: to }],
    messages: [{ id: message.id, ...(template ? { message_status: 'accepted' } : {}) }],
  });
}

/** POST /{page-or-ig-id}/messages (Send API): a message or a sender action. */
export async function sendMessaging(
  ctx: FakeContext,
  c: Context,
  businessId: string,
  channel: 'messenger' | 'instagram',
) {
  const { state } = ctx;
  authorize(state, c, businessId);
  const body = (await c.req.json().catch(() => ({}))) as {
    recipient?: { id?: string };
    message?: { text?: string; attachment?: { type?: string } };
    sender_action?: string;
    messaging_type?: string;
    tag?: string;
  };
  const recipientId = body.recipient?.id;
  if (!recipientId) return missingParameter('recipient');
  if (body.sender_action) return c.json({ recipient_id: recipientId });

  const injected = injectedSendFailure(state);
  if (injected) throw new GraphFailure(injected);
  if (!body.message?.text && !body.message?.attachment) return missingParameter('message');
  const last = lastFromCustomer(state, channel, businessId, recipientId) ?? Date.now();
  // 24 h for a plain reply; the HUMAN_AGENT tag stretches it to 7 days.
  const humanAgent = body.messaging_type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT';
  if (last < Date.now() - (humanAgent ? 7 : 1) * DAY_MS) return fail(400, 10, undefined, 2018278);

  const type = body.message.text ? 'text' : (body.message.attachment?.type ?? 'attachment');
  const link = mediaLinkOf(body as Record<string, unknown>, type);
  const media = link ? await fetchMedia(state, businessId, link) : undefined;
  // The Send API fetches an attachment before it answers: a link that gives no file is refused.
  if (link && !media) return fail(400, 100, '(#100) Failed to fetch the file from the url', 2018047);
  const message: FakeMessage = {
    id: mid(),
    channel,
    businessId,
    customerId: recipientId,
    direction: 'to-customer',
    type,
    text: body.message.text,
    body,
    ...(media && { mediaId: media.id }),
    status: 'accepted',
    at: Date.now(),
  };
  remember(state, message);
  scheduleStatuses(ctx, message);
  return c.json({ recipient_id: recipientId, message_id: message.id });
}
