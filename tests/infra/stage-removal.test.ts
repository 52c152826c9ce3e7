import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack } from 'sst/constructs';
import { useProject } from 'sst/project.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../sst.config.js';
import { PRODUCTION_STAGE, REMOVE_DATA_VARIABLE } from '../../stacks/removal.js';
import { type Json, removeOutput, STACKS, STAGE, type StackName, synthesize } from './app.js';

/**
 * What `sst remove` may take with it. The stage's data (the records table, the media bucket, the
 * stage key that encrypts both) and the web bucket stay behind on every stage, unless the removal
 * flag names the very stage being synthesized; production cannot be flagged at all.
 */

/** The resource types that hold what a removal must not take by accident. */
const STATEFUL = ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key'];
/** Every stack, so a table, bucket or key added anywhere is held to the same rule. */
const ALL_STACKS = Object.keys(STACKS) as StackName[];

interface Synthesis {
  templates: Record<StackName, Json>;
  terminationProtection: Record<StackName, boolean>;
}

/** The whole app as sst.config.ts defines it, for `stage`, with the removal flag set to `flag` (or unset). */
function synthesizeStage(stage: string, flag: string | undefined): Synthesis {
  const previous = process.env[REMOVE_DATA_VARIABLE];
  if (flag === undefined) delete process.env[REMOVE_DATA_VARIABLE];
  else process.env[REMOVE_DATA_VARIABLE] = flag;
  try {
    const { config: project } = useProject();
    const app = new App({ mode: 'deploy', name: project.name, stage, region: project.region });
    config.stacks(app);
    const stacks = Object.fromEntries(Object.entries(STACKS).map(([name, fn]) => [name, getStack(fn)]));
    return {
      templates: Object.fromEntries(
        Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack).toJSON()]),
      ) as Record<StackName, Json>,
      terminationProtection: Object.fromEntries(
        Object.entries(stacks).map(([name, stack]) => [name, stack.terminationProtection]),
      ) as Record<StackName, boolean>,
    };
  } finally {
    if (previous === undefined) delete process.env[REMOVE_DATA_VARIABLE];
    else process.env[REMOVE_DATA_VARIABLE] = previous;
  }
}

/** Every table, bucket and key of the app, with the policies CloudFormation applies on removal. */
function statefulResources(synthesis: Synthesis): { stack: StackName; id: string; resource: Json }[] {
  return ALL_STACKS.flatMap((stack) =>
    Object.entries<Json>(synthesis.templates[stack].Resources ?? {})
      .filter(([, resource]) => STATEFUL.includes(resource.Type))
      .map(([id, resource]) => ({ stack, id, resource })),
  );
}

/** The custom resources that empty a bucket before CloudFormation deletes it. */
const autoDeletes = (synthesis: Synthesis) =>
  ALL_STACKS.flatMap((stack) =>
    Object.values<Json>(synthesis.templates[stack].Resources ?? {}).filter(
      (resource) => resource.Type === 'Custom::S3AutoDeleteObjects',
    ),
  );

const tableOf = (synthesis: Synthesis): Json =>
  Object.values<Json>(synthesis.templates.Storage.Resources).find(
    (resource) => resource.Type === 'AWS::DynamoDB::Table',
  );

function expectRetained(synthesis: Synthesis): void {
  const found = statefulResources(synthesis);
  // The table, the stage key, and the media and web buckets.
  expect(found.map(({ resource }) => resource.Type).sort()).toEqual([
    'AWS::DynamoDB::Table',
    'AWS::KMS::Key',
    'AWS::S3::Bucket',
    'AWS::S3::Bucket',
  ]);
  for (const { stack, id, resource } of found) {
    expect({ stack, id, DeletionPolicy: resource.DeletionPolicy }).toEqual({ stack, id, DeletionPolicy: 'Retain' });
    expect({ stack, id, UpdateReplacePolicy: resource.UpdateReplacePolicy }).toEqual({
      stack,
      id,
      UpdateReplacePolicy: 'Retain',
    });
  }
  expect(tableOf(synthesis).Properties.DeletionProtectionEnabled).toBe(true);
  expect(autoDeletes(synthesis)).toEqual([]);
}

beforeAll(async () => {
  // Initializes the project and this file's output folder, as every infra test does.
  await synthesize();
});
afterAll(removeOutput);

describe('removing a stage', () => {
  it('retains the table (with deletion protection), the buckets and the key without the flag', () => {
    expectRetained(synthesizeStage(STAGE, undefined));
  });

  it('retains them when the flag names another stage', () => {
    expectRetained(synthesizeStage(STAGE, 'staging'));
    expectRetained(synthesizeStage(STAGE, `${STAGE}-other`));
  });

  it('releases them only when the flag names this stage: Delete, no deletion protection, buckets emptied', () => {
    const synthesis = synthesizeStage(STAGE, STAGE);
    const found = statefulResources(synthesis);
    expect(found).toHaveLength(4);
    for (const { stack, id, resource } of found) {
      expect({ stack, id, DeletionPolicy: resource.DeletionPolicy }).toEqual({ stack, id, DeletionPolicy: 'Delete' });
      expect({ stack, id, UpdateReplacePolicy: resource.UpdateReplacePolicy }).toEqual({
        stack,
        id,
        UpdateReplacePolicy: 'Delete',
      });
    }
    expect(tableOf(synthesis).Properties.DeletionProtectionEnabled).toBe(false);
    // One emptying resource per bucket: the media bucket and the web bucket.
    const buckets = found.filter(({ resource }) => resource.Type === 'AWS::S3::Bucket');
    expect(autoDeletes(synthesis)).toHaveLength(buckets.length);
  });

  it('fails synthesis when the flag names production, on production or any other stage', () => {
    expect(() => synthesizeStage(PRODUCTION_STAGE, PRODUCTION_STAGE)).toThrow(/production/);
    expect(() => synthesizeStage(STAGE, PRODUCTION_STAGE)).toThrow(/production/);
  });

  it("keeps production's data stacks under termination protection, and no other stage's", () => {
    const production = synthesizeStage(PRODUCTION_STAGE, undefined);
    expectRetained(production);
    expect(production.terminationProtection.Keys).toBe(true);
    expect(production.terminationProtection.Storage).toBe(true);
    const other = synthesizeStage(STAGE, undefined);
    expect(other.terminationProtection.Keys).toBe(false);
    expect(other.terminationProtection.Storage).toBe(false);
  });
});
