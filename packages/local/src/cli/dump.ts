import { resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { withLocalEnvironment } from '../environment.js';
import { ROOT } from '../lambda.js';

/**
 * `npm run dump`: prints every item of the local table exactly as stored, one JSON per line.
 * For looking at what is at rest (sealed fields, blind indexes); a development tool only.
 */
const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
await withLocalEnvironment(dataDir, async () => {
  const dynamo = new DynamoDBClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: process.env.TABLE_NAME, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) process.stdout.write(`${JSON.stringify(unmarshall(item))}\n`);
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
});
process.exit(0);
