import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleIn } from '../../core/src/accounts/businesses.js';
import { verifyPassword } from '../../core/src/accounts/passwords.js';
import { findUserByEmail } from '../../core/src/accounts/people.js';
import { readConfig } from '../../core/src/platform/config.js';
import { createPlatform } from '../../core/src/platform/context.js';
import { seedDemoTenant } from '../../core/src/tenancy/demo.js';
import { openChannelToken } from '../../core/src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from '../../core/tests/support/platform.js';
import { DEMO_OWNER, seedDemoChannelTokens, seedDemoOwner } from '../src/demo-owner.js';
import { FAKE_META_DEMO } from '../src/fakes/meta-state.js';

/**
 * The demo owner has a published password, so it may exist on the local stack only. Seeding
 * with an AWS configuration (KMS keys, a deployed stage) writes nothing, against the same
 * emulated table; and no code the stacks deploy can reach the seeding at all.
 */
let test: TestPlatform;

beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(async () => {
  await test?.stop();
});

describe('the demo owner', () => {
  it('is not seeded under an AWS configuration, even pointed at a reachable table', async () => {
    // Prepare: the same emulated table, configured as a deployed stage would be.
    const aws = createPlatform(readConfig({ ...test.env, STAGE: 'prod', KEY_PROVIDER: 'kms' }));
    // Act
    const result = await seedDemoOwner(aws);
    // Assess: nothing there, read through the local platform.
    expect(result).toEqual({ seeded: false });
    expect(await findUserByEmail(test.platform, DEMO_OWNER.email)).toBeUndefined();
    expect(await roleIn(test.platform, 'demo', DEMO_OWNER.userId)).toBeUndefined();
  });

  it('is seeded on the local stack: verified, with its password, owner of the demo business; twice changes nothing', async () => {
    expect(await seedDemoOwner(test.platform)).toEqual({ seeded: true });
    const first = await findUserByEmail(test.platform, DEMO_OWNER.email);
    expect(first?.userId).toBe(DEMO_OWNER.userId);
    expect(await verifyPassword(DEMO_OWNER.password, first?.passwordHash ?? '')).toBe(true);
    expect(await roleIn(test.platform, 'demo', DEMO_OWNER.userId)).toBe('owner');

    await seedDemoOwner(test.platform);
    const again = await findUserByEmail(test.platform, DEMO_OWNER.email);
    expect(again?.passwordHash).toBe(first?.passwordHash);
  });

  it('gives the demo channels the fake Meta’s tokens, sealed, on the local stack only', async () => {
    await seedDemoTenant(test.platform);
    const aws = createPlatform(readConfig({ ...test.env, STAGE: 'prod', KEY_PROVIDER: 'kms' }));
    expect(await seedDemoChannelTokens(aws)).toEqual({ seeded: 0 });
    expect(await seedDemoChannelTokens(test.platform)).toEqual({ seeded: 3 });
    const stored = await test.platform.store.entities.channel
      .get({ tenantId: 'demo', kind: 'whatsapp', externalId: '100000000000001' })
      .go();
    expect(stored.data?.accessToken).toMatch(/^v1\./);
    const keys = await test.platform.keyring.forTenant('demo');
    expect(openChannelToken(keys, stored.data as NonNullable<typeof stored.data>)).toBe(FAKE_META_DEMO.whatsappToken);
    expect(await seedDemoChannelTokens(test.platform)).toEqual({ seeded: 0 });
  });

  it('is reachable from no file the stacks or functions are built from', () => {
    const ROOT = join(import.meta.dirname, '..', '..', '..');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (name === 'node_modules') return [];
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const deployed = [
      ...files(join(ROOT, 'stacks')),
      ...files(join(ROOT, 'functions')),
      ...files(join(ROOT, 'packages', 'core', 'src')),
    ];
    expect(deployed.length).toBeGreaterThan(20);
    for (const file of deployed) {
      const text = readFileSync(file, 'utf8');
      // Imports only: comments may mention the local runtime.
      expect(text, file).not.toMatch(
        /(?:from\s+|import\(\s*)['"][^'"]*(?:packages\/local|@asistone\/local|demo-owner)/,
      );
      expect(text, file).not.toContain(DEMO_OWNER.password);
    }
  });
});
