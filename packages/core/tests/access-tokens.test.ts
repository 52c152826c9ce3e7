import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SECONDS, issueAccessToken, verifyAccessToken } from '../src/accounts/access-tokens.js';
import { UnauthenticatedError } from '../src/platform/errors.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const claims = { userId: 'u1', sessionId: 's1' };

describe('access tokens', () => {
  it('carries the person and the session for 15 minutes', async () => {
    const now = Date.now();
    const token = await issueAccessToken(secret, claims, now);
    expect(await verifyAccessToken(secret, token, now + (ACCESS_TOKEN_SECONDS - 1) * 1000)).toEqual(claims);
    await expect(verifyAccessToken(secret, token, now + (ACCESS_TOKEN_SECONDS + 1) * 1000)).rejects.toThrow(
      UnauthenticatedError,
    );
  });

  it('refuses another key, a changed payload and an unsigned token', async () => {
    const token = await issueAccessToken(secret, claims);
    await expect(verifyAccessToken(`${secret}-other`, token)).rejects.toThrow(UnauthenticatedError);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u2', sid: 's1' })).toString('base64url');
    await expect(verifyAccessToken(secret, `${header}.${forged}.${signature}`)).rejects.toThrow(UnauthenticatedError);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    await expect(verifyAccessToken(secret, unsigned)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses a token for another audience', async () => {
    const foreign = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('asistone')
      .setAudience('someone-else')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    await expect(verifyAccessToken(secret, foreign)).rejects.toThrow(UnauthenticatedError);
  });
});
