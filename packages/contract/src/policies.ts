import * as z from 'zod';

/**
 * The published versions of the terms of use and the privacy policy, declared once. Sign-up,
 * the legal pages, the "accept the new version" modal, `npm run policy -- publish` and the API
 * all read this list; publishing a new version is adding an entry (newest last) and running
 * the publish command, which mails every account holder the entry's material changes.
 *
 * A version's id is the policy's "last updated" date (`YYYY-MM-DD`). `changes` is the short
 * list of what changed that matters to the reader, in each language the product speaks (the
 * product's own summary, not the policy text).
 */

export const POLICY_DOCUMENTS = ['terms', 'privacy'] as const;
export type PolicyDocument = (typeof POLICY_DOCUMENTS)[number];
export const policyDocumentSchema = z.enum(POLICY_DOCUMENTS, 'terms or privacy');

export interface PolicyVersion {
  /** The "last updated" date, `YYYY-MM-DD`: also the version's id. */
  version: string;
  /** When it was published (`YYYY-MM-DD`): mails go out from then on. */
  publishedOn: string;
  /** The material changes, a few short lines, in Turkish and English. */
  changes: { tr: readonly string[]; en: readonly string[] };
}

/** Every document's versions, oldest first; the last is the current one. */
export type PolicyVersions = Readonly<Record<PolicyDocument, readonly PolicyVersion[]>>;

export const POLICY_VERSIONS: PolicyVersions = {
  terms: [
    {
      version: '2026-01-21',
      publishedOn: '2026-01-21',
      changes: {
        tr: [
          'Asistone hesabı 18 yaşını doldurmuş kişiler içindir.',
          'Hesabınızın güvenliğinden ve işletmenizin ekibine verdiğiniz rollerden siz sorumlusunuz.',
          'Kanallarınızı (WhatsApp, Instagram, Messenger) Meta’nın kurallarına uygun kullanmayı kabul edersiniz.',
        ],
        en: [
          'Asistone accounts are for people aged 18 or over.',
          'You are responsible for your account’s security and for the roles you give your team.',
          'You agree to use your channels (WhatsApp, Instagram, Messenger) within Meta’s rules.',
        ],
      },
    },
  ],
  privacy: [
    {
      version: '2026-01-21',
      publishedOn: '2026-01-21',
      changes: {
        tr: [
          'Kişisel veriler her işletmeye özel anahtarlarla şifreli saklanır; kayıtlarda maskelenir.',
          'Hesap silindiğinde tüm veriler en geç 30 gün içinde kalıcı olarak silinir.',
          'Fatura kayıtları yasal süre (en çok 10 yıl), sistem kayıtları en çok 3 yıl saklanır.',
        ],
        en: [
          'Personal data is stored encrypted with keys unique to each business and masked in logs.',
          'When an account is deleted, all its data is permanently deleted within 30 days.',
          'Billing records are kept for the legal period (up to 10 years), system logs up to 3 years.',
        ],
      },
    },
  ],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The current (newest) version of a document. */
export function currentPolicyVersion(
  document: PolicyDocument,
  versions: PolicyVersions = POLICY_VERSIONS,
): PolicyVersion {
  const list = versions[document];
  const current = list[list.length - 1];
  if (!current) throw new Error(`no published version of the ${document}`);
  return current;
}

/**
 * The version of a document someone accepted by accepting the combined "terms and privacy
 * policy" checkbox of sign-up at `termsVersion`: its newest version published on or before
 * that date (ids are dates, so they compare as strings). Undefined when none was published yet.
 */
export function versionInForceOn(
  document: PolicyDocument,
  termsVersion: string,
  versions: PolicyVersions = POLICY_VERSIONS,
): string | undefined {
  return versions[document].filter((entry) => entry.version <= termsVersion).at(-1)?.version;
}

/**
 * What sign-up's checkbox accepts: the newest of the documents' current versions. The checkbox
 * covers both documents ("I accept the terms and the privacy policy"), so accepting this date
 * accepts each document's current version (see {@link versionInForceOn}).
 */
export function currentTermsVersion(versions: PolicyVersions = POLICY_VERSIONS): string {
  return POLICY_DOCUMENTS.map((document) => currentPolicyVersion(document, versions).version)
    .sort()
    .at(-1) as string;
}

/**
 * Problems with a declaration, for a test and for `npm run policy -- publish` to refuse to
 * publish: dates well formed, versions in order, a published date not before the version's,
 * and the same number of changes (at least one) in each language.
 */
export function declarationProblems(versions: PolicyVersions = POLICY_VERSIONS): string[] {
  const problems: string[] = [];
  for (const document of POLICY_DOCUMENTS) {
    const list = versions[document];
    if (list.length === 0) problems.push(`${document}: no version`);
    list.forEach((entry, index) => {
      const name = `${document} ${entry.version}`;
      if (!DATE.test(entry.version) || Number.isNaN(Date.parse(entry.version))) problems.push(`${name}: not a date`);
      if (!DATE.test(entry.publishedOn)) problems.push(`${name}: publishedOn is not a date`);
      if (entry.publishedOn < entry.version) problems.push(`${name}: published before its own date`);
      const previous = list[index - 1];
      if (previous && previous.version >= entry.version) problems.push(`${name}: not newer than ${previous.version}`);
      if (entry.changes.tr.length === 0 || entry.changes.en.length === 0) problems.push(`${name}: no changes listed`);
      if (entry.changes.tr.length !== entry.changes.en.length)
        problems.push(`${name}: TR and EN list differ in length`);
    });
  }
  return problems;
}

/** One document whose current version the signed-in person has not accepted yet. */
export const pendingPolicySchema = z.object({
  document: policyDocumentSchema,
  version: z.string(),
  publishedOn: z.string(),
  changes: z.object({ tr: z.array(z.string()), en: z.array(z.string()) }),
});
export type PendingPolicy = z.output<typeof pendingPolicySchema>;

/** In `GET /api/me`: empty when the person accepted every current version. */
export const pendingPoliciesAnswer = z.array(pendingPolicySchema);

export const POLICY_MESSAGES = {
  notCurrent: 'This is not the current version of this document: reload the page and accept the current one',
} as const;

/**
 * `POST /api/me/policy-acceptances`: the person accepts a document's current version. Only the
 * current version is taken; an older one (a page left open across a publication) is refused,
 * so a recorded acceptance is always of the version the person was shown last.
 */
export const policyAcceptanceBody = z
  .object({ document: policyDocumentSchema, version: z.string().min(1).max(40) })
  .refine((body) => body.version === currentPolicyVersion(body.document).version, {
    message: POLICY_MESSAGES.notCurrent,
    path: ['version'],
  });
export type PolicyAcceptanceBody = z.output<typeof policyAcceptanceBody>;

/** The recorded acceptance (the first one, when the same version was accepted before). */
export const policyAcceptanceAnswer = z.object({
  document: policyDocumentSchema,
  version: z.string(),
  acceptedAt: z.iso.datetime(),
});
