import type { Language } from '@asistone/contract/accounts';
import type { LimitName } from '@asistone/contract/billing';
import { ProductError } from '../platform/errors.js';

/**
 * What a business is told when its plan does not allow something, or when it is read-only. The
 * API answers both with HTTP 402 (contract/billing.ts `planLimitError`, `readOnlyError`), the
 * message in the caller's language; the errors carry the numbers, so each place that refuses
 * says which limit, what the plan allows and what is used.
 */

/** Refused: the plan's `allowed` would be exceeded by `wanted` more, with `used` in use (or used this month). */
export class PlanLimitError extends ProductError {
  override name = 'PlanLimitError';
  constructor(
    readonly limit: LimitName,
    readonly allowed: number,
    readonly used: number,
    readonly wanted = 1,
  ) {
    super('plan_limit', planLimitMessage({ limit, allowed, used, wanted }, 'en'));
  }
}

/** Refused: the business is read-only (its grace ran out, or its subscription ended). */
export class ReadOnlyError extends ProductError {
  override name = 'ReadOnlyError';
  constructor() {
    super('read_only', READ_ONLY_MESSAGE.en);
  }
}

const number = (value: number, language: Language) => value.toLocaleString(language === 'tr' ? 'tr-TR' : 'en-US');

/** The refusal in `language`, naming the plan's number and what is used. */
export function planLimitMessage(
  refusal: Pick<PlanLimitError, 'limit' | 'allowed' | 'used' | 'wanted'>,
  language: Language,
): string {
  const allowed = number(refusal.allowed, language);
  const used = number(refusal.used, language);
  const left = number(Math.max(0, refusal.allowed - refusal.used), language);
  const wanted = number(refusal.wanted, language);
  const tr = language === 'tr';
  switch (refusal.limit) {
    case 'channels':
      return tr
        ? `Planınız en fazla ${allowed} kanal bağlamaya izin veriyor ve ${used} kanal bağlı. Başka bir kanal bağlamak için planınızı yükseltin ya da bir kanalın bağlantısını kesin.`
        : `Your plan allows ${allowed} connected channels and ${used} are connected. Upgrade your plan or disconnect a channel to connect another.`;
    case 'seats':
      return tr
        ? `Planınız en fazla ${allowed} kişilik bir ekibe izin veriyor; üyeler ve bekleyen davetler ${used} yer tutuyor. Başka birini davet etmek için planınızı yükseltin ya da bir üyeyi veya daveti kaldırın.`
        : `Your plan allows a team of ${allowed}, and members and pending invitations take ${used} of those seats. Upgrade your plan or remove a member or invitation to invite someone else.`;
    case 'aiReplies':
      return tr
        ? `Planınız ayda ${allowed} yapay zekâ cevabı içeriyor ve bu ay ${used} tanesi kullanıldı. Konuşmalar ay sonuna kadar ekibinize devrediliyor; planınızı yükselterek devam edebilirsiniz.`
        : `Your plan includes ${allowed} AI replies a month and ${used} were used this month. Conversations go to your team until the month ends; upgrade your plan to continue.`;
    case 'campaignMessages':
      return tr
        ? `Planınız ayda ${allowed} kampanya mesajı içeriyor; bu ay ${left} mesaj hakkınız kaldı ve bu kampanya ${wanted} alıcıya gidecek. Kitleyi küçültün ya da planınızı yükseltin.`
        : `Your plan includes ${allowed} campaign messages a month; ${left} remain this month and this campaign has ${wanted} recipients. Choose a smaller audience or upgrade your plan.`;
  }
}

/** The read-only refusal: what still works, and what restores the rest. */
export const READ_ONLY_MESSAGE: Readonly<Record<Language, string>> = {
  tr: 'İşletmeniz salt okunur durumda: ödeme alınamadığı için değişiklik yapılamıyor. Ekibiniz her şeyi görüntüleyebilir ve dışa aktarabilir; hiçbir veri silinmez. Ödeme yapıldığında tüm özellikler hemen geri gelir.',
  en: 'Your business is read-only: no payment was received, so nothing can be changed. Your team can still read and export everything, and nothing is deleted. Paying restores full use at once.',
};
