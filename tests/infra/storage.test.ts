import { STAGE_KEY_TAG, tenantKeyAliasPrefix } from '@asistone/core/platform/crypto/kms-key-provider';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { Match } from 'aws-cdk-lib/assertions';
import { useProject } from 'sst/project.js';
import { describe, expect, it } from 'vitest';
import { MEDIA_UPLOAD_ALLOWED_ORIGIN } from '../../stacks/Storage.js';
import { asArray, isStageKeyArn, type Json, resourcesIn, STAGE, synthesizedApp } from './app.js';

const app = synthesizedApp();

describe('app', () => {
  it('is asistone in eu-central-1, with the stacks named by stage', () => {
    // Assess
    expect(useProject().config.name).toBe('asistone');
    expect(useProject().config.region).toBe('eu-central-1');
    for (const stack of Object.values(app.stacks)) expect(stack.stackName.startsWith(`${STAGE}-asistone-`)).toBe(true);
  });
});

describe('Keys', () => {
  it('creates one customer-managed stage key with rotation on, retained with the stage', () => {
    const keys = resourcesIn(app.templates.Keys, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [, key] = keys[0]!;
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    app.templates.Keys.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('never tags the stage key with the stage tag the tenant-key grants select on', () => {
    const [, key] = resourcesIn(app.templates.Keys, 'AWS::KMS::Key')[0]!;
    const tags: Json[] = key.Tags ?? [];
    expect(tags.map((tag) => tag.Key)).not.toContain(STAGE_KEY_TAG);
  });

  it('names the stage key outside the tenant alias prefix the API may create aliases under', () => {
    const aliases = resourcesIn(app.templates.Keys, 'AWS::KMS::Alias');
    expect(aliases).toHaveLength(1);
    expect(aliases[0]![1].AliasName).toBe(`alias/asistone/${STAGE}/stage`);
    expect(aliases[0]![1].AliasName.startsWith(tenantKeyAliasPrefix(STAGE))).toBe(false);
  });

  it('lets only the account administer the key and delegate its use to IAM', () => {
    const [, key] = resourcesIn(app.templates.Keys, 'AWS::KMS::Key')[0]!;
    for (const statement of key.KeyPolicy.Statement as Json[]) {
      expect(statement.Principal).toEqual({
        AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::my-account:root']] },
      });
      expect(asArray(statement.Action)).not.toContain('kms:*');
    }
  });
});

describe('Storage: the records table', () => {
  const table = () => {
    const tables = resourcesIn(app.templates.Storage, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    return tables[0]![1];
  };

  it('is named by stage, on demand, with point-in-time recovery and deletion protection', () => {
    expect(table().TableName).toBe(resourceName(STAGE, TABLE.name));
    expect(table().BillingMode).toBe('PAY_PER_REQUEST');
    expect(table().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table().DeletionProtectionEnabled).toBe(true);
    app.templates.Storage.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('is encrypted with the stage key (customer managed)', () => {
    expect(table().SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(isStageKeyArn(app.templates, 'Storage', table().SSESpecification.KMSMasterKeyId)).toBe(true);
  });

  it('has the declared keys and TTL attribute', () => {
    expect(table().KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table().TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
  });

  it('has every declared index, with its keys and projection', () => {
    const indexes: Json[] = table().GlobalSecondaryIndexes;
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    for (const [name, declared] of Object.entries(TABLE.indexes)) {
      expect(indexes.find((index) => index.IndexName === name)).toEqual({
        IndexName: name,
        KeySchema: [
          { AttributeName: declared.partitionKey, KeyType: 'HASH' },
          { AttributeName: declared.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: declared.projection },
      });
    }
    expect(indexes.find((index) => index.IndexName === 'byTenant')?.Projection.ProjectionType).toBe('KEYS_ONLY');
  });
});

describe('Storage: the media bucket', () => {
  const bucket = () => {
    const buckets = resourcesIn(app.templates.Storage, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    return buckets[0]!;
  };

  it('is named by stage and retained', () => {
    expect(bucket()[1].BucketName).toBe(resourceName(STAGE, 'media'));
    app.templates.Storage.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('encrypts with the stage key (aws:kms, bucket key on)', () => {
    const [rule] = bucket()[1].BucketEncryption.ServerSideEncryptionConfiguration;
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(isStageKeyArn(app.templates, 'Storage', rule.ServerSideEncryptionByDefault.KMSMasterKeyID)).toBe(true);
    expect(rule.BucketKeyEnabled).toBe(true);
  });

  it('blocks all public access', () => {
    expect(bucket()[1].PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('denies every request not made over TLS', () => {
    const [bucketId] = bucket();
    app.templates.Storage.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [
              { 'Fn::GetAtt': [bucketId, 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
            ],
          }),
        ]),
      },
    });
  });

  it('aborts incomplete multipart uploads', () => {
    const rules: Json[] = bucket()[1].LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('expires data export archives (tagged when written) after a day', () => {
    const rules: Json[] = bucket()[1].LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        TagFilters: [{ Key: 'asistone-retention', Value: 'contact-export' }],
        ExpirationInDays: 1,
      }),
    );
  });
});

describe('Storage: uploads from the web app', () => {
  it('lets the app’s origin PUT files to presigned links, nothing else', () => {
    const [, bucket] = resourcesIn(app.templates.Storage, 'AWS::S3::Bucket')[0]!;
    expect(bucket.CorsConfiguration.CorsRules).toEqual([
      {
        AllowedMethods: ['PUT'],
        AllowedOrigins: [MEDIA_UPLOAD_ALLOWED_ORIGIN],
        AllowedHeaders: ['content-type'],
        MaxAge: 3000,
      },
    ]);
  });
});
