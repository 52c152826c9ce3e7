import { resolve } from 'node:path';
import { listDeadLetters, replayDeadLetters } from '@asistone/core/ops/dead-letters';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

const USAGE = `usage: npm run dlq -- list <queue> [--stage <name>]
       npm run dlq -- replay <queue> [--stage <name>] [--dry-run] [--max <n>]
Without --stage it works on the local stack (.asistone); with it, on that AWS stage.
queues: ${PRODUCT.queueNames.join(', ')}
`;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const [command, queue] = process.argv.slice(2);
if (!command || !['list', 'replay'].includes(command) || !PRODUCT.queueNames.includes(queue as string)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const stage = option('stage');

async function run(sqs: SQSClient, queueUrl: (name: string) => string) {
  const ops = { sqs, queueUrl };
  if (command === 'list') {
    const letters = await listDeadLetters(ops, queue as string);
    if (letters.length === 0) process.stdout.write(`no dead letters on ${queue}\n`);
    for (const letter of letters) {
      process.stdout.write(
        `${letter.messageId}  failed ${letter.failedAt ?? '?'}  receives ${letter.receiveCount ?? '?'}  ${letter.bytes} B\n  reason: ${letter.reason}\n`,
      );
    }
  } else {
    const max = option('max') ? Number(option('max')) : undefined;
    const result = await replayDeadLetters(ops, queue as string, {
      dryRun: process.argv.includes('--dry-run'),
      max,
    });
    process.stdout.write(
      result.dryRun
        ? `dry run: ${result.replayed} messages would be moved back to ${queue}\n`
        : `replayed ${result.replayed} messages to ${queue}\n`,
    );
  }
}

if (stage) {
  // AWS: credentials and region from the usual AWS environment; queues found by name.
  const sqs = new SQSClient({ region: process.env.AWS_REGION ?? 'eu-central-1' });
  const urls = new Map<string, string>();
  for (const name of [queue as string, `${queue}-dlq`]) {
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: resourceName(stage, name) }));
    urls.set(name, out.QueueUrl as string);
  }
  await run(sqs, (name) => urls.get(name) as string);
} else {
  const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
  await withLocalEnvironment(dataDir, async () => {
    const sqs = new SQSClient({
      region: process.env.AWS_REGION,
      endpoint: process.env.AWS_ENDPOINT_URL_SQS,
      useQueueUrlAsEndpoint: false,
    });
    await run(sqs, (name) => process.env[queueUrlVariable(name)] as string);
  });
}
process.exit(0);
