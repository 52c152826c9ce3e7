import { resolve } from 'node:path';
import { POLICY_DOCUMENTS, type PolicyDocument } from '@asistone/contract/policies';
import { type PublishDeps, type PublishReport, publishPolicy } from '@asistone/core/accounts/policy-acceptances';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform, platform } from '@asistone/core/platform/context';
import { ValidationError } from '@asistone/core/platform/errors';
import { createLogger } from '@asistone/core/platform/log';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

const USAGE = `usage: npm run policy -- publish --document terms|privacy [--stage <name>] [--app-url <url>]
  publish     mails every account holder who has not accepted the document's current version
              (packages/contract/src/policies.ts) its material changes, in their language;
              a rerun mails nobody twice; the next sign-in asks for acknowledgement
Without --stage it works on the local stack (.asistone); with it, on that AWS stage, where
--app-url (the web app's address, for the mail's link) is required.
`;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const args = process.argv.slice(2);
const withValue = ['--document', '--stage', '--app-url'];
const unknown = args.filter((arg, i) => i > 0 && !withValue.includes(arg) && !withValue.includes(args[i - 1] ?? ''));
const document = option('document');
const stage = option('stage');
const appUrl = option('app-url');
if (
  args[0] !== 'publish' ||
  unknown.length > 0 ||
  !POLICY_DOCUMENTS.includes(document as PolicyDocument) ||
  (stage !== undefined && !appUrl)
) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const log = createLogger('policy');

/** Every 20 account holders (one batch), so a long run shows it is moving. */
function progress({ seen, queued }: { seen: number; queued: number }) {
  process.stdout.write(`  ${seen} account holders so far, ${queued} mails queued…\n`);
}

function print(report: PublishReport) {
  process.stdout.write(
    [
      `published the ${report.document} version ${report.version}`,
      `  account holders       ${report.accountHolders}`,
      `  mails queued          ${report.queued}`,
      `  already mailed        ${report.alreadyMailed}`,
      `  accepted it already   ${report.alreadyAccepted}`,
      '',
    ].join('\n'),
  );
}

async function run(deps: PublishDeps) {
  try {
    print(await publishPolicy(deps, document as PolicyDocument, { onProgress: progress }));
  } catch (error) {
    // A declaration that does not check out, or a version dated later: an answer, not a crash.
    if (error instanceof ValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (stage) {
  // AWS: credentials and region from the usual AWS environment; table, queue and keys by stage.
  const region = process.env.AWS_REGION ?? 'eu-central-1';
  const sqs = new SQSClient({ region });
  const mailUrl = await sqs.send(new GetQueueUrlCommand({ QueueName: resourceName(stage, 'mail') }));
  const table = resourceName(stage, TABLE.name);
  const aws = createPlatform(
    readConfig({
      STAGE: stage,
      AWS_REGION: region,
      KEY_PROVIDER: 'kms',
      TABLE_NAME: table,
      MEDIA_BUCKET: resourceName(stage, 'media'),
      QUEUE_URL_MAIL: mailUrl.QueueUrl as string,
    }),
  );
  await run({
    dynamo: new DynamoDBClient({ region }),
    table,
    store: aws.storeOf(ACCOUNT_RECORDS) as PublishDeps['store'],
    keyring: aws.keyring,
    mails: mailQueue(aws.producer),
    log,
    appUrl: appUrl as string,
  });
} else {
  const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
  await withLocalEnvironment(dataDir, async () => {
    const { aws, config, keyring, producer, storeOf } = platform();
    await run({
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
      store: storeOf(ACCOUNT_RECORDS) as PublishDeps['store'],
      keyring,
      mails: mailQueue(producer),
      log,
      appUrl: process.env.APP_URL ?? 'http://localhost:3000',
    });
  });
}
process.exit(0);
