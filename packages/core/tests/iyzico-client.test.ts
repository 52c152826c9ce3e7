import { describe, expect, it } from 'vitest';
import { IyzicoError } from '../src/billing/iyzico-api.js';
import { parseIyzicoAuthorization } from '../src/billing/iyzico-auth.js';
import { iyzicoClient } from '../src/billing/iyzico-client.js';

/** The client's handling of iyzico's answers, with a stand-in for fetch. */
const answering = (status: number, body: unknown, seen: Request[] = []): typeof fetch =>
  (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
const client = (stub: typeof fetch, timeoutMs?: number) =>
  iyzicoClient({
    baseUrl: 'https://sandbox-api.iyzipay.com/',
    apiKey: 'k',
    secretKey: 's',
    fetch: stub,
    ...(timeoutMs && { timeoutMs }),
  });

describe('the iyzico client', () => {
  it("signs each call and reads the subscription under iyzico's data", async () => {
    const seen: Request[] = [];
    const subscription = {
      referenceCode: 'sub-1',
      customerReferenceCode: 'cus-1',
      pricingPlanReferenceCode: 'plan-1',
      subscriptionStatus: 'ACTIVE',
      orders: [
        { referenceCode: 'o2', price: 10, currencyCode: 'TRY', startPeriod: 2, endPeriod: 3, orderStatus: 'WAITING' },
        { referenceCode: 'o1', price: 10, currencyCode: 'TRY', startPeriod: 1, endPeriod: 2, orderStatus: 'SUCCESS' },
      ],
    };
    const found = await client(answering(200, { status: 'success', data: subscription }, seen)).retrieve('sub-1');
    expect(found.orders.map((order) => order.referenceCode)).toEqual(['o1', 'o2']);
    expect(seen[0]?.url).toBe('https://sandbox-api.iyzipay.com/v2/subscription/subscriptions/sub-1');
    const auth = parseIyzicoAuthorization(seen[0]?.headers.get('authorization') ?? undefined);
    expect(auth?.apiKey).toBe('k');
    expect(seen[0]?.headers.get('x-iyzi-rnd')).toBe(auth?.randomKey);
  });

  it("throws iyzico's failure code, not retryable, without its message", async () => {
    const error = await client(answering(200, { status: 'failure', errorCode: '100001', errorMessage: 'Ayşe Demir' }))
      .cancel('sub-1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IyzicoError);
    expect(error).toMatchObject({ errorCode: '100001', retryable: false });
    expect(String((error as Error).message)).not.toContain('Ayşe');
  });

  it('makes 5xx, 429, network failures and timeouts retryable', async () => {
    for (const status of [500, 502, 503, 429]) {
      await expect(client(answering(status, 'busy')).cancel('sub-1')).rejects.toMatchObject({
        errorCode: `http-${status}`,
        retryable: true,
        status,
      });
    }
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(client(offline).cancel('sub-1')).rejects.toMatchObject({ errorCode: 'network', retryable: true });
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    await expect(client(hanging, 30).cancel('sub-1')).rejects.toMatchObject({ errorCode: 'timeout', retryable: true });
  });

  it('refuses an answer that is not JSON or not the expected shape, not retryable', async () => {
    await expect(client(answering(200, '<html>')).cancel('sub-1')).rejects.toMatchObject({
      errorCode: 'bad-response',
      retryable: false,
    });
    await expect(
      client(answering(200, { status: 'success', data: { referenceCode: 'x' } })).retrieve('x'),
    ).rejects.toMatchObject({
      errorCode: 'bad-response',
    });
  });
});
