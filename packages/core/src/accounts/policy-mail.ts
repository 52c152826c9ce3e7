import type { Language } from '@asistone/contract/accounts';
import type { PolicyDocument, PolicyVersion } from '@asistone/contract/policies';
import type { OutgoingMail } from '../notify/mailer.js';
import { renderMail } from '../notify/render.js';

/**
 * The `policy-changed` mail: a new version of the terms or the privacy policy was published.
 * It lists the version's material changes in the reader's language, one per paragraph, says
 * that the next sign-in asks for acknowledgement, and links to the document's page. Its own
 * template (not in `MAIL_TEMPLATES`): the list of changes is not a fixed set of paragraphs.
 */
export const POLICY_MAIL_TEMPLATE: Record<
  Language,
  {
    documents: Record<PolicyDocument, string>;
    subject: string;
    greeting: string;
    intro: string;
    next: string;
    action: string;
  }
> = {
  tr: {
    documents: { terms: 'Kullanım Koşulları', privacy: 'Gizlilik Politikası' },
    subject: 'Asistone {document} güncellendi',
    greeting: 'Merhaba {name},',
    intro: 'Asistone {document} metninin {version} tarihli yeni sürümü yayımlandı. Önemli değişiklikler:',
    next: 'Bir sonraki girişinizde yeni sürümü okuyup onaylamanız istenecek.',
    action: 'Metni oku',
  },
  en: {
    documents: { terms: 'Terms of use', privacy: 'Privacy policy' },
    subject: 'Asistone {document} updated',
    greeting: 'Hello {name},',
    intro: 'A new version of the Asistone {document}, dated {version}, has been published. What changed:',
    next: 'The next time you sign in, you will be asked to read and accept the new version.',
    action: 'Read it',
  },
};

/** The legal page of each document in the web app. */
export const POLICY_PATHS: Record<PolicyDocument, string> = { terms: '/terms', privacy: '/privacy' };

export interface PolicyMailInput {
  to: string;
  /** The person's name, opened from their account. */
  name: string;
  userId: string;
  language: Language;
  document: PolicyDocument;
  version: PolicyVersion;
  appUrl: string;
}

/** The idempotency key: one mail per document, version and person, whoever queues it. */
export function policyMailKey(document: PolicyDocument, version: string, userId: string): string {
  return `policy-changed/${document}/${version}/${userId}`;
}

export function policyChangedMail(input: PolicyMailInput): OutgoingMail {
  const strings = POLICY_MAIL_TEMPLATE[input.language];
  const documentName = strings.documents[input.document];
  const fill = (text: string) =>
    text
      .replace('{document}', documentName)
      .replace('{version}', input.version.version)
      // Names are checked when they come in; one stored before the rule stays on its line here.
      .replace('{name}', input.name.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim());
  return renderMail('policy-changed', input.to, policyMailKey(input.document, input.version.version, input.userId), {
    language: input.language,
    subject: fill(strings.subject),
    greeting: fill(strings.greeting),
    paragraphs: [
      fill(strings.intro),
      ...input.version.changes[input.language].map((change) => `• ${change}`),
      strings.next,
    ],
    action: { label: strings.action, url: `${input.appUrl}${POLICY_PATHS[input.document]}` },
  });
}
