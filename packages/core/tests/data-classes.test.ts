import { describe, expect, it } from 'vitest';
import type { DataLocation, PartitionReader } from '../src/platform/area.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { PRODUCT } from '../src/product/areas.js';

/**
 * Retention as data: every kind of data the product keeps is declared by its area with a
 * retention and a way to find one business's items without a Scan. Walks the composed product,
 * so an area added later is held to the same.
 */
const noKeys: PartitionReader = {
  async *keys() {
    // A class that finds its partitions from other records sees none here: it still answers.
  },
};

describe('data classes', () => {
  it('every area that keeps records declares its data classes', () => {
    const withRecords = PRODUCT.areas.filter((area) => Object.keys(area.records ?? {}).length > 0);
    const missing = withRecords.filter((area) => (area.dataClasses ?? []).length === 0).map((area) => area.name);
    expect(missing).toEqual([]);
  });

  it.each(PRODUCT.dataClasses.map((dataClass) => [dataClass.name, dataClass] as const))(
    '%s has a retention and finds its items by Query',
    async (name, dataClass) => {
      expect(name).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(dataClass.description.length).toBeGreaterThan(10);
      expect(typeof dataClass.personal).toBe('boolean');
      expect(['created', 'account-deletion', 'legal']).toContain(dataClass.retention.basis);
      expect(dataClass.retention.days).toBeGreaterThan(0);
      expect(typeof dataClass.partitions).toBe('function');
      const locations: DataLocation[] = [];
      for await (const location of dataClass.partitions(noKeys, 'b_walk')) locations.push(location);
      for (const location of locations) {
        // One business's items only: its own partitions, or its keys in the byTenant index. Its
        // invoices have a partition of their own (`billing#<tenant>`), outside the business's,
        // so they outlive its deletion for the legal period.
        if ('partition' in location) expect(location.partition).toMatch(/^(t#b_walk(#|$)|billing#b_walk$)/);
        else expect(location.index).toBe('byTenant');
      }
      // A class purged by age must be able to say where its items are without other records.
      if (dataClass.retention.basis === 'created') expect(locations.length).toBeGreaterThan(0);
    },
  );

  it('the policy durations are the defaults', () => {
    const byName = new Map(PRODUCT.dataClasses.map((c) => [c.name, c.retention]));
    expect(byName.get('audit.events')).toEqual({ days: 3 * 365, basis: 'created' });
    expect(byName.get('inbox.messages')).toEqual({ days: 30, basis: 'account-deletion' });
    expect(byName.get('accounts.sessions')).toEqual({ days: 30, basis: 'account-deletion' });
  });

  it('the purge function and `npm run purge` know every class the areas declare', () => {
    // They cannot import the composed product; their list must not fall behind it.
    expect(DATA_CLASSES.map((c) => c.name).sort()).toEqual(PRODUCT.dataClasses.map((c) => c.name).sort());
  });

  it('a class declared twice fails at composition', async () => {
    const { composeAreas, defineArea } = await import('../src/platform/area.js');
    const [first] = PRODUCT.dataClasses;
    const twice = defineArea({ name: 'twice', dataClasses: [first!] });
    expect(() => composeAreas([...PRODUCT.areas, twice], { ...PRODUCT.fn('api')!, access: {} })).toThrow(
      /data class ".+" is declared twice/,
    );
  });
});
