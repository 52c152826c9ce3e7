import { CONTROL_CHARACTER, DIRECTION_CHARACTER, type Language } from '@asistone/contract/accounts';
import type { AssignableRole } from '@asistone/contract/roles';
import type { MailKind, OutgoingMail } from '../notify/mailer.js';
import { type MailContent, renderMail } from '../notify/render.js';

/**
 * Every mail the accounts area sends, in each language the product speaks: one set of
 * strings per mail and language, from which {@link renderAccountMail} makes the subject, the
 * plain-text part and the HTML part. `{name}` stands for a value given when rendering; a
 * paragraph naming a value that is not given is left out. Turkish is the default language.
 */
export interface MailTemplate {
  subject: string;
  greeting?: string;
  paragraphs: string[];
  /** The label of the mail's one link. */
  action: string;
}

/** The changes to how a person signs in that are mailed to the account (see `security-notices.ts`). */
export type SecurityChange =
  | 'second-factor-enabled'
  | 'second-factor-disabled'
  | 'recovery-codes-regenerated'
  | 'recovery-code-used';

export type AccountMailTemplate =
  | Exclude<
      MailKind,
      | 'security-notice'
      | 'channel-expiry'
      | 'ads-expiry'
      | 'low-stock'
      | 'billing-notice'
      | 'privacy-request'
      | 'policy-changed'
    >
  | `security-notice/${SecurityChange}`;

/** What every security notice says after its own two sentences. */
const SECURITY_FACTS: Record<Language, string[]> = {
  tr: [
    'Zaman: {when}.',
    'Bağlanılan ağ: {network}.',
    'Kalan kurtarma kodu: {codesLeft}.',
    'Bunu siz yapmadıysanız hemen yeni bir parola belirleyin ve Ayarlar › Oturumlar bölümünden tanımadığınız oturumları kapatın.',
  ],
  en: [
    'When: {when}.',
    'From the network {network}.',
    'Recovery codes left: {codesLeft}.',
    'If this was not you, choose a new password now and sign out the sessions you do not recognise under Settings › Sessions.',
  ],
};

function securityNotice(language: Language, subject: string, what: string, next: string): MailTemplate {
  const action = language === 'tr' ? 'Yeni parola belirle' : 'Choose a new password';
  return { subject, paragraphs: [what, next, ...SECURITY_FACTS[language]], action };
}

