import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMeta, startFakeMeta } from '../../local/src/fakes/meta.js';
import { FAKE_META_DEMO } from '../../local/src/fakes/meta-state.js';
import { graphClient } from '../src/channels/meta/graph.js';
import { classifyGraphError, GraphError, MediaRefusedError } from '../src/channels/meta/graph-errors.js';
import { isPrivateAddress, mediaHostPolicy } from '../src/channels/meta/graph-media.js';

/**
 * The Graph API client against the fake Meta over real HTTP: every method, Meta's error envelope
 * turned into the kinds the product acts on, the media download's limits, and the signed status
 * webhooks a send produces.
 */

const APP = { appId: '100000000000900', appSecret: 'graph-test-app-secret-0123', instagramAppId: '100000000000901' };
const INSTAGRAM_SECRET = 'graph-test-instagram-secret-0123';

interface Received {
  body: string;
  signature: string | undefined;
}

let fake: FakeMeta;
let receiver: Server;
const received: Received[] = [];
let graph: ReturnType<typeof graphClient>;

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['x-hub-signature-256'] as string,
      });
      response.end('ok');
    });
  });
  const receiverHost = await listen(receiver);
  fake = await startFakeMeta({
    ...APP,
    instagramAppSecret: INSTAGRAM_SECRET,
    webhookUrl: () => `http://${receiverHost}/webhooks/meta`,
    statusDelaysMs: { sent: 20, delivered: 40, read: 60 },
  });
  graph = graphClient({
    baseUrl: fake.url,
    instagramBaseUrl: `${fake.url}/instagram-graph`,
    instagramApiUrl: `${fake.url}/instagram-api`,
    timeoutMs: 2000,
  });
});
afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const finish = async (dialog: string, body: object = {}) =>
  (await (
    await fetch(`${fake.url}/dev/meta/dialog/${dialog}/finish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as { code: string; wabaId: string; phoneNumberId: string; pageIds: string[]; instagramAccountId: string };

async function customerWrites(channel: string, businessId: string, customerId: string, extra: object = {}) {
  const answer = await fetch(`${fake.url}/dev/meta/customer/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel,
      businessId,
      customer: { id: customerId, name: 'Ayşe' },
      text: 'Merhaba',
      ...extra,
    }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { messageId: string; mediaId?: string };
}

/** The GraphError a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<GraphError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

const statusesOf = (messageId: string) =>
  received
    .map((delivery) => ({ ...delivery, payload: JSON.parse(delivery.body) }))
    .flatMap(({ payload, body, signature }) =>
      (payload.entry?.[0]?.changes?.[0]?.value?.statuses ?? [])
        .filter((status: { id: string }) => status.id === messageId)
        .map((status: Record<string, unknown>) => ({ status, body, signature })),
    );

async function until<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('connecting WhatsApp (Embedded Signup)', () => {
  it('exchanges the code once, proves the WABA with debug_token, subscribes, registers and reads the number', async () => {
    const signup = await finish('embedded-signup');
    const { accessToken } = await graph.exchangeCode({ appId: APP.appId, appSecret: APP.appSecret, code: signup.code });
    expect(accessToken).toMatch(/^EAA/);

    const debugged = await graph.debugToken({ inputToken: accessToken, appToken: `${APP.appId}|${APP.appSecret}` });
    expect(debugged).toMatchObject({ appId: APP.appId, isValid: true });
    expect(debugged.expiresAt).toBeUndefined();
    expect(debugged.granularScopes).toContainEqual({
      scope: 'whatsapp_business_management',
      targetIds: expect.arrayContaining([signup.wabaId]),
    });

    await graph.subscribeApp(signup.wabaId, accessToken);
    expect(fake.state.wabas.get(signup.wabaId)?.subscribed).toBe(true);
    await graph.registerPhone(signup.phoneNumberId, accessToken, '246810');
    expect(fake.state.phoneNumbers.get(signup.phoneNumberId)).toMatchObject({ registered: true, pin: '246810' });
    expect(await graph.phoneNumber(signup.phoneNumberId, accessToken)).toMatchObject({
      displayPhoneNumber: expect.stringMatching(/^\+90/),
      qualityRating: 'GREEN',
    });
    await graph.unsubscribeApp(signup.wabaId, accessToken);
    expect(fake.state.wabas.get(signup.wabaId)?.subscribed).toBe(false);

    const reused = await failure(graph.exchangeCode({ appId: APP.appId, appSecret: APP.appSecret, code: signup.code }));
    expect(reused).toMatchObject({ status: 400, code: 100, kind: 'invalid', retryable: false });
    const wrongSecret = await failure(
      graph.exchangeCode({
        appId: APP.appId,
        appSecret: 'not-the-secret',
        code: (await finish('embedded-signup')).code,
      }),
    );
    expect(wrongSecret.code).toBe(1);
  });

  it('does not let a token act on another business’s number', async () => {
    const mine = await finish('embedded-signup');
    const { accessToken } = await graph.exchangeCode({ appId: APP.appId, appSecret: APP.appSecret, code: mine.code });
    const error = await failure(graph.phoneNumber(FAKE_META_DEMO.phoneNumberId, accessToken));
    expect(error).toMatchObject({ code: 100, subcode: 33, kind: 'invalid' });
    const debugged = await graph.debugToken({ inputToken: 'EAAnotissued', appToken: `${APP.appId}|${APP.appSecret}` });
    expect(debugged.isValid).toBe(false);
  });
});

describe('WhatsApp messages', () => {
  const phone = FAKE_META_DEMO.phoneNumberId;
  const token = FAKE_META_DEMO.whatsappToken;

  it('sends a text and the fake posts signed sent, delivered and read statuses with pricing', async () => {
    const inbound = await customerWrites('whatsapp', phone, '905551112233');
    await graph.markWhatsAppRead(phone, token, inbound.messageId, true);
    const { messageId, waId } = await graph.sendWhatsApp(phone, token, {
      to: '+90 555 111 22 33',
      type: 'text',
      text: { body: 'Siparişiniz yolda' },
    });
    expect(messageId).toMatch(/^wamid\./);
    expect(waId).toBe('905551112233');
    const statuses = await until(() => {
      const found = statusesOf(messageId);
      return found.length === 3 ? found : undefined;
    });
    expect(statuses.map(({ status }) => status.status)).toEqual(['sent', 'delivered', 'read']);
    for (const { status, body, signature } of statuses) {
      expect(signature).toBe(`sha256=${createHmac('sha256', APP.appSecret).update(body).digest('hex')}`);
      expect(status).toMatchObject({
        recipient_id: '905551112233',
        pricing: { pricing_model: 'PMP', category: 'service' },
      });
    }
  });

  it('fails a free-form message outside the 24-hour window by a 131047 status, as Meta does', async () => {
    await customerWrites('whatsapp', phone, '905559990000');
    for (const message of fake.state.messages) {
      if (message.customerId === '905559990000') message.at -= 25 * 3600 * 1000;
    }
    const { messageId } = await graph.sendWhatsApp(phone, token, {
      to: '905559990000',
      type: 'text',
      text: { body: 'Hi' },
    });
    const [failed] = await until(() => {
      const found = statusesOf(messageId);
      return found.length > 0 ? found : undefined;
    });
    expect(failed?.status).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });
  });

  it('sends an approved template, and refuses a paused one with 132015 (paused-template)', async () => {
    const template = (name: string) => ({
      to: '905559990001',
      type: 'template',
      template: { name, language: { code: 'tr' }, components: [] },
    });
    expect((await graph.sendWhatsApp(phone, token, template('order_update'))).messageId).toMatch(/^wamid\./);
    const paused = await failure(graph.sendWhatsApp(phone, token, template('winback_offer')));
    expect(paused).toMatchObject({ code: 132015, kind: 'paused-template', retryable: false });
    const missing = await failure(graph.sendWhatsApp(phone, token, template('no_such_template')));
    expect(missing).toMatchObject({ code: 132001, kind: 'template' });
  });

  it('reads every template page by page', async () => {
    const signup = await finish('embedded-signup');
    const { accessToken } = await graph.exchangeCode({ appId: APP.appId, appSecret: APP.appSecret, code: signup.code });
    const waba = fake.state.wabas.get(signup.wabaId);
    const seeded = waba?.templates.length ?? 0;
    for (let index = 0; index < 150; index += 1) {
      waba?.templates.push({
        id: `9${index}`,
        name: `campaign_${index}`,
        language: 'tr',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [],
      });
    }
    const templates = await graph.templates(signup.wabaId, accessToken);
    expect(templates).toHaveLength(seeded + 150);
    expect(templates).toContainEqual(
      expect.objectContaining({ name: 'winback_offer', language: 'tr', status: 'PAUSED', category: 'MARKETING' }),
    );
    expect(fake.state.requests.filter((request) => request.path.endsWith('/message_templates')).length).toBeGreaterThan(
      1,
    );
  });
});

describe('Meta’s error envelope becomes a GraphError of the right kind', () => {
  const phone = FAKE_META_DEMO.phoneNumberId;
  const token = FAKE_META_DEMO.whatsappToken;
  const send = () => graph.sendWhatsApp(phone, token, { to: '905551112233', type: 'text', text: { body: 'x' } });

  it.each([
    [{ status: 429, code: 130429, retryAfter: 7 }, 'rate-limited', true],
    [{ status: 429, code: 4 }, 'rate-limited', true],
    [{ status: 400, code: 131056 }, 'rate-limited', true],
    [{ status: 400, code: 131047 }, 'outside-window', false],
    [{ status: 400, code: 10, subcode: 2018278 }, 'outside-window', false],
    [{ status: 400, code: 132015 }, 'paused-template', false],
    [{ status: 400, code: 132001 }, 'template', false],
    [{ status: 400, code: 131026 }, 'undeliverable', false],
    [{ status: 401, code: 190 }, 'auth', false],
    [{ status: 403, code: 200 }, 'auth', false],
    [{ status: 500, code: 131000 }, 'server', true],
    [{ status: 503, code: 2 }, 'server', true],
    [{ status: 400, code: 100 }, 'invalid', false],
  ] as const)('%o → %s', async (scripted, kind, retryable) => {
    fake.failNext(scripted);
    const error = await failure(send());
    expect(error).toMatchObject({ status: scripted.status, code: scripted.code, kind, retryable });
    expect(error.fbtraceId).toMatch(/^A/);
    expect(error.title.length).toBeGreaterThan(0);
    if ('subcode' in scripted) expect(error.subcode).toBe(scripted.subcode);
    if ('retryAfter' in scripted) expect(error.retryAfterSeconds).toBe(scripted.retryAfter);
  });

  it('never puts the token in an error', async () => {
    const error = await failure(graph.phoneNumber(phone, 'EAAsecret-token-that-must-not-leak'));
    expect(error.kind).toBe('auth');
    expect(`${error.message} ${error.title} ${JSON.stringify(error)}`).not.toContain('secret-token-that-must-not-leak');
  });

  it('fails the injected share of sends with 429 or 500, and stops when asked', async () => {
    fake.inject({ rate: 1, statuses: [429] });
    expect(await failure(send())).toMatchObject({ status: 429, code: 130429, kind: 'rate-limited' });
    fake.inject({ rate: 1, statuses: [500] });
    expect(await failure(send())).toMatchObject({ status: 500, code: 131000, kind: 'server' });
    fake.inject({ rate: 0.5, statuses: [429, 500] });
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () =>
        send().then(
          () => 'ok',
          (error: GraphError) => String(error.status),
        ),
      ),
    );
    expect(outcomes).toContain('ok');
    expect(outcomes.filter((outcome) => outcome !== 'ok').length).toBeGreaterThan(5);
    fake.inject({ rate: 0 });
    expect((await send()).messageId).toMatch(/^wamid\./);
  });

  it('reports no answer as a retryable server error with status 0', async () => {
    const silent = createServer(() => undefined);
    const host = await listen(silent);
    const slow = graphClient({ baseUrl: `http://${host}`, instagramBaseUrl: `http://${host}`, timeoutMs: 200 });
    expect(await failure(slow.phoneNumber(phone, token))).toMatchObject({ status: 0, kind: 'server', retryable: true });
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    const closed = graphClient({ baseUrl: `http://${host}`, instagramBaseUrl: `http://${host}` });
    expect(await failure(closed.phoneNumber(phone, token))).toMatchObject({ status: 0, kind: 'server' });
  });

  it('classifies by HTTP status when Meta sends no code', () => {
    expect(classifyGraphError({ status: 429 })).toBe('rate-limited');
    expect(classifyGraphError({ status: 502 })).toBe('server');
    expect(classifyGraphError({ status: 401 })).toBe('auth');
    expect(classifyGraphError({ status: 404 })).toBe('invalid');
  });
});

describe('media', () => {
  const phone = FAKE_META_DEMO.phoneNumberId;
  const token = FAKE_META_DEMO.whatsappToken;
  const image = Buffer.from(Array.from({ length: 3000 }, (_, index) => index % 251));
  const fakeHost = () => new URL(fake.url).host;
  const limits = (extra: object = {}) => ({
    maxBytes: 1_000_000,
    allowHost: (hostname: string) => hostname === new URL(fake.url).hostname,
    localHosts: [fakeHost()],
    ...extra,
  });

  it('reads a media id’s URL, type and sha256, and downloads exactly those bytes', async () => {
    const { mediaId } = await customerWrites('whatsapp', phone, '905551112244', {
      text: undefined,
      media: { kind: 'image', mimeType: 'image/jpeg', data: image.toString('base64') },
    });
    const info = await graph.mediaInfo(mediaId as string, token);
    expect(info).toMatchObject({ mimeType: 'image/jpeg', fileSize: image.byteLength });
    expect(info.sha256).toBe(createHash('sha256').update(image).digest('base64'));
    const bytes = await graph.downloadMedia(info.url, token, limits());
    expect(bytes.equals(image)).toBe(true);

    const withoutToken = await failure(graph.downloadMedia(info.url, undefined, limits()));
    expect(withoutToken.kind).toBe('auth');
    await expect(graph.downloadMedia(info.url, token, limits({ maxBytes: 1000 }))).rejects.toMatchObject({
      reason: 'too-large',
    });
  });

  it('refuses a host the caller does not allow, before connecting', async () => {
    const { mediaId } = await customerWrites('whatsapp', phone, '905551112255', {
      media: { kind: 'document', mimeType: 'application/pdf', data: image.toString('base64'), filename: 'fatura.pdf' },
    });
    const info = await graph.mediaInfo(mediaId as string, token);
    const before = fake.state.requests.length;
    const refused = graph.downloadMedia(info.url, token, limits({ allowHost: () => false }));
    await expect(refused).rejects.toBeInstanceOf(MediaRefusedError);
    await expect(refused).rejects.toMatchObject({ reason: 'host-not-allowed' });
    // Allowed by name but plain http, and not the local fake: refused too.
    await expect(graph.downloadMedia(info.url, token, limits({ localHosts: [] }))).rejects.toMatchObject({
      reason: 'host-not-allowed',
    });
    expect(fake.state.requests.length).toBe(before);
  });

  it('refuses a redirect to a private address, and stops reading a body over the limit', async () => {
    let hits = 0;
    const tricky = createServer((request, response) => {
      hits += 1;
      if (request.url === '/redirect') {
        response.writeHead(302, { location: 'https://localhost:9/latest/meta-data/' }).end();
      } else if (request.url === '/redirect-elsewhere') {
        response.writeHead(302, { location: 'https://example.org/x' }).end();
      } else {
        // No content-length: the limit is enforced while reading.
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (sent < 40 && response.write(chunk)) sent += 1;
          if (sent < 40) response.once('drain', pump);
          else response.end();
        };
        pump();
      }
    });
    const host = await listen(tricky);
    const policy = { maxBytes: 100_000, allowHost: () => true, localHosts: [host] };
    await expect(graph.downloadMedia(`http://${host}/redirect`, token, policy)).rejects.toMatchObject({
      reason: 'private-address',
    });
    await expect(
      graph.downloadMedia(`http://${host}/redirect-elsewhere`, token, {
        ...policy,
        allowHost: (name) => name !== 'example.org',
      }),
    ).rejects.toMatchObject({ reason: 'host-not-allowed' });
    await expect(graph.downloadMedia(`http://${host}/stream`, token, policy)).rejects.toMatchObject({
      reason: 'too-large',
    });
    expect(hits).toBe(3);
    tricky.closeAllConnections();
    await new Promise((resolve) => tricky.close(resolve));
  });

  it('knows private addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['157.240.1.1', '31.13.64.1', '2a03:2880::1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});

describe('Messenger', () => {
  it('lists the login’s Pages with their tokens, subscribes one, and sends within the window', async () => {
    const login = await finish('facebook-login');
    const short = await graph.exchangeCode({ appId: APP.appId, appSecret: APP.appSecret, code: login.code });
    expect(short.expiresIn).toBe(3600);
    const long = await graph.exchangeUserToken({
      appId: APP.appId,
      appSecret: APP.appSecret,
      token: short.accessToken,
    });
    expect(long.expiresIn).toBeGreaterThan(50 * 24 * 3600);
    const pages = await graph.pages(long.accessToken);
    expect(pages).toEqual([
      { id: login.pageIds[0], name: expect.any(String), accessToken: expect.stringMatching(/^EAA/) },
    ]);
    const [page] = pages;
    if (!page) throw new Error('no page');

    await graph.subscribeApp(page.id, page.accessToken, ['messages', 'message_echoes', 'message_reads']);
    expect(fake.state.pages.get(page.id)?.subscribedFields).toEqual(['messages', 'message_echoes', 'message_reads']);

    await customerWrites('messenger', page.id, '24000000000001');
    const body = { recipient: { id: '24000000000001' }, messaging_type: 'RESPONSE', message: { text: 'Merhaba!' } };
    const sent = await graph.sendMessaging(page.id, page.accessToken, body, 'facebook');
    expect(sent).toEqual({ messageId: expect.stringMatching(/^m_/), recipientId: '24000000000001' });
    await graph.senderAction(page.id, page.accessToken, '24000000000001', 'typing_on', 'facebook');

    // A week-old conversation: a plain reply is outside the window, the HUMAN_AGENT tag is not.
    for (const message of fake.state.messages) {
      if (message.customerId === '24000000000001') message.at -= 2 * 24 * 3600 * 1000;
    }
    const late = await failure(graph.sendMessaging(page.id, page.accessToken, body, 'facebook'));
    expect(late).toMatchObject({ code: 10, subcode: 2018278, kind: 'outside-window' });
    const tagged = { ...body, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    expect((await graph.sendMessaging(page.id, page.accessToken, tagged, 'facebook')).messageId).toMatch(/^m_/);

    const echo = await until(() =>
      received.find((delivery) => delivery.body.includes(sent.messageId) && delivery.body.includes('"is_echo":true')),
    );
    expect(echo.signature).toBe(`sha256=${createHmac('sha256', APP.appSecret).update(echo.body).digest('hex')}`);
    await graph.unsubscribeApp(page.id, page.accessToken);
  });
});

describe('Instagram Login', () => {
  it('exchanges the code, makes it long-lived, reads the account, subscribes and sends', async () => {
    const login = await finish('instagram-login');
    const short = await graph.instagramExchangeCode({
      appId: APP.instagramAppId,
      appSecret: INSTAGRAM_SECRET,
      code: login.code,
      redirectUri: 'http://localhost:3000/settings/channels',
    });
    expect(short.userId).toBe(login.instagramAccountId);
    const long = await graph.instagramLongLived(short.accessToken, INSTAGRAM_SECRET);
    expect(long.expiresIn).toBe(60 * 24 * 3600);
    expect(await graph.instagramMe(long.accessToken)).toEqual({
      userId: login.instagramAccountId,
      username: expect.any(String),
    });
    await graph.subscribeApp(login.instagramAccountId, long.accessToken, ['messages'], 'instagram');

    // Meta refreshes only tokens at least a day old; the seeded demo token is two days old.
    expect(await failure(graph.instagramRefresh(long.accessToken))).toMatchObject({ kind: 'invalid' });
    const refreshed = await graph.instagramRefresh(FAKE_META_DEMO.instagramToken);
    expect(refreshed.accessToken).not.toBe(FAKE_META_DEMO.instagramToken);

    await customerWrites('instagram', login.instagramAccountId, '17841499999999999');
    const sent = await graph.sendMessaging(
      login.instagramAccountId,
      long.accessToken,
      { recipient: { id: '17841499999999999' }, message: { text: 'Merhaba' } },
      'instagram',
    );
    expect(sent.messageId).toMatch(/^m_/);
    const echo = await until(() => received.find((delivery) => delivery.body.includes(sent.messageId)));
    // Instagram Login accounts' deliveries are signed with the Instagram app's secret.
    expect(echo.signature).toBe(`sha256=${createHmac('sha256', INSTAGRAM_SECRET).update(echo.body).digest('hex')}`);

    const reused = await failure(
      graph.instagramExchangeCode({
        appId: APP.instagramAppId,
        appSecret: INSTAGRAM_SECRET,
        code: login.code,
        redirectUri: 'http://localhost:3000/settings/channels',
      }),
    );
    expect(reused).toMatchObject({ status: 400, kind: 'invalid', type: 'OAuthException' });
  });
});

describe('the fake keeps what was connected across a restart of the local stack', () => {
  it('still knows a token it issued before the restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'fake-meta-')), 'fake-meta.json');
    const options = {
      ...APP,
      instagramAppSecret: INSTAGRAM_SECRET,
      webhookUrl: () => 'http://127.0.0.1:9/',
      stateFile,
    };
    const first = await startFakeMeta(options);
    const client = (url: string) => graphClient({ baseUrl: url, instagramBaseUrl: `${url}/instagram-graph` });
    const signup = (await (
      await fetch(`${first.url}/dev/meta/dialog/embedded-signup/finish`, { method: 'POST', body: '{}' })
    ).json()) as { code: string; phoneNumberId: string };
    const { accessToken } = await client(first.url).exchangeCode({ ...APP, code: signup.code });
    await first.stop();

    const second = await startFakeMeta(options);
    try {
      expect((await client(second.url).phoneNumber(signup.phoneNumberId, accessToken)).verifiedName).toBe(
        'Fake Business',
      );
    } finally {
      await second.stop();
    }
  });
});

describe('mediaHostPolicy', () => {
  it('allows Meta’s CDNs everywhere and the fake only on the local stack', () => {
    const aws = mediaHostPolicy('https://graph.facebook.com', false);
    expect(aws.localHosts).toEqual([]);
    for (const host of ['lookaside.fbsbx.com', 'scontent.xx.fbcdn.net', 'scontent-ist1-1.cdninstagram.com']) {
      expect(aws.allowHost(host), host).toBe(true);
    }
    for (const host of ['127.0.0.1', 'fbcdn.net.evil.com', 'evilfbcdn.net', 'graph.facebook.com']) {
      expect(aws.allowHost(host), host).toBe(false);
    }
    const local = mediaHostPolicy('http://127.0.0.1:4567', true);
    expect(local.allowHost('127.0.0.1')).toBe(true);
    expect(local.localHosts).toEqual(['127.0.0.1:4567']);
  });
});
