import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { brokenNameRule, CURRENT_TERMS_VERSION, NAME_MESSAGES, nameSchema } from '../src/accounts.js';
import { signUpBody } from '../src/auth.js';
import { acceptInviteBody } from '../src/invites.js';
import { inviteBody } from '../src/team.js';

/**
 * Names end up in mail subjects, the team list and the audit log: a line break there can add a
 * mail header (`\r\nBcc:`), a NUL cut a string short, and a direction override make a name read
 * as something else. Every such character is refused with a message saying which kind it is.
 */
const newAccount = {
  businessName: 'Lale Butik',
  name: 'Ayşe Yılmaz',
  email: 'ayse@example.com',
  password: 'correct horse battery staple',
  ageConfirmed: true,
  acceptTerms: true,
  termsVersion: CURRENT_TERMS_VERSION,
};

function issues(schema: z.ZodType, value: unknown) {
  return (schema.safeParse(value).error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

/** One of each kind: C0 (CR LF, LF, TAB, NUL, ESC), DEL, C1 (NEL, CSI), Unicode line breaks. */
const CONTROL = {
  'CR LF': 'Lale Butik\r\nBcc: someone@example.com',
  LF: 'Lale\nButik',
  TAB: 'Lale\tButik',
  NUL: 'Lale\u0000Butik',
  ESC: 'Lale\u001b[31mButik',
  DEL: 'Lale\u007fButik',
  NEL: 'Lale\u0085Butik',
  CSI: 'Lale\u009bButik',
  'line separator': 'Lale\u2028Butik',
  'paragraph separator': 'Lale\u2029Butik',
};

/** Embeddings, overrides, isolates and the invisible marks. */
const DIRECTION = {
  LRE: 'Lale\u202aButik',
  RLE: 'Lale\u202bButik',
  PDF: 'Lale\u202cButik',
  LRO: 'Lale\u202dButik',
  RLO: 'gpj.\u202eexe.Butik',
  LRI: 'Lale\u2066Butik',
  RLI: 'Lale\u2067Butik',
  FSI: 'Lale\u2068Butik',
  PDI: 'Lale\u2069Butik',
  LRM: 'Lale\u200eButik',
  RLM: 'Lale\u200fButik',
  ALM: 'Lale\u061cButik',
};

describe('names', () => {
  it.each(Object.entries(CONTROL))('refuses a control character (%s) with its own message', (_kind, name) => {
    expect(issues(nameSchema, name)).toEqual([{ path: '', message: NAME_MESSAGES.controlCharacter }]);
    expect(brokenNameRule(name)).toBe('controlCharacter');
  });

  it.each(Object.entries(DIRECTION))('refuses a text-direction character (%s) with its own message', (_kind, name) => {
    expect(issues(nameSchema, name)).toEqual([{ path: '', message: NAME_MESSAGES.directionCharacter }]);
    expect(brokenNameRule(name)).toBe('directionCharacter');
  });

  it('refuses them at either end too, where trimming would otherwise hide them', () => {
    expect(brokenNameRule('Lale Butik\n')).toBe('controlCharacter');
    expect(brokenNameRule('\u202eLale Butik')).toBe('directionCharacter');
  });

  it('keeps every name people really have: accents, other scripts, emoji, joiners, punctuation', () => {
    for (const name of [
      'Ayşe Yılmaz',
      'Çiçek Evi & Ortakları',
      'O’Brien <Kahve> "Dükkanı"',
      'مقهى الورد',
      'שושנה',
      '東京カフェ',
      'Gül 🌹 Butik',
      'Aile 👩‍👩‍👧 Fırını',
      'می‌خانه',
    ]) {
      expect(brokenNameRule(name), name).toBeNull();
      expect(nameSchema.parse(`  ${name} `)).toBe(name);
    }
    expect(brokenNameRule('   ')).toBe('required');
    expect(brokenNameRule('x'.repeat(121))).toBe('tooLong');
  });

  it('is the rule of every body that carries a name, and the API names the field', () => {
    const crlf = CONTROL['CR LF'];
    expect(issues(signUpBody, { ...newAccount, businessName: crlf })).toEqual([
      { path: 'businessName', message: NAME_MESSAGES.controlCharacter },
    ]);
    expect(issues(signUpBody, { ...newAccount, name: DIRECTION.RLO })).toEqual([
      { path: 'name', message: NAME_MESSAGES.directionCharacter },
    ]);
    expect(issues(acceptInviteBody, { ...newAccount, name: CONTROL.NUL })).toEqual([
      { path: 'name', message: NAME_MESSAGES.controlCharacter },
    ]);
  });
});

describe('the language of mails', () => {
  it('is Turkish unless the app says English, and nothing else', () => {
    expect(signUpBody.parse(newAccount).language).toBe('tr');
    expect(signUpBody.parse({ ...newAccount, language: 'en' }).language).toBe('en');
    expect(issues(signUpBody, { ...newAccount, language: 'de' }).map((issue) => issue.path)).toEqual(['language']);
    expect(inviteBody.parse({ email: 'mehmet@example.com', role: 'agent' }).language).toBe('tr');
    expect(inviteBody.parse({ email: 'mehmet@example.com', role: 'agent', language: 'en' }).language).toBe('en');
    expect(issues(inviteBody, { email: 'mehmet@example.com', role: 'agent', language: 'EN' })).toHaveLength(1);
    expect(acceptInviteBody.parse(newAccount).language).toBe('tr');
    expect(acceptInviteBody.parse({ ...newAccount, language: 'en' }).language).toBe('en');
  });
});
