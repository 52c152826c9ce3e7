import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { dumpTable, ownDynamo } from '../../../../tests/support/local-aws.js';
import { startEmulators } from '../../../local/src/emulators.js';
import { handlerEnvironment } from '../../../local/src/environment.js';
import { ACCOUNT_RECORDS } from '../../src/accounts/records.js';
import { AUDIT_RECORDS } from '../../src/audit/records.js';
import { BILLING_ACCOUNT_RECORDS } from '../../src/billing/records.js';
import { USAGE_RECORDS } from '../../src/billing/usage-records.js';
import { INBOX_RECORDS } from '../../src/inbox/records.js';
import { MAIL_RECORDS } from '../../src/notify/records.js';
import { readConfig } from '../../src/platform/config.js';
import { createPlatform } from '../../src/platform/context.js';
import { KEY_RECORDS } from '../../src/platform/crypto/records.js';
import { TENANCY_RECORDS } from '../../src/tenancy/records.js';

/** Every record type, typed, so a test can read what any area wrote. */
const ALL_RECORDS = {
  ...KEY_RECORDS,
  ...TENANCY_RECORDS,
  ...ACCOUNT_RECORDS,
  ...AUDIT_RECORDS,
  ...INBOX_RECORDS,
  ...MAIL_RECORDS,
  ...BILLING_ACCOUNT_RECORDS,
  ...USAGE_RECORDS,
};

function testPlatform(env: Record<string, string>) {
  const platform = createPlatform(readConfig(env));
  return { ...platform, store: platform.storeOf(ALL_RECORDS) };
}

export type Platform = ReturnType<typeof testPlatform>;

export interface TestPlatform {
  platform: Platform;
  env: Record<string, string>;
  /**
   * Every item exactly as stored, read with a client of its own (tests record the calls of the
   * platform's clients, and a test's own Scan must not count as the code's).
   */
  dumpTable(): Promise<Record<string, unknown>[]>;
  /** Every object key in the media bucket. */
  bucketKeys(): Promise<string[]>;
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
  const platform = testPlatform(env);
  return {
    platform,
    env,
    dumpTable: () => dumpTable(ownDynamo(env), env.TABLE_NAME as string),
    async bucketKeys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await platform.aws.s3.send(
          new ListObjectsV2Command({ Bucket: env.MEDIA_BUCKET, ContinuationToken: token }),
        );
        keys.push(...(page.Contents ?? []).map((object) => object.Key as string));
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    async stop() {
      await emulators.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
