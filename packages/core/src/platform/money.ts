/**
 * Exact money: decimal strings as providers send them ("629.49") to integer minor units and
 * back, and ratios of integers as rounded decimal strings. No float ever holds an amount.
 */

/** How many decimals a currency's minor unit has (TRY 2, JPY 0), by ISO 4217 via Intl. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A decimal amount ("629.49") in minor units of a currency with `digits` decimals, exactly. */
export function toMinor(amount: string, digits = 2): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error('Not a decimal amount');
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    throw new Error('More decimals than the currency has');
  }
  const cents = fraction.slice(0, digits).padEnd(digits, '0');
  const minor = BigInt(whole as string) * 10n ** BigInt(digits) + BigInt(cents || '0');
  return sign === '-' ? -minor : minor;
}

/** Minor units back to the exact decimal with `digits` places. */
export function fromMinor(minor: bigint, digits = 2): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${body}`;
}

/**
 * `numerator / denominator` as a decimal string with `places` decimals, rounded half up, or
 * null when the denominator is zero (a ratio of nothing is not zero).
 *
 * @example
 * ratio(311n, 10_234n, 4) // '0.0304'
 */
export function ratio(numerator: bigint, denominator: bigint, places: number): string | null {
  if (denominator === 0n) return null;
  const scale = 10n ** BigInt(places);
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scaled = (n * scale * 2n + d) / (2n * d);
  return fromMinor(negative ? -scaled : scaled, places);
}
