import { RemovalPolicy, type Stack } from 'aws-cdk-lib';

/** The stage whose data no flag may ever release, and whose data stacks CloudFormation refuses to delete. */
export const PRODUCTION_STAGE = 'production';

/**
 * Set to a stage's name at synthesis (`ASISTONE_REMOVE_DATA=<stage> npx sst deploy --stage <stage>`)
 * to let that stage's table, buckets and key be deleted with it. It names the stage rather than
 * saying yes, so a value left in a shell releases nothing on any other stage.
 */
export const REMOVE_DATA_VARIABLE = 'ASISTONE_REMOVE_DATA';

export interface DataRemoval {
  /** True only when the flag names this stage. */
  removable: boolean;
  /** RETAIN unless removable: `sst remove` then leaves the resource (and its data) in place. */
  removalPolicy: RemovalPolicy;
}

/**
 * How a stage's stateful resources (the records table, the media and web buckets, the stage key)
 * are treated when the stage is removed. Retained on every stage; released only by the flag,
 * which must name the stage being synthesized. A flag naming production fails synthesis, whatever
 * stage is being built: production's data is deleted on purpose, by hand, or not at all.
 */
export function dataRemoval(stage: string, env: Record<string, string | undefined> = process.env): DataRemoval {
  const flagged = env[REMOVE_DATA_VARIABLE]?.trim();
  if (flagged === PRODUCTION_STAGE) {
    throw new Error(
      `${REMOVE_DATA_VARIABLE}=${PRODUCTION_STAGE}: the production stage's data is never released by a flag`,
    );
  }
  const removable = Boolean(flagged) && flagged === stage;
  return { removable, removalPolicy: removable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN };
}

/** Production's stacks that hold data refuse deletion (`sst remove` fails on them until it is turned off by hand). */
export function protectProductionData(stack: Stack & { stage: string }): void {
  if (stack.stage === PRODUCTION_STAGE) stack.terminationProtection = true;
}
