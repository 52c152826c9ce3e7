import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { deadLetterQueueName } from '@asistone/core/platform/queue/declarations';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';

export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'eu-central-1';

export interface Emulators {
  dynamoEndpoint: string;
  awsEndpoint: string;
  /** Environment the handlers read: table, bucket, queue URLs, endpoints. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function freePortListen(server: {
  listen: (port: number, host: string, cb: () => void) => unknown;
  address: () => unknown;
}) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** Quiet check that nothing else holds the data folder's emulators (one stack per folder). */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`port ${port} is already in use; set PORT to another one`)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/**
 * Starts dynalite (DynamoDB, on disk) and fauxqs (SQS and S3, persisted) in this process on
 * loopback ports, and creates the table, bucket and queues from the same declarations the
 * stacks use. Data lives under `dataDir` and survives restarts.
 */
export async function startEmulators(dataDir: string): Promise<Emulators> {
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 'queues-and-media'), { recursive: true });

  const dynamo = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await freePortListen(dynamo);
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;

  const fauxqs = await startFauxqs({
    port: 0,
    host: 'localhost',
    logger: false,
    defaultRegion: LOCAL_REGION,
    dataDir: join(dataDir, 'queues-and-media'),
  });
  const awsEndpoint = `http://127.0.0.1:${fauxqs.port}`;

  const table = resourceName(LOCAL_STAGE, TABLE.name);
  const bucket = resourceName(LOCAL_STAGE, 'media');
  await createTable(dynamoEndpoint, table);

  const env: Record<string, string> = {
    TABLE_NAME: table,
    MEDIA_BUCKET: bucket,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: awsEndpoint,
    AWS_ENDPOINT_URL_S3: awsEndpoint,
  };
  // setup() creates only what is missing: queued messages from an earlier run stay.
  const deadLetters = fauxqs.setup({
    queues: PRODUCT.queues.map((queue) => ({
      name: resourceName(LOCAL_STAGE, deadLetterQueueName(queue.name)),
      region: LOCAL_REGION,
      attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    })),
    buckets: [bucket],
  }).queues;
  const mains = fauxqs.setup({
    queues: PRODUCT.queues.map((queue, index) => ({
      name: resourceName(LOCAL_STAGE, queue.name),
      region: LOCAL_REGION,
      attributes: {
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(4 * 24 * 3600),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetters[index]?.arn,
          maxReceiveCount: String(queue.maxReceiveCount),
        }),
      },
    })),
  }).queues;
  PRODUCT.queueNames.forEach((queue, index) => {
    env[queueUrlVariable(queue)] = mains[index]?.url as string;
    env[queueUrlVariable(deadLetterQueueName(queue))] = deadLetters[index]?.url as string;
  });

  return {
    dynamoEndpoint,
    awsEndpoint,
    env,
    async stop() {
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

async function createTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of Object.values(TABLE.indexes)) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    }),
  );
  // dynalite has no TTL; the call documents intent and keeps parity with the stack.
  await client
    .send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    )
    .catch(() => undefined);
  client.destroy();
}
