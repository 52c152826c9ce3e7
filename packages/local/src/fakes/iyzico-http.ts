import { timingSafeEqual } from 'node:crypto';
import { IYZICO_RANDOM_HEADER, iyzicoSignature, parseIyzicoAuthorization } from '@asistone/core/billing/iyzico-auth';
import type { Context, MiddlewareHandler } from 'hono';
import { type FakeIyzicoMerchant, type FakeIyzicoState, recordCall } from './iyzico-state.js';

/**
 * iyzico's answer shapes and its request check, shared by the fake's API routes. Every answer
 * says `status: success|failure`; a success carries `data` (or, for hosted forms, its fields
 * beside `status`), a failure `errorCode`, `errorMessage` and `errorGroup`. Every API call must
 * carry a good IYZWSv2 authorization (`Authorization` and `x-iyzi-rnd`), checked over the exact
 * bytes received.
 */

export type IyzicoEnv = {
  Variables: { merchant: FakeIyzicoMerchant; body: Record<string, unknown>; failureCode: string | undefined };
};

/** iyzico's authentication error codes: an unknown API key, and a signature that does not match. */
export const AUTH_ERRORS = {
  unknownKey: { code: '1001', message: 'api bilgileri bulunamadı' },
  badSignature: { code: '1000', message: 'Geçersiz imza' },
} as const;

export function success(c: Context, data?: unknown, fields: Record<string, unknown> = {}) {
  return c.json({
    status: 'success',
    systemTime: Date.now(),
    ...fields,
    ...(data !== undefined && { data }),
  });
}

export function failure(
  c: Context<IyzicoEnv>,
  errorCode: string,
  errorMessage: string,
  httpStatus: 200 | 400 | 401 | 404 = 200,
) {
  c.set('failureCode', errorCode);
  return c.json(
    { status: 'failure', errorCode, errorMessage, errorGroup: 'SUBSCRIPTION', systemTime: Date.now() },
    httpStatus,
  );
}

/** A list page as iyzico pages it (`page` from 1, `count` per page). */
export function page<T>(c: Context, items: readonly T[]) {
  const count = Math.min(Math.max(Number(c.req.query('count') ?? 10) || 10, 1), 100);
  const current = Math.max(Number(c.req.query('page') ?? 1) || 1, 1);
  const pageCount = Math.max(Math.ceil(items.length / count), 1);
  return {
    totalCount: items.length,
    currentPage: current,
    pageCount,
    items: items.slice((current - 1) * count, current * count),
  };
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Checks IYZWSv2 on every call and logs each answered call (method, path, merchant, outcome:
 * never a key or a card). The body, JSON, is handed to the route as `body`.
 */
export function signedCalls(state: FakeIyzicoState): MiddlewareHandler<IyzicoEnv> {
  return async (c, next) => {
    const raw = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    const path = new URL(c.req.url).pathname;
    const log = (status: 'success' | 'failure', merchant?: FakeIyzicoMerchant, errorCode?: string) =>
      recordCall(state, {
        at: Date.now(),
        method: c.req.method,
        path,
        ...(merchant && { merchantId: merchant.merchantId }),
        status,
        ...(errorCode && { errorCode }),
      });
    const auth = parseIyzicoAuthorization(c.req.header('authorization'));
    const merchant = auth && state.merchants.find((candidate) => sameText(candidate.apiKey, auth.apiKey));
    if (!auth || !merchant) {
      log('failure', undefined, AUTH_ERRORS.unknownKey.code);
      return failure(c, AUTH_ERRORS.unknownKey.code, AUTH_ERRORS.unknownKey.message, 401);
    }
    const expected = iyzicoSignature(merchant.secretKey, auth.randomKey, path, raw);
    if (c.req.header(IYZICO_RANDOM_HEADER) !== auth.randomKey || !sameText(expected, auth.signature)) {
      log('failure', merchant, AUTH_ERRORS.badSignature.code);
      return failure(c, AUTH_ERRORS.badSignature.code, AUTH_ERRORS.badSignature.message, 401);
    }
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        log('failure', merchant, '11');
        return failure(c, '11', 'Geçersiz istek', 400);
      }
    }
    c.set('merchant', merchant);
    c.set('body', body);
    await next();
    const code = c.get('failureCode');
    log(code ? 'failure' : 'success', merchant, code);
  };
}

export const text = (value: unknown, max = 200): string | undefined =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : undefined;
