import { resolve } from 'node:path';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform, platform } from '@asistone/core/platform/context';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import {
  BACKFILL_RECORDS,
  backfillBusinessList,
  tenantIdsWithKeys,
} from '@asistone/core/privacy/business-list-backfill';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

const USAGE = `usage: npm run backfill -- [--dry-run] [--stage <name>]
  Puts businesses created before the business list index on it, so the daily jobs (retention
  purge, Meta's data deletion) visit them. Reads each business with a data key by its key; never
  scans the table. Running it again changes nothing. --dry-run only counts.
Without --stage it works on the local stack (.asistone); with it, on that AWS stage.
`;

const args = process.argv.slice(2);
const stageAt = args.indexOf('--stage');
const stage = stageAt >= 0 ? args[stageAt + 1] : undefined;
const dryRun = args.includes('--dry-run');
const known = args.filter((arg, i) => arg === '--dry-run' || arg === '--stage' || (i > 0 && args[i - 1] === '--stage'));
if (known.length !== args.length || (stageAt >= 0 && !stage)) {
  process.stderr.write(USAGE);
  process.exit(2);
}

async function run(parts: ReturnType<typeof createPlatform>) {
  const { config } = parts;
  const candidates =
    config.KEY_PROVIDER === 'kms'
      ? tenantIdsWithKeys({ kind: 'kms', kms: parts.aws.kms, stage: config.STAGE })
      : tenantIdsWithKeys({ kind: 'local', keyDir: config.LOCAL_KEY_DIR as string });
  const report = await backfillBusinessList(parts.storeOf(BACKFILL_RECORDS), candidates, {
    dryRun,
    onProgress: (tenantId, outcome) => {
      if (outcome === 'added') process.stdout.write(`  ${tenantId}: ${dryRun ? 'would be listed' : 'listed'}\n`);
    },
  });
  process.stdout.write(
    `business list${dryRun ? ' (dry run)' : ''}: ${report.checked} checked, ${report.listed} already listed, ${report.added.length} ${dryRun ? 'to add' : 'added'}, ${report.missing} without a business record\n`,
  );
}

if (stage) {
  const region = process.env.AWS_REGION ?? 'eu-central-1';
  await run(
    createPlatform(
      readConfig({
        STAGE: stage,
        AWS_REGION: region,
        TABLE_NAME: resourceName(stage, TABLE.name),
        MEDIA_BUCKET: resourceName(stage, 'media'),
        KEY_PROVIDER: 'kms',
      }),
    ),
  );
} else {
  const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
  await withLocalEnvironment(dataDir, () => run(platform()));
}
process.exit(0);
