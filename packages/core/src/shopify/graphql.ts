/**
 * Shopify's GraphQL Admin API, as the product uses it (public apps may use nothing else since
 * April 2025). One POST per query to `{shop}/admin/api/2026-10/graphql.json`, the access token in
 * `X-Shopify-Access-Token` only. Shopify limits each app and store pair with a cost-based leaky
 * bucket and reports its level in every answer (`extensions.cost.throttleStatus`): the client
 * remembers it per shop and waits before a query the bucket cannot pay for yet, and when Shopify
 * still answers THROTTLED it waits exactly as long as the bucket needs to refill, a bounded number
 * of times. Errors carry a kind the caller acts on and never the token, the query's variables or
 * anything Shopify sent back about a customer.
 */

import { providerRefused } from '../platform/provider-refusals.js';
import { SHOPIFY_PROVIDER } from './provider.js';
import { SHOPIFY_API_VERSION } from './settings.js';
import type { ShopAccess } from './tokens.js';

export type { ShopAccess };

/** The bucket's level as Shopify reported it (points; `restoreRate` points per second). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type ShopifyErrorKind =
  /** The token is invalid, expired or lacks a scope (401/403): refresh or reconnect, retrying as is will not help. */
  | 'auth'
  /** Still throttled after the bounded waits: try again on a later run. */
  | 'throttled'
  /** Shopify failed or did not answer in time (5xx, network, timeout): the same call may succeed later. */
  | 'retryable'
  /** The query itself is wrong (GraphQL errors, other 4xx, an answer that is not GraphQL). */
  | 'invalid'
  /** A mutation ran and Shopify refused the input (`userErrors`, e.g. CHANGE_FROM_QUANTITY_STALE). */
  | 'user-error';

/** One of a mutation's `userErrors` (code may be absent on older types). */
export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export interface ShopifyErrorFields {
  kind: ShopifyErrorKind;
  /** HTTP status; 0 when no answer came. */
  status: number;
  /** Shopify's `errors[].extensions.code` values, when it sent any. */
  codes?: string[];
  /** The refused mutation's errors (kind `user-error`). Their messages are Shopify's, about the input's fields. */
  userErrors?: ShopifyUserError[];
  /** Seconds worth waiting before trying again, when known. */
  retryAfterSeconds?: number;
}

/** A failed Admin API call. The message names the kind, status and codes only. */
export class ShopifyError extends Error {
  readonly kind: ShopifyErrorKind;
  readonly status: number;
  readonly codes: string[];
  readonly userErrors: ShopifyUserError[];
  readonly retryAfterSeconds?: number;

  constructor(fields: ShopifyErrorFields) {
    const codes = fields.codes ?? [];
    const userCodes = (fields.userErrors ?? []).map((error) => error.code).filter(Boolean);
    super(
      `Shopify Admin API ${fields.kind} (HTTP ${fields.status})${codes.length ? `: ${codes.join(', ')}` : ''}${
        userCodes.length ? `: ${userCodes.join(', ')}` : ''
      }`,
    );
    this.name = 'ShopifyError';
    this.kind = fields.kind;
    this.status = fields.status;
    this.codes = codes;
    this.userErrors = fields.userErrors ?? [];
    this.retryAfterSeconds = fields.retryAfterSeconds;
  }

  /** Worth trying again later with the same input. */
  get retryable(): boolean {
    return this.kind === 'retryable' || this.kind === 'throttled';
  }
}

export interface ShopifyGraphqlOptions {
  /**
   * Where a shop's Admin API lives: `https://{shop}` by default; pass settings.ts `shopOrigin`
   * so the local stack's `SHOPIFY_SHOP_BASE_URL` points it at the fake Shopify.
   */
  shopBaseUrl?: (shopDomain: string) => string;
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** How many times a THROTTLED answer is waited out and retried before giving up (default 5). */
  maxThrottleRetries?: number;
  /** Waits; injectable so tests see the waits without spending them. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ShopifyAnswer<T> {
  data: T;
  /** The bucket after this query. */
  cost: ThrottleStatus;
  /** What Shopify estimated this query costs, which the next run of the same query is paced by. */
  requestedQueryCost?: number;
}

interface GraphqlBody {
  data?: unknown;
  /** A list in GraphQL answers; a bare string in some 4xx answers (`"[API] Invalid API key..."`). */
  errors?: { message?: string; extensions?: { code?: string } }[] | string;
  extensions?: {
    cost?: {
      requestedQueryCost?: number;
      actualQueryCost?: number | null;
      throttleStatus?: ThrottleStatus;
    };
  };
}

/** The shop's Admin API base from its domain: Shopify's own host. */
export const shopifyHost = (shopDomain: string) => `https://${shopDomain}`;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds until a bucket at `status` holds `cost` points (0 when it already does). */
export function secondsUntilAffordable(status: ThrottleStatus, cost: number): number {
  if (cost <= status.currentlyAvailable) return 0;
  // A bucket that never restores cannot be waited out; the caller's bound stops the retries.
  if (status.restoreRate <= 0) return 0;
  return (Math.min(cost, status.maximumAvailable) - status.currentlyAvailable) / status.restoreRate;
}

const validStatus = (status: unknown): status is ThrottleStatus =>
  typeof status === 'object' &&
  status !== null &&
  ['maximumAvailable', 'currentlyAvailable', 'restoreRate'].every(
    (field) => typeof (status as Record<string, unknown>)[field] === 'number',
  );