export const MAIL_TEMPLATES: Record<AccountMailTemplate, Record<Language, MailTemplate>> = {
  'verify-email': {
    tr: {
      subject: 'Asistone hesabınız için e-posta adresinizi doğrulayın',
      greeting: 'Merhaba {name},',
      paragraphs: [
        'Asistone hesabınızı oluşturmayı tamamlamak için e-posta adresinizi doğrulayın.',
        'Bağlantı 24 saat geçerlidir. Bu hesabı siz oluşturmadıysanız bu e-postayı dikkate almayın.',
      ],
      action: 'E-posta adresimi doğrula',
    },
    en: {
      subject: 'Confirm your email address for Asistone',
      greeting: 'Hello {name},',
      paragraphs: [
        'Confirm your email address to finish creating your Asistone account.',
        'The link works for 24 hours. If you did not sign up, ignore this mail.',
      ],
      action: 'Confirm my email address',
    },
  },
  'sign-up-notice': {
    tr: {
      subject: 'Zaten bir Asistone hesabınız var',
      paragraphs: [
        'Birisi bu e-posta adresiyle bir Asistone hesabı oluşturmaya çalıştı; bu adresin zaten bir hesabı var.',
        'Bu sizseniz giriş yapın, parolanızı unuttuysanız sıfırlayın. Siz değilseniz bu e-postayı dikkate almayın.',
      ],
      action: 'Giriş yap',
    },
    en: {
      subject: 'You already have an Asistone account',
      paragraphs: [
        'Someone tried to create an Asistone account with this email address, which already has one.',
        'If it was you, sign in, or reset your password if you forgot it. Otherwise, ignore this mail.',
      ],
      action: 'Sign in',
    },
  },
  'password-reset': {
    tr: {
      subject: 'Asistone parolanızı sıfırlayın',
      paragraphs: [
        'Yeni bir parola belirlemek için bağlantıyı açın. Bağlantı bir saat geçerlidir ve yalnızca bir kez kullanılabilir.',
        'Yeni parola belirlediğinizde tüm cihazlardaki oturumlarınız kapanır. Bu isteği siz yapmadıysanız bu e-postayı dikkate almayın.',
      ],
      action: 'Yeni parola belirle',
    },
    en: {
      subject: 'Reset your Asistone password',
      paragraphs: [
        'Follow the link to choose a new password. It works for one hour, once.',
        'Choosing a new password signs you out everywhere. If you did not ask for this, ignore this mail.',
      ],
      action: 'Choose a new password',
    },
  },
  invite: {
    tr: {
      subject: "Asistone'da {business} ekibine katılın",
      paragraphs: ["{business} sizi Asistone'da ekibine {role} olarak davet ediyor.", 'Davet 7 gün geçerlidir.'],
      action: 'Daveti kabul et',
    },
    en: {
      subject: 'Join {business} on Asistone',
      paragraphs: ['You are invited to join {business} on Asistone as {role}.', 'The invitation works for 7 days.'],
      action: 'Accept the invitation',
    },
  },
  'security-notice/second-factor-enabled': {
    tr: securityNotice(
      'tr',
      'Asistone hesabınızda iki adımlı doğrulama açıldı',
      'Asistone hesabınızda iki adımlı doğrulama açıldı.',
      'Artık giriş yaparken doğrulama uygulamanızdaki kod ya da kurtarma kodlarınızdan biri de istenecek.',
    ),
    en: securityNotice(
      'en',
      'Two-step verification is on for your Asistone account',
      'Two-step verification was turned on for your Asistone account.',
      'Signing in now also takes a code from your authenticator app, or one of your recovery codes.',
    ),
  },
  'security-notice/second-factor-disabled': {
    tr: securityNotice(
      'tr',
      'Asistone hesabınızda iki adımlı doğrulama kapatıldı',
      'Asistone hesabınızda iki adımlı doğrulama kapatıldı.',
      'Artık giriş için yalnızca parolanız yeterli. Ayarlar › Güvenlik bölümünden yeniden açabilirsiniz.',
    ),
    en: securityNotice(
      'en',
      'Two-step verification is off for your Asistone account',
      'Two-step verification was turned off for your Asistone account.',
      'Signing in now takes only your password. You can turn it on again under Settings › Security.',
    ),
  },
  'security-notice/recovery-codes-regenerated': {
    tr: securityNotice(
      'tr',
      'Asistone hesabınız için yeni kurtarma kodları oluşturuldu',
      'Asistone hesabınız için yeni kurtarma kodları oluşturuldu.',
      'Önceki kurtarma kodları artık çalışmıyor.',
    ),
    en: securityNotice(
      'en',
      'New recovery codes for your Asistone account',
      'New recovery codes were created for your Asistone account.',
      'The previous recovery codes no longer work.',
    ),
  },
  'security-notice/recovery-code-used': {
    tr: securityNotice(
      'tr',
      'Asistone hesabınızın bir kurtarma kodu kullanıldı',
      'Asistone hesabınızın kurtarma kodlarından biri kullanıldı.',
      'Bu kod artık çalışmıyor. Kodlarınız bitmeden Ayarlar › Güvenlik bölümünden yeni kodlar oluşturun.',
    ),
    en: securityNotice(
      'en',
      'A recovery code of your Asistone account was used',
      'One of the recovery codes of your Asistone account was used.',
      'That code no longer works. Create new codes under Settings › Security before they run out.',
    ),
  },
};

/** A role as it reads mid-sentence in an invitation. */
export const ROLE_WORDS: Record<Language, Record<AssignableRole, string>> = {
  tr: { admin: 'yönetici', agent: 'temsilci', analyst: 'analist' },
  en: { admin: 'an admin', agent: 'an agent', analyst: 'an analyst' },
};

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'gu');
const DIRECTION_CHARACTERS = new RegExp(DIRECTION_CHARACTER.source, 'gu');

/**
 * A value as it may appear in a mail: on one line and in its own reading order. Names are
 * checked when they come in; this covers those stored before the rule.
 */
function plainValue(value: string): string {
  return value.replace(CONTROL_CHARACTERS, ' ').replace(DIRECTION_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The names a template string asks for. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map(([, name]) => name as string);
}

function fill(text: string, values: Record<string, string | undefined>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => plainValue(values[name] ?? ''));
}

export interface AccountMail {
  to: string;
  idempotencyKey: string;
  /** The one link of the mail. */
  url: string;
  values?: Record<string, string | undefined>;
}

/**
 * A mail of the accounts area in `language`, rendered from {@link MAIL_TEMPLATES}.
 *
 * @example
 * renderAccountMail('password-reset', 'en', { to, idempotencyKey: `password-reset/${id}`, url });
 */
export function renderAccountMail(template: AccountMailTemplate, language: Language, mail: AccountMail): OutgoingMail {
  const strings = MAIL_TEMPLATES[template][language];
  const values = mail.values ?? {};
  const given = (text: string) => placeholdersOf(text).every((name) => values[name] !== undefined);
  const content: MailContent = {
    language,
    subject: fill(strings.subject, values),
    greeting: strings.greeting === undefined ? undefined : fill(strings.greeting, values),
    paragraphs: strings.paragraphs.filter(given).map((paragraph) => fill(paragraph, values)),
    action: { label: strings.action, url: mail.url },
  };
  const kind: MailKind = template.startsWith('security-notice/') ? 'security-notice' : (template as MailKind);
  return renderMail(kind, mail.to, mail.idempotencyKey, content);
}
