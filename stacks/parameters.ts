import type { AppSecret } from '@asistone/core/platform/access';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Config, type Stack } from 'sst/constructs';
import { getParameterPath } from 'sst/constructs/util/binding.js';

/**
 * Settings functions read from SSM at runtime (functions/lib/secrets.ts): app secrets, which are
 * SST `Config.Secret`s (set with `npx sst secrets set <NAME> <value> --stage <stage>`), and the
 * web app's URL, which the Web stack publishes. Instead of `bind` (whose client would join the
 * bundle and whose grant is wider), a function gets each parameter's path in its environment
 * and may read exactly those parameters.
 */

export type { AppSecret } from '@asistone/core/platform/access';

/** Where the Web stack publishes the site's URL (links in mails point there). */
export const appUrlParameterName = (stage: string) => `/asistone/${stage}/app-url`;

/** The variable that tells a function where a setting's SSM parameter is: `AUTH_TOKEN_SECRET_PARAMETER`. */
export const secretParameterVariable = (name: string) => `${name}_PARAMETER` as const;

export interface RuntimeParameter {
  /** The setting's variable name, e.g. `RESEND_API_KEY`. */
  name: string;
  path: string;
  arn: string;
}

function parameterArn(stack: Stack, path: string): string {
  return `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${path}`;
}

/** Declares an app secret in `stack` (once, however many of its functions read it) and names its parameter. */
export function secretParameter(stack: Stack, name: AppSecret): RuntimeParameter {
  const declared = stack.node.tryFindChild(name);
  const secret = declared instanceof Config.Secret ? declared : new Config.Secret(stack, name);
  const path = getParameterPath(secret, 'value');
  return { name, path, arn: parameterArn(stack, path) };
}

/** The web app's URL, written by the Web stack once CloudFront has one (read at runtime: no stack cycle). */
export function appUrlParameter(stack: Stack): RuntimeParameter {
  const path = appUrlParameterName(stack.stage);
  return { name: 'APP_URL', path, arn: parameterArn(stack, path) };
}

/** A function's environment and permission for reading exactly these parameters. */
export function parameterAccess(parameters: readonly RuntimeParameter[]): {
  environment: Record<string, string>;
  statements: PolicyStatement[];
} {
  if (parameters.length === 0) return { environment: {}, statements: [] };
  return {
    environment: Object.fromEntries(
      parameters.map((parameter) => [secretParameterVariable(parameter.name), parameter.path]),
    ),
    statements: [
      new PolicyStatement({
        sid: 'AppSecrets',
        effect: Effect.ALLOW,
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: parameters.map((parameter) => parameter.arn),
      }),
    ],
  };
}
