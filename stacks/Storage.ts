import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { CONTACT_EXPORT_DAYS, CONTACT_EXPORT_TAGGING } from '@asistone/core/privacy/contact-exports';
import { Duration } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { type StackContext, use } from 'sst/constructs';
import { Keys } from './Keys.js';
import { baseline } from './lambda.js';
import { dataRemoval, protectProductionData } from './removal.js';

/** Where the web app is served from (its CloudFront distribution's domain), for uploads to the media bucket. */
export const MEDIA_UPLOAD_ALLOWED_ORIGIN = 'https://*.cloudfront.net';

/**
 * The records table and the media bucket, named `asistone-<stage>-…` like the local runtime names
 * them, so the ops CLI finds them by stage. Both are retained when a stage is removed, and the
 * table refuses deletion: they hold merchants' data, which only the privacy jobs delete. Only
 * the removal flag naming this very stage releases them (stacks/removal.ts), and production's
 * stack refuses deletion whatever its resources say.
 */
export function Storage({ stack }: StackContext) {
  baseline(stack);
  protectProductionData(stack);
  const { stageKey } = use(Keys);
  const { removable, removalPolicy } = dataRemoval(stack.stage);

  const table = new Table(stack, 'Records', {
    tableName: resourceName(stack.stage, TABLE.name),
    partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
    sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: stageKey,
    timeToLiveAttribute: TABLE.ttlAttribute,
    deletionProtection: !removable,
    removalPolicy,
  });
  for (const [indexName, index] of Object.entries(TABLE.indexes)) {
    table.addGlobalSecondaryIndex({
      indexName,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType[index.projection],
    });
  }

  const bucket = new Bucket(stack, 'Media', {
    bucketName: resourceName(stack.stage, 'media'),
    encryption: BucketEncryption.KMS,
    encryptionKey: stageKey,
    // One data key per object batch instead of a KMS call per object.
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // Unversioned on purpose: a purged object must be gone, not kept as a noncurrent version.
    versioned: false,
    lifecycleRules: [
      { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      // Data exports are downloaded through a link of a few minutes; the archive itself goes
      // after a day, whoever forgets to come back for it.
      {
        id: 'data-export-archives',
        tagFilters: Object.fromEntries([CONTACT_EXPORT_TAGGING.split('=') as [string, string]]),
        expiration: Duration.days(CONTACT_EXPORT_DAYS),
      },
    ],
    // The web app uploads a file a team member sends straight here, by a presigned PUT (the
    // link's signature is what allows it, for one key, type and size; CORS only lets the
    // browser make the request and read the answer). The app is served by CloudFront, whose
    // domain exists only once the Web stack (deployed after this one) has it, so the rule names
    // CloudFront's domains rather than the site's own.
    cors: [
      {
        allowedMethods: [HttpMethods.PUT],
        allowedOrigins: [MEDIA_UPLOAD_ALLOWED_ORIGIN],
        allowedHeaders: ['content-type'],
        maxAge: 3000,
      },
    ],
    removalPolicy,
    // CloudFormation cannot delete a bucket that still holds objects; the emptying function
    // exists only on a stage flagged for removal, so no other stage carries a way to empty it.
    autoDeleteObjects: removable,
  });

  return { table, bucket };
}
