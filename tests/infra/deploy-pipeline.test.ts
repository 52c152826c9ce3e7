import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkStageSecrets,
  formatCheck,
  secretParameterPath,
  ssmParameterNames,
  stageParameters,
} from '../../packages/local/src/cli/stage-secrets.js';
import { REMOVE_DATA_VARIABLE } from '../../stacks/removal.js';
import { ROOT } from '../support/local-stack.js';
import { type Json, resources, STAGE, synthesizedApp } from './app.js';

/**
 * The deploy pipeline (.github/workflows) as GitHub will read it: AWS reached only through OIDC,
 * each stage deployed from its own ref with its secrets checked first, and the settings the
 * stacks read from the deploying shell supplied by the stage's environment.
 */

const GITHUB = join(ROOT, '.github');
const WORKFLOWS = join(GITHUB, 'workflows');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Job {
  workflow: string;
  id: string;
  job: Json;
  steps: Json[];
}

const workflows: [string, Json][] = readdirSync(WORKFLOWS)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => [name, parse(readFileSync(join(WORKFLOWS, name), 'utf8'))]);

const jobs: Job[] = workflows.flatMap(([workflow, parsed]) =>
  Object.entries<Json>(parsed.jobs ?? {}).map(([id, job]) => ({ workflow, id, job, steps: job.steps ?? [] })),
);

const runs = (step: Json): string => (typeof step.run === 'string' ? step.run : '');
const stepIndex = (job: Job, pattern: RegExp) => job.steps.findIndex((step) => pattern.test(runs(step)));
const environmentOf = (job: Job): string | undefined =>
  typeof job.job.environment === 'string' ? job.job.environment : job.job.environment?.name;

/** Jobs that reach AWS through SST. */
const awsJobs = () => jobs.filter((job) => job.steps.some((step) => /\bsst\s+(deploy|diff|remove)\b/.test(runs(step))));
const deployJobs = () => jobs.filter((job) => job.steps.some((step) => /\bsst\s+deploy\b/.test(runs(step))));
const deployJobOf = (stage: string): Job => {
  const found = deployJobs().filter((job) => job.steps.some((step) => runs(step).includes(`--stage ${stage}`)));
  expect(found.map((job) => job.id)).toHaveLength(1);
  return found[0]!;
};

/**
 * The names the stacks read from the deploying shell: `process.env.NAME`, and the names listed
 * for a `process.env[name]` loop (stacks/lambda.ts).
 */
function deploySettings(): string[] {
  const names = new Set<string>();
  const stacks = join(ROOT, 'stacks');
  for (const file of readdirSync(stacks).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(join(stacks, file), 'utf8');
    for (const match of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(match[1]!);
    if (/process\.env\[name\]/.test(text)) {
      for (const list of text.matchAll(/const names = \[([^\]]*)\]/g)) {
        for (const literal of list[1]!.matchAll(/'([A-Z][A-Z0-9_]*)'/g)) names.add(literal[1]!);
      }
    }
  }
  return [...names].sort();
}

