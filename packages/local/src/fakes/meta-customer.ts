import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import * as z from 'zod';
import { type FakeContext, postStatus } from './meta-send.js';
import { type FakeMessage, newId, remember, sha256Base64 } from './meta-state.js';
import { type CustomerMedia, customerMessagePayload } from './meta-webhooks.js';

/**
 * `/dev/meta/customer/*`: playing the customer. A message written here reaches the product
 * exactly as Meta would deliver it (signed webhook to `/webhooks/meta`); the thread reads back
 * as the customer's phone shows it, ticks included.
 */

const channel = z.enum(['whatsapp', 'messenger', 'instagram']);

const messageInput = z.object({
  channel,
  businessId: z.string().regex(/^\d{5,20}$/),
  customer: z.object({
    id: z.string().min(1).max(64),
    name: z.string().max(200).optional(),
  }),
  text: z.string().max(4096).optional(),
  media: z
    .object({
      kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
      mimeType: z.string().min(3).max(100),
      /** The file's bytes, base64. */
      data: z.string().max(8 * 1024 * 1024),
      filename: z.string().max(200).optional(),
    })
    .optional(),
});

const threadQuery = z.object({ channel, businessId: z.string().min(1), customerId: z.string().min(1) });

const messageId = (kind: z.infer<typeof channel>) =>
  kind === 'whatsapp' ? `wamid.${randomBytes(24).toString('base64url')}` : `m_${randomBytes(24).toString('base64url')}`;

export function customerRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();

  app.post('/messages', async (c) => {
    const parsed = messageInput.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const input = parsed.data;
    if (!input.text && !input.media)
      return c.json({ error: 'invalid_request', detail: 'text or media is required' }, 400);
    const known =
      input.channel === 'whatsapp'
        ? state.phoneNumbers.has(input.businessId)
        : input.channel === 'messenger'
          ? state.pages.has(input.businessId)
          : state.instagramAccounts.has(input.businessId);
    if (!known)
      return c.json({ error: 'unknown_business', detail: `no ${input.channel} account ${input.businessId}` }, 404);

    let media: CustomerMedia | undefined;
    if (input.media) {
      const bytes = Buffer.from(input.media.data, 'base64');
      const id = newId(16);
      state.media.set(id, {
        id,
        businessId: input.businessId,
        needsToken: input.channel === 'whatsapp',
        bytes,
        mimeType: input.media.mimeType,
        sha256: sha256Base64(bytes),
      });
      media = {
        id,
        kind: input.media.kind,
        mimeType: input.media.mimeType,
        sha256: sha256Base64(bytes),
        url: `${ctx.url()}/media-download/${id}?signed=${randomBytes(8).toString('hex')}`,
        ...(input.media.filename ? { filename: input.media.filename } : {}),
      };
    }
    const message: FakeMessage = {
      id: messageId(input.channel),
      channel: input.channel,
      businessId: input.businessId,
      customerId: input.customer.id,
      direction: 'from-customer',
      type: media?.kind ?? 'text',
      text: input.text,
      status: 'sent',
      at: Date.now(),
    };
    remember(state, message);
    const status = await ctx.webhooks.post(
      input.channel,
      customerMessagePayload(state, message, input.customer.name, media),
    );
    return c.json({ messageId: message.id, webhookStatus: status, ...(media ? { mediaId: media.id } : {}) }, 201);
  });

  const mediaOf = (id: string) => ({
    url: `/dev/meta/customer/media/${id}`,
    mimeType: state.media.get(id)?.mimeType ?? 'application/octet-stream',
  });

  /** The bytes of media the business sent (no token: this is the customer's own phone). */
  app.get('/media/:id', (c) => {
    const media = state.media.get(c.req.param('id'));
    if (!media || media.needsToken) return c.text('Not Found', 404);
    return c.body(new Uint8Array(media.bytes), 200, {
      'content-type': media.mimeType,
      'content-length': String(media.bytes.byteLength),
    });
  });

  app.get('/messages', (c) => {
    const parsed = threadQuery.safeParse(c.req.query());
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const { channel: kind, businessId, customerId } = parsed.data;
    const messages = state.messages
      .filter((m) => m.channel === kind && m.businessId === businessId && m.customerId === customerId)
      .map((m) => ({
        id: m.id,
        direction: m.direction,
        type: m.type,
        ...(m.text !== undefined ? { text: m.text } : {}),
        // The business's media as the customer's phone shows it (the fake fetched it from the link).
        ...(m.mediaId ? { media: mediaOf(m.mediaId) } : {}),
        status: m.status,
        at: new Date(m.at).toISOString(),
      }));
    return c.json({ messages });
  });

  /** The customer opens the chat: every message the business sent them is read (blue ticks). */
  app.post('/read', async (c) => {
    const parsed = threadQuery.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const { channel: kind, businessId, customerId } = parsed.data;
    const unread = state.messages.filter(
      (m) =>
        m.direction === 'to-customer' &&
        m.channel === kind &&
        m.businessId === businessId &&
        m.customerId === customerId &&
        (m.status === 'sent' || m.status === 'delivered' || m.status === 'accepted'),
    );
    for (const message of unread) {
      postStatus(ctx, message, 'sent');
      postStatus(ctx, message, 'delivered');
      postStatus(ctx, message, 'read');
    }
    await ctx.webhooks.idle();
    return c.json({ read: unread.map((m) => m.id) });
  });

  return app;
}
