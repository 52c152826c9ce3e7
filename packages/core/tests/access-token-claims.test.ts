import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueAccessToken, verifyAccessToken } from '../src/accounts/access-tokens.js';
import { UnauthenticatedError } from '../src/platform/errors.js';

/**
 * A token signed with the right secret is still refused when it lacks a claim the API relies
 * on: without `exp` it would never expire, without `iat`, `iss` or `aud` it was not issued by
 * us for the API.
 */
const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const CLAIMS = ['exp', 'iat', 'iss', 'aud'] as const;

function tokenWithout(missing: (typeof CLAIMS)[number]) {
  let jwt = new SignJWT({ sid: 's1' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u1');
  if (missing !== 'iss') jwt = jwt.setIssuer('asistone');
  if (missing !== 'aud') jwt = jwt.setAudience('asistone-api');
  if (missing !== 'iat') jwt = jwt.setIssuedAt();
  if (missing !== 'exp') jwt = jwt.setExpirationTime('5m');
  return jwt.sign(new TextEncoder().encode(secret));
}

describe('access token claims', () => {
  it('accepts what issueAccessToken signs', async () => {
    const token = await issueAccessToken(secret, { userId: 'u1', sessionId: 's1' });
    expect(await verifyAccessToken(secret, token)).toEqual({ userId: 'u1', sessionId: 's1' });
  });

  it.each(CLAIMS)('refuses a correctly signed token without %s', async (missing) => {
    await expect(verifyAccessToken(secret, await tokenWithout(missing))).rejects.toThrow(UnauthenticatedError);
  });
});