/** Every non-empty `userErrors` array among the answer's top-level fields (one per mutation). */
function userErrorsOf(data: unknown): ShopifyUserError[] {
  if (typeof data !== 'object' || data === null) return [];
  const found: ShopifyUserError[] = [];
  for (const value of Object.values(data)) {
    const errors = (value as { userErrors?: unknown } | null)?.userErrors;
    if (Array.isArray(errors)) found.push(...(errors as ShopifyUserError[]));
  }
  return found;
}

/**
 * @example
 * const shopify = shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(shopifyAppSettings(env), shop) });
 * const { data, cost } = await shopify.query<{ orders: OrdersPage }>(access, ORDERS_QUERY, { first: 50 });
 */
export function shopifyGraphql(options: ShopifyGraphqlOptions = {}) {
  const fetchFn = options.fetch ?? fetch;
  const baseOf = options.shopBaseUrl ?? shopifyHost;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxThrottleRetries = options.maxThrottleRetries ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  /** Each shop's bucket as last reported, and when: the limit is per app and shop. */
  const buckets = new Map<string, { status: ThrottleStatus; at: number }>();
  /** What each query text cost last time, per shop: the estimate the pacing waits for. */
  const lastCosts = new Map<string, number>();

  /** The shop's bucket now: the last report plus what has restored since, up to the maximum. */
  function bucketNow(shopDomain: string): ThrottleStatus | undefined {
    const known = buckets.get(shopDomain);
    if (!known) return undefined;
    const restored = ((now() - known.at) / 1000) * known.status.restoreRate;
    return {
      ...known.status,
      currentlyAvailable: Math.min(known.status.maximumAvailable, known.status.currentlyAvailable + restored),
    };
  }

  async function post(access: ShopAccess, query: string, variables: Record<string, unknown> | undefined) {
    const url = `${baseOf(access.shopDomain).replace(/\/+$/, '')}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': access.accessToken,
        },
        body: JSON.stringify({ query, variables: variables ?? {} }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // Only the kind of failure is kept: the request carried the token.
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ShopifyError({ kind: 'retryable', status: 0, codes: [timedOut ? 'TIMEOUT' : 'NETWORK'] });
    }
    const text = await response.text();
    let body: GraphqlBody | undefined;
    try {
      body = JSON.parse(text) as GraphqlBody;
    } catch {
      body = undefined;
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
  }

  return {
    /**
     * Runs one query or mutation and answers its data and the bucket after it. Waits first when
     * the same query cost more last time than the bucket holds now, and waits out THROTTLED
     * answers by the bucket's own numbers.
     */
    async query<T>(access: ShopAccess, query: string, variables?: Record<string, unknown>): Promise<ShopifyAnswer<T>> {
      const costKey = `${access.shopDomain}\n${query}`;
      for (let attempt = 0; ; attempt += 1) {
        const bucket = bucketNow(access.shopDomain);
        const expected = lastCosts.get(costKey);
        if (bucket && expected !== undefined) {
          const wait = secondsUntilAffordable(bucket, expected);
          if (wait > 0) await sleep(Math.ceil(wait * 1000));
        }

        const { status, retryAfter, body } = await post(access, query, variables);
        const cost = body?.extensions?.cost;
        if (cost && validStatus(cost.throttleStatus)) {
          buckets.set(access.shopDomain, { status: cost.throttleStatus, at: now() });
        }
        if (cost && typeof cost.requestedQueryCost === 'number') lastCosts.set(costKey, cost.requestedQueryCost);

        if (status === 401 || status === 403) {
          providerRefused(SHOPIFY_PROVIDER, 'auth', { status, operation: 'graphql' });
          throw new ShopifyError({ kind: 'auth', status });
        }
        if (status >= 500) throw new ShopifyError({ kind: 'retryable', status });
        const errors = Array.isArray(body?.errors) ? body.errors : [];
        const codes = errors.map((error) => error.extensions?.code ?? 'GRAPHQL_ERROR');
        const throttled = status === 429 || codes.includes('THROTTLED');
        if (throttled) {
          // The bucket's numbers say how long it takes to afford this query; a bare 429 has Retry-After.
          const throttleStatus = cost?.throttleStatus;
          const seconds =
            throttleStatus && validStatus(throttleStatus) && typeof cost?.requestedQueryCost === 'number'
              ? secondsUntilAffordable(throttleStatus, cost.requestedQueryCost)
              : Number(retryAfter) || 1;
          if (attempt >= maxThrottleRetries) {
            providerRefused(SHOPIFY_PROVIDER, 'rate-limit', { status, operation: 'graphql' });
            throw new ShopifyError({ kind: 'throttled', status, codes, retryAfterSeconds: seconds });
          }
          await sleep(Math.ceil(Math.max(seconds, 0.05) * 1000));
          // The wait above already paid for the refill: skip the pacing wait on the retry.
          buckets.delete(access.shopDomain);
          continue;
        }
        if (status >= 400) throw new ShopifyError({ kind: 'invalid', status, codes });
        if (!body || body.errors !== undefined || body.data === undefined || body.data === null) {
          throw new ShopifyError({ kind: 'invalid', status, codes });
        }
        const userErrors = userErrorsOf(body.data);
        if (userErrors.length) throw new ShopifyError({ kind: 'user-error', status, userErrors });
        const throttleStatus = cost?.throttleStatus;
        return {
          data: body.data as T,
          cost: validStatus(throttleStatus)
            ? throttleStatus
            : { maximumAvailable: 0, currentlyAvailable: 0, restoreRate: 0 },
          ...(typeof cost?.requestedQueryCost === 'number' ? { requestedQueryCost: cost.requestedQueryCost } : {}),
        };
      }
    },
  };
}

export type ShopifyGraphql = ReturnType<typeof shopifyGraphql>;
