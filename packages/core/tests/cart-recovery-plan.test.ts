import { renderCartText } from '@asistone/contract/cart-recovery';
import { describe, expect, it } from 'vitest';
import { addCart, cartLift, emptyGroup } from '../src/cart-recovery/lift.js';
import { checkedCartSettings, DEFAULT_CART_SETTINGS } from '../src/cart-recovery/settings.js';
import { abandonedAt, expiresAt, outsideQuietHours, stepDueAt } from '../src/cart-recovery/timing.js';
import { ValidationError } from '../src/platform/errors.js';
import { toMinor } from '../src/platform/money.js';

/** 2026-12-01 at hh:mm in Istanbul (UTC+3). */
const istanbul = (hh: number, mm = 0, day = 1) => Date.UTC(2026, 11, day, hh - 3, mm);

describe('cart recovery timing', () => {
  const quiet = { from: '21:00', to: '09:00' };

  it('leaves a time outside the quiet hours as it is', () => {
    expect(outsideQuietHours(istanbul(14, 30), quiet)).toBe(istanbul(14, 30));
    expect(outsideQuietHours(istanbul(9, 0), quiet)).toBe(istanbul(9, 0));
    expect(outsideQuietHours(istanbul(20, 59), quiet)).toBe(istanbul(20, 59));
  });

  it('moves a time inside quiet hours that cross midnight to their end, the same night or the next morning', () => {
    expect(outsideQuietHours(istanbul(21, 0), quiet)).toBe(istanbul(9, 0, 2));
    expect(outsideQuietHours(istanbul(23, 40), quiet)).toBe(istanbul(9, 0, 2));
    expect(outsideQuietHours(istanbul(3, 15), quiet)).toBe(istanbul(9, 0));
  });

  it('handles quiet hours within one day, and none', () => {
    const lunch = { from: '12:00', to: '13:30' };
    expect(outsideQuietHours(istanbul(12, 10), lunch)).toBe(istanbul(13, 30));
    expect(outsideQuietHours(istanbul(13, 30), lunch)).toBe(istanbul(13, 30));
    expect(outsideQuietHours(istanbul(23, 0), null)).toBe(istanbul(23, 0));
  });

  it('schedules the first step after abandonment and the next after the step before, out of quiet hours', () => {
    const settings = DEFAULT_CART_SETTINGS;
    const checkoutChanged = istanbul(19, 30);
    const abandoned = abandonedAt(settings, checkoutChanged);
    expect(abandoned).toBe(istanbul(20, 30));
    expect(stepDueAt(settings, 0, abandoned)).toBe(istanbul(20, 30));
    // A day after 20:30 is 20:30 again: outside the quiet hours.
    expect(stepDueAt(settings, 1, istanbul(20, 30))).toBe(istanbul(20, 30, 2));
    // Abandoned at 22:00: the first step waits for 09:00.
    expect(stepDueAt(settings, 0, istanbul(22, 0))).toBe(istanbul(9, 0, 2));
    expect(() => stepDueAt(settings, 2, abandoned)).toThrow('No step 3');
    expect(expiresAt(settings, abandoned)).toBe(abandoned + 7 * 86_400_000);
  });
});

