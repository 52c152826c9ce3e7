import { describe, expect, it } from 'vitest';
import { metaReceiver } from '../src/channels/meta/receive.js';

/**
 * Meta's GET handshake echoes `hub.challenge`: only the integer Meta sends, and as plain text
 * a browser will not sniff into HTML, since webhook function URLs answer without CloudFront's
 * security headers.
 */
const VERIFY_TOKEN = 'platform-verify-token';

function handshake(challenge: string, token = VERIFY_TOKEN) {
  let lookups = 0;
  const receive = metaReceiver({
    secrets: async () => {
      lookups++;
      return { appSecret: 'platform-app-secret-0123', verifyToken: VERIFY_TOKEN };
    },
    enqueue: async () => {},
  });
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': challenge, 'hub.verify_token': token });
  return receive({ method: 'GET', path: '', query, headers: {}, body: Buffer.alloc(0) }).then((result) => ({
    ...result,
    lookups,
  }));
}

describe('the Meta verification handshake', () => {
  it('echoes a numeric challenge as text/plain with nosniff', async () => {
    const { response } = await handshake('1158201444');
    expect(response.status).toBe(200);
    expect(response.body).toBe('1158201444');
    expect(response.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['letters', 'abc123'],
    ['an empty challenge', ''],
    ['a kilobyte of digits', '1'.repeat(1024)],
    ['a negative number', '-1'],
  ])('refuses %s with 400, echoing nothing and looking nothing up', async (_, challenge) => {
    const { response, outcome, lookups } = await handshake(challenge);
    expect(response.status).toBe(400);
    expect(response.body).not.toContain(challenge || 'never');
    expect(outcome).toBe('bad-request');
    expect(lookups).toBe(0);
  });

  it('still refuses a wrong verify token with 403', async () => {
    const { response } = await handshake('42', 'wrong');
    expect(response.status).toBe(403);
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
  });
});
