/**
 * Settings functions read from SSM in AWS (`<NAME>_PARAMETER` names the path; the stack gives
 * each function only the ones it needs) and from the environment locally: the app secrets, and
 * the web app's URL, which the Web stack publishes.
 */
const SECRETS = [
  'AUTH_TOKEN_SECRET',
  'RESEND_API_KEY',
  'RESEND_WEBHOOK_SECRET',
  'APP_URL',
  'META_APP_SECRET',
  'META_INSTAGRAM_APP_SECRET',
  'META_VERIFY_TOKEN',
  'SHOPIFY_CLIENT_ID',
  'SHOPIFY_CLIENT_SECRET',
  'SHOPIFY_APP_PRIVATE_KEY',
  'OPENAI_API_KEY',
  'IYZICO_API_KEY',
  'IYZICO_SECRET_KEY',
] as const;

/**
 * The environment with each secret filled in from SSM where the stack gave a parameter path
 * instead of a value, in one call per cold start; a value already in the environment wins.
 * The SDK is called directly: Powertools' parameters package, hoisted to the root, would pick
 * up SST's older SDK copy.
 */
export async function withSecrets(
  env: Record<string, string | undefined>,
): Promise<Record<string, string | undefined>> {
  const wanted = SECRETS.flatMap((name) => {
    const path = env[`${name}_PARAMETER`];
    return !env[name] && path ? [{ name, path }] : [];
  });
  if (wanted.length === 0) return env;
  // Loaded only when a parameter is to be read (in AWS, once per container): the SSM client is
  // a tenth of a bundle, and with code splitting its chunk stays out of every cold start.
  const { GetParametersCommand, SSMClient } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({});
  try {
    const out = await client.send(
      new GetParametersCommand({ Names: wanted.map(({ path }) => path), WithDecryption: true }),
    );
    const values = new Map((out.Parameters ?? []).map((parameter) => [parameter.Name, parameter.Value]));
    return { ...env, ...Object.fromEntries(wanted.map(({ name, path }) => [name, values.get(path)])) };
  } finally {
    client.destroy();
  }
}
