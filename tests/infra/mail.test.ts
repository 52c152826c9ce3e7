import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Config } from 'sst/constructs';
import { getParameterPath } from 'sst/constructs/util/binding.js';
import { describe, expect, it } from 'vitest';
import { appUrlParameterName, secretParameterVariable } from '../../stacks/parameters.js';
import {
  asArray,
  FUNCTION_STACK,
  type Json,
  productFunction,
  type Resource,
  resolveAcrossStacks,
  resources,
  STAGE,
  type StackName,
  statementsOf,
  synthesizedApp,
} from './app.js';

/**
 * Mail leaves through the `mail` queue: the API queues invitations there and sign-up and
 * password-reset requests on `account-requests`, whose worker decides the mail and queues it on
 * `mail`; the mail worker alone holds Resend's key. Settings read from SSM at runtime are
 * granted per function, exactly as its area declares them (PRODUCT.functions[*].settings).
 */
const app = synthesizedApp();

const productFunctions = () =>
  resources(app.templates, 'AWS::Lambda::Function').filter((fn) => fn.properties.FunctionName);
const fnNamed = (name: string) => productFunction(app.templates, name);

/** The SSM parameter paths a function may read, from its policy's ARNs. */
function readableParameters(fn: Resource): string[] {
  return statementsOf(app.templates, fn)
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

/** The parameter paths a function's declared settings stand for. */
const declaredPaths = (settings: { secrets?: readonly string[]; appUrl?: boolean } | undefined): string[] =>
  [...(settings?.secrets ?? []).map(secretPath), ...(settings?.appUrl ? [appUrlParameterName(STAGE)] : [])].sort();

describe('settings read from SSM', () => {
  it('are granted to each function exactly as it declares them, and to no other function', () => {
    const expected: Record<string, string[]> = Object.fromEntries(
      PRODUCT.functions.map((fn) => [fn.name, declaredPaths(fn.settings)]),
    );
    // Something is declared, so the loop below checks grants, not only their absence.
    expect(Object.values(expected).flat().length).toBeGreaterThan(0);
    const seen: string[] = [];
    for (const fn of productFunctions()) {
      const name = String(fn.properties.FunctionName).replace(resourceName(STAGE, ''), '');
      seen.push(name);
      expect(expected[name], `${name} is declared by an area`).toBeDefined();
      const paths = expected[name] ?? [];
      expect(readableParameters(fn), name).toEqual(paths);
      const variables = parameterVariables(fn);
      expect(Object.values(variables).sort(), name).toEqual(paths);
      for (const [variable, path] of Object.entries(variables)) {
        const setting = variable.replace(/_PARAMETER$/, '');
        expect(secretParameterVariable(setting)).toBe(variable);
        expect(path === appUrlParameterName(STAGE) ? setting === 'APP_URL' : path === secretPath(setting)).toBe(true);
      }
    }
    expect(seen.sort()).toEqual(Object.keys(expected).sort());
  });

  it('are what each function needs and no more: the token secret for the API, Resend only for the mail worker', () => {
    const read = (name: string) => readableParameters(fnNamed(name));
    // The API signs access tokens and renders invitation links, and exchanges the codes of
    // Embedded Signup, Facebook Login and Instagram Login with the Meta apps' secrets.
    expect(read('api')).toEqual(
      [
        appUrlParameterName(STAGE),
        secretPath('AUTH_TOKEN_SECRET'),
        secretPath('META_APP_SECRET'),
        secretPath('META_INSTAGRAM_APP_SECRET'),
        secretPath('SHOPIFY_CLIENT_ID'),
        secretPath('SHOPIFY_CLIENT_SECRET'),
        secretPath('IYZICO_API_KEY'),
        secretPath('IYZICO_SECRET_KEY'),
      ].sort(),
    );
    // iyzico's webhook checks signatures with the merchant's secret key alone; the worker reads
    // the subscription back with both keys and renders links into the mails it queues.
    expect(read('webhook-iyzico')).toEqual([secretPath('IYZICO_SECRET_KEY')]);
    expect(read('worker-billing-events')).toEqual(
      [appUrlParameterName(STAGE), secretPath('IYZICO_API_KEY'), secretPath('IYZICO_SECRET_KEY')].sort(),
    );
    // The mail worker sends finished mails: Resend's key, no links to render.
    expect(read('worker-mail')).toEqual([secretPath('RESEND_API_KEY')]);
    // The account-requests worker renders links into the mails it queues, and holds no secret.
    expect(read('worker-account-requests')).toEqual([appUrlParameterName(STAGE)]);
    // The Meta webhook checks signatures and the handshake with the platform app's secrets.
    expect(read('webhook-meta')).toEqual(
      ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET', 'META_VERIFY_TOKEN'].map((secret) => secretPath(secret)).sort(),
    );
    // Resend's webhook checks Svix signatures with its endpoint secret, and holds nothing else.
    expect(read('webhook-resend')).toEqual([secretPath('RESEND_WEBHOOK_SECRET')]);
  });

  it('declares each app secret once per stack that reads it, as an SST Config.Secret', () => {
    const secrets = (Object.entries(app.stacks) as [StackName, (typeof app.stacks)[StackName]][]).flatMap(
      ([stack, construct]) =>
        construct.node
          .findAll()
          .filter((node) => node instanceof Config.Secret)
          .map((node) => [stack, node.node.id, getParameterPath(node as InstanceType<typeof Config.Secret>, 'value')]),
    );
    const expected = [
      ...new Set(
        PRODUCT.functions.flatMap((fn) =>
          (fn.settings?.secrets ?? []).map((secret) =>
            JSON.stringify([FUNCTION_STACK[fn.kind], secret, secretPath(secret)]),
          ),
        ),
      ),
    ].map((entry) => JSON.parse(entry));
    expect(secrets.sort()).toEqual(expected.sort());
    // Today: the token secret, the Meta apps' secrets (code exchange) and the Shopify app's
    // credentials (OAuth) in the API stack; Shopify's in the Jobs stack (the reconciliation
    // refreshes tokens) and the Queues stack (stock pushes and backfills do too), with Resend's
    // key (mail worker); the platform Meta app's secrets, its verify token and Shopify's client
    // secret (webhook signatures) in the Webhooks stack.
    expect(secrets.sort()).toEqual(
      [
        ['Api', 'AUTH_TOKEN_SECRET', secretPath('AUTH_TOKEN_SECRET')],
        ['Api', 'META_APP_SECRET', secretPath('META_APP_SECRET')],
        ['Api', 'META_INSTAGRAM_APP_SECRET', secretPath('META_INSTAGRAM_APP_SECRET')],
        ['Api', 'SHOPIFY_CLIENT_ID', secretPath('SHOPIFY_CLIENT_ID')],
        ['Api', 'SHOPIFY_CLIENT_SECRET', secretPath('SHOPIFY_CLIENT_SECRET')],
        ['Jobs', 'SHOPIFY_CLIENT_ID', secretPath('SHOPIFY_CLIENT_ID')],
        ['Jobs', 'SHOPIFY_CLIENT_SECRET', secretPath('SHOPIFY_CLIENT_SECRET')],
        ['Jobs', 'SHOPIFY_APP_PRIVATE_KEY', secretPath('SHOPIFY_APP_PRIVATE_KEY')],
        ['Queues', 'RESEND_API_KEY', secretPath('RESEND_API_KEY')],
        ['Queues', 'OPENAI_API_KEY', secretPath('OPENAI_API_KEY')],
        ['Queues', 'SHOPIFY_CLIENT_ID', secretPath('SHOPIFY_CLIENT_ID')],
        ['Queues', 'SHOPIFY_CLIENT_SECRET', secretPath('SHOPIFY_CLIENT_SECRET')],
        ['Queues', 'SHOPIFY_APP_PRIVATE_KEY', secretPath('SHOPIFY_APP_PRIVATE_KEY')],
        ['Webhooks', 'META_APP_SECRET', secretPath('META_APP_SECRET')],
        ['Webhooks', 'META_INSTAGRAM_APP_SECRET', secretPath('META_INSTAGRAM_APP_SECRET')],
        ['Webhooks', 'META_VERIFY_TOKEN', secretPath('META_VERIFY_TOKEN')],
        ['Webhooks', 'SHOPIFY_CLIENT_SECRET', secretPath('SHOPIFY_CLIENT_SECRET')],
        ['Webhooks', 'RESEND_WEBHOOK_SECRET', secretPath('RESEND_WEBHOOK_SECRET')],
        ['Api', 'IYZICO_API_KEY', secretPath('IYZICO_API_KEY')],
        ['Api', 'IYZICO_SECRET_KEY', secretPath('IYZICO_SECRET_KEY')],
        ['Jobs', 'IYZICO_API_KEY', secretPath('IYZICO_API_KEY')],
        ['Jobs', 'IYZICO_SECRET_KEY', secretPath('IYZICO_SECRET_KEY')],
        ['Queues', 'IYZICO_API_KEY', secretPath('IYZICO_API_KEY')],
        ['Queues', 'IYZICO_SECRET_KEY', secretPath('IYZICO_SECRET_KEY')],
        ['Webhooks', 'IYZICO_SECRET_KEY', secretPath('IYZICO_SECRET_KEY')],
      ].sort(),
    );
  });

  it("lets the three mail senders alone read Resend's key: the product's mail, the order notices and cart recovery", () => {
    const readers = productFunctions().filter((fn) => readableParameters(fn).includes(secretPath('RESEND_API_KEY')));
    expect(readers.map((fn) => fn.properties.FunctionName).sort()).toEqual(
      [
        resourceName(STAGE, 'worker-mail'),
        resourceName(STAGE, 'worker-order-notices'),
        resourceName(STAGE, 'worker-cart-recovery'),
      ].sort(),
    );
  });

  it("lets the Meta webhook alone read the verify token, and the webhook and the API alone the Meta apps' secrets", () => {
    const readersOf = (secret: string) =>
      productFunctions()
        .filter((fn) => readableParameters(fn).includes(secretPath(secret)))
        .map((fn) => fn.properties.FunctionName)
        .sort();
    expect(readersOf('META_VERIFY_TOKEN')).toEqual([resourceName(STAGE, 'webhook-meta')]);
    // The webhook checks signatures with them; the API exchanges sign-up and login codes; Meta's
    // data deletion callback checks its signed_request. No worker or schedule holds them: the
    // tokens they use are the businesses' own, sealed.
    for (const secret of ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET']) {
      expect(readersOf(secret), secret).toEqual(
        [
          resourceName(STAGE, 'api'),
          resourceName(STAGE, 'webhook-meta'),
          resourceName(STAGE, 'webhook-meta-data-deletion'),
        ].sort(),
      );
    }
  });

  it('lets the API alone read the token secret', () => {
    const readers = productFunctions().filter((fn) => readableParameters(fn).includes(secretPath('AUTH_TOKEN_SECRET')));
    expect(readers.map((fn) => fn.properties.FunctionName)).toEqual([resourceName(STAGE, 'api')]);
  });
});

const queueArn = (name: string): Json => {
  const found = resources(app.templates, 'AWS::SQS::Queue').find(
    (queue) => queue.stack === 'Queues' && queue.properties.QueueName === resourceName(STAGE, name),
  );
  expect(found, name).toBeDefined();
  return { 'Fn::GetAtt': [found!.logicalId, 'Arn'] };
};

/** The queues (as ARNs in the Queues stack) a function may send to, in order of logical id. */
function sendTargets(fn: Resource): Json[] {
  const sends = statementsOf(app.templates, fn).filter((statement) =>
    asArray<string>(statement.Action).includes('sqs:SendMessage'),
  );
  expect(sends.length, `${fn.properties.FunctionName} has at most one send statement`).toBeLessThanOrEqual(1);
  return sends
    .flatMap((statement) => asArray<Json>(statement.Resource))
    .map((arn) => {
      const resolved = resolveAcrossStacks(app.templates, fn.stack, arn);
      expect(resolved.stack).toBe('Queues');
      return resolved.value;
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
const arns = (...names: string[]) =>
  names.map(queueArn).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('the mail queue', () => {
  it('takes messages from the API (invitations), the account-requests worker, the Instagram token refresh, the ads sync schedule (expiry reminders), the low-stock alerts worker and billing (notifications and the sweep), and from no other function', () => {
    const senders = productFunctions()
      .filter((fn) => sendTargets(fn).some((arn) => JSON.stringify(arn) === JSON.stringify(queueArn('mail'))))
      .map((fn) => fn.properties.FunctionName)
      .sort();
    expect(senders).toEqual(
      [
        resourceName(STAGE, 'api'),
        resourceName(STAGE, 'worker-account-requests'),
        resourceName(STAGE, 'schedule-instagram-token-refresh'),
        resourceName(STAGE, 'schedule-ads-sync'),
        resourceName(STAGE, 'worker-stock-alerts'),
        resourceName(STAGE, 'worker-billing-events'),
        resourceName(STAGE, 'schedule-billing-sweep'),
      ].sort(),
    );
  });

  it('is one of the queues the API may send to: mail, account requests, outbound (replies), data exports, Shopify backfills, stock pushes, the AI agent (sandbox simulator), AI drafts, campaign list imports, campaign fan-outs, ad syncs, ad recommendations, stock transfers and low-stock alerts; no other', () => {
    expect(sendTargets(fnNamed('api'))).toEqual(
      arns(
        'mail',
        'account-requests',
        'outbound',
        'privacy-exports',
        'shopify-backfill',
        'shopify-stock',
        'ai-replies',
        'ai-content',
        'campaign-imports',
        'campaign-fanout',
        'ads-sync',
        'ads-recommendations',
        'stock-transfers',
        'stock-alerts',
      ),
    );
  });

  it('is consumed by a worker that reads and writes items, opens sealed fields and never creates a key', () => {
    const statements = statementsOf(app.templates, fnNamed('worker-mail'));
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(tenantKeys.map((statement) => [statement.Sid, statement.Action])).toEqual([['TenantKeyUse', 'kms:Decrypt']]);
    const sends = statements.filter((statement) => asArray<string>(statement.Action).includes('sqs:SendMessage'));
    expect(sends.map((statement) => statement.Resource)).toEqual([queueArn('mail-dlq')]);
  });
});

describe('the account-requests queue', () => {
  it('takes sign-up and password-reset requests from the API alone', () => {
    const senders = productFunctions()
      .filter((fn) =>
        sendTargets(fn).some((arn) => JSON.stringify(arn) === JSON.stringify(queueArn('account-requests'))),
      )
      .map((fn) => fn.properties.FunctionName);
    expect(senders).toEqual([resourceName(STAGE, 'api')]);
  });

  it('is consumed by a worker that reads and writes items, opens sealed fields, never creates a key and queues mail', () => {
    const statements = statementsOf(app.templates, fnNamed('worker-account-requests'));
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(tenantKeys.map((statement) => [statement.Sid, statement.Action])).toEqual([['TenantKeyUse', 'kms:Decrypt']]);
    // Its finished mails go to the mail queue; what can never succeed, to its own dead-letter queue.
    expect(sendTargets(fnNamed('worker-account-requests'))).toEqual(arns('mail', 'account-requests-dlq'));
  });
});
