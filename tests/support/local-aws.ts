import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** SDK clients pointed at the emulators of a running local stack (from its `running.json`). */
export function localAws(dataDir: string) {
  const { env } = JSON.parse(readFileSync(join(dataDir, 'running.json'), 'utf8')) as { env: Record<string, string> };
  const region = env.AWS_REGION as string;
  const dynamo = new DynamoDBClient({ region, credentials, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
  return {
    env,
    dynamo,
    sqs: new SQSClient({ region, credentials, endpoint: env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false }),
    s3: new S3Client({ region, credentials, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true }),
    /** Every item in the table, exactly as stored. */
    dumpTable: () => dumpTable(dynamo, env.TABLE_NAME as string),
  };
}

/** Every item of a table, exactly as stored (a Scan: for tests' raw dumps only). */
export async function dumpTable(dynamo: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return items;
}

/** A DynamoDB client of its own for an emulator's environment (its calls are nobody's to record). */
export function ownDynamo(env: Record<string, string>) {
  return new DynamoDBClient({ region: env.AWS_REGION, credentials, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
}
