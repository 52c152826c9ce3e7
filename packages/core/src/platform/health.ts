import { access, constants } from 'node:fs/promises';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth } from './queue/depth.js';

export interface ComponentHealth {
  status: 'ok' | 'down';
  detail?: Record<string, unknown>;
}

export type HealthCheck = () => Promise<ComponentHealth>;

/** A check that has not answered by then counts as down: a health report must come back fast. */
const CHECK_TIMEOUT_MS = 3_000;

/** Runs every check concurrently; one failing check marks the whole report degraded. */
export async function checkHealth(checks: Record<string, HealthCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('no answer'), { name: 'Timeout' })),
            CHECK_TIMEOUT_MS,
          );
        });
        return [name, await Promise.race([check(), timeout])] as const;
      } catch (error) {
        return [name, { status: 'down', detail: { error: (error as Error).name } } as ComponentHealth] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const components = Object.fromEntries(entries);
  const status = entries.every(([, health]) => health.status === 'ok') ? 'ok' : 'degraded';
  return { status, components } as const;
}

/** The records table answers and is active. */
export function tableCheck(dynamo: DynamoDBClient, table: string): HealthCheck {
  return async () => {
    const out = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    return { status: out.Table?.TableStatus === 'ACTIVE' ? 'ok' : 'down' };
  };
}

/** The media bucket answers. */
export function bucketCheck(s3: S3Client, bucket: string): HealthCheck {
  return async () => {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { status: 'ok' };
  };
}

/**
 * Every queue the process knows a URL for answers; the detail is how many messages wait in
 * each (a dead-letter queue that is not empty is reported, not failed: the watch job alarms).
 */
export function queuesCheck(sqs: SQSClient, queueUrls: Record<string, string>): HealthCheck {
  return async () => {
    const depths: Record<string, number> = {};
    await Promise.all(
      Object.entries(queueUrls).map(async ([name, url]) => {
        depths[name] = await queueDepth(sqs, url);
      }),
    );
    return { status: 'ok', detail: { waiting: Object.fromEntries(Object.entries(depths).sort()) } };
  };
}

/**
 * The key provider can be used: locally the key folder is writable; in AWS, KMS answers for
 * this function's role (ListAliases, which reveals no key material).
 */
export function keyProviderCheck(
  provider: { kind: 'local'; keyDir: string } | { kind: 'kms'; kms: KMSClient },
): HealthCheck {
  return async () => {
    if (provider.kind === 'local') {
      await access(provider.keyDir, constants.W_OK);
      return { status: 'ok', detail: { provider: 'local' } };
    }
    await provider.kms.send(new ListAliasesCommand({ Limit: 1 }));
    return { status: 'ok', detail: { provider: 'kms' } };
  };
}
