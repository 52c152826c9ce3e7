import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { eventually } from '../support/local-stack.js';

/**
 * A small HTTP client for the accounts flows, speaking to a started stack the way the web app
 * does: JSON bodies, Bearer access tokens, and the refresh cookie carried by hand.
 */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  /** The `asistone_refresh` value the answer set ('' when it cleared it). */
  refreshCookie: string | undefined;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  refreshCookie?: string;
  headers?: Record<string, string>;
}

export function apiClient(baseUrl: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.refreshCookie) headers.cookie = `asistone_refresh=${options.refreshCookie}`;
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('asistone_refresh='))
      ?.split(';')[0]
      ?.slice('asistone_refresh='.length);
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as T,
      headers: response.headers,
      refreshCookie: cookie,
    };
  }
  return { call, baseUrl };
}

export type ApiClient = ReturnType<typeof apiClient>;

export const PASSWORD = 'correct horse battery staple';
export const TERMS = { ageConfirmed: true, acceptTerms: true, termsVersion: '2026-01-21' } as const;

/** A fresh address for each person a test invents. */
export function newEmail(label: string): string {
  return `${label}.${randomBytes(4).toString('hex')}@example.com`;
}

export interface OutboxMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

/** The dev outbox, newest first. */
export async function readOutbox(api: ApiClient): Promise<OutboxMail[]> {
  const { body } = await api.call<{ mails: OutboxMail[] }>('GET', '/dev/outbox');
  return body.mails;
}

/** The kinds of the mails an address got so far, newest first. */
export async function mailsTo(api: ApiClient, email: string): Promise<string[]> {
  return (await readOutbox(api)).filter((mail) => mail.to === email.toLowerCase()).map((mail) => mail.kind);
}

/**
 * The newest mail of that kind to that address. Mail goes out through the mail queue, so it
 * lands in the outbox a moment after the request that caused it: this polls until it does.
 */
export async function waitForMail(api: ApiClient, kind: string, to: string, timeoutMs = 10_000): Promise<OutboxMail> {
  return eventually(async () => {
    const mails = await readOutbox(api);
    return mails.find((candidate) => candidate.kind === kind && candidate.to === to.toLowerCase());
  }, timeoutMs);
}

/** The token in the newest mail's link of that kind to that address (`?token=` or the last segment). */
export async function tokenFromOutbox(api: ApiClient, kind: string, to: string): Promise<string> {
  const mail = await waitForMail(api, kind, to);
  const link = mail.links[0] ? new URL(mail.links[0]) : undefined;
  expect(link, `a link in the ${kind} mail`).toBeDefined();
  const url = link as URL;
  return url.searchParams.get('token') ?? decodeURIComponent(url.pathname.split('/').pop() ?? '');
}

export interface SignedInPerson {
  email: string;
  userId: string;
  accessToken: string;
  refreshCookie: string;
}

export async function logIn(api: ApiClient, email: string, password = PASSWORD): Promise<SignedInPerson> {
  const login = await api.call<{ accessToken: string; user: { id: string } }>('POST', '/auth/login', {
    body: { email, password },
  });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return {
    email,
    userId: login.body.user.id,
    accessToken: login.body.accessToken,
    refreshCookie: login.refreshCookie as string,
  };
}

/** Someone signing up with a new business; without a language, in the default one (Turkish). */
export interface Newcomer {
  businessName: string;
  name: string;
  email: string;
  password: string;
  language?: 'tr' | 'en';
}

/** Signs up accepting the current terms and confirms the address through the dev outbox. */
export async function signUpConfirmed(api: ApiClient, newcomer: Newcomer): Promise<void> {
  const signup = await api.call('POST', '/auth/signup', { body: { ...newcomer, ...TERMS } });
  expect(signup.status).toBe(202);
  const verified = await api.call('POST', '/auth/verify-email', {
    body: { token: await tokenFromOutbox(api, 'verify-email', newcomer.email) },
  });
  expect(verified.status).toBe(200);
}

/**
 * Signs up, confirms through the dev outbox and signs in: an owner with a business. In English
 * the business is a Shop and the owner's mails come in English; otherwise a Butik, in Turkish.
 */
export async function newOwner(
  api: ApiClient,
  label: string,
  { language }: { language?: 'en' } = {},
): Promise<SignedInPerson & { tenantId: string }> {
  const email = newEmail(label);
  const businessName = `${label} ${language === 'en' ? 'Shop' : 'Butik'}`;
  await signUpConfirmed(api, { businessName, name: label, email, password: PASSWORD, ...(language && { language }) });
  const person = await logIn(api, email);
  const me = await api.call<{ businesses: { tenantId: string }[] }>('GET', '/me', { token: person.accessToken });
  return { ...person, tenantId: me.body.businesses[0]?.tenantId as string };
}

/** Invites a newcomer with `role`, who accepts with a new account and signs in. */
export async function newMember(
  api: ApiClient,
  inviter: { accessToken: string; tenantId: string },
  role: 'admin' | 'agent' | 'analyst',
  label: string,
): Promise<SignedInPerson> {
  const email = newEmail(label);
  const invited = await api.call('POST', `/businesses/${inviter.tenantId}/invites`, {
    token: inviter.accessToken,
    body: { email, role },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const token = await tokenFromOutbox(api, 'invite', email);
  const accepted = await api.call('POST', `/invites/${token}/accept`, {
    body: { name: label, password: PASSWORD, ...TERMS },
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return logIn(api, email);
}
