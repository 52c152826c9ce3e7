import type { Language } from '@asistone/contract/accounts';
import { type ManagerMailDeps, queueManagerMails } from '../../accounts/manager-mails.js';
import type { OutgoingMail } from '../../notify/mailer.js';
import { renderMail } from '../../notify/render.js';

/**
 * The reminder that a channel's token lapses (or lapsed), to the business's owner and admins,
 * each in their own language. The idempotency key names the channel and the expiry, so one
 * expiry is mailed once (a re-run, a redelivery: the mail worker's receipt holds).
 */

const WORDS: Record<
  Language,
  { soon: string; lapsed: string; soonText: string; lapsedText: string; why: string; action: string }
> = {
  tr: {
    soon: '{channel} bağlantınızın süresi yakında doluyor',
    lapsed: '{channel} bağlantınızın süresi doldu',
    soonText: '{channel} bağlantısının erişim izni {date} tarihinde sona eriyor ve Asistone bunu yenileyemedi.',
    lapsedText:
      '{channel} bağlantısının erişim izni {date} tarihinde sona erdi: bu hesaba gelen mesajlar artık gelen kutunuza düşmüyor.',
    why: 'Ayarlar › Kanallar bölümünden hesabı yeniden bağlayın; konuşmalarınız yerinde kalır.',
    action: 'Kanalları aç',
  },
  en: {
    soon: 'Your {channel} connection expires soon',
    lapsed: 'Your {channel} connection has expired',
    soonText: "{channel}'s access expires on {date} and Asistone could not renew it.",
    lapsedText: "{channel}'s access expired on {date}: messages to this account no longer reach your inbox.",
    why: 'Connect the account again under Settings › Channels; your conversations stay where they are.',
    action: 'Open channels',
  },
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

export function channelExpiryMail(
  to: string,
  language: Language,
  facts: { channel: string; expiresAt: number; lapsed: boolean; url: string; key: string },
): OutgoingMail {
  const words = WORDS[language];
  const values = { channel: facts.channel, date: new Date(facts.expiresAt).toISOString().slice(0, 10) };
  return renderMail('channel-expiry', to, facts.key, {
    language,
    subject: fill(facts.lapsed ? words.lapsed : words.soon, values),
    paragraphs: [fill(facts.lapsed ? words.lapsedText : words.soonText, values), words.why],
    action: { label: words.action, url: facts.url },
  });
}

/** What the reminder needs: the accounts (owners, admins and their addresses) and the mail queue. */
export type ExpiryMailDeps = ManagerMailDeps;

/** Queues the reminder to every owner and admin of the business; answers how many were queued. */
export async function queueChannelExpiryMails(
  deps: ExpiryMailDeps,
  channel: { tenantId: string; kind: string; externalId: string; label: string; tokenExpiresAt: number },
  lapsed: boolean,
): Promise<number> {
  const { tenantId } = channel;
  return queueManagerMails(deps, tenantId, (to, language, userId) =>
    channelExpiryMail(to, language, {
      channel: channel.label,
      expiresAt: channel.tokenExpiresAt,
      lapsed,
      // The business's own Settings › Channels page (the app's routes are per business).
      url: `${deps.appUrl}/b/${tenantId}/settings/channels`,
      key: `channel-expiry/${tenantId}/${channel.kind}-${channel.externalId}/${channel.tokenExpiresAt}/${userId}`,
    }),
  );
}
