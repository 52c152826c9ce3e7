import type { Problem } from '@asistone/contract/errors';
import type { TokenResult } from './types';

/**
 * The one place that talks HTTP to the API: keeps the access token in memory, refreshes it
 * once on a 401 (the refresh token lives in an HttpOnly cookie) and turns error bodies into
 * `ApiError`s the UI can translate.
 */

/** An error body as read off the wire: the contract's shape, though a proxy may send anything. */
type ApiErrorBody = Partial<Omit<Problem, 'error'>> & { error?: string };

/**
 * An error answer of the API: `code` is the contract's `error` field (an `ErrorCode`), or
 * `http_<status>` when the answer did not come from the API.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly issues?: Problem['issues'],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (offline, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

type Listener = () => void;

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const signedOutListeners = new Set<Listener>();
let acceptLanguage = 'tr';

/** The access token lives in memory only: a reload asks the refresh cookie for a new one. */
export const tokens = {
  get: () => accessToken,
  set: (token: string) => {
    accessToken = token;
  },
  clear: () => {
    accessToken = null;
  },
};

/** Called when the session ended on its own (refresh refused); the UI then shows the login page. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function setRequestLanguage(language: string) {
  acceptLanguage = language;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ApiErrorBody = {};
  try {
    body = (await response.json()) as ApiErrorBody;
  } catch {
    // Not JSON (a proxy page): the status still says enough.
  }
  const header = Number(response.headers.get('retry-after'));
  const retryAfter = body.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : undefined);
  return new ApiError(
    response.status,
    body.error ?? `http_${response.status}`,
    body.message ?? response.statusText,
    retryAfter,
    body.issues,
  );
}

async function send(method: string, path: string, body: unknown, withToken: boolean): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': acceptLanguage };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (withToken && accessToken) headers.authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new NetworkError(error);
  }
}

/**
 * Trades the refresh cookie for a new access token. Single-flight: the refresh token rotates on
 * every use and reusing an old one revokes the session, so two concurrent refreshes must never
 * both reach the API.
 */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await send('POST', '/auth/refresh', undefined, false);
      if (!response.ok) {
        accessToken = null;
        return false;
      }
      const body = (await response.json()) as TokenResult;
      accessToken = body.accessToken;
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sends the access token and refreshes it once on a 401. Off for the sign-in calls. */
  auth?: boolean;
}

/** Calls `/api<path>` and resolves with the JSON body (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, auth = true } = options;
  let response = await send(method, path, body, auth);
  if (response.status === 401 && auth) {
    if (await refreshAccessToken()) {
      response = await send(method, path, body, auth);
    }
    if (response.status === 401) {
      accessToken = null;
      for (const listener of signedOutListeners) listener();
    }
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Encodes a path segment taken from the URL or the API. */
export const seg = (value: string) => encodeURIComponent(value);

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
