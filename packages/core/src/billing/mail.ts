import type { Language } from '@asistone/contract/accounts';
import { queueManagerMails } from '../accounts/manager-mails.js';
import type { OutgoingMail } from '../notify/mailer.js';
import { renderMail } from '../notify/render.js';
import type { BillingDeps } from './deps.js';

/**
 * Billing's notices to the business's owner and admins, each in their language: a renewal
 * failed (grace starts), the grace reminders, and read-only when grace ran out. Each idempotency
 * key names the unpaid order and the notice, so one notice is mailed once however often the
 * notification or the sweep runs.
 */
export type BillingNotice = 'payment-failed' | 'reminder-first' | 'reminder-last' | 'read-only';

const WORDS: Record<
  Language,
  Record<BillingNotice, { subject: string; text: string }> & { why: string; action: string }
> = {
  tr: {
    'payment-failed': {
      subject: 'Asistone aboneliğinizin ödemesi alınamadı',
      text: 'Aboneliğinizin yenileme ödemesi kartınızdan alınamadı. {date} tarihine kadar her şey çalışmaya devam eder ve ödemeyi her gün yeniden deneriz.',
    },
    'reminder-first': {
      subject: 'Hatırlatma: Asistone ödemeniz bekliyor',
      text: 'Yenileme ödemesi hâlâ alınamadı. {date} tarihine kadar ödeme alınamazsa hesabınız salt okunur olur.',
    },
    'reminder-last': {
      subject: 'Son 2 gün: Asistone hesabınız salt okunur olacak',
      text: 'Yenileme ödemesi alınamadı: {date} tarihinde hesabınız salt okunur olur. Hiçbir veriniz silinmez.',
    },
    'read-only': {
      subject: 'Asistone hesabınız salt okunur',
      text: 'Ödeme alınamadığı için hesabınız {date} itibarıyla salt okunur: ekibiniz giriş yapıp her şeyi okuyabilir ve dışa aktarabilir, değişiklik yapamaz. Hiçbir veriniz silinmedi; ödeme alındığı anda her şey yeniden açılır.',
    },
    why: 'Kartınızı Ayarlar › Faturalandırma bölümünden güncelleyebilirsiniz.',
    action: 'Aboneliği aç',
  },
  en: {
    'payment-failed': {
      subject: 'We could not take your Asistone payment',
      text: 'Your subscription’s renewal could not be charged to your card. Everything keeps working until {date}, and we try the payment again every day.',
    },
    'reminder-first': {
      subject: 'Reminder: your Asistone payment is due',
      text: 'The renewal still could not be charged. Unless a payment succeeds by {date}, your account becomes read-only.',
    },
    'reminder-last': {
      subject: 'Two days left: your Asistone account becomes read-only',
      text: 'The renewal could not be charged: on {date} your account becomes read-only. Nothing is ever deleted.',
    },
    'read-only': {
      subject: 'Your Asistone account is read-only',
      text: 'As the payment could not be taken, your account is read-only since {date}: your team signs in, reads and exports everything, and changes nothing. Nothing was deleted; a successful payment opens everything again at once.',
    },
    why: 'Update your card under Settings › Billing.',
    action: 'Open subscription',
  },
};

export function billingNoticeMail(
  to: string,
  language: Language,
  facts: { notice: BillingNotice; date: number; url: string; key: string },
): OutgoingMail {
  const words = WORDS[language];
  const notice = words[facts.notice];
  const date = new Date(facts.date).toISOString().slice(0, 10);
  return renderMail('billing-notice', to, facts.key, {
    language,
    subject: notice.subject,
    paragraphs: [notice.text.replace('{date}', date), words.why],
    action: { label: words.action, url: facts.url },
  });
}

/** Queues the notice to every owner and admin; answers how many were queued. */
export function queueBillingNotice(
  deps: Pick<BillingDeps, 'store' | 'keyring' | 'mails' | 'appUrl'>,
  tenantId: string,
  facts: { notice: BillingNotice; date: number; orderRef: string },
): Promise<number> {
  return queueManagerMails(deps, tenantId, (to, language, userId) =>
    billingNoticeMail(to, language, {
      notice: facts.notice,
      date: facts.date,
      url: `${deps.appUrl}/b/${tenantId}/settings/billing`,
      key: `billing/${facts.notice}/${tenantId}/${facts.orderRef}/${userId}`,
    }),
  );
}
