import type { Platform } from '@asistone/core/platform/context';
import {
  BACKFILL_RECORDS,
  backfillBusinessList,
  tenantIdsWithKeys,
} from '@asistone/core/privacy/business-list-backfill';
import { onPlatform, readOptions } from './stage.js';

const USAGE = `usage: npm run backfill -- [--dry-run] [--stage <name>]
  Puts businesses created before the business list index on it, so the daily jobs (retention
  purge, Meta's data deletion) visit them. Reads each business with a data key by its key; never
  scans the table. Running it again changes nothing. --dry-run only counts.
Without --stage it works on the local stack (.asistone); with it, on that AWS stage.
`;

const options = readOptions(process.argv.slice(2), ['--stage'], ['--dry-run']);
if (!options) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const dryRun = options.flag('dry-run');

async function run(parts: Platform) {
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

await onPlatform(options.option('stage'), run);
process.exit(0);
