import { LANGUAGES } from '@asistone/contract/accounts';
import { describe, expect, it } from 'vitest';
import {
  type AccountMailTemplate,
  MAIL_TEMPLATES,
  placeholdersOf,
  renderAccountMail,
} from '../src/accounts/mail-templates.js';
import { inviteMail, passwordResetMail, securityNoticeMail, verifyEmailMail } from '../src/accounts/mails.js';

/**
 * One template set for every account mail: each mail exists in every language, asks for the
 * same values in each, and renders to a subject, a plain-text part and an HTML part that say
 * the same, with values escaped and kept on their line.
 */
const TEMPLATES = Object.keys(MAIL_TEMPLATES) as AccountMailTemplate[];
const URL = 'https://app.asistone.test/verify-email?token=abc_DEF-123';

function stringsOf(template: AccountMailTemplate, language: (typeof LANGUAGES)[number]): string[] {
  const { subject, greeting, paragraphs, action } = MAIL_TEMPLATES[template][language];
  return [subject, ...(greeting ? [greeting] : []), ...paragraphs, action];
}

describe('the template set', () => {
  it.each(TEMPLATES)('has %s in Turkish and English, asking for the same values, and really translated', (template) => {
    const [first, ...others] = LANGUAGES.map((language) => stringsOf(template, language));
    const asked = (strings: string[]) => strings.flatMap(placeholdersOf).sort();
    for (const strings of others) {
      expect(asked(strings)).toEqual(asked(first ?? []));
      expect(strings).toHaveLength((first ?? []).length);
      // Not one sentence left as it was in the other language.
      for (const [index, text] of strings.entries()) expect(text).not.toBe(first?.[index]);
    }
    for (const strings of [first, ...others]) for (const text of strings ?? []) expect(text.trim()).not.toBe('');
  });

  it.each(TEMPLATES.flatMap((template) => LANGUAGES.map((language) => [template, language] as const)))(
    'renders %s (%s) to a subject, a text part and an HTML part carrying the same link',
    (template, language) => {
      const values = {
        name: 'Ayşe',
        business: 'Lale Butik',
        role: 'x',
        when: 'now',
        network: '85.105.x.x',
        codesLeft: '3',
      };
      const mail = renderAccountMail(template, language, {
        to: 'ayse@example.com',
        idempotencyKey: 'k/1',
        url: URL,
        values,
      });
      const strings = MAIL_TEMPLATES[template][language];
      expect(mail.subject.length).toBeGreaterThan(0);
      expect(mail.subject).not.toMatch(/[{}]/);
      expect(mail.text).toContain(`${strings.action}: ${URL}`);
      expect(mail.html).toContain(`<html lang="${language}">`);
      expect(mail.html).toContain(`<a href="${URL}">`);
      for (const paragraph of strings.paragraphs) {
        const filled = paragraph.replace(/\{(\w+)\}/g, (_, name: string) => values[name as keyof typeof values]);
        expect(mail.text).toContain(filled);
        expect(mail.html).toContain(filled.replaceAll("'", '&#39;'));
      }
    },
  );
});

describe('rendering', () => {
  it('escapes names in the HTML part and leaves them as typed in the text part', () => {
    const name = 'Ayşe <script>alert(1)</script> & "Ortaklar"';
    const mail = verifyEmailMail('ayse@example.com', name, URL, 'h1', 'tr');
    expect(mail.text).toContain(`Merhaba ${name},`);
    expect(mail.html).toContain('Merhaba Ayşe &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ortaklar&quot;,');
    expect(mail.html).not.toContain('<script>');
  });

  it('keeps a value stored before the name rule on its line and in its reading order', () => {
    const mail = inviteMail('new@example.com', 'Lale\r\nBcc: x@example.com \u202eButik', 'agent', URL, 'i1', 'en');
    expect(mail.subject).toBe('Join Lale Bcc: x@example.com Butik on Asistone');
    expect(mail.text).toContain('You are invited to join Lale Bcc: x@example.com Butik on Asistone as an agent.');
    expect(mail.text).not.toMatch(/[\u202a-\u202e]/);
  });

  it('writes the role in the language of the mail', () => {
    expect(inviteMail('a@example.com', 'Lale', 'analyst', URL, 'i2', 'tr').text).toContain('analist olarak');
    expect(inviteMail('a@example.com', 'Lale', 'admin', URL, 'i3', 'en').text).toContain('as an admin.');
  });

  it('leaves out a sentence whose value is not known', () => {
    const at = new Date('2026-02-01T10:20:30Z');
    const withNetwork = securityNoticeMail(
      'a@example.com',
      'recovery-code-used',
      { at, network: '85.105.x.x', codesLeft: 4 },
      'https://app',
      'n1',
      'en',
    );
    expect(withNetwork.text).toContain('When: 2026-02-01 10:20 UTC.');
    expect(withNetwork.text).toContain('From the network 85.105.x.x.');
    expect(withNetwork.text).toContain('Recovery codes left: 4.');
    const without = securityNoticeMail('a@example.com', 'second-factor-enabled', { at }, 'https://app', 'n2');
    expect(without.html).toContain('<html lang="tr">');
    expect(without.text).toContain('Zaman: 2026-02-01 10:20 UTC.');
    expect(without.text).not.toMatch(/Bağlanılan ağ|Kalan kurtarma kodu|\{/);
  });

  it('keeps each mail kind and idempotency key as before', () => {
    expect(passwordResetMail('a@example.com', URL, 'h2', 'en')).toMatchObject({
      kind: 'password-reset',
      idempotencyKey: 'password-reset/h2',
      subject: 'Reset your Asistone password',
    });
    expect(
      securityNoticeMail('a@example.com', 'second-factor-disabled', { at: new Date() }, 'https://app', 'n3', 'en'),
    ).toMatchObject({
      kind: 'security-notice',
      idempotencyKey: 'security-notice/n3',
    });
  });
});
