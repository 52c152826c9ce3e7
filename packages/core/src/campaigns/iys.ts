import type { CampaignSettings } from '@asistone/contract/campaign-audience';

/**
 * İYS (İleti Yönetim Sistemi), Turkey's registry of consents to commercial electronic messages:
 * a commercial message to a Turkish number needs the recipient's consent registered there, on
 * top of the business's own record. No registry API is wired: the business attests (settings,
 * `attested`) that its consents are registered, and only the grants it marked as registered
 * (the ledger entry's `iys` flag: set by an import whose list says so, or by the team) count
 * for Turkish numbers. `off` leaves the consent ledger alone to decide, for a business whose
 * messages do not need İYS.
 */

/** Turkish numbers, E.164. */
const TURKISH_NUMBER = /^\+90\d{10}$/;

/** Whether a campaign to this number needs a grant marked as registered in İYS. */
export function needsIysConsent(settings: Pick<CampaignSettings, 'iys'>, e164: string): boolean {
  return settings.iys.mode === 'attested' && TURKISH_NUMBER.test(e164);
}
