import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  mailsTo,
  newEmail,
  newOwner,
  type OutboxMail,
  PASSWORD,
  type SignedInPerson,
  TERMS,
  tokenFromOutbox,
  waitForMail,
} from './accounts-client.js';

/**
 * On a real `npm start`: names carrying control or text-direction characters are refused by
 * the API, naming the field, and nothing is mailed; and every account mail reaches its
 * recipient in their language (Turkish unless the app says English), with a plain-text and
 * an HTML part saying the same, names escaped in the HTML. Mails are read from the dev outbox.
 */
let stack: RunningStack;
let api: ApiClient;
let inviter: SignedInPerson & { tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  inviter = await newOwner(api, 'Davetci');
});
afterAll(async () => {
  await stack?.stop();
});

const CONTROL_MESSAGE = 'Use no line breaks, tabs or other control characters';
const DIRECTION_MESSAGE = 'Use no invisible text-direction characters';

/** One of each kind the rule refuses, with the message the API answers. */
const BAD_NAMES: [kind: string, name: string, message: string][] = [
  ['a CR LF that would add a mail header', 'Lale Butik\r\nBcc: someone@example.com', CONTROL_MESSAGE],
  ['a LF', 'Lale\nButik', CONTROL_MESSAGE],
  ['a TAB', 'Lale\tButik', CONTROL_MESSAGE],
  ['a NUL', 'Lale\u0000Butik', CONTROL_MESSAGE],
  ['a DEL', 'Lale\u007fButik', CONTROL_MESSAGE],
  ['a C1 control (NEL)', 'Lale\u0085Butik', CONTROL_MESSAGE],
  ['a right-to-left override', 'Lale \u202eButik', DIRECTION_MESSAGE],
  ['a left-to-right embedding', 'Lale \u202aButik', DIRECTION_MESSAGE],
  ['an isolate', 'Lale \u2067Butik\u2069', DIRECTION_MESSAGE],
  ['a right-to-left mark', 'Lale\u200fButik', DIRECTION_MESSAGE],
];

function signUpBody(overrides: Record<string, unknown>) {
  return {
    businessName: 'Lale Butik',
    name: 'Ayşe Yılmaz',
    email: newEmail('lale'),
    password: PASSWORD,
    ...TERMS,
    ...overrides,
  };
}

interface Refusal {
  error: string;
  issues: { path: string; message: string }[];
}

