import { describe, expect, it } from 'vitest';
import { SUBPROCESSOR_IDS, SUBPROCESSORS, subprocessorsAnswer } from '../src/privacy.js';

/** The sub-processors declaration: one row per provider, each complete and consistent. */
describe('SUBPROCESSORS', () => {
  it('declares each provider once, in the answer’s shape', () => {
    expect(SUBPROCESSORS.map((processor) => processor.id)).toEqual([...SUBPROCESSOR_IDS]);
    expect(() => subprocessorsAnswer.parse({ subprocessors: SUBPROCESSORS })).not.toThrow();
  });

  it('hosts everything in Frankfurt, and uses Meta, AWS, OpenAI, Resend, NetGSM and iyzico today', () => {
    const aws = SUBPROCESSORS.find((processor) => processor.id === 'aws');
    expect(aws).toMatchObject({ countries: ['DE'], active: true, transferOutsideTurkiyeAndEea: false });
    expect(aws?.location.en).toContain('eu-central-1');
    const inUse = SUBPROCESSORS.filter((processor) => processor.active).map((processor) => processor.id);
    expect(inUse).toEqual(['aws', 'meta', 'openai', 'resend', 'netgsm', 'iyzico']);
  });

  it('says what turns on a provider not in use yet', () => {
    for (const processor of SUBPROCESSORS) {
      expect(Boolean(processor.since), processor.id).toBe(!processor.active);
    }
  });

  it('protects every transfer outside Türkiye and the EEA, and marks one wherever data leaves both', () => {
    const INSIDE = new Set(['TR', 'EU', 'DE', 'IE', 'FR', 'NL', 'SE', 'IS', 'NO', 'LI']);
    for (const processor of SUBPROCESSORS) {
      const leaves = processor.countries.some((country) => !INSIDE.has(country));
      expect(processor.transferOutsideTurkiyeAndEea, processor.id).toBe(leaves);
      if (leaves) expect(processor.safeguard, processor.id).toBe('standard-contractual-clauses');
    }
  });
});
