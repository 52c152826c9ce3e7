import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueName, queueNames } from './queue/declarations.js';

export interface ComponentHealth {
  status: 'ok' | 'down';
  detail?: Record<string, unknown>;
}

export type HealthCheck = () => Promise<ComponentHealth>;

/** Runs every check concurrently; one failing check marks the whole report degraded. */
export async function checkHealth(checks: Record<string, HealthCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch (error) {
        return [name, { status: 'down', detail: { error: (error as Error).name } } as ComponentHealth] as const;
      }
    }),
  );
  const components = Object.fromEntries(entries);
  const status = entries.every(([, health]) => health.status === 'ok') ? 'ok' : 'degraded';
  return { status, components } as const;
}

/** The checks that hold wherever the code runs: table, bucket and queues reachable. */
export function storageHealthChecks(deps: {
  dynamo: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
  table: string;
  bucket: string;
  queueUrl: (queue: string) => string;
}): Record<string, HealthCheck> {
  return {
    table: async () => {
      const out = await deps.dynamo.send(new DescribeTableCommand({ TableName: deps.table }));
      return { status: out.Table?.TableStatus === 'ACTIVE' ? 'ok' : 'down' };
    },
    media: async () => {
      await deps.s3.send(new HeadBucketCommand({ Bucket: deps.bucket }));
      return { status: 'ok' };
    },
    queues: async () => {
      const depths: Record<string, number> = {};
      for (const queue of queueNames) {
        for (const name of [queue, deadLetterQueueName(queue)]) {
          const out = await deps.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: deps.queueUrl(name),
              AttributeNames: ['ApproximateNumberOfMessages'],
            }),
          );
          depths[name] = Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
        }
      }
      return { status: 'ok', detail: { waiting: depths } };
    },
  };
}

const registered = new Map<string, HealthCheck>();

/** Lets the process that hosts the API add its own components (the local runtime does). */
export function registerHealthCheck(name: string, check: HealthCheck): void {
  registered.set(name, check);
}

export function registeredHealthChecks(): Record<string, HealthCheck> {
  return Object.fromEntries(registered);
}
