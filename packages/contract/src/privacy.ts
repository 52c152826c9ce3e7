import * as z from 'zod';

/**
 * Who processes the data businesses keep in Asistone, declared once: the API answers it
 * (`GET /api/businesses/:tenantId/privacy/subprocessors`) and the web app's privacy page shows
 * it. Adding a provider to the product means adding it here, with where it processes data and
 * what protects a transfer, before its first call goes out.
 *
 * Texts are the product's own words in both languages the app speaks; the page never
 * translates them itself, so what the API answers is what the merchant reads.
 */

export const SUBPROCESSOR_IDS = ['aws', 'meta', 'openai', 'resend', 'netgsm', 'iyzico'] as const;
export type SubprocessorId = (typeof SUBPROCESSOR_IDS)[number];

/** A text in each language of the app. */
const localized = z.object({ tr: z.string().min(1), en: z.string().min(1) });
export type Localized = z.output<typeof localized>;

/** What protects personal data that leaves Türkiye and the EEA (or why nothing has to). */
export const SAFEGUARDS = [
  /** Processed inside Türkiye: no transfer abroad. */
  'none-needed',
  /** The EU Commission's standard contractual clauses, with the KVKK's standard contract for data leaving Türkiye. */
  'standard-contractual-clauses',
] as const;
export type Safeguard = (typeof SAFEGUARDS)[number];

export const subprocessorSchema = z.object({
  id: z.enum(SUBPROCESSOR_IDS),
  /** The company, as it signs its agreements. */
  name: z.string().min(1),
  purpose: localized,
  /** The kinds of data it receives, never examples of the data itself. */
  data: localized,
  /** Where it processes the data. */
  location: localized,
  /** ISO 3166 codes of the countries (or `EU`) where processing happens. */
  countries: z.array(z.string().min(2).max(3)).min(1),
  /** True when the data leaves both Türkiye and the EEA (the transfers the KVKK and the GDPR regulate most). */
  transferOutsideTurkiyeAndEea: z.boolean(),
  safeguard: z.enum(SAFEGUARDS),
  /** In use today for every business; `false` until the feature that calls it lands or is turned on. */
  active: z.boolean(),
  /** What turns it on, for one that is not in use yet ("used once you turn on …"). */
  since: localized.optional(),
});
export type Subprocessor = z.output<typeof subprocessorSchema>;

/**
 * The declaration. AWS holds everything (eu-central-1, Frankfurt); Meta carries the messages a
 * business exchanges on its channels; Resend sends the product's own mails; NetGSM sends a
 * business's SMS through its own account. OpenAI answers for the businesses that turn on the AI agent. iyzico
 * takes the payments of Asistone's subscriptions.
 */
export const SUBPROCESSORS: readonly Subprocessor[] = [
  {
    id: 'aws',
    name: 'Amazon Web Services EMEA SARL',
    purpose: {
      tr: 'Barındırma: uygulama, veritabanı, dosya deposu, kuyruklar ve şifreleme anahtarları',
      en: 'Hosting: the application, database, file storage, queues and encryption keys',
    },
    data: {
      tr: 'İşletmenin tuttuğu tüm veriler (hesaplar, müşteriler, konuşmalar, medya), işletmeye özel anahtarla şifrelenmiş',
      en: 'Everything a business keeps (accounts, customers, conversations, media), encrypted with the business’s own key',
    },
    location: { tr: 'Almanya, Frankfurt (AB, eu-central-1)', en: 'Germany, Frankfurt (EU, eu-central-1)' },
    countries: ['DE'],
    transferOutsideTurkiyeAndEea: false,
    safeguard: 'standard-contractual-clauses',
    active: true,
  },
  {
    id: 'meta',
    name: 'Meta Platforms Ireland Ltd.',
    purpose: {
      tr: 'WhatsApp Cloud API, Instagram ve Messenger mesajlaşması; ileride reklam içgörüleri',
      en: 'WhatsApp Cloud API, Instagram and Messenger messaging; ad insights later',
    },
    data: {
      tr: 'Gönderilen ve alınan mesajlar ve medya, müşterilerin telefon numaraları ve hesap kimlikleri',
      en: 'Messages and media sent and received, customers’ phone numbers and account ids',
    },
    location: { tr: 'İrlanda (AB) ve ABD', en: 'Ireland (EU) and the United States' },
    countries: ['IE', 'US'],
    transferOutsideTurkiyeAndEea: true,
    safeguard: 'standard-contractual-clauses',
    active: true,
  },
  {
    id: 'openai',
    name: 'OpenAI, L.L.C.',
    purpose: {
      tr: 'Yapay zekâ yanıtları, yalnızca asistanı açan işletmeler için (yalnızca çıkarım; yanıtlar saklanmaz, eğitim için kullanılmaz)',
      en: 'AI replies, only for businesses that turn the agent on (inference only; not stored, never used for training)',
    },
    data: {
      tr: 'Yanıtlanacak konuşmanın metni (kart numarası gibi bilgiler gizlenerek) ve mağazanın kendi bilgileri',
      en: 'The text of the conversation being answered (card numbers and the like hidden) and the store’s own information',
    },
    location: { tr: 'ABD', en: 'United States' },
    countries: ['US'],
    transferOutsideTurkiyeAndEea: true,
    safeguard: 'standard-contractual-clauses',
    // Called since the ai area landed (packages/core/src/ai/model.ts), with `store: false`.
    active: true,
  },
  {
    id: 'resend',
    name: 'Resend, Inc.',
    purpose: {
      tr: 'İşlem e-postaları (doğrulama, davet, bildirim)',
      en: 'Transactional email (verification, invitations, notices)',
    },
    data: {
      tr: 'Ekip üyelerinin e-posta adresleri ve adları, sipariş bildirimi gönderilen müşterilerin e-posta adresleri ve e-postanın içeriği',
      en: 'Team members’ email addresses and names, the email addresses of customers sent order notifications, and the mail’s content',
    },
    location: { tr: 'ABD', en: 'United States' },
    countries: ['US'],
    transferOutsideTurkiyeAndEea: true,
    safeguard: 'standard-contractual-clauses',
    active: true,
  },
  {
    id: 'netgsm',
    name: 'NetGSM İletişim ve Bilgi Teknolojileri A.Ş.',
    purpose: { tr: 'SMS bildirimleri', en: 'SMS notifications' },
    data: { tr: 'Telefon numaraları ve SMS metni', en: 'Phone numbers and the text of the SMS' },
    location: { tr: 'Türkiye', en: 'Türkiye' },
    countries: ['TR'],
    transferOutsideTurkiyeAndEea: false,
    safeguard: 'none-needed',
    // Called since the sms area landed (packages/core/src/sms/): each business with its own NetGSM account.
    active: true,
  },
  {
    id: 'iyzico',
    name: 'iyzi Ödeme ve Elektronik Para Hizmetleri A.Ş.',
    purpose: { tr: 'Abonelik ödemeleri', en: 'Subscription payments' },
    data: {
      tr: 'Fatura bilgileri ve ödeme kayıtları (kart numaraları Asistone’da tutulmaz)',
      en: 'Billing details and payment records (card numbers are never kept by Asistone)',
    },
    location: { tr: 'Türkiye', en: 'Türkiye' },
    countries: ['TR'],
    transferOutsideTurkiyeAndEea: false,
    safeguard: 'none-needed',
    // Called since the billing area landed (packages/core/src/billing/): Asistone's own
    // subscriptions, the card entered on iyzico's hosted forms only.
    active: true,
  },
];

