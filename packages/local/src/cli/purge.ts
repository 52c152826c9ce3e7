import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { createBlobs } from '@asistone/core/platform/blobs';
import { platform } from '@asistone/core/platform/context';
import { ProductError } from '@asistone/core/platform/errors';
import { createStore } from '@asistone/core/platform/store/service';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import {
  assertBusinessId,
  type PurgeDeps,
  type PurgeProgress,
  type PurgeReport,
  purgeRetention,
  purgeTenant,
} from '@asistone/core/privacy/purge';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

const USAGE = `usage: npm run purge -- [--dry-run] [--tenant <id> [--everything]] [--stage <name>]
  (no --tenant)          delete what is past its data class's retention, in every business
  --tenant <id>          the same, for one business
  --tenant <id> --everything
                         delete every item and object of the business (all but its receipts
                         and records kept for a legal duty)
  --dry-run              count only: nothing is deleted, no receipt is written
Without --stage it works on the local stack (.asistone); with it, on that AWS stage.
`;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const known = new Set(['--dry-run', '--tenant', '--everything', '--stage']);
const args = process.argv.slice(2);
const unknown = args.filter(
  (arg, i) => arg.startsWith('-') && !known.has(arg) && !['--tenant', '--stage'].includes(args[i - 1] ?? ''),
);
const tenantId = option('tenant');
const stage = option('stage');
const dryRun = args.includes('--dry-run');
const everything = args.includes('--everything');
if (unknown.length > 0 || (everything && !tenantId) || (args.includes('--tenant') && !tenantId)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
if (tenantId) {
  try {
    assertBusinessId(tenantId);
  } catch {
    process.stderr.write(`"${tenantId}" is not a business id\n`);
    process.exit(2);
  }
}

const by = `ops:${userInfo().username}`;

/** One line per class as it finishes, and every 500 keys while a long one runs. */
function progress({ tenantId, what, count, done }: PurgeProgress) {
  if (done) return;
  process.stdout.write(`  ${tenantId} ${what}: ${count} so far…\n`);
}

function print(report: PurgeReport) {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const lines = report.classes.map((c) => `  ${c.name.padEnd(24)} ${verb} ${c.items}`);
  if (report.kind === 'tenant') {
    lines.push(`  ${'objects'.padEnd(24)} ${verb} ${report.objects}`);
    lines.push(`  ${'unclassified'.padEnd(24)} ${verb} ${report.unclassified}`);
  }
  const total = report.classes.reduce((sum, c) => sum + c.items, 0) + report.objects + report.unclassified;
  process.stdout.write(
    `${report.kind === 'tenant' ? 'business purge' : 'retention purge'} of ${report.tenantId}${report.dryRun ? ' (dry run)' : ''}\n${lines.join('\n')}\n  total ${verb} ${total}${report.receiptId ? `, receipt ${report.receiptId}` : report.dryRun ? '' : ', nothing to receipt'}\n`,
  );
}

async function run(deps: PurgeDeps) {
  try {
    await purge(deps);
  } catch (error) {
    // A refusal (no such business) is an answer, not a crash.
    if (error instanceof ProductError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function purge(deps: PurgeDeps) {
  if (tenantId && everything) {
    print(await purgeTenant(deps, tenantId, { by, dryRun, onProgress: progress }));
    return;
  }
  const reports = await purgeRetention(deps, {
    by,
    dryRun,
    now: Date.now(),
    ...(tenantId ? { tenantId } : {}),
    onProgress: progress,
  });
  for (const report of reports) print(report);
  if (reports.length === 0) process.stdout.write('no businesses\n');
}

const records = { ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant };
if (stage) {
  // AWS: credentials and region from the usual AWS environment; table and bucket found by name.
  const region = process.env.AWS_REGION ?? 'eu-central-1';
  const dynamo = new DynamoDBClient({ region });
  const table = resourceName(stage, TABLE.name);
  await run({
    dynamo,
    table,
    blobs: createBlobs(new S3Client({ region }), resourceName(stage, 'media')),
    store: createStore(dynamo, table, records),
    dataClasses: DATA_CLASSES,
  });
} else {
  const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
  await withLocalEnvironment(dataDir, async () => {
    const { aws, config, blobs, storeOf } = platform();
    await run({
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
      blobs,
      store: storeOf(records),
      dataClasses: DATA_CLASSES,
    });
  });
}
process.exit(0);
