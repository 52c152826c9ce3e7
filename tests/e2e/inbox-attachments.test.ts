import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Sending a file from the inbox on a real `npm start`: the app asks for an upload link (the
 * channel's limits checked first), uploads the file to the link (S3 through the gateway's
 * `/local-media`), and sends a media reply naming it; the fake Meta fetches the file from the
 * link the worker gives it, and the customer's phone (and the thread) shows the same bytes.
 */

interface Attachment {
  attachmentId: string;
  mediaKind: string;
  upload: { url: string; method: string; headers: Record<string, string>; expiresAt: string };
}
interface Message {
  id: string;
  type: string;
  text?: string;
  status: string;
  details?: { outboundMedia?: { attachmentId?: string; mimeType?: string; fileName?: string } };
}

let stack: RunningStack;
let api: ApiClient;
let meta: ReturnType<typeof fakeMetaClient>;
let owner: SignedInPerson & { tenantId: string };
let other: SignedInPerson & { tenantId: string };
let phoneNumberId: string;
let conversationId: string;
const customer = { id: '905551480001', name: 'Ece Demir' };
const base = () => `/businesses/${owner.tenantId}`;
const clientId = () => `c_${randomBytes(9).toString('base64url')}`;

/** A real PNG (a 2×2 red square with some random noise in a text chunk), so types can be sniffed. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    // The CRC is not checked by anything here; a fixed one keeps the helper short.
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0${randomBytes(8).toString('hex')}`, 'latin1')),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const attach = (body: unknown, as: { accessToken: string; tenantId: string } = owner, conversation = conversationId) =>
  api.call<Attachment & { error?: string; message?: string }>(
    'POST',
    `/businesses/${as.tenantId}/conversations/${conversation}/attachments`,
    { token: as.accessToken, body },
  );

const reply = (body: Record<string, unknown>) =>
  api.call<{ message: Message; error?: string }>('POST', `${base()}/conversations/${conversationId}/messages`, {
    token: owner.accessToken,
    body: { ...body, clientId: clientId() },
  });

async function thread() {
  return (
    await api.call<{ messages: Message[] }>('GET', `${base()}/conversations/${conversationId}/messages`, {
      token: owner.accessToken,
    })
  ).body.messages;
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  meta = fakeMetaClient(stack.url);
  owner = await newOwner(api, 'Dosyalar');
  other = await newOwner(api, 'Komsu');
  ({ phoneNumberId } = await connectWhatsApp(api, owner));
  await meta.dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer,
    text: 'Kargo fişini atar mısınız?',
  });
  conversationId = await eventually(async () => {
    const list = await api.call<{ conversations: { id: string; contact: { name?: string } }[] }>(
      'GET',
      `${base()}/conversations`,
      { token: owner.accessToken },
    );
    return list.body.conversations?.find((c) => c.contact.name === customer.name)?.id;
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('sending a file', () => {
  it('uploads an image to its link and sends it: the customer gets the same bytes, the thread shows it', async () => {
    const bytes = png();
    const prepared = await attach({ fileName: 'kargo fişi.png', contentType: 'image/png', size: bytes.length });
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    expect(prepared.body).toMatchObject({ mediaKind: 'image', upload: { method: 'PUT' } });
    // On the local stack the link is on the app's own origin, like download links.
    expect(prepared.body.upload.url.startsWith('/local-media/')).toBe(true);

    // Sending before the upload is refused, and stores nothing.
    const early = await reply({ kind: 'media', attachmentId: prepared.body.attachmentId, caption: 'Erken' });
    expect(early.status).toBe(409);

    const uploaded = await fetch(`${stack.url}${prepared.body.upload.url}`, {
      method: 'PUT',
      headers: prepared.body.upload.headers,
      body: new Uint8Array(bytes),
    });
    expect(uploaded.status, await uploaded.clone().text()).toBe(200);

    const sent = await reply({ kind: 'media', attachmentId: prepared.body.attachmentId, caption: 'Kargo fişiniz' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.message).toMatchObject({ type: 'image', text: 'Kargo fişiniz', status: 'queued' });
    const id = sent.body.message.id;
    await eventually(async () => {
      const found = (await thread()).find((m) => m.id === id);
      return found && ['sent', 'delivered', 'read'].includes(found.status) ? found : undefined;
    }, 20_000);

    // The customer's phone: the fake Meta fetched the file from the link it was given.
    const onPhone = await eventually(async () => {
      const { messages } = await meta.dev<{
        messages: { direction: string; type: string; text?: string; media?: { url: string; mimeType: string } }[];
      }>('GET', `/customer/messages?channel=whatsapp&businessId=${phoneNumberId}&customerId=${customer.id}`);
      return messages.find((m) => m.direction === 'to-customer' && m.type === 'image');
    });
    expect(onPhone).toMatchObject({ text: 'Kargo fişiniz', media: { mimeType: 'image/png' } });
    const received = Buffer.from(await (await fetch(`${stack.url}${onPhone.media?.url}`)).arrayBuffer());
    expect(received.equals(bytes)).toBe(true);

    // The thread: the reply carries its file, shown through the media route like a customer's.
    const inThread = (await thread()).find((m) => m.id === id);
    expect(inThread?.details?.outboundMedia).toMatchObject({
      attachmentId: prepared.body.attachmentId,
      mimeType: 'image/png',
      fileName: 'kargo fişi.png',
    });
    const media = await api.call<{ status: string; url: string; mimeType: string }>(
      'GET',
      `${base()}/conversations/${conversationId}/messages/${id}/media`,
      { token: owner.accessToken },
    );
    expect(media.body).toMatchObject({ status: 'stored', mimeType: 'image/png' });
    const shown = Buffer.from(await (await fetch(`${stack.url}${media.body.url}`)).arrayBuffer());
    expect(shown.equals(bytes)).toBe(true);
  });

  it('refuses what the channel cannot send before any upload, and another business’s conversation', async () => {
    const before = (await thread()).length;
    const tooLarge = await attach({ fileName: 'büyük.jpg', contentType: 'image/jpeg', size: 6 * 1024 * 1024 });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.message).toMatch(/at most 5 MB/);
    expect(tooLarge.body.upload).toBeUndefined();
    for (const contentType of ['image/svg+xml', 'text/html', 'application/x-msdownload']) {
      const wrongType = await attach({ fileName: 'dosya', contentType, size: 1000 });
      expect(wrongType.status, contentType).toBe(400);
      expect(wrongType.body.upload).toBeUndefined();
    }
    expect((await attach({ fileName: 'x.png', contentType: 'image/png', size: 0 })).status).toBe(400);
    // A document may be larger than an image on WhatsApp.
    expect(
      (await attach({ fileName: 'katalog.pdf', contentType: 'application/pdf', size: 40 * 1024 * 1024 })).status,
    ).toBe(201);

    const foreign = await attach({ fileName: 'x.png', contentType: 'image/png', size: 100 }, other);
    expect(foreign.status).toBe(404);
    // Nor may someone from another business use this business's path: it reads as not found.
    expect(
      (
        await api.call('POST', `/businesses/${owner.tenantId}/conversations/${conversationId}/attachments`, {
          token: other.accessToken,
          body: { fileName: 'x.png', contentType: 'image/png', size: 100 },
        })
      ).status,
    ).toBe(404);
    const unknown = await reply({ kind: 'media', attachmentId: 'at_nosuchattachment00' });
    expect(unknown.status).toBe(404);
    const both = await reply({ kind: 'media', attachmentId: 'at_nosuchattachment00', mediaKind: 'image' });
    expect(both.status).toBe(400);
    expect((await thread()).length).toBe(before);
  });

  it('refuses to send a file that is not the one announced', async () => {
    const bytes = png();
    const prepared = await attach({ fileName: 'a.png', contentType: 'image/png', size: bytes.length });
    // S3 itself refuses a body of another length or type on a link signed for one (the local
    // emulator does not check signatures, so the reply's own check is what this shows).
    await fetch(`${stack.url}${prepared.body.upload.url}`, {
      method: 'PUT',
      headers: prepared.body.upload.headers,
      body: new Uint8Array(Buffer.concat([bytes, bytes])),
    });
    const refused = await reply({ kind: 'media', attachmentId: prepared.body.attachmentId });
    expect(refused.status).toBe(409);
    expect(decodeURIComponent(prepared.body.upload.url)).not.toMatch(/x-amz-checksum/);
    expect(decodeURIComponent(prepared.body.upload.url)).toMatch(
      /X-Amz-SignedHeaders=content-length;content-type;host/,
    );
  });
});