/** `GET …/privacy/subprocessors`: any member. */
export const subprocessorsAnswer = z.object({ subprocessors: z.array(subprocessorSchema) });

/** Days a request of a business about its data may take at most, by the policy. */
export const PRIVACY_REQUEST_DAYS = 30;

/**
 * `POST …/privacy/transfer-agreements-request` → 201: recorded with its deadline; the owner is
 * mailed a confirmation. A second request while one is open answers the open one (200).
 */
export const transferAgreementsRequestAnswer = z.object({
  id: z.string(),
  kind: z.literal('transfer-agreements'),
  status: z.literal('open'),
  requestedAt: z.string(),
  requestedBy: z.string(),
  /** `requestedAt` + {@link PRIVACY_REQUEST_DAYS} days. */
  dueAt: z.string(),
});
export type TransferAgreementsRequest = z.output<typeof transferAgreementsRequestAnswer>;

/** `GET …/privacy/transfer-agreements-request` (owners and admins): the open request, if any. */
export const openTransferAgreementsRequestAnswer = z.object({ request: transferAgreementsRequestAnswer.nullable() });

/**
 * Every request about personal data a business has had, from the app, by mail (recorded by
 * ops), from ops, or from Meta's data deletion callback, each with the deadline the policy sets.
 */
export const PRIVACY_REQUEST_KINDS = [
  'contact-export',
  'contact-correction',
  'contact-restriction',
  'contact-erasure',
  'account-export',
  'account-deletion',
  'transfer-agreements',
  'meta-data-deletion',
] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
export const PRIVACY_REQUEST_SOURCES = ['app', 'email', 'ops', 'meta', 'shopify'] as const;
export type PrivacyRequestSource = (typeof PRIVACY_REQUEST_SOURCES)[number];

/** What a finished request removed or handed over, by data class and count (no personal data). */
export const privacyReceiptSchema = z.object({
  receiptId: z.string(),
  /** ISO time it finished. */
  at: z.string(),
  /** `member:<userId>`, `ops:<name>`, `schedule:<name>` or `meta`. */
  by: z.string(),
  items: z.array(z.object({ dataClass: z.string(), count: z.number().int().nonnegative() })),
});
export type PrivacyReceipt = z.output<typeof privacyReceiptSchema>;

export const privacyRequestSchema = z.object({
  requestId: z.string(),
  kind: z.enum(PRIVACY_REQUEST_KINDS),
  source: z.enum(PRIVACY_REQUEST_SOURCES),
  status: z.enum(['open', 'done', 'cancelled']),
  /** ISO time it was received (for a mailed request, when the mail arrived). */
  requestedAt: z.string(),
  /** `requestedAt` + {@link PRIVACY_REQUEST_DAYS} days. */
  dueAt: z.string(),
  completedAt: z.string().nullable(),
  receipt: privacyReceiptSchema.nullable(),
});
export type PrivacyRequest = z.output<typeof privacyRequestSchema>;

/** `GET /businesses/:tenantId/privacy/requests` (data.export): newest first. */
export const privacyRequestsAnswer = z.object({ requests: z.array(privacyRequestSchema) });
