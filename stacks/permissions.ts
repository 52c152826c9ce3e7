import type { Access, TenantKeyAction } from '@asistone/core/platform/access';
import { STAGE_KEY_TAG, TENANT_KEY_TAG, tenantKeyAliasPrefix } from '@asistone/core/platform/crypto/kms-key-provider';
import type { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Least-privilege IAM, written once: each function declares what it does in the product's
 * terms (`Access`, declared by its area next to the function) and these builders turn that into
 * explicit statements on exact resources. Nothing here grants `service:*`, and nothing uses SST
 * `bind` (which grants `dynamodb:*`, `sqs:*`, `s3:*` on the bound resource).
 */

/** The shared resources a function's access is resolved against. */
export interface SharedResources {
  stageKey: IKey;
  table: ITable;
  bucket: IBucket;
  /** Every queue and dead-letter queue, by logical name (`mail`, `mail-dlq`). */
  queues: Record<string, IQueue>;
}

const ITEM_WRITES: ReadonlySet<string> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Uses of the stage key that happen through a service on the caller's behalf (DynamoDB, SQS
 * and S3 encrypt with it); `kms:ViaService` keeps the permission from being used directly.
 */
function stageKeyVia(stack: Stack, key: IKey, service: 'dynamodb' | 'sqs' | 's3', actions: string[]) {
  return new PolicyStatement({
    sid: `StageKeyVia${service[0]!.toUpperCase()}${service.slice(1)}`,
    effect: Effect.ALLOW,
    actions,
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com` } },
  });
}

/** Every KMS key in this account and region: tenant keys are created at runtime, so no ARN is known ahead. */
export function anyKeyArn(stack: Stack): string {
  return stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
}

/** The tenant key aliases of this stage, `alias/asistone/<stage>/tenant/*`. */
export function tenantAliasArn(stack: Stack, stage: string): string {
  return `arn:${stack.partition}:kms:${stack.region}:${stack.account}:${tenantKeyAliasPrefix(stage)}*`;
}

/**
 * Per-tenant key permissions. Use is limited by attribute: only keys tagged with this stage and
 * with a tenant. Creation is limited by the tags the request must carry; aliases by prefix.
 *
 * KMS applies tags to authorization eventually (AWS documents up to five minutes), so the first
 * GenerateDataKey on a key created a moment earlier can be denied: provisioning must retry it.
 */
export function tenantKeyStatements(stack: Stack, stage: string, actions: readonly TenantKeyAction[]) {
  const keys = anyKeyArn(stack);
  const ofThisStage = {
    StringEquals: { [`aws:ResourceTag/${STAGE_KEY_TAG}`]: stage },
    Null: { [`aws:ResourceTag/${TENANT_KEY_TAG}`]: 'false' },
  };
  const statements: PolicyStatement[] = [];
  const use = actions.filter((action) => action !== 'create').map((action) => `kms:${action}`);
  if (use.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'TenantKeyUse',
        effect: Effect.ALLOW,
        actions: use,
        resources: [keys],
        conditions: ofThisStage,
      }),
    );
  }
  if (actions.includes('create')) {
    // A retried provisioning looks up the key its alias already names before creating one.
    statements.push(
      new PolicyStatement({
        sid: 'TenantKeyLookup',
        effect: Effect.ALLOW,
        actions: ['kms:DescribeKey'],
        resources: [keys],
        conditions: ofThisStage,
      }),
    );
    const taggedForThisStage = {
      StringEquals: { [`aws:RequestTag/${STAGE_KEY_TAG}`]: stage },
      Null: { [`aws:RequestTag/${TENANT_KEY_TAG}`]: 'false' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [STAGE_KEY_TAG, TENANT_KEY_TAG] },
    };
    statements.push(
      // CreateKey has no resource ARN (the key does not exist yet); the request tags are the scope.
      new PolicyStatement({
        sid: 'TenantKeyCreate',
        effect: Effect.ALLOW,
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: taggedForThisStage,
      }),
      // Tags given to CreateKey need kms:TagResource covering every key of the account and region.
      new PolicyStatement({
        sid: 'TenantKeyTagOnCreate',
        effect: Effect.ALLOW,
        actions: ['kms:TagResource'],
        resources: [keys],
        conditions: taggedForThisStage,
      }),
      // ...but never re-tag a key that already belongs to another stage.
      new PolicyStatement({
        sid: 'TenantKeyNoRetagOtherStage',
        effect: Effect.DENY,
        actions: ['kms:TagResource', 'kms:UntagResource'],
        resources: [keys],
        conditions: {
          Null: { [`aws:ResourceTag/${STAGE_KEY_TAG}`]: 'false' },
          StringNotEquals: { [`aws:ResourceTag/${STAGE_KEY_TAG}`]: stage },
        },
      }),
      // CreateAlias is authorised on both the alias and the key it points to.
      new PolicyStatement({
        sid: 'TenantKeyAlias',
        effect: Effect.ALLOW,
        actions: ['kms:CreateAlias'],
        resources: [tenantAliasArn(stack, stage)],
      }),
      new PolicyStatement({
        sid: 'TenantKeyAliasTarget',
        effect: Effect.ALLOW,
        actions: ['kms:CreateAlias'],
        resources: [keys],
        conditions: ofThisStage,
      }),
    );
  }
  return statements;
}

