import { PRODUCT } from '@asistone/core/product/areas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFunctionUrlEvent } from '../../packages/local/src/function-url.js';
import { invoke } from '../../packages/local/src/lambda.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { awayFromEdge } from '../support/time-windows.js';
import {
  type Answer,
  type ApiClient,
  apiClient,
  logIn,
  newEmail,
  newOwner,
  PASSWORD,
  tokenFromOutbox,
} from './accounts-client.js';

/**
 * Account flows raced and hammered on a real `npm start`: several tabs refreshing one session
 * at once, one reset link confirmed several times at once, and strangers guessing someone
 * else's password. The stack runs with a short refresh grace window (local only), so a test
 * can wait it out.
 */
const GRACE_SECONDS = 5;

/**
 * Sign-in limits count in fixed windows of 15 minutes and one hour, which both turn over on a
 * quarter hour: a test that counts guesses must not straddle one, or the count starts afresh.
 */
const awayFromLimitWindowEdge = () => awayFromEdge(15 * 60_000, 60_000);

let stack: RunningStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({
    env: { ASISTONE_BUILD_WEB: 'false', ASISTONE_REFRESH_GRACE_SECONDS: String(GRACE_SECONDS) },
  });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  // The in-process API function (for requests from chosen addresses) uses the stack's emulators and keys.
  Object.assign(process.env, localAws(stack.dataDir).env, { LOG_LEVEL: 'ERROR' });
});
afterAll(async () => {
  await stack?.stop();
});

const refresh = (refreshCookie: string) =>
  api.call<{ accessToken: string; expiresIn: number }>('POST', '/auth/refresh', { refreshCookie });

const statusesOf = (answers: Answer[]) => answers.map((answer) => answer.status);

describe('refreshing one session from several tabs at once', () => {
  it.each([3, 10])('answers %i concurrent refreshes with one cookie alike, and the session lives on', async (tabs) => {
    // Prepare
    const person = await logIn(api, (await newOwner(api, `Tabs${tabs}`)).email);

    // Act: every tab sends the same cookie at the same moment.
    const answers = await Promise.all(Array.from({ length: tabs }, () => refresh(person.refreshCookie)));

    // Assess: all succeed and hand out the same successor, so whichever cookie lands last works.
    expect(statusesOf(answers)).toEqual(Array(tabs).fill(200));
    const successors = new Set(answers.map((answer) => answer.refreshCookie));
    expect(successors.size).toBe(1);
    const successor = [...successors][0] as string;
    expect(successor).toBeTruthy();
    expect(successor).not.toBe(person.refreshCookie);
    for (const answer of answers) {
      expect((await api.call('GET', '/me', { token: answer.body.accessToken })).status).toBe(200);
    }
    const next = await refresh(successor);
    expect(next.status).toBe(200);
    expect(next.refreshCookie).not.toBe(successor);
    expect((await api.call('GET', '/me', { token: next.body.accessToken })).status).toBe(200);
  });

  it('answers a retried refresh with the same successor, and ends the session when the old cookie comes back later', async () => {
    // Prepare
    const person = await logIn(api, (await newOwner(api, 'Retry')).email);
    const first = await refresh(person.refreshCookie);
    expect(first.status).toBe(200);

    // Act: a retry within the grace window, then the same spent cookie after it.
    const retried = await refresh(person.refreshCookie);
    await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1) * 1000));
    const replayed = await refresh(person.refreshCookie);

    // Assess
    expect(retried.status).toBe(200);
    expect(retried.refreshCookie).toBe(first.refreshCookie);
    expect(replayed.status).toBe(401);
    expect(replayed.refreshCookie).toBe('');
    expect((await refresh(first.refreshCookie as string)).status).toBe(401);
    expect((await api.call('GET', '/me', { token: first.body.accessToken })).status).toBe(401);
  });
});

