import type { AppSecret } from '@asistone/core/platform/access';
import { PRODUCT } from '@asistone/core/product/areas';
import { DescribeParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import config from '../../../../sst.config.js';
import { appUrlParameterName } from '../../../../stacks/parameters.js';

/**
 * The SSM parameters a stage's functions read (stacks/parameters.ts), derived from the same
 * declarations the stacks build from: each function's `settings` in its area. Checked before a
 * deploy so a stage never goes out with a function whose secret is not there. Only names are
 * ever asked for and printed: the check reads parameter metadata, never a value.
 */

export interface StageParameter {
  /** The setting's name, e.g. `RESEND_API_KEY`. */
  name: string;
  path: string;
  /** The functions that read it (`api`, `worker-mail`, ...). */
  readBy: string[];
  /** `secret`: set per stage with `npx sst secrets set`; `deploy`: written by the deploy itself. */
  source: 'secret' | 'deploy';
}

/** The app's name and SSM prefix as SST computes them for the stage (sst.config.ts). */
function ssmPrefix(stage: string): string {
  const project: { name: string; ssmPrefix?: string } = config.config({ stage } as never);
  return project.ssmPrefix ?? `/sst/${project.name}/${stage}/`;
}

/** Where SST keeps a `Config.Secret`'s value for the stage (`npx sst secrets set` writes it there). */
export const secretParameterPath = (stage: string, name: AppSecret) => `${ssmPrefix(stage)}Secret/${name}/value`;

/** Every parameter some function of the stage reads, sorted by name. */
export function stageParameters(stage: string): StageParameter[] {
  const found = new Map<string, StageParameter>();
  const add = (name: string, path: string, source: StageParameter['source'], fn: string) => {
    const entry = found.get(name) ?? { name, path, readBy: [], source };
    entry.readBy.push(fn);
    found.set(name, entry);
  };
  for (const fn of PRODUCT.functions) {
    for (const secret of fn.settings?.secrets ?? []) add(secret, secretParameterPath(stage, secret), 'secret', fn.name);
    if (fn.settings?.appUrl) add('APP_URL', appUrlParameterName(stage), 'deploy', fn.name);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The secrets some function reads: what `--optional` may name. */
export const secretNames = (): string[] =>
  stageParameters('any')
    .filter((parameter) => parameter.source === 'secret')
    .map((parameter) => parameter.name);

/** Which of these parameter paths exist in the stage's account (names in, names out). */
export type ExistingParameters = (paths: readonly string[]) => Promise<ReadonlySet<string>>;

/**
 * The paths among `paths` that exist in SSM. DescribeParameters answers metadata only, so no
 * value (not even an encrypted one) ever reaches this process.
 */
export function ssmParameterNames(ssm: Pick<SSMClient, 'send'>): ExistingParameters {
  return async (paths) => {
    const found = new Set<string>();
    // The Name filter takes at most 50 values.
    for (let start = 0; start < paths.length; start += 50) {
      let nextToken: string | undefined;
      do {
        const out = await ssm.send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: paths.slice(start, start + 50) }],
            MaxResults: 50,
            NextToken: nextToken,
          }),
        );
        for (const parameter of out.Parameters ?? []) if (parameter.Name) found.add(parameter.Name);
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return found;
  };
}

export interface SecretsCheck {
  stage: string;
  parameters: (StageParameter & { present: boolean })[];
  /** Secrets that are not set and were not declared optional for the stage: the check fails on these. */
  missing: string[];
  /** Secrets that are not set but the stage goes without on purpose (`--optional`). */
  skipped: string[];
}

/**
 * Checks that every secret the stage's functions read is set. A parameter the deploy writes
 * itself (the web app's URL) is listed but not required: it appears with the first deploy.
 */
export async function checkStageSecrets(
  stage: string,
  existing: ExistingParameters,
  optional: readonly string[] = [],
): Promise<SecretsCheck> {
  const expected = stageParameters(stage);
  const present = await existing(expected.map((parameter) => parameter.path));
  const parameters = expected.map((parameter) => ({ ...parameter, present: present.has(parameter.path) }));
  const absent = parameters.filter((parameter) => parameter.source === 'secret' && !parameter.present);
  return {
    stage,
    parameters,
    missing: absent.filter((parameter) => !optional.includes(parameter.name)).map((parameter) => parameter.name),
    skipped: absent.filter((parameter) => optional.includes(parameter.name)).map((parameter) => parameter.name),
  };
}

/** The check as printed: one line per parameter (name, state, path, readers), then the verdict. */
export function formatCheck(check: SecretsCheck): string {
  const width = Math.max(...check.parameters.map((parameter) => parameter.name.length));
  const state = (parameter: SecretsCheck['parameters'][number]) => {
    if (parameter.present) return 'set';
    if (parameter.source === 'deploy') return 'by deploy';
    return check.skipped.includes(parameter.name) ? 'optional' : 'MISSING';
  };
  const lines = [
    `stage ${check.stage}: ${check.parameters.length} parameters read by its functions`,
    ...check.parameters.map(
      (parameter) =>
        `  ${parameter.name.padEnd(width)}  ${state(parameter).padEnd(9)}  ${parameter.path}  (${parameter.readBy.join(', ')})`,
    ),
  ];
  if (check.missing.length === 0) {
    lines.push(`every secret the functions of ${check.stage} read is set`);
  } else {
    lines.push(
      `missing on ${check.stage}: ${check.missing.join(', ')}`,
      `set each with: npx sst secrets set <NAME> <value> --stage ${check.stage}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
