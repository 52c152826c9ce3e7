import { AccountRootPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { StackContext } from 'sst/constructs';
import { baseline } from './lambda.js';
import { dataRemoval, protectProductionData } from './removal.js';

/**
 * What the account may do with the stage key, spelled out instead of the usual `kms:*`: key
 * administration for the deployment (CloudFormation), and the cryptographic operations that
 * IAM policies then delegate, service by service, to the functions.
 */
const KEY_ADMINISTRATION = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];
const KEY_USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * The stage's customer-managed key: the table, the media bucket and every queue are encrypted
 * with it. Rotated yearly by KMS. Per-tenant keys are not here: the API creates them at runtime
 * (see stacks/permissions.ts for what it may do with them).
 *
 * The stage key deliberately carries no `asistone:stage` tag: the tenant-key grants select keys
 * by that tag, and must never reach this one.
 *
 * Everything the stage stores is encrypted with this key, so it is retained with the data when
 * the stage is removed (see stacks/removal.ts), and production's stack refuses deletion.
 */
export function Keys({ stack }: StackContext) {
  baseline(stack);
  protectProductionData(stack);
  const { removalPolicy } = dataRemoval(stack.stage);
  const stageKey = new Key(stack, 'StageKey', {
    description: `Asistone ${stack.stage}: encrypts the records table, media bucket and queues`,
    alias: `alias/asistone/${stack.stage}/stage`,
    enableKeyRotation: true,
    removalPolicy,
    policy: new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AccountAdministersKey',
          effect: Effect.ALLOW,
          principals: [new AccountRootPrincipal()],
          actions: KEY_ADMINISTRATION,
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'AccountDelegatesUseToIam',
          effect: Effect.ALLOW,
          principals: [new AccountRootPrincipal()],
          actions: KEY_USE,
          resources: ['*'],
        }),
      ],
    }),
  });
  return { stageKey };
}