/** Turns an access declaration into explicit statements on the shared resources. */
export function accessStatements(
  stack: Stack,
  stage: string,
  resources: SharedResources,
  access: Access,
): PolicyStatement[] {
  const { stageKey, table, bucket, queues } = resources;
  const statements: PolicyStatement[] = [];

  const tableActions = access.table ?? [];
  if (tableActions.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'Table',
        effect: Effect.ALLOW,
        actions: tableActions.map((action) => `dynamodb:${action}`),
        resources: tableActions.includes('Query') ? [table.tableArn, `${table.tableArn}/index/*`] : [table.tableArn],
      }),
    );
    const itemActions = tableActions.filter((action) => action !== 'DescribeTable');
    if (itemActions.length > 0) {
      const writes = itemActions.some((action) => ITEM_WRITES.has(action));
      statements.push(
        stageKeyVia(
          stack,
          stageKey,
          'dynamodb',
          writes
            ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']
            : ['kms:Decrypt', 'kms:DescribeKey'],
        ),
      );
    }
  }

  if (access.sends?.length) {
    statements.push(
      new PolicyStatement({
        sid: 'QueueSend',
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: access.sends.map((name) => queueOf(queues, name).queueArn),
      }),
      stageKeyVia(stack, stageKey, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']),
    );
  }

  if (access.inspects?.length) {
    statements.push(
      new PolicyStatement({
        sid: 'QueueInspect',
        effect: Effect.ALLOW,
        actions: ['sqs:GetQueueAttributes'],
        resources: access.inspects.map((name) => queueOf(queues, name).queueArn),
      }),
    );
  }

  if (access.blobs?.length) {
    statements.push(
      new PolicyStatement({
        sid: 'TenantObjects',
        effect: Effect.ALLOW,
        actions: access.blobs.map((action) => `s3:${action}`),
        resources: [bucket.arnForObjects('tenants/*')],
      }),
    );
    const keyActions = [
      ...(access.blobs.includes('PutObject') ? ['kms:GenerateDataKey'] : []),
      ...(access.blobs.includes('GetObject') ? ['kms:Decrypt'] : []),
    ];
    if (keyActions.length > 0) statements.push(stageKeyVia(stack, stageKey, 's3', keyActions));
  }

  if (access.headBucket) {
    statements.push(
      new PolicyStatement({
        sid: 'BucketHead',
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
  }

  if (access.tenantKeys?.length) statements.push(...tenantKeyStatements(stack, stage, access.tenantKeys));

  if (access.keyService) {
    statements.push(
      // The health report's "KMS answers" check; ListAliases has no resource-level scope.
      new PolicyStatement({
        sid: 'KeyServiceHealth',
        effect: Effect.ALLOW,
        actions: ['kms:ListAliases'],
        resources: ['*'],
      }),
    );
  }
  return statements;
}

function queueOf(queues: Record<string, IQueue>, name: string): IQueue {
  const queue = queues[name];
  if (!queue) throw new Error(`no queue named "${name}" (wildcards are expanded before this point)`);
  return queue;
}
