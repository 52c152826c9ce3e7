import { STAGE_KEY_TAG, TENANT_KEY_TAG, tenantKeyAliasPrefix } from '@asistone/core/platform/crypto/kms-key-provider';
import { PRODUCT } from '@asistone/core/product/areas';
import { describe, expect, it } from 'vitest';
import { asArray, FUNCTION_STACK, type Json, type Resource, resources, STAGE, synthesizedApp } from './app.js';

/**
 * Every policy document of every stack, walked: identity policies, role trust policies, the
 * key policy, bucket and queue policies. Whatever construct adds a statement, it is seen here.
 */
const app = synthesizedApp();

interface Document {
  where: string;
  kind: 'identity' | 'resource' | 'trust';
  statements: Json[];
}

function documents(): Document[] {
  const found: Document[] = [];
  const add = (resource: Resource, kind: Document['kind'], document: Json, label = '') => {
    if (document) {
      found.push({
        where: `${resource.stack}/${resource.logicalId}${label}`,
        kind,
        statements: asArray(document.Statement),
      });
    }
  };
  for (const resource of resources(app.templates)) {
    const p = resource.properties;
    switch (resource.type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(resource, 'identity', p.PolicyDocument);
        break;
      case 'AWS::IAM::Role':
        add(resource, 'trust', p.AssumeRolePolicyDocument);
        for (const inline of p.Policies ?? [])
          add(resource, 'identity', inline.PolicyDocument, `#${inline.PolicyName}`);
        break;
      case 'AWS::KMS::Key':
        add(resource, 'resource', p.KeyPolicy);
        break;
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        add(resource, 'resource', p.PolicyDocument);
        break;
      default:
        // Any other resource carrying a policy document must be added above before it can pass.
        expect(JSON.stringify(p).includes('"Statement"'), `${resource.type} carries a policy document`).toBe(false);
    }
  }
  return found;
}

const isWildcardAction = (action: string) => action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
const statementsWhere = (predicate: (statement: Json, document: Document) => boolean) =>
  documents().flatMap((document) =>
    document.statements
      .filter((statement) => predicate(statement, document))
      .map((statement) => ({ document, statement })),
  );

describe('IAM across every stack', () => {
  it('finds the policy documents it walks', () => {
    const kinds = new Set(documents().map((document) => document.kind));
    expect([...kinds].sort()).toEqual(['identity', 'resource', 'trust']);
  });

  it('has no statement granting * or service:* on resource *', () => {
    const offending = statementsWhere(
      (statement) =>
        asArray<string>(statement.Action).some(isWildcardAction) && asArray<Json>(statement.Resource).includes('*'),
    );
    expect(offending.map(({ document, statement }) => [document.where, statement])).toEqual([]);
  });

  it('allows service-wide actions nowhere (service:* appears only in TLS-deny statements)', () => {
    const offending = statementsWhere(
      (statement) => statement.Effect === 'Allow' && asArray<string>(statement.Action).some(isWildcardAction),
    );
    expect(offending.map(({ document, statement }) => [document.where, statement])).toEqual([]);
  });

  it('allows resource * in identity policies only for actions that have no resource, and only with conditions', () => {
    const open = statementsWhere(
      (statement, document) =>
        document.kind === 'identity' && statement.Effect === 'Allow' && asArray<Json>(statement.Resource).includes('*'),
    );
    for (const { document, statement } of open) {
      if (asArray(statement.Action).includes('kms:ListAliases')) {
        // The one exception: kms:ListAliases (the API health check that KMS answers) has no
        // resource-level scope in IAM, so it can only be granted on '*', and no condition key
        // narrows it. It reveals alias names, no key material. Allowed as exactly this statement:
        // that action alone, nothing added beside it.
        expect(statement, document.where).toEqual({
          Sid: 'KeyServiceHealth',
          Effect: 'Allow',
          Action: 'kms:ListAliases',
          Resource: '*',
        });
        continue;
      }
      if (asArray(statement.Action).some((action) => String(action).startsWith('xray:'))) {
        // Active tracing (stacks/lambda.ts): X-Ray's write actions have no resource-level scope
        // and no condition key. They send trace segments, read nothing. Exactly this statement.
        expect(statement, document.where).toEqual({
          Effect: 'Allow',
          Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          Resource: '*',
        });
        continue;
      }
      expect(asArray(statement.Action), document.where).toEqual(['kms:CreateKey']);
      expect(statement.Condition, document.where).toBeDefined();
    }
  });

  it('grants kms:ListAliases (unscoped) only to the functions that declare the key-service check (the API)', () => {
    const declaring = PRODUCT.functions.filter((fn) => fn.access.keyService);
    expect(declaring.map((fn) => fn.name)).toContain('api');
    const listing = statementsWhere((statement) => asArray<string>(statement.Action).includes('kms:ListAliases'));
    expect(listing.map(({ document }) => [document.kind, document.where.split('/')[0]]).sort()).toEqual(
      declaring.map((fn) => ['identity', FUNCTION_STACK[fn.kind]]).sort(),
    );
  });

  it('uses unique statement ids within each document', () => {
    for (const document of documents()) {
      const sids = document.statements.map((statement) => statement.Sid).filter(Boolean);
      expect(new Set(sids).size, document.where).toBe(sids.length);
    }
  });

  it('lets Lambda alone assume the function roles', () => {
    for (const document of documents().filter((candidate) => candidate.kind === 'trust')) {
      for (const statement of document.statements) {
        expect(statement.Principal, document.where).toEqual({ Service: 'lambda.amazonaws.com' });
      }
    }
  });

  it('attaches managed policies only to the custom-resource handler (basic Lambda logging)', () => {
    for (const role of resources(app.templates, 'AWS::IAM::Role')) {
      const managed = role.properties.ManagedPolicyArns ?? [];
      if (managed.length === 0) continue;
      expect(role.logicalId, 'role with managed policies').toMatch(/^CustomResourceHandlerServiceRole/);
      expect(JSON.stringify(managed)).toBe(
        JSON.stringify([
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
            ],
          },
        ]),
      );
    }
  });
});

