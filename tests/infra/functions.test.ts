import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitHandler } from '@asistone/core/platform/area';
import { queueUrlVariable, readConfig } from '@asistone/core/platform/config';
import { deadLetterQueueName } from '@asistone/core/platform/queue/declarations';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { App as CdkApp, Stack as CdkStack, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { type FunctionProps, useFunctions } from 'sst/constructs';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS, LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, LOG_RETENTION_DAYS } from '../../stacks/bundling.js';
import { baseline } from '../../stacks/lambda.js';
import { type Json, referencedId, resources, STAGE, type StackName, synthesizedApp } from './app.js';

const ROOT = join(import.meta.dirname, '..', '..');

const app = synthesizedApp();

/**
 * Every SST function of every stack, with the props SST registered for it: the very object its
 * deferred build reads (`useFunctions().fromID`) when `sst deploy` bundles it.
 */
function sstFunctions(): { stack: StackName; id: string; props: FunctionProps }[] {
  return (Object.entries(app.stacks) as [StackName, (typeof app.stacks)[StackName]][]).flatMap(([stack, construct]) =>
    construct.getAllFunctions().map((fn) => ({ stack, id: fn.node.id, props: useFunctions().fromID(fn.node.addr)! })),
  );
}

describe('the set of functions', () => {
  it('is exactly the product functions the areas declare, each named asistone-<stage>-<name>', () => {
    const declared = PRODUCT.functions.map((fn) => resourceName(STAGE, fn.name));
    const named = resources(app.templates, 'AWS::Lambda::Function')
      .map((fn) => fn.properties.FunctionName)
      .filter(Boolean);
    expect(named.sort()).toEqual(declared.sort());
  });

  it('holds no idle function: the only other Lambda is the custom-resource handler the Web stack deploys through', () => {
    const unnamed = resources(app.templates, 'AWS::Lambda::Function').filter((fn) => !fn.properties.FunctionName);
    expect(unnamed.map((fn) => [fn.stack, fn.logicalId.replace(/[0-9A-F]{8}$/, '')])).toEqual([
      ['Web', 'CustomResourceHandler'],
    ]);
  });

  it('gives every product function the handler its area declares, and that file exports it', () => {
    const built = sstFunctions();
    expect(built.map(({ id }) => id).sort()).toEqual(PRODUCT.functions.map((fn) => fn.name).sort());
    for (const { id: name, props } of built) {
      const declared = PRODUCT.fn(name);
      expect(declared, `${name} is declared by an area`).toBeDefined();
      expect(props.handler).toBe(declared!.handler);
      const { file, exportName } = splitHandler(declared!.handler);
      const source = join(ROOT, `${file}.ts`);
      expect(existsSync(source), source).toBe(true);
      expect(readFileSync(source, 'utf8')).toMatch(
        new RegExp(`export (const|function|async function) ${exportName}\\b`),
      );
    }
  });
});

