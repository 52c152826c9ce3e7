import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators } from '../../../local/src/emulators.js';
import { handlerEnvironment } from '../../../local/src/environment.js';
import { readConfig } from '../../src/platform/config.js';
import { createPlatform, type Platform } from '../../src/platform/context.js';

export interface TestPlatform {
  platform: Platform;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The real platform (SDK clients, ElectroDB, local key provider) against in-process emulators
 * in a fresh folder: the production code path, with only the endpoints changed.
 */
export async function startTestPlatform(): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asistone-unit-'));
  const emulators = await startEmulators(dataDir);
  const env = handlerEnvironment(dataDir, emulators.env);
  const platform = createPlatform(readConfig(env));
  return {
    platform,
    env,
    async stop() {
      await emulators.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