describe('cart recovery settings', () => {
  it('are off by default, and their wording fills from a cart', () => {
    expect(checkedCartSettings(DEFAULT_CART_SETTINGS)).toEqual(DEFAULT_CART_SETTINGS);
    expect(DEFAULT_CART_SETTINGS.enabled).toBe(false);
    const text = renderCartText(DEFAULT_CART_SETTINGS.steps[0]?.wording.en.text ?? '', {
      customer: 'Ada',
      items: '1 × Vase',
      total: '10.00 EUR',
      link: 'https://shop.example/r',
      shop: 'Shop',
    });
    expect(text).toBe(
      'Hello Ada, you left 1 × Vase in your cart (total 10.00 EUR). Finish your order here: https://shop.example/r Shop',
    );
  });

  it('refuse a fourth step, an unknown placeholder, a WhatsApp step without a template and a holdout over half', () => {
    const [first] = DEFAULT_CART_SETTINGS.steps;
    const step = first as NonNullable<typeof first>;
    const refused = (change: object) => {
      try {
        checkedCartSettings({ ...DEFAULT_CART_SETTINGS, ...change });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues;
      }
      throw new Error('accepted');
    };
    expect(refused({ steps: [step, step, step, step] })).toEqual(['steps']);
    expect(
      refused({ steps: [{ ...step, wording: { ...step.wording, tr: { subject: 'x', text: '{{password}}' } } }] }),
    ).toEqual(['steps.0.wording.tr.text']);
    expect(refused({ steps: [{ ...step, channel: 'whatsapp' }] })).toEqual(['steps']);
    expect(refused({ holdoutPercent: 60 })).toEqual(['holdoutPercent']);
    expect(refused({ quietHours: { from: '25:00', to: '09:00' } })).toEqual(['quietHours.from']);
  });
});

describe('cart recovery lift', () => {
  it('sums money exactly in minor units', () => {
    expect(toMinor('629.49')).toBe(62_949n);
    expect(toMinor('10')).toBe(1_000n);
    expect(toMinor('0.5')).toBe(50n);
    expect(toMinor('1.230')).toBe(123n);
    expect(() => toMinor('1.234')).toThrow();
    expect(() => toMinor('1e3')).toThrow();
    const group = emptyGroup();
    for (let i = 0; i < 100_000; i++) addCart(group, toMinor('0.10'));
    expect(group.revenueMinor).toBe(1_000_000n);
  });

  it('reports both groups, the difference and its interval, which narrows with more carts', () => {
    const groups = (scale: number) => {
      const contacted = emptyGroup();
      const holdout = emptyGroup();
      // Contacted: 20% come back with 500.00; holdout: 10%.
      for (let i = 0; i < 50 * scale; i++) addCart(contacted, i % 5 === 0 ? 50_000n : null);
      for (let i = 0; i < 50 * scale; i++) addCart(holdout, i % 10 === 0 ? 50_000n : null);
      return cartLift(contacted, holdout);
    };
    const small = groups(1);
    expect(small.contacted).toMatchObject({ carts: 50, recovered: 10, rate: 0.2, revenuePerCartMinor: 10_000 });
    expect(small.holdout).toMatchObject({ carts: 50, recovered: 5, rate: 0.1, revenuePerCartMinor: 5_000 });
    expect(small.rateDifference?.value).toBeCloseTo(0.1, 10);
    expect(small.revenuePerCartDifferenceMinor?.value).toBeCloseTo(5_000, 6);
    expect(small.incrementalRevenueMinor?.value).toBeCloseTo(250_000, 3);
    // With 50 carts each the interval still holds zero; with 5,000 each it does not.
    expect(small.rateDifference?.low).toBeLessThan(0);
    const large = groups(100);
    expect(large.rateDifference?.low).toBeGreaterThan(0);
    expect(large.rateDifference?.high).toBeLessThan(0.12);
    const width = (lift: typeof small) =>
      (lift.revenuePerCartDifferenceMinor?.high ?? 0) - (lift.revenuePerCartDifferenceMinor?.low ?? 0);
    // A hundred times the carts: an interval about a tenth as wide.
    expect(width(small) / width(large)).toBeGreaterThan(9.8);
    expect(width(small) / width(large)).toBeLessThan(10.2);
  });

  it('has no difference without a holdout', () => {
    const contacted = emptyGroup();
    addCart(contacted, 1_000n);
    const lift = cartLift(contacted, emptyGroup());
    expect(lift.contacted.recovered).toBe(1);
    expect(lift.rateDifference).toBeNull();
    expect(lift.incrementalRevenueMinor).toBeNull();
  });
});
