import { maskSourceAddress } from '../audit/source-address.js';
import { NotFoundError, UnauthenticatedError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { ACCESS_TOKEN_SECONDS, type AccessClaims, issueAccessToken } from './access-tokens.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, secretHash } from './secrets.js';

/**
 * Sessions: one per signed-in device. A session holds one live refresh token at a time; each
 * refresh spends it and issues the next. A spent token coming back means it was copied, so
 * the whole session ends.
 */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

type SessionDeps = Pick<AccountsDeps, 'store' | 'tokenSecret' | 'log'>;

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  /** For the HttpOnly cookie only; never in a body or a log. */
  refreshToken: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const shortAgent = (agent: string | undefined) => agent?.slice(0, 256);

async function issueRefreshToken(deps: SessionDeps, userId: string, sessionId: string, nowMs: number) {
  const refreshToken = newSecret();
  await deps.store.entities.refreshToken
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash: secretHash(refreshToken),
      userId,
      sessionId,
      issuedAt: nowMs,
      expiresAt: seconds(nowMs) + REFRESH_TOKEN_SECONDS,
    })
    .go();
  return refreshToken;
}

/** Opens a session for a person who just proved who they are. */
export async function startSession(deps: SessionDeps, userId: string, origin: RequestOrigin): Promise<IssuedTokens> {
  const nowMs = Date.now();
  const sessionId = newId('s');
  await deps.store.entities.session
    .create({
      tenantId: ACCOUNTS_TENANT,
      userId,
      sessionId,
      createdAt: nowMs,
      lastUsedAt: nowMs,
      userAgent: shortAgent(origin.userAgent),
      sourceAddress: maskSourceAddress(origin.sourceAddress),
      expiresAt: seconds(nowMs) + REFRESH_TOKEN_SECONDS,
    })
    .go();
  return {
    accessToken: await issueAccessToken(deps.tokenSecret, { userId, sessionId }, nowMs),
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshToken: await issueRefreshToken(deps, userId, sessionId, nowMs),
  };
}

async function activeSession(deps: Pick<AccountsDeps, 'store'>, userId: string, sessionId: string, nowMs: number) {
  const session = await deps.store.entities.session.get({ tenantId: ACCOUNTS_TENANT, userId, sessionId }).go();
  const data = session.data;
  return data && !data.revokedAt && data.expiresAt > seconds(nowMs) ? data : undefined;
}

/**
 * Spends a refresh token and issues the next pair. Throws {@link UnauthenticatedError} for an
 * unknown, expired or revoked one; a spent one also revokes its session.
 */
export async function refreshSession(
  deps: SessionDeps,
  refreshToken: string,
  origin: RequestOrigin,
): Promise<IssuedTokens> {
  const nowMs = Date.now();
  const token = await deps.store.entities.refreshToken
    .get({ tenantId: ACCOUNTS_TENANT, tokenHash: secretHash(refreshToken) })
    .go();
  if (!token.data || token.data.expiresAt <= seconds(nowMs)) throw new UnauthenticatedError();
  const { userId, sessionId } = token.data;
  if (!(await activeSession(deps, userId, sessionId, nowMs))) throw new UnauthenticatedError();
  try {
    await deps.store.entities.refreshToken
      .patch({ tenantId: ACCOUNTS_TENANT, tokenHash: token.data.tokenHash })
      .set({ rotatedAt: nowMs })
      .where(({ rotatedAt }, { notExists }) => notExists(rotatedAt))
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await revokeSession(deps, userId, sessionId);
    deps.log.warn('spent refresh token presented again; session revoked', { userId, sessionId });
    throw new UnauthenticatedError();
  }
  await deps.store.entities.session
    .patch({ tenantId: ACCOUNTS_TENANT, userId, sessionId })
    .set({
      lastUsedAt: nowMs,
      expiresAt: seconds(nowMs) + REFRESH_TOKEN_SECONDS,
      ...(origin.userAgent ? { userAgent: shortAgent(origin.userAgent) } : {}),
      ...(origin.sourceAddress ? { sourceAddress: maskSourceAddress(origin.sourceAddress) } : {}),
    })
    .go({ response: 'none' });
  return {
    accessToken: await issueAccessToken(deps.tokenSecret, { userId, sessionId }, nowMs),
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshToken: await issueRefreshToken(deps, userId, sessionId, nowMs),
  };
}

/** Ends the session a refresh token belongs to (sign-out). Unknown tokens are ignored. */
export async function endSessionOf(deps: Pick<AccountsDeps, 'store'>, refreshToken: string): Promise<void> {
  const token = await deps.store.entities.refreshToken
    .get({ tenantId: ACCOUNTS_TENANT, tokenHash: secretHash(refreshToken) })
    .go();
  if (token.data) await revokeSession(deps, token.data.userId, token.data.sessionId);
}

/** Revokes one session; revoking twice is harmless. */
export async function revokeSession(deps: Pick<AccountsDeps, 'store'>, userId: string, sessionId: string) {
  await deps.store.entities.session
    .patch({ tenantId: ACCOUNTS_TENANT, userId, sessionId })
    .set({ revokedAt: Date.now() })
    .where(({ revokedAt }, { notExists }) => notExists(revokedAt))
    .go({ response: 'none' })
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** A person revoking one of their own sessions; another person's id is not found. */
export async function revokeOwnSession(deps: Pick<AccountsDeps, 'store'>, userId: string, sessionId: string) {
  const session = await deps.store.entities.session.get({ tenantId: ACCOUNTS_TENANT, userId, sessionId }).go();
  if (!session.data) throw new NotFoundError('No such session');
  await revokeSession(deps, userId, sessionId);
}

/** Signs a person out everywhere (after a password reset). */
export async function revokeAllSessions(deps: Pick<AccountsDeps, 'store'>, userId: string): Promise<void> {
  const sessions = await deps.store.entities.session.query
    .byUser({ tenantId: ACCOUNTS_TENANT, userId })
    .go({ pages: 'all' });
  await Promise.all(
    sessions.data
      .filter((session) => !session.revokedAt)
      .map((session) => revokeSession(deps, userId, session.sessionId)),
  );
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  sourceAddress: string | null;
  current: boolean;
}

/** The person's live sessions, most recently used first. */
export async function listSessions(deps: Pick<AccountsDeps, 'store'>, claims: AccessClaims): Promise<SessionView[]> {
  const nowSeconds = seconds(Date.now());
  const sessions = await deps.store.entities.session.query
    .byUser({ tenantId: ACCOUNTS_TENANT, userId: claims.userId })
    .go({ pages: 'all' });
  return sessions.data
    .filter((session) => !session.revokedAt && session.expiresAt > nowSeconds)
    .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
    .map((session) => ({
      id: session.sessionId,
      createdAt: new Date(session.createdAt).toISOString(),
      lastUsedAt: new Date(session.lastUsedAt).toISOString(),
      userAgent: session.userAgent ?? null,
      sourceAddress: session.sourceAddress ?? null,
      current: session.sessionId === claims.sessionId,
    }));
}

/** Access tokens outlive nothing: a revoked or expired session stops them at once. */
export async function requireActiveSession(deps: Pick<AccountsDeps, 'store'>, claims: AccessClaims): Promise<void> {
  if (!(await activeSession(deps, claims.userId, claims.sessionId, Date.now()))) {
    throw new UnauthenticatedError('Your session has ended: sign in again');
  }
}
