import { describe, expect, it } from 'vitest';
import {
  iyzicoAuthHeaders,
  iyzicoAuthorization,
  iyzicoSignature,
  parseIyzicoAuthorization,
  signedPath,
} from '../src/billing/iyzico-auth.js';

/**
 * IYZWSv2, against values worked out outside this code with the documented formula:
 *
 *   printf '%s' '123456789/v2/subscription/products{"locale":"tr","conversationId":"c1","name":"Asistone"}' \
 *     | openssl dgst -sha256 -hmac 'sandbox-secret-key-0123456789'
 *   printf 'apiKey:sandbox-api-key&randomKey:123456789&signature:<that hex>' | base64 -w0
 */
const API_KEY = 'sandbox-api-key';
const SECRET_KEY = 'sandbox-secret-key-0123456789';
const BODY = '{"locale":"tr","conversationId":"c1","name":"Asistone"}';
const SIGNATURE = 'a55c17ac0d9c2f30b87b544b05f78c418f1462a827b9106edba19f9188bd0538';
const AUTHORIZATION =
  'IYZWSv2 YXBpS2V5OnNhbmRib3gtYXBpLWtleSZyYW5kb21LZXk6MTIzNDU2Nzg5JnNpZ25hdHVyZTphNTVjMTdhYzBkOWMyZjMwYjg3YjU0NGIwNWY3OGM0MThmMTQ2MmE4MjdiOTEwNmVkYmExOWY5MTg4YmQwNTM4';
/** A GET carries no body: `printf '%s' '987654321/v2/subscription/subscriptions/sub-ref-1' | openssl dgst …`. */
const GET_SIGNATURE = '60eb4d7a82fefe5dd3c0535a3cdfddec4bb72434d59e1e5b68bdeee769c0156b';

describe('IYZWSv2 authorization', () => {
  it('signs randomKey + path + body with the secret key, as worked out by hand', () => {
    expect(iyzicoSignature(SECRET_KEY, '123456789', '/v2/subscription/products', BODY)).toBe(SIGNATURE);
    expect(
      iyzicoAuthorization({
        apiKey: API_KEY,
        secretKey: SECRET_KEY,
        randomKey: '123456789',
        uriPath: '/v2/subscription/products',
        body: BODY,
      }),
    ).toBe(AUTHORIZATION);
  });

  it('signs a GET over the path alone, its query string left out', () => {
    expect(iyzicoSignature(SECRET_KEY, '987654321', '/v2/subscription/subscriptions/sub-ref-1', '')).toBe(
      GET_SIGNATURE,
    );
    expect(
      iyzicoSignature(
        SECRET_KEY,
        '987654321',
        'https://sandbox-api.iyzipay.com/v2/subscription/subscriptions/sub-ref-1?page=1',
        '',
      ),
    ).toBe(GET_SIGNATURE);
    expect(signedPath('/v2/subscription/products?page=1&count=100')).toBe('/v2/subscription/products');
  });

  it('changes with every input: the body, the path, the random key and the secret', () => {
    const base = {
      apiKey: API_KEY,
      secretKey: SECRET_KEY,
      randomKey: '123456789',
      uriPath: '/v2/subscription/products',
      body: BODY,
    };
    expect(iyzicoAuthorization({ ...base, body: `${BODY} ` })).not.toBe(AUTHORIZATION);
    expect(iyzicoAuthorization({ ...base, uriPath: '/v2/subscription/product' })).not.toBe(AUTHORIZATION);
    expect(iyzicoAuthorization({ ...base, randomKey: '123456780' })).not.toBe(AUTHORIZATION);
    expect(iyzicoAuthorization({ ...base, secretKey: `${SECRET_KEY}x` })).not.toBe(AUTHORIZATION);
  });

  it('sends the random key in x-iyzi-rnd, a new one per request', () => {
    const first = iyzicoAuthHeaders({ apiKey: API_KEY, secretKey: SECRET_KEY, uriPath: '/v2/x', body: '' });
    const second = iyzicoAuthHeaders({ apiKey: API_KEY, secretKey: SECRET_KEY, uriPath: '/v2/x', body: '' });
    expect(first['x-iyzi-rnd']).not.toBe(second['x-iyzi-rnd']);
    expect(parseIyzicoAuthorization(first.authorization)?.randomKey).toBe(first['x-iyzi-rnd']);
  });

  it('takes a header apart, and refuses what is not its shape', () => {
    expect(parseIyzicoAuthorization(AUTHORIZATION)).toEqual({
      apiKey: API_KEY,
      randomKey: '123456789',
      signature: SIGNATURE,
    });
    expect(parseIyzicoAuthorization(undefined)).toBeUndefined();
    expect(parseIyzicoAuthorization(AUTHORIZATION.replace('IYZWSv2', 'IYZWS'))).toBeUndefined();
    const noSignature = `IYZWSv2 ${Buffer.from('apiKey:k&randomKey:1').toString('base64')}`;
    expect(parseIyzicoAuthorization(noSignature)).toBeUndefined();
  });
});