describe('names with control or text-direction characters', () => {
  it('are refused at sign-up with 400 naming the field, and nothing is mailed', async () => {
    const email = newEmail('refused');
    for (const field of ['businessName', 'name']) {
      for (const [kind, name, message] of BAD_NAMES) {
        const answer = await api.call<Refusal>('POST', '/auth/signup', { body: signUpBody({ email, [field]: name }) });
        expect(answer.status, `${field} with ${kind}`).toBe(400);
        expect(answer.body.error).toBe('invalid_request');
        expect(answer.body.issues, `${field} with ${kind}`).toEqual([{ path: field, message }]);
      }
    }
    // A good sign-up afterwards is mailed; the refused ones never were.
    const good = newEmail('accepted');
    expect((await api.call('POST', '/auth/signup', { body: signUpBody({ email: good }) })).status).toBe(202);
    await waitForMail(api, 'verify-email', good);
    expect(await mailsTo(api, email)).toEqual([]);
  });

  it('are refused when a newcomer accepts an invitation, and the invitation still works afterwards', async () => {
    const email = newEmail('newcomer');
    const invited = await api.call('POST', `/businesses/${inviter.tenantId}/invites`, {
      token: inviter.accessToken,
      body: { email, role: 'agent' },
    });
    expect(invited.status).toBe(201);
    const token = await tokenFromOutbox(api, 'invite', email);
    for (const [kind, name, message] of BAD_NAMES) {
      const answer = await api.call<Refusal>('POST', `/invites/${token}/accept`, {
        body: { name, password: PASSWORD, ...TERMS },
      });
      expect(answer.status, kind).toBe(400);
      expect(answer.body.issues, kind).toEqual([{ path: 'name', message }]);
    }
    const accepted = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Mehmet Demir', password: PASSWORD, ...TERMS },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  });
});

/** The newest mail of a kind to an address, with its subject and both parts. */
async function mailOf(kind: string, to: string): Promise<OutboxMail> {
  return waitForMail(api, kind, to);
}

/** Signs up (in `language` when given, as the web app sends it) and confirms the address. */
async function signUpAndConfirm(name: string, language?: 'tr' | 'en') {
  const email = newEmail('dil');
  const body = signUpBody({ email, name, ...(language ? { language } : {}) });
  expect((await api.call('POST', '/auth/signup', { body })).status).toBe(202);
  const mail = await mailOf('verify-email', email);
  const token = await tokenFromOutbox(api, 'verify-email', email);
  expect((await api.call('POST', '/auth/verify-email', { body: { token } })).status).toBe(200);
  return { email, mail };
}

describe("account mails in the recipient's language", () => {
  const name = 'Ayşe <b>Kaya</b> & "Ortaklar"';
  const escapedName = 'Ayşe &lt;b&gt;Kaya&lt;/b&gt; &amp; &quot;Ortaklar&quot;';
  let turkish: { email: string; mail: OutboxMail };
  let english: { email: string; mail: OutboxMail };

  beforeAll(async () => {
    // The web app sends no language only if it is an older build: Turkish is the default.
    turkish = await signUpAndConfirm(name);
    english = await signUpAndConfirm(name, 'en');
  });

  it('sends a sign-up from the Turkish app a Turkish confirmation, in text and in HTML with the name escaped', () => {
    const { mail } = turkish;
    expect(mail.subject).toBe('Asistone hesabınız için e-posta adresinizi doğrulayın');
    expect(mail.text).toContain(`Merhaba ${name},`);
    expect(mail.text).toContain('E-posta adresimi doğrula: http');
    expect(mail.html).toContain('<html lang="tr">');
    expect(mail.html).toContain(`Merhaba ${escapedName},`);
    expect(mail.html).not.toContain('<b>Kaya');
    expect(mail.html).toContain(`href="${mail.links[0]}"`);
    expect(mail.text).not.toMatch(/Hello|Confirm/);
  });

  it('sends a sign-up from the English app an English one', () => {
    const { mail } = english;
    expect(mail.subject).toBe('Confirm your email address for Asistone');
    expect(mail.text).toContain(`Hello ${name},`);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain(`Hello ${escapedName},`);
    expect(mail.html).not.toContain('<b>Kaya');
  });

  it("sends the password reset link in the account's language", async () => {
    for (const [person, subject] of [
      [turkish, 'Asistone parolanızı sıfırlayın'],
      [english, 'Reset your Asistone password'],
    ] as const) {
      const asked = await api.call('POST', '/auth/password-reset/request', { body: { email: person.email } });
      expect(asked.status).toBe(202);
      const mail = await mailOf('password-reset', person.email);
      expect(mail.subject).toBe(subject);
      expect(mail.html).toContain(`<html lang="${person === turkish ? 'tr' : 'en'}">`);
      expect(mail.links[0]).toMatch(/\/reset-password\?token=/);
    }
  });

  it("tells a taken address in the account's language, whatever language the new sign-up came in", async () => {
    const again = await api.call('POST', '/auth/signup', {
      body: signUpBody({ email: english.email, language: 'tr' }),
    });
    expect(again.status).toBe(202);
    const notice = await mailOf('sign-up-notice', english.email);
    expect(notice.subject).toBe('You already have an Asistone account');
    expect(notice.text).toContain('Sign in: http');
  });

  it("sends an invitation in the inviter's language, Turkish when the app sends none, and the newcomer keeps it", async () => {
    const business = (await api.call<{ businesses: { name: string }[] }>('GET', '/me', { token: inviter.accessToken }))
      .body.businesses[0]?.name;
    const toEnglish = newEmail('invited.en');
    const toTurkish = newEmail('invited.tr');
    for (const [email, language] of [
      [toEnglish, 'en'],
      [toTurkish, undefined],
    ] as const) {
      const invited = await api.call('POST', `/businesses/${inviter.tenantId}/invites`, {
        token: inviter.accessToken,
        body: { email, role: 'agent', ...(language ? { language } : {}) },
      });
      expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    }
    const inEnglish = await mailOf('invite', toEnglish);
    expect(inEnglish.subject).toBe(`Join ${business} on Asistone`);
    expect(inEnglish.text).toContain(`You are invited to join ${business} on Asistone as an agent.`);
    expect(inEnglish.html).toContain('<html lang="en">');
    const inTurkish = await mailOf('invite', toTurkish);
    expect(inTurkish.subject).toBe(`Asistone'da ${business} ekibine katılın`);
    expect(inTurkish.text).toContain('temsilci olarak');
    expect(inTurkish.html).toContain('<html lang="tr">');

    // The newcomer accepts from the English app: their later mails are English.
    const token = await tokenFromOutbox(api, 'invite', toEnglish);
    const accepted = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Deniz Aydın', password: PASSWORD, language: 'en', ...TERMS },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await logIn(api, toEnglish);
    await api.call('POST', '/auth/password-reset/request', { body: { email: toEnglish } });
    expect((await mailOf('password-reset', toEnglish)).subject).toBe('Reset your Asistone password');
  });

  it('refuses a language the product does not speak, naming the field', async () => {
    const answer = await api.call<Refusal>('POST', '/auth/signup', { body: signUpBody({ language: 'de' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue) => issue.path)).toEqual(['language']);
    const invite = await api.call<Refusal>('POST', `/businesses/${inviter.tenantId}/invites`, {
      token: inviter.accessToken,
      body: { email: newEmail('x'), role: 'agent', language: 'fr' },
    });
    expect(invite.status).toBe(400);
    expect(invite.body.issues.map((issue) => issue.path)).toEqual(['language']);
  });
});
