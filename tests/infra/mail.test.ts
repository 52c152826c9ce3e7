import { resourceName } from '@asistone/core/platform/store/table';
import { Config } from 'sst/constructs';
import { getParameterPath } from 'sst/constructs/util/binding.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SECRETS } from '../../stacks/Api.js';
import { appUrlParameterName, secretParameterVariable } from '../../stacks/parameters.js';
import { WORKER_SETTINGS } from '../../stacks/Queues.js';
import {
  asArray,
  type Json,
  type Resource,
  referencedId,
  removeOutput,
  resolveAcrossStacks,
  resources,
  STAGE,
  type StackName,
  type Synthesized,
  synthesize,
} from './app.js';

/**
 * Mail leaves through the `mail` queue: the API may only queue it, and the mail worker alone
 * holds Resend's key. Settings read from SSM at runtime are granted per function, exactly.
 */
let app: Synthesized;
beforeAll(async () => {
  app = await synthesize();
});
afterAll(removeOutput);

const productFunctions = () =>
  resources(app.templates, 'AWS::Lambda::Function').filter((fn) => fn.properties.FunctionName);
const fnNamed = (name: string): Resource => {
  const found = productFunctions().filter((fn) => fn.properties.FunctionName === resourceName(STAGE, name));
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

function statementsOf(fn: Resource): Json[] {
  const roleId = referencedId(fn.properties.Role);
  return resources(app.templates, 'AWS::IAM::Policy')
    .filter((policy) => policy.stack === fn.stack)
    .filter((policy) => policy.properties.Roles.some((role: Json) => referencedId(role) === roleId))
    .flatMap((policy) => asArray<Json>(policy.properties.PolicyDocument.Statement));
}

/** The SSM parameter paths a function may read, from its policy's ARNs. */
function readableParameters(fn: Resource): string[] {
  return statementsOf(fn)
    .filter((statement) => asArray<string>(statement.Action).some((action) => action.startsWith('ssm:')))
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      expect(asArray(statement.Action).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
      return asArray<Json>(statement.Resource);
    })
    .map((arn) => /:parameter(\/[^"]+)"\]\]\}$/.exec(JSON.stringify(arn))?.[1] ?? JSON.stringify(arn))
    .sort();
}

/** The `<NAME>_PARAMETER` variables a function gets, as name → path. */
function parameterVariables(fn: Resource): Record<string, string> {
  return Object.fromEntries(
    Object.entries<Json>(fn.properties.Environment.Variables).filter(([name]) => name.endsWith('_PARAMETER')),
  );
}

const secretPath = (name: string) => `/sst/asistone/${STAGE}/Secret/${name}/value`;

describe('settings read from SSM', () => {
  it('are granted to each function exactly as it declares them, and to no other function', () => {
    const expected: Record<string, string[]> = {
      api: [...API_SECRETS.map(secretPath), appUrlParameterName(STAGE)],
      ...Object.fromEntries(
        Object.entries(WORKER_SETTINGS).map(([queue, settings]) => [
          `worker-${queue}`,
          [...settings.secrets.map(secretPath), ...(settings.appUrl ? [appUrlParameterName(STAGE)] : [])],
        ]),
      ),
    };
    for (const fn of productFunctions()) {
      const name = String(fn.properties.FunctionName).replace(resourceName(STAGE, ''), '');
      const paths = (expected[name] ?? []).slice().sort();
      expect(readableParameters(fn), name).toEqual(paths);
      const variables = parameterVariables(fn);
      expect(Object.values(variables).sort(), name).toEqual(paths);
      for (const [variable, path] of Object.entries(variables)) {
        const setting = variable.replace(/_PARAMETER$/, '');
        expect(secretParameterVariable(setting)).toBe(variable);
        expect(path === appUrlParameterName(STAGE) ? setting === 'APP_URL' : path === secretPath(setting)).toBe(true);
      }
    }
  });

  it('declares each app secret once, as an SST Config.Secret', () => {
    const secrets = (Object.entries(app.stacks) as [StackName, (typeof app.stacks)[StackName]][]).flatMap(
      ([stack, construct]) =>
        construct.node
          .findAll()
          .filter((node) => node instanceof Config.Secret)
          .map((node) => [stack, node.node.id, getParameterPath(node as InstanceType<typeof Config.Secret>, 'value')]),
    );
    expect(secrets.sort()).toEqual(
      [
        ['Api', 'AUTH_TOKEN_SECRET', secretPath('AUTH_TOKEN_SECRET')],
        ['Queues', 'RESEND_API_KEY', secretPath('RESEND_API_KEY')],
      ].sort(),
    );
  });

  it("lets the mail worker alone read Resend's key", () => {
    const readers = productFunctions().filter((fn) => readableParameters(fn).includes(secretPath('RESEND_API_KEY')));
    expect(readers.map((fn) => fn.properties.FunctionName)).toEqual([resourceName(STAGE, 'worker-mail')]);
  });
});

describe('the mail queue', () => {
  const queueArn = (name: string): Json => {
    const found = resources(app.templates, 'AWS::SQS::Queue').find(
      (queue) => queue.stack === 'Queues' && queue.properties.QueueName === resourceName(STAGE, name),
    );
    expect(found, name).toBeDefined();
    return { 'Fn::GetAtt': [found!.logicalId, 'Arn'] };
  };

  it('takes messages from the API, which may send to it and to no other queue', () => {
    const sends = statementsOf(fnNamed('api')).filter((statement) =>
      asArray<string>(statement.Action).includes('sqs:SendMessage'),
    );
    expect(sends).toHaveLength(1);
    const targets = asArray<Json>(sends[0].Resource).map((arn) => resolveAcrossStacks(app.templates, 'Api', arn));
    expect(targets).toEqual([{ stack: 'Queues', value: queueArn('mail') }]);
  });

  it('is consumed by a worker that reads and writes items, opens sealed fields and never creates a key', () => {
    const statements = statementsOf(fnNamed('worker-mail'));
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(tenantKeys.map((statement) => [statement.Sid, statement.Action])).toEqual([['TenantKeyUse', 'kms:Decrypt']]);
    const sends = statements.filter((statement) => asArray<string>(statement.Action).includes('sqs:SendMessage'));
    expect(sends.map((statement) => statement.Resource)).toEqual([queueArn('mail-dlq')]);
  });
});
