import * as z from 'zod';
import { maskSourceAddress } from '../audit/source-address.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ConfigError, NotFoundError, UnauthenticatedError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { ACCESS_TOKEN_SECONDS, type AccessClaims, issueAccessToken } from './access-tokens.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { accountKeys, ignoreExisting } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, secretHash } from './secrets.js';

/**
 * Sessions: one per signed-in device. A session holds one live refresh token at a time; each
 * refresh spends it and issues the next. A spent token coming back means it was copied, so
 * the whole session ends, unless it comes back within a few seconds of being spent: two tabs
 * refreshing at once, or a request retried after a lost answer, get the same successor.
 */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

/** How long a spent refresh token is still answered with its successor. */
export const REFRESH_GRACE_SECONDS = 10;

const graceSetting = z.coerce.number().int().min(0).max(60);

/**
 * The grace window in force: {@link REFRESH_GRACE_SECONDS}, or on the local stack only
 * `ASISTONE_REFRESH_GRACE_SECONDS`, so a test can wait a short one out. In AWS the variable is
 * ignored: the window that decides when a copied token ends a session is not a setting.
 *
 * @example
 * refreshGraceSeconds(process.env, isLocalStack(platform().config)) // 10
 */
export function refreshGraceSeconds(env: Record<string, string | undefined>, localStack: boolean): number {
  const setting = env.ASISTONE_REFRESH_GRACE_SECONDS;
  if (!localStack || setting === undefined || setting === '') return REFRESH_GRACE_SECONDS;
  const parsed = graceSetting.safeParse(setting);
  if (!parsed.success) {
    throw new ConfigError('invalid configuration: ASISTONE_REFRESH_GRACE_SECONDS must be whole seconds from 0 to 60');
  }
  return parsed.data;
}

type SessionDeps = Pick<AccountsDeps, 'store' | 'keyring' | 'tokenSecret' | 'log'>;

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  /** For the HttpOnly cookie only; never in a body or a log. */
  refreshToken: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const shortAgent = (agent: string | undefined) => agent?.slice(0, 256);

/** Stores a refresh token (its hash). Saving the same one twice is harmless: the first stays. */
async function saveRefreshToken(
  deps: Pick<AccountsDeps, 'store'>,
  refreshToken: string,
  userId: string,
  sessionId: string,
  nowMs: number,
) {
  await deps.store.entities.refreshToken
    .create({
      tenantId: ACCOUNTS_TENANT,
      tokenHash: secretHash(refreshToken),
      userId,
      sessionId,
      issuedAt: nowMs,
      expiresAt: seconds(nowMs) + REFRESH_TOKEN_SECONDS,
    })
    .go({ response: 'none' })
    .catch(ignoreExisting);
}

/**
 * The token that replaces `refreshToken` when it is spent: a keyed hash of it under the
 * accounts key. Every request spending the same token arrives at the same successor without
 * storing it anywhere, so the table holds only hashes of tokens, never a token, sealed or not;
 * and only whoever presents the spent token (within its grace window) is given it.
 */
function successorOf(keys: TenantKeys, refreshToken: string): string {
  return keys.blindIndex('refresh-token-successor', refreshToken);
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
    refreshToken: await newRefreshToken(deps, userId, sessionId, nowMs),
  };
}

async function newRefreshToken(deps: SessionDeps, userId: string, sessionId: string, nowMs: number) {
  const refreshToken = newSecret();
  await saveRefreshToken(deps, refreshToken, userId, sessionId, nowMs);
  return refreshToken;
}

async function activeSession(deps: Pick<AccountsDeps, 'store'>, userId: string, sessionId: string, nowMs: number) {
  const session = await deps.store.entities.session.get({ tenantId: ACCOUNTS_TENANT, userId, sessionId }).go();
  const data = session.data;
  return data && !data.revokedAt && data.expiresAt > seconds(nowMs) ? data : undefined;
}

/**
 * Spends a refresh token and issues the next pair. Throws {@link UnauthenticatedError} for an
 * unknown, expired or revoked one. A spent one presented again within the grace window gets
 * the same successor as the request that spent it (and a fresh access token); after the
 * window it revokes its session.
 *
 * @example
 * const { accessToken, refreshToken } = await refreshSession(deps, cookie, origin, { graceSeconds: 10 });
 */
export async function refreshSession(
  deps: SessionDeps,
  refreshToken: string,
  origin: RequestOrigin,
  options: { graceSeconds?: number } = {},
): Promise<IssuedTokens> {
  const nowMs = Date.now();
  const graceMs = (options.graceSeconds ?? REFRESH_GRACE_SECONDS) * 1000;
  const tokenHash = secretHash(refreshToken);
  const key = { tenantId: ACCOUNTS_TENANT, tokenHash };
  // Strongly consistent: a successor handed out a moment ago must be found.
  const token = (await deps.store.entities.refreshToken.get(key).go({ consistent: true })).data;
  if (!token || token.expiresAt <= seconds(nowMs)) throw new UnauthenticatedError();
  const { userId, sessionId } = token;
  if (!(await activeSession(deps, userId, sessionId, nowMs))) throw new UnauthenticatedError();

  const successor = successorOf(await accountKeys(deps), refreshToken);
  let spentAt = token.rotatedAt;
  if (spentAt === undefined) {
    // The successor exists before the token is marked spent, so anyone handed it can use it.
    await saveRefreshToken(deps, successor, userId, sessionId, nowMs);
    spentAt = (await spend(deps, tokenHash, nowMs))
      ? nowMs
      : // Lost the race to a concurrent refresh of the same token: when did that one spend it?
        (await deps.store.entities.refreshToken.get(key).go({ consistent: true })).data?.rotatedAt;
    if (spentAt === undefined) throw new UnauthenticatedError();
  }
  if (nowMs - spentAt > graceMs) {
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
    refreshToken: successor,
  };
}

/** Marks a refresh token spent; false when another request spent it first. */
async function spend(deps: Pick<AccountsDeps, 'store'>, tokenHash: string, nowMs: number): Promise<boolean> {
  try {
    await deps.store.entities.refreshToken
      .patch({ tenantId: ACCOUNTS_TENANT, tokenHash })
      .set({ rotatedAt: nowMs })
      .where(({ rotatedAt }, { notExists }) => notExists(rotatedAt))
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
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