describe('the workflows', () => {
  it('run the tests on every push and pull request, with nothing gating them', () => {
    const testing = jobs.filter((job) => job.steps.some((step) => /^npm test\b/m.test(runs(step))));
    expect(testing.length).toBeGreaterThan(0);
    const everywhere = testing.filter(({ workflow, job }) => {
      const on = workflows.find(([name]) => name === workflow)![1].on;
      const push = on?.push;
      // `push:` with no filter (null) or with no branch/tag/path filter runs for every push.
      const unfiltered =
        push === null ||
        (typeof push === 'object' && !push.branches && !push.tags && !push.paths && !push['branches-ignore']);
      return unfiltered && 'pull_request' in on && job.if === undefined && job.needs === undefined;
    });
    expect(everywhere.map((job) => job.id)).not.toEqual([]);
  });

  it('never mention AWS access keys, anywhere under .github', () => {
    for (const file of filesUnder(GITHUB)) {
      const text = readFileSync(file, 'utf8');
      expect({ file, text }).not.toEqual({ file, text: expect.stringMatching(/aws-access-key-id/i) });
      expect({ file, text }).not.toEqual({ file, text: expect.stringMatching(/aws-secret-access-key/i) });
      expect({ file, text }).not.toEqual({
        file,
        text: expect.stringMatching(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/),
      });
      expect({ file, text }).not.toEqual({ file, text: expect.stringMatching(/AKIA[0-9A-Z]{16}/) });
    }
  });

  it('never set the flag that releases a stage data for deletion', () => {
    for (const file of filesUnder(GITHUB)) expect(readFileSync(file, 'utf8')).not.toContain(REMOVE_DATA_VARIABLE);
  });

  it('reach AWS only through OIDC: id-token, and a role assumed before any sst command', () => {
    expect(awsJobs().length).toBeGreaterThanOrEqual(3);
    for (const job of awsJobs()) {
      expect({ job: job.id, permissions: job.job.permissions }).toEqual({
        job: job.id,
        permissions: { 'id-token': 'write', contents: 'read' },
      });
      const credentials = job.steps.findIndex((step) =>
        /^aws-actions\/configure-aws-credentials@v\d+/.test(step.uses ?? ''),
      );
      expect(credentials, job.id).toBeGreaterThanOrEqual(0);
      const { with: inputs } = job.steps[credentials];
      expect(inputs['role-to-assume'], job.id).toMatch(/^\$\{\{\s*(vars|secrets)\.[A-Z_]+\s*\}\}$/);
      expect(inputs['aws-region'], job.id).toBe('eu-central-1');
      expect(Object.keys(inputs).filter((key) => /key|token/i.test(key))).toEqual([]);
      expect(credentials, job.id).toBeLessThan(stepIndex(job, /\bsst\s+(deploy|diff|remove)\b/));
    }
  });

  it('keep the default token read-only', () => {
    for (const [name, parsed] of workflows)
      expect({ name, permissions: parsed.permissions }).toEqual({ name, permissions: { contents: 'read' } });
  });

  it('print the staging diff on pull requests', () => {
    const diffs = jobs.filter((job) => job.steps.some((step) => /\bsst diff --stage staging\b/.test(runs(step))));
    expect(diffs).toHaveLength(1);
    expect(diffs[0]!.job.if).toContain("github.event_name == 'pull_request'");
  });

  it('deploy staging from main only, and production from v* tags only', () => {
    const staging = deployJobOf('staging');
    expect(staging.job.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const production = deployJobOf('production');
    expect(production.job.if).toBe("github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')");
    // Every deploy is one of these two.
    expect(
      deployJobs()
        .map((job) => job.id)
        .sort(),
    ).toEqual([production.id, staging.id].sort());
  });

  it('deploy each stage after the tests, in its environment, one deploy at a time and never cancelled', () => {
    for (const stage of ['staging', 'production']) {
      const job = deployJobOf(stage);
      expect([job.job.needs].flat(), stage).toContain('test');
      expect(environmentOf(job), stage).toBe(stage);
      expect(job.job.concurrency, stage).toEqual({ group: `deploy-${stage}`, 'cancel-in-progress': false });
      // The deploy step deploys this stage and no other.
      const deploys = job.steps.filter((step) => /\bsst\s+deploy\b/.test(runs(step)));
      expect(deploys.map(runs), stage).toEqual([`npx sst deploy --stage ${stage}`]);
    }
  });

  it('check the stage secrets are set before deploying it', () => {
    for (const stage of ['staging', 'production']) {
      const job = deployJobOf(stage);
      const check = stepIndex(job, new RegExp(`^npm run secrets -- check --stage ${stage}\\b`));
      expect(check, stage).toBeGreaterThanOrEqual(0);
      expect(check, stage).toBeLessThan(stepIndex(job, /\bsst\s+deploy\b/));
      expect(job.steps[check].if, stage).toBeUndefined();
      expect(job.steps[check]['continue-on-error'], stage).toBeUndefined();
    }
  });

  it("give every deploy and diff the settings the stacks read from the shell, from the environment's vars", () => {
    const settings = deploySettings();
    expect(settings).toEqual(expect.arrayContaining(['META_APP_ID', 'IYZICO_MERCHANT_ID', 'OPENAI_BASE_URL']));
    for (const job of awsJobs()) {
      const step = job.steps.find((candidate) => /\bsst\s+(deploy|diff)\b/.test(runs(candidate)));
      const env = { ...(job.job.env ?? {}), ...(step?.env ?? {}) };
      for (const name of settings)
        expect({ job: job.id, [name]: env[name] }).toEqual({ job: job.id, [name]: `\${{ vars.${name} }}` });
    }
  });

  it('run Node as the project pins it, and install with npm ci', () => {
    for (const job of jobs) {
      const setup = job.steps.find((step) => /^actions\/setup-node@v\d+/.test(step.uses ?? ''));
      expect(setup?.with?.['node-version-file'], job.id).toBe('package.json');
      expect(
        job.steps.some((step) => /^npm ci\b/.test(runs(step))),
        job.id,
      ).toBe(true);
      for (const step of job.steps.filter((candidate) => candidate.uses)) expect(step.uses).toMatch(/@v\d+$/);
    }
  });
});

describe('the secrets check', () => {
  const app = synthesizedApp();

  it('expects exactly the parameters the synthesized functions read', () => {
    const read = new Set<string>();
    for (const fn of resources(app.templates, 'AWS::Lambda::Function')) {
      for (const [variable, value] of Object.entries<Json>(fn.properties.Environment?.Variables ?? {})) {
        if (variable.endsWith('_PARAMETER')) read.add(value);
      }
    }
    expect(read.size).toBeGreaterThan(0);
    expect(new Set(stageParameters(STAGE).map((parameter) => parameter.path))).toEqual(read);
  });

  it('names the parameters where `sst secrets set` writes them', () => {
    expect(secretParameterPath('staging', 'RESEND_API_KEY')).toBe('/sst/asistone/staging/Secret/RESEND_API_KEY/value');
  });

  const everySecret = (stage: string) =>
    stageParameters(stage)
      .filter((parameter) => parameter.source === 'secret')
      .map((parameter) => parameter.path);

  it('reports the missing secrets by name, and not the ones that are set', async () => {
    const unset = new Set([
      secretParameterPath('staging', 'RESEND_API_KEY'),
      secretParameterPath('staging', 'OPENAI_API_KEY'),
    ]);
    const existing = async (paths: readonly string[]) => new Set(paths.filter((path) => !unset.has(path)));
    const check = await checkStageSecrets('staging', existing);
    expect(check.missing).toEqual(['OPENAI_API_KEY', 'RESEND_API_KEY']);
    const printed = formatCheck(check);
    expect(printed).toContain('missing on staging: OPENAI_API_KEY, RESEND_API_KEY');
    expect(printed).toMatch(/AUTH_TOKEN_SECRET\s+set\s/);
    expect(printed).toMatch(/RESEND_API_KEY\s+MISSING\s/);
  });

  it('passes when every secret is set; the URL the deploy writes is not required beforehand', async () => {
    const check = await checkStageSecrets('staging', async () => new Set(everySecret('staging')));
    expect(check.missing).toEqual([]);
    expect(check.parameters.find((parameter) => parameter.name === 'APP_URL')).toMatchObject({
      source: 'deploy',
      present: false,
    });
    expect(formatCheck(check)).toContain('every secret the functions of staging read is set');
  });

  it('lets a stage go without the secrets it declares optional, and says so', async () => {
    const check = await checkStageSecrets(
      'staging',
      async () => new Set(everySecret('staging').filter((path) => !path.includes('/SHOPIFY_APP_PRIVATE_KEY/'))),
      ['SHOPIFY_APP_PRIVATE_KEY'],
    );
    expect(check.missing).toEqual([]);
    expect(check.skipped).toEqual(['SHOPIFY_APP_PRIVATE_KEY']);
    expect(formatCheck(check)).toMatch(/SHOPIFY_APP_PRIVATE_KEY\s+optional\s/);
  });

  it('asks SSM for names only, in pages, and never prints a value', async () => {
    const VALUE = 'sk-this-must-never-be-printed';
    const sent: Json[] = [];
    const ssm = {
      send: async (command: Json) => {
        sent.push(command);
        const values: string[] = command.input.ParameterFilters[0].Values;
        // Two pages for the first request, as SSM may answer.
        const page = command.input.NextToken ? values.slice(1) : values.slice(0, 1);
        return {
          Parameters: page.filter((path) => !path.includes('/OPENAI_API_KEY/')).map((Name) => ({ Name, Value: VALUE })),
          NextToken: command.input.NextToken ? undefined : 'next',
        };
      },
    } as Json;
    const check = await checkStageSecrets('staging', ssmParameterNames(ssm));
    expect(check.missing).toEqual(['OPENAI_API_KEY']);
    for (const command of sent) {
      // By name: the CLI's SDK copy is its own package's, not necessarily this file's.
      expect(command.constructor.name).toBe('DescribeParametersCommand');
      expect(command.input.ParameterFilters[0]).toMatchObject({ Key: 'Name', Option: 'Equals' });
      expect(command.input.ParameterFilters[0].Values.length).toBeLessThanOrEqual(50);
    }
    expect(sent).toHaveLength(2);
    expect(formatCheck(check)).not.toContain(VALUE);
    expect(JSON.stringify(check)).not.toContain(VALUE);
  });

  it('splits more than 50 names over several requests', async () => {
    const sent: number[] = [];
    const ssm = {
      send: async (command: Json) => {
        sent.push(command.input.ParameterFilters[0].Values.length);
        return { Parameters: command.input.ParameterFilters[0].Values.map((Name: string) => ({ Name })) };
      },
    } as Json;
    const paths = Array.from({ length: 120 }, (_, i) => `/sst/asistone/staging/Secret/S${i}/value`);
    const found = await ssmParameterNames(ssm)(paths);
    expect(sent).toEqual([50, 50, 20]);
    expect(found.size).toBe(120);
  });
});
