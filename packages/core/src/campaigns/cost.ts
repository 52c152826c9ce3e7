import type { AudienceCost, CampaignSettings } from '@asistone/contract/campaign-audience';

/**
 * What sending to `eligible` customers would cost at the business's own price per marketing
 * message, computed exactly on decimal strings (money is never a float). Null when the business
 * has not set a price: the app says so instead of guessing. It is an estimate: Meta bills per
 * delivered message, by the recipient's country.
 */
export function costPreview(eligible: number, settings: Pick<CampaignSettings, 'marketingPrice'>): AudienceCost | null {
  const price = settings.marketingPrice;
  if (!price) return null;
  const [whole = '0', fraction = ''] = price.amount.split('.');
  const scale = fraction.length;
  const units = BigInt(whole + fraction) * BigInt(eligible);
  return { perMessage: price.amount, total: decimal(units, scale), currency: price.currency };
}

/** `units / 10^scale` written out, with at least two decimals (1.5 → "1.50", 0.0109 × 3 → "0.0327"). */
function decimal(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? digits.slice(digits.length - scale) : '';
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${trimmed}`;
}
