import type { Language } from '@asistone/contract/accounts';
import { type ManagerMailDeps, queueManagerMails } from '../accounts/manager-mails.js';
import { renderMail } from '../notify/render.js';
import { REMINDER_BEFORE_MS } from './accounts.js';
import type { AdsStore } from './records.js';

/**
 * A week before an ad account's token lapses (Meta's long-lived tokens last about 60 days and
 * a server cannot renew them), the business's owners and admins are asked to sign in again;
 * the figures stay and the sync goes on from where it stopped. Once per expiry: the account
 * records when the reminder went, and the mail's key names the expiry.
 */

const WORDS: Record<Language, { subject: string; text: string; why: string; action: string }> = {
  tr: {
    subject: 'Meta reklam hesabı bağlantınızın süresi doluyor: {account}',
    text: '{account} reklam hesabının erişim izni {date} tarihinde sona eriyor. Sonra reklam rakamları güncellenmez.',
    why: 'Reklamlar sayfasından hesabı yeniden bağlayın; geçmiş rakamlar yerinde kalır.',
    action: 'Reklamları aç',
  },
  en: {
    subject: 'Your Meta ad account connection expires soon: {account}',
    text: "{account}'s access expires on {date}. After that its figures are no longer updated.",
    why: 'Connect the account again on the Ads page; the figures so far stay.',
    action: 'Open ads',
  },
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** Queues the reminders due (a connected account whose token lapses within the week); answers how many went. */
export async function remindToReconnect(
  deps: ManagerMailDeps & { ads: AdsStore },
  account: {
    tenantId: string;
    accountId: string;
    name: string;
    tokenExpiresAt?: number;
    reminderSentAt?: number;
    status: string;
  },
  now = Date.now(),
): Promise<number> {
  const expiresAt = account.tokenExpiresAt;
  if (account.status !== 'connected' || expiresAt === undefined) return 0;
  if (expiresAt - now > REMINDER_BEFORE_MS || (account.reminderSentAt ?? 0) >= expiresAt - REMINDER_BEFORE_MS) return 0;
  const { tenantId, accountId } = account;
  const values = { account: account.name, date: new Date(expiresAt).toISOString().slice(0, 10) };
  const queued = await queueManagerMails(deps, tenantId, (to, language, userId) => {
    const words = WORDS[language];
    return renderMail('ads-expiry', to, `ads-expiry/${tenantId}/${accountId}/${expiresAt}/${userId}`, {
      language,
      subject: fill(words.subject, values),
      paragraphs: [fill(words.text, values), words.why],
      action: { label: words.action, url: `${deps.appUrl}/b/${tenantId}/ads` },
    });
  });
  await deps.ads.entities.adAccount
    .patch({ tenantId, accountId })
    .set({ reminderSentAt: now })
    .go({ response: 'none' });
  return queued;
}