describe('per-tenant keys', () => {
  const tenantKeyStatements = () =>
    statementsWhere(
      (statement, document) =>
        document.kind === 'identity' &&
        asArray<string>(statement.Action).some((action) =>
          ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateAlias', 'kms:TagResource', 'kms:CreateKey'].includes(
            action,
          ),
        ) &&
        !statement.Condition?.StringEquals?.['kms:ViaService'] &&
        // The SQS event source's own Decrypt on the stage key (to receive) names the key ARN.
        !asArray<Json>(statement.Resource).some((resource) => JSON.stringify(resource).includes('StageKey')),
    );

  it('are used only when tagged with this stage and a tenant', () => {
    const uses = tenantKeyStatements().filter(({ statement }) =>
      asArray<string>(statement.Action).some((action) => ['kms:Decrypt', 'kms:GenerateDataKey'].includes(action)),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const { document, statement } of uses) {
      expect(statement.Condition, document.where).toEqual({
        StringEquals: { [`aws:ResourceTag/${STAGE_KEY_TAG}`]: STAGE },
        Null: { [`aws:ResourceTag/${TENANT_KEY_TAG}`]: 'false' },
      });
    }
  });

  it('are created only with this stage and a tenant in the request tags', () => {
    const creates = tenantKeyStatements().filter(({ statement }) =>
      asArray<string>(statement.Action).some((action) => ['kms:CreateKey', 'kms:TagResource'].includes(action)),
    );
    const allows = creates.filter(({ statement }) => statement.Effect === 'Allow');
    expect(allows.map(({ statement }) => statement.Action).sort()).toEqual(['kms:CreateKey', 'kms:TagResource']);
    for (const { document, statement } of allows) {
      expect(statement.Condition, document.where).toEqual({
        StringEquals: { [`aws:RequestTag/${STAGE_KEY_TAG}`]: STAGE },
        Null: { [`aws:RequestTag/${TENANT_KEY_TAG}`]: 'false' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [STAGE_KEY_TAG, TENANT_KEY_TAG] },
      });
    }
    // Re-tagging a key of another stage into this one is denied outright.
    expect(creates.filter(({ statement }) => statement.Effect === 'Deny')).toHaveLength(1);
  });

  it('get aliases only under this stage’s tenant prefix', () => {
    const aliases = tenantKeyStatements().filter(({ statement }) =>
      asArray<string>(statement.Action).includes('kms:CreateAlias'),
    );
    expect(aliases).toHaveLength(2);
    const onAliases = aliases.filter(({ statement }) => JSON.stringify(statement.Resource).includes(':alias/'));
    expect(onAliases).toHaveLength(1);
    expect(JSON.stringify(onAliases[0]!.statement.Resource)).toContain(`:${tenantKeyAliasPrefix(STAGE)}*`);
    const onKeys = aliases.find(({ statement }) => statement !== onAliases[0]!.statement)!;
    expect(onKeys.statement.Condition.StringEquals).toEqual({ [`aws:ResourceTag/${STAGE_KEY_TAG}`]: STAGE });
  });

  it('are never used by the Meta webhook, which reads no table either (one app: deployment secrets)', () => {
    const webhooks = (document: Document) => document.where.startsWith('Webhooks/');
    expect(tenantKeyStatements().filter(({ document }) => webhooks(document))).toEqual([]);
    const tableActions = statementsWhere(
      (statement, document) =>
        webhooks(document) &&
        document.kind === 'identity' &&
        asArray<string>(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    expect(tableActions).toEqual([]);
  });

  it('are created only by the API', () => {
    const creators = statementsWhere((statement) => asArray<string>(statement.Action).includes('kms:CreateKey'));
    expect(creators.map(({ document }) => document.where.split('/')[0])).toEqual(['Api']);
  });
});
