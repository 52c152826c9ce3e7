import { type AccessClaims, verifyAccessToken } from '@asistone/core/accounts/access-tokens';
import type { RequestOrigin } from '@asistone/core/accounts/deps';
import { REFRESH_TOKEN_SECONDS, requireActiveSession } from '@asistone/core/accounts/sessions';
import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { UnauthenticatedError } from '@asistone/core/platform/errors';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { accounts } from './deps.js';

/**
 * Where a request came from. Behind CloudFront the function sees CloudFront's address, so the
 * viewer's comes from the header a CloudFront function sets on every API request (overwriting
 * any the viewer sent; see stacks/Web.ts); locally the gateway passes the socket's address and
 * that header is not trusted.
 */
export function originOf(c: Context): RequestOrigin {
  const env = c.env as { requestContext?: { http?: { sourceIp?: string } } } | undefined;
  const viewer = c.req.header('x-asistone-viewer-address');
  const fromCloudFront = !isLocalStack(platform().config) && viewer ? viewer : undefined;
  return {
    sourceAddress: fromCloudFront ?? env?.requestContext?.http?.sourceIp,
    userAgent: c.req.header('user-agent'),
  };
}

function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** The caller behind the Bearer token, with a live session; throws {@link UnauthenticatedError}. */
export async function authenticate(c: Context): Promise<AccessClaims> {
  const token = bearerToken(c);
  if (!token) throw new UnauthenticatedError();
  const deps = await accounts();
  const claims = await verifyAccessToken(deps.tokenSecret, token);
  await requireActiveSession(deps, claims);
  return claims;
}

/** For routes that serve both guests and signed-in people: a token, if sent, must be valid. */
export async function authenticateIfPresent(c: Context): Promise<AccessClaims | undefined> {
  return c.req.header('authorization') ? authenticate(c) : undefined;
}

const REFRESH_COOKIE = 'asistone_refresh';
const REFRESH_PATH = '/api/auth';

/** The refresh token travels only in this cookie: script cannot read it, other sites cannot send it. */
export function setRefreshCookie(c: Context, refreshToken: string): void {
  setCookie(c, REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: REFRESH_PATH,
    maxAge: REFRESH_TOKEN_SECONDS,
  });
}

export function refreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined;
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'Strict', path: REFRESH_PATH });
}