describe('one reset link confirmed several times at once', () => {
  it('changes the password exactly once; the other confirmations are told the link is invalid', async () => {
    // Prepare
    const person = await newOwner(api, 'Reset');
    expect((await api.call('POST', '/auth/password-reset/request', { body: { email: person.email } })).status).toBe(
      202,
    );
    const token = await tokenFromOutbox(api, 'password-reset', person.email);
    const passwords = Array.from({ length: 5 }, (_, index) => `new password number ${index} for the shop`);

    // Act
    const answers = await Promise.all(
      passwords.map((password) => api.call('POST', '/auth/password-reset/confirm', { body: { token, password } })),
    );

    // Assess
    const statuses = statusesOf(answers);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 404)).toHaveLength(4);
    for (const answer of answers.filter((answer) => answer.status === 404)) {
      expect(answer.body.error).toBe('not_found');
    }
    const winner = passwords[statuses.indexOf(200)] as string;
    const tries = await Promise.all(
      passwords.map((password) => api.call('POST', '/auth/login', { body: { email: person.email, password } })),
    );
    expect(tries.map((answer, index) => [passwords[index], answer.status])).toEqual(
      passwords.map((password) => [password, password === winner ? 200 : 401]),
    );
    expect(
      (await api.call('POST', '/auth/password-reset/confirm', { body: { token, password: PASSWORD } })).status,
    ).toBe(404);
  });
});

/**
 * The gateway passes the socket's address, which is always loopback here, so sign-ins from
 * other addresses run the API function in this process, as Lambda would, with that address.
 */
async function logInFrom(
  address: string,
  email: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = new Request(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: stack.url,
      'user-agent': 'e2e',
      'x-asistone-origin-secret': process.env.ORIGIN_SECRET as string,
    },
    body: JSON.stringify({ email, password }),
  });
  const fn = PRODUCT.fn('api');
  if (!fn) throw new Error('no API function declared');
  const result = await invoke<{ statusCode: number; body: string }>(
    fn.handler,
    fn.name,
    await toFunctionUrlEvent(request, address),
    fn.timeoutSeconds,
  );
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

async function guessesFrom(address: string, email: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let guess = 0; guess < count; guess++) {
    statuses.push((await logInFrom(address, email, `wrong guess number ${guess}`)).status);
  }
  return statuses;
}

describe('sign-in limits', () => {
  it('limit strangers guessing from their address, and let the owner in from theirs', async () => {
    await awayFromLimitWindowEdge();
    // Prepare
    const victim = await newOwner(api, 'Victim');
    const stranger = '203.0.113.50';
    const owner = '198.51.100.23';

    // Act: 50 wrong passwords from the stranger's address.
    const guesses = await guessesFrom(stranger, victim.email, 50);

    // Assess: the stranger is stopped at the limit, even with the right password now.
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(guesses.slice(10)).toEqual(Array(40).fill(429));
    expect((await logInFrom(stranger, victim.email, PASSWORD)).status).toBe(429);
    // The owner, from their own address, signs in.
    const signedIn = await logInFrom(owner, victim.email, PASSWORD);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.accessToken).toBeTruthy();
    // A correct sign-in spends none of the owner's allowance, and their own wrong tries are limited.
    expect(await guessesFrom(owner, victim.email, 11)).toEqual([...Array(10).fill(401), 429]);
    const limited = await logInFrom(owner, victim.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(limited.body.message).toMatch(/Too many sign-in attempts/);
  }, 120_000);

  it('answer alike whether the guessed account exists, and limit one address across accounts', async () => {
    // Prepare
    const victim = await newOwner(api, 'Known');
    const address = '192.0.2.77';
    await awayFromLimitWindowEdge();

    // Act: ten wrong passwords each for a real account and for an address with none.
    const known = await guessesFrom(address, victim.email, 11);
    const unknownEmail = newEmail('nobody');
    const unknown = await guessesFrom(address, unknownEmail, 11);

    // Assess: the same answers; then the address's own limit stops it on any account.
    expect(unknown).toEqual(known);
    expect(known).toEqual([...Array(10).fill(401), 429]);
    const knownLimited = await logInFrom(address, victim.email, 'another wrong guess');
    const unknownLimited = await logInFrom(address, unknownEmail, 'another wrong guess');
    expect(unknownLimited.body).toEqual(knownLimited.body);
    // Four more accounts at once, eight guesses each: under each pair's limit, over the address's.
    const spread = (
      await Promise.all(Array.from({ length: 4 }, () => guessesFrom(address, newEmail('spread'), 8)))
    ).flat();
    // 20 failures so far, 30 more allowed from this address in the window, however they race.
    expect(spread.filter((status) => status === 401)).toHaveLength(30);
    expect(spread.filter((status) => status === 429)).toHaveLength(2);
    const elsewhere = await logInFrom(address, newEmail('fresh'), 'one more guess');
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body.message).toMatch(/from your network/);
  }, 120_000);
});
