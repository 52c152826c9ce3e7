import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MailEventMessage } from '../src/notify/mail-events-queue.js';
import { MAX_RESEND_BODY_BYTES, resendReceiver, resendWebhookKey } from '../src/notify/resend-webhook.js';
import { svixKey, verifySvix } from '../src/notify/svix.js';
import type { WebhookRequest } from '../src/platform/webhook.js';

/**
 * `/webhooks/resend`'s checks. Signatures are made outside this code: the first vector is Svix's
 * own documented example; the others with openssl, e.g.
 * `printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo -n "$SECRET_B64" | base64 -d | xxd -p -c 256) -binary | base64`,
 * and in `sign()` below with node's HMAC directly (not the code under test).
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** The secret being rotated out: Svix signs with both while the rotation lasts. */
const OLD_SECRET = 'whsec_b2xkLXJlc2VuZC1zaWduaW5nLXNlY3JldA==';
const ID = 'msg_2nAeXq0Bc1';
const TS = '1796032800'; // 2026-11-30T10:00:00Z
const NOW = 1_796_032_800_000 + 42_000;
const BODY =
  '{"type":"email.bounced","created_at":"2026-11-30T10:00:00.000Z","data":{"email_id":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c","from":"Lale Butik <no-reply@asistone.ai>","to":["bounced@resend.dev"],"subject":"Siparisiniz alindi","bounce":{"type":"Permanent","subType":"General","message":"550 bounced@resend.dev does not exist"}}}';
const BODY_SIG = 'mxh4vd1Tm2RiC5Qz/IVDEnj/gfLabOEvFM2c290Eb1o=';
const BODY_SIG_OLD_SECRET = 'E49NW+6NlcvKG4yrwYobs1FD7+3uPVWNFY7KIgTYMlo=';

