import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionKind } from '@asistone/core/platform/area';
import { resourceName } from '@asistone/core/platform/store/table';
import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack, type Stack } from 'sst/constructs';
import { initProject, useProject } from 'sst/project.js';
import { afterAll, beforeAll, expect } from 'vitest';
import config from '../../sst.config.js';
import { Api } from '../../stacks/Api.js';
import { Jobs } from '../../stacks/Jobs.js';
import { Keys } from '../../stacks/Keys.js';
import { Monitoring } from '../../stacks/Monitoring.js';
import { Queues } from '../../stacks/Queues.js';
import { Storage } from '../../stacks/Storage.js';
import { Web } from '../../stacks/Web.js';
import { Webhooks } from '../../stacks/Webhooks.js';

/**
 * Test support for the infrastructure: the whole app exactly as `sst deploy` defines it (the
 * stacks come from sst.config.ts), synthesized offline.
 *
 * How SST v2 bundling fits in: an SST `Function` is constructed with inline placeholder code,
 * and its real build (esbuild, then `npm install` of any `nodejs.install` packages, then the
 * asset and the final runtime/handler) is a deferred task that only `App.finish()` runs, which
 * the SST CLI calls before deploying. Tests never call `finish()`, so nothing is bundled and no
 * network or credentials are needed; they assert on the props the deferred build will use.
 * bundling.test.ts additionally runs SST's real build for every function.
 */

export const STAGE = 'test';
export const STACKS = { Keys, Storage, Queues, Webhooks, Jobs, Api, Web, Monitoring } as const;
export type StackName = keyof typeof STACKS;

/** The stack that builds each kind of product function (stacks/*.ts loop over PRODUCT by kind). */
export const FUNCTION_STACK: Record<FunctionKind, StackName> = {
  webhook: 'Webhooks',
  api: 'Api',
  worker: 'Queues',
  schedule: 'Jobs',
};

export interface Synthesized {
  app: App;
  stacks: Record<StackName, Stack>;
  templates: Record<StackName, Template>;
}

let synthesized: Promise<Synthesized> | undefined;
let output: string | undefined;

/** Removes this process's SST output folder (types, build artifacts); call from `afterAll`. */
export function removeOutput(): void {
  if (output) rmSync(output, { recursive: true, force: true });
}

/** Synthesizes once per test file (vitest runs each file in its own process). */
export function synthesize(): Promise<Synthesized> {
  synthesized ??= (async () => {
    // Without a stage SST would prompt for one; NODE_ENV=test (vitest.config.ts) skips its AWS look-ups.
    await initProject({ stage: STAGE });
    const { config: project, paths } = useProject();
    // SST rewrites <out>/types whenever an App is created; test files run in parallel, so each
    // process gets its own output folder instead of racing on the repository's .sst.
    paths.out = mkdtempSync(join(tmpdir(), 'asistone-infra-'));
    paths.artifacts = join(paths.out, 'artifacts');
    output = paths.out;
    const app = new App({ mode: 'deploy', name: project.name, stage: project.stage, region: project.region });
    await config.stacks(app);
    const stacks = Object.fromEntries(Object.entries(STACKS).map(([name, fn]) => [name, getStack(fn)])) as Record<
      StackName,
      Stack
    >;
    const templates = Object.fromEntries(
      Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack)]),
    ) as Record<StackName, Template>;
    return { app, stacks, templates };
  })();
  return synthesized;
}

/**
 * The synthesized app for the tests of the calling file: filled in before its tests run (so read
 * it inside tests, never at the file's top level), and its output folder removed after them.
 */
export function synthesizedApp(): Synthesized {
  const app = {} as Synthesized;
  beforeAll(async () => {
    Object.assign(app, await synthesize());
  });
  afterAll(removeOutput);
  return app;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
export type Json = any;

export interface Resource {
  stack: StackName;
  logicalId: string;
  type: string;
  properties: Json;
  dependsOn?: string[];
}

/** Every resource of every stack, optionally of one type. */
export function resources(templates: Record<StackName, Template>, type?: string): Resource[] {
  return (Object.entries(templates) as [StackName, Template][]).flatMap(([stack, template]) =>
    Object.entries<Json>(template.toJSON().Resources ?? {})
      .filter(([, resource]) => !type || resource.Type === type)
      .map(([logicalId, resource]) => ({
        stack,
        logicalId,
        type: resource.Type,
        properties: resource.Properties ?? {},
        dependsOn: resource.DependsOn,
      })),
  );
}

/** One stack's resources of one type. */
export function resourcesIn(template: Template, type: string): [string, Json][] {
  return Object.entries<Json>(template.toJSON().Resources ?? {})
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => [logicalId, resource.Properties ?? {}]);
}

/**
 * Follows a value across stacks: `Fn::ImportValue` becomes the exporting stack's output value.
 * Returns the stack the value finally lives in and the value there.
 */
export function resolveAcrossStacks(
  templates: Record<StackName, Template>,
  stack: StackName,
  value: Json,
): { stack: StackName; value: Json } {
  const imported = value?.['Fn::ImportValue'];
  if (typeof imported !== 'string') return { stack, value };
  for (const [name, template] of Object.entries(templates) as [StackName, Template][]) {
    for (const output of Object.values<Json>(template.toJSON().Outputs ?? {})) {
      if (output.Export?.Name === imported) return resolveAcrossStacks(templates, name, output.Value);
    }
  }
  throw new Error(`no stack exports ${imported}`);
}

/** True when `value` (in `stack`) is the ARN of the stage key of the Keys stack. */
export function isStageKeyArn(templates: Record<StackName, Template>, stack: StackName, value: Json): boolean {
  const resolved = resolveAcrossStacks(templates, stack, value);
  if (resolved.stack !== 'Keys') return false;
  const [logicalId, attribute] = resolved.value?.['Fn::GetAtt'] ?? [];
  const keys = resourcesIn(templates.Keys, 'AWS::KMS::Key').map(([id]) => id);
  return attribute === 'Arn' && keys.length === 1 && keys[0] === logicalId;
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, within the same stack. */
export function referencedId(value: Json): string | undefined {
  if (typeof value?.Ref === 'string') return value.Ref;
  const getAtt = value?.['Fn::GetAtt'];
  return Array.isArray(getAtt) ? getAtt[0] : undefined;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The one product function deployed as `name` (`api`, `worker-mail`, `schedule-...`), in any stack. */
export function productFunction(templates: Record<StackName, Template>, name: string): Resource {
  const found = resources(templates, 'AWS::Lambda::Function').filter(
    (fn) => fn.properties.FunctionName === resourceName(STAGE, name),
  );
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

/** Every statement of the identity policies attached to a function's role, in the function's stack. */
export function statementsOf(templates: Record<StackName, Template>, fn: Resource): Json[] {
  const roleId = referencedId(fn.properties.Role);
  // A role whose inline policy outgrows IAM's size limit gets the rest in a managed policy (CDK's overflow).
  return [...resources(templates, 'AWS::IAM::Policy'), ...resources(templates, 'AWS::IAM::ManagedPolicy')]
    .filter((policy) => policy.stack === fn.stack)
    .filter((policy) => (policy.properties.Roles ?? []).some((role: Json) => referencedId(role) === roleId))
    .flatMap((policy) => asArray<Json>(policy.properties.PolicyDocument.Statement));
}

export const actionsOf = (statements: Json[]): string[] =>
  statements.flatMap((statement) => asArray<string>(statement.Action));