describe('every Lambda in every stack', () => {
  it('runs nodejs22.x on arm64', () => {
    const all = resources(app.templates, 'AWS::Lambda::Function');
    expect(all.length).toBeGreaterThan(0);
    for (const fn of all) {
      expect(fn.properties.Runtime, `${fn.stack}/${fn.logicalId}`).toBe(LAMBDA_RUNTIME);
      expect(fn.properties.Architectures, `${fn.stack}/${fn.logicalId}`).toEqual(['arm64']);
    }
  });

  it('logs to its own log group, kept three years', () => {
    for (const fn of resources(app.templates, 'AWS::Lambda::Function')) {
      const groupId = referencedId(fn.properties.LoggingConfig?.LogGroup);
      expect(groupId, `${fn.stack}/${fn.logicalId} has a log group`).toBeDefined();
      const group = resources(app.templates, 'AWS::Logs::LogGroup').find(
        (candidate) => candidate.stack === fn.stack && candidate.logicalId === groupId,
      );
      expect(group?.properties.RetentionInDays).toBe(LOG_RETENTION_DAYS);
    }
  });

  it('leaves no log group to the default (never expire) retention', () => {
    const groups = resources(app.templates, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(resources(app.templates, 'AWS::Lambda::Function').length);
    for (const group of groups) expect(group.properties.RetentionInDays, group.logicalId).toBe(1096);
  });

  it('uses no LogRetention custom resource (explicit log groups instead)', () => {
    expect(resources(app.templates, 'Custom::LogRetention')).toEqual([]);
  });
});

describe('what SST builds at deploy (the deferred bundling)', () => {
  it('builds every function for nodejs22.x on arm64', () => {
    for (const { id, props } of sstFunctions()) {
      expect(props.runtime, id).toBe(LAMBDA_RUNTIME);
      expect(props.architecture, id).toBe(LAMBDA_ARCHITECTURE);
    }
  });

  it('bundles with stacks/bundling.ts: minified ESM, no source maps, AWS SDK inside', () => {
    for (const { props } of sstFunctions()) {
      const nodejs = props.nodejs!;
      expect(nodejs.format).toBe('esm');
      expect(nodejs.minify).toBe(true);
      expect(nodejs.sourcemap).toBe(false);
      // SST spreads `esbuild` last over its own options: each of ours wins.
      expect(nodejs.esbuild).toEqual(expect.objectContaining(ESBUILD_OPTIONS));
      // Nothing left out of the bundle, nothing installed beside it.
      expect(nodejs.esbuild?.external ?? []).toEqual([]);
      expect(nodejs.install ?? []).toEqual([]);
    }
  });

  it('binds nothing (SST bind grants service-wide actions) and traces actively (X-Ray, platform/xray.ts)', () => {
    for (const { props } of sstFunctions()) {
      expect(props.bind ?? []).toEqual([]);
      expect(props.tracing).toBe('active');
    }
  });
});

describe('environment', () => {
  const productFunctions = () =>
    resources(app.templates, 'AWS::Lambda::Function').filter((fn) => fn.properties.FunctionName);
  /** Deploy-time values are tokens; any non-empty string stands in for them. */
  const asDeployed = (variables: Record<string, Json>) =>
    Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : 'resolved-at-deploy']),
    );

  it('is what readConfig needs, with the KMS key provider', () => {
    for (const fn of productFunctions()) {
      const env = asDeployed(fn.properties.Environment.Variables);
      const config = readConfig(env);
      expect(config.STAGE).toBe(STAGE);
      expect(config.KEY_PROVIDER).toBe('kms');
      expect(env.LOCAL_KEY_DIR).toBeUndefined();
      for (const variable of Object.keys(env)) expect(variable.startsWith('AWS_ENDPOINT_URL')).toBe(false);
    }
  });

  it('names the table and bucket from the Storage stack', () => {
    for (const fn of productFunctions()) {
      const { TABLE_NAME, MEDIA_BUCKET } = fn.properties.Environment.Variables;
      expect(TABLE_NAME['Fn::ImportValue']).toMatch(/^test-asistone-Storage:ExportsOutputRefRecords/);
      expect(MEDIA_BUCKET['Fn::ImportValue']).toMatch(/^test-asistone-Storage:ExportsOutputRefMedia/);
    }
  });

  it('gives the API every queue and dead-letter queue URL (its health route reads them all)', () => {
    const api = productFunctions().find((fn) => fn.properties.FunctionName === resourceName(STAGE, 'api'))!;
    expect(PRODUCT.queueNames.length).toBeGreaterThan(0);
    for (const queue of PRODUCT.queueNames) {
      expect(api.properties.Environment.Variables[queueUrlVariable(queue)]).toBeDefined();
      expect(api.properties.Environment.Variables[queueUrlVariable(deadLetterQueueName(queue))]).toBeDefined();
    }
  });

  it('gives the dead-letter watch every dead-letter queue URL', () => {
    const watch = productFunctions().find(
      (fn) => fn.properties.FunctionName === resourceName(STAGE, 'schedule-dead-letter-watch'),
    )!;
    for (const queue of PRODUCT.queueNames) {
      expect(watch.properties.Environment.Variables[queueUrlVariable(deadLetterQueueName(queue))]).toBeDefined();
    }
  });
});

describe('the stack baseline, on Lambdas CDK adds by itself', () => {
  it('gives custom-resource providers and singleton functions a log group kept three years', () => {
    // Prepare: constructs that bring their own Lambdas (an auto-delete provider, a plain function).
    const cdkApp = new CdkApp();
    const stack = new CdkStack(cdkApp, 'Probe');
    new Bucket(stack, 'Bucket', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new LambdaFunction(stack, 'Plain', {
      code: Code.fromInline('export const handler = () => {}'),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
    });

    // Act
    baseline(stack);
    const template = Template.fromStack(stack).toJSON();

    // Assess
    const all = Object.entries<Json>(template.Resources);
    const functions = all.filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBe(2);
    for (const [id, fn] of functions) {
      const groupId = referencedId(fn.Properties.LoggingConfig?.LogGroup);
      expect(groupId, id).toBeDefined();
      expect(template.Resources[groupId!].Properties.RetentionInDays).toBe(LOG_RETENTION_DAYS);
    }
  });
});
