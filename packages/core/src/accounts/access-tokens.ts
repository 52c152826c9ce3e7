import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../platform/errors.js';

/**
 * Short-lived access tokens: HS256 JWTs naming the person and their session. Kept in memory
 * by the web app and renewed through the refresh cookie, so a stolen one is worth minutes.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'asistone';
const AUDIENCE = 'asistone-api';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs an access token.
 *
 * @example
 * const token = await issueAccessToken(secret, { userId, sessionId });
 */
export async function issueAccessToken(secret: string, claims: AccessClaims, nowMs = Date.now()): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_SECONDS)
    .sign(key(secret));
}

/** Reads a token's claims; throws {@link UnauthenticatedError} for anything not valid now. */
export async function verifyAccessToken(secret: string, token: string, nowMs = Date.now()): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      // jose checks `exp` only when a token has one: a token without it would never expire.
      requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub'],
      currentDate: new Date(nowMs),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new UnauthenticatedError();
    return { userId: payload.sub, sessionId: payload.sid };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('Your session timed out: refresh it');
    throw new UnauthenticatedError();
  }
}