/** Svix's scheme written out with node's HMAC, independent of svix.ts. */
function sign(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

function request(body: string | Buffer, headers: Record<string, string | undefined>, method = 'POST'): WebhookRequest {
  return {
    method,
    path: '',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', 'svix-id': ID, 'svix-timestamp': TS, ...headers },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  };
}

function receiver(secret = SECRET) {
  const queued: MailEventMessage[] = [];
  const receive = resendReceiver({
    signingKey: async () => resendWebhookKey({ RESEND_WEBHOOK_SECRET: secret }),
    enqueue: async (event) => {
      queued.push(event);
    },
    now: () => NOW,
  });
  return { receive, queued };
}

describe('Svix signature', () => {
  it("matches Svix's documented example", () => {
    const key = svixKey(SECRET) as Buffer;
    const body = Buffer.from('{"test": 2432232314}');
    const headers = {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: '1614265330',
      signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    expect(verifySvix(key, headers, body, 1_614_265_330_000)).toBe('valid');
    // The same delivery six minutes later is a replay.
    expect(verifySvix(key, headers, body, 1_614_265_330_000 + 6 * 60_000)).toBe('stale');
    expect(verifySvix(key, { ...headers, id: 'msg_other' }, body, 1_614_265_330_000)).toBe('invalid');
  });

  it('refuses secrets that are not whsec_ and base64', () => {
    expect(svixKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeUndefined();
    expect(svixKey('whsec_not base64!')).toBeUndefined();
    expect(svixKey('whsec_c2hvcnQ=')).toBeUndefined();
    expect(() => resendWebhookKey({})).toThrow(/RESEND_WEBHOOK_SECRET/);
  });
});

describe('Resend webhook', () => {
  it('queues a signed bounce with ids and the bounce kind only, never the address or subject', async () => {
    const { receive, queued } = receiver();
    const { response, outcome } = await receive(request(BODY, { 'svix-signature': `v1,${BODY_SIG}` }));
    expect([response.status, outcome]).toEqual([200, 'queued']);
    expect(queued).toEqual([
      {
        tenantId: 'resend',
        svixId: ID,
        type: 'email.bounced',
        emailId: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
        occurredAt: Date.parse('2026-11-30T10:00:00.000Z'),
        bounce: { type: 'Permanent', subType: 'General' },
        receivedAt: NOW,
      },
    ]);
    expect(JSON.stringify(queued)).not.toMatch(/resend\.dev|Siparis|Lale/);
  });

  it('accepts any of several v1 entries during a secret rotation, whichever secret it holds', async () => {
    // Svix puts the new secret's signature and the old one's side by side, in either order.
    const both = `v1,${BODY_SIG_OLD_SECRET} v1,${BODY_SIG}`;
    for (const secret of [SECRET, OLD_SECRET]) {
      const { receive, queued } = receiver(secret);
      const { response } = await receive(request(BODY, { 'svix-signature': both }));
      expect(response.status, secret).toBe(200);
      expect(queued).toHaveLength(1);
    }
    // Other schemes' entries are skipped, not fatal.
    const { receive, queued } = receiver();
    const mixed = `v1a,${BODY_SIG} v2,${BODY_SIG_OLD_SECRET} v1,${BODY_SIG}`;
    expect((await receive(request(BODY, { 'svix-signature': mixed }))).response.status).toBe(200);
    expect(queued).toHaveLength(1);
  });

  it.each([
    ['no signature', { 'svix-signature': undefined }],
    ['another secret', { 'svix-signature': `v1,${BODY_SIG_OLD_SECRET}` }],
    ['the right HMAC under another scheme', { 'svix-signature': `v2,${BODY_SIG}` }],
    ['a signature of another id', { 'svix-signature': `v1,${sign(SECRET, 'msg_other', TS, BODY)}` }],
    ['no id', { 'svix-id': undefined, 'svix-signature': `v1,${BODY_SIG}` }],
    ['no timestamp', { 'svix-timestamp': undefined, 'svix-signature': `v1,${BODY_SIG}` }],
    ['garbage', { 'svix-signature': 'v1,@@@ v1, ,,,' }],
  ])('answers 401 and queues nothing for %s', async (_name, headers) => {
    const { receive, queued } = receiver();
    const { response, outcome } = await receive(request(BODY, headers));
    expect([response.status, outcome]).toEqual([401, 'bad-signature']);
    expect(queued).toEqual([]);
  });

  it('answers 401 for a correctly signed delivery whose timestamp is more than 5 minutes away', async () => {
    for (const timestamp of [String(Number(TS) - 301 - 42), String(Number(TS) + 301 + 42)]) {
      const { receive, queued } = receiver();
      const signature = `v1,${sign(SECRET, ID, timestamp, BODY)}`;
      const { response } = await receive(request(BODY, { 'svix-timestamp': timestamp, 'svix-signature': signature }));
      expect(response.status, timestamp).toBe(401);
      expect(queued).toEqual([]);
    }
    // Just inside the tolerance, either way, is accepted.
    for (const timestamp of [String(Number(TS) - 299 + 42), String(Number(TS) + 299 + 42)]) {
      const { receive, queued } = receiver();
      const signature = `v1,${sign(SECRET, ID, timestamp, BODY)}`;
      expect(
        (await receive(request(BODY, { 'svix-timestamp': timestamp, 'svix-signature': signature }))).response.status,
      ).toBe(200);
      expect(queued).toHaveLength(1);
    }
  });

  it('checks the raw bytes: the same JSON re-encoded does not verify', async () => {
    const { receive, queued } = receiver();
    const reencoded = JSON.stringify(JSON.parse(BODY), null, 1);
    expect((await receive(request(reencoded, { 'svix-signature': `v1,${BODY_SIG}` }))).response.status).toBe(401);
    expect(queued).toEqual([]);
  });

  it('answers 413 for an oversized body before reading its signature', async () => {
    const { receive, queued } = receiver();
    const big = `{"type":"email.sent","pad":"${'x'.repeat(MAX_RESEND_BODY_BYTES)}"}`;
    const { response } = await receive(request(big, { 'svix-signature': `v1,${sign(SECRET, ID, TS, big)}` }));
    expect(response.status).toBe(413);
    expect(queued).toEqual([]);
  });

  it.each([
    ['not JSON', '{"type":"email.sent",'],
    ['an array', '[]'],
    ['no data', '{"type":"email.delivered","created_at":"2026-11-30T10:00:00.000Z"}'],
    ['no email id', '{"type":"email.delivered","created_at":"2026-11-30T10:00:00.000Z","data":{}}'],
    [
      'a bad email id',
      '{"type":"email.delivered","created_at":"2026-11-30T10:00:00.000Z","data":{"email_id":"a/../b"}}',
    ],
    ['no created_at', '{"type":"email.delivered","data":{"email_id":"4ef9a417"}}'],
  ])('answers 400 and queues nothing for a signed body that is %s', async (_name, body) => {
    const { receive, queued } = receiver();
    const { response, outcome } = await receive(
      request(body, { 'svix-signature': `v1,${sign(SECRET, ID, TS, body)}` }),
    );
    expect([response.status, outcome]).toEqual([400, 'bad-request']);
    expect(queued).toEqual([]);
  });

  it('acknowledges signed events a tracked mail does not follow without queuing them', async () => {
    const { receive, queued } = receiver();
    const body = '{"type":"email.opened","created_at":"2026-11-30T10:00:00.000Z","data":{"email_id":"4ef9a417"}}';
    const { response, outcome } = await receive(
      request(body, { 'svix-signature': `v1,${sign(SECRET, ID, TS, body)}` }),
    );
    expect([response.status, outcome]).toEqual([200, 'ignored']);
    expect(queued).toEqual([]);
  });

  it('answers 405 to other methods and 404 below its path, queuing nothing', async () => {
    const { receive, queued } = receiver();
    expect((await receive(request(BODY, { 'svix-signature': `v1,${BODY_SIG}` }, 'GET'))).response.status).toBe(405);
    expect(
      (await receive({ ...request(BODY, { 'svix-signature': `v1,${BODY_SIG}` }), path: '/x' })).response.status,
    ).toBe(404);
    expect(queued).toEqual([]);
  });
});
