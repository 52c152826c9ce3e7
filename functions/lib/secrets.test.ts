import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * In AWS the stack hands a function each secret's SSM parameter path, not its value. A loopback
 * stand-in for SSM's JSON API (`AmazonSSM.GetParameters`) answers here.
 */
const asked: { names: string[]; decrypt: boolean }[] = [];
/** Parameters never set (SSM answers them as InvalidParameters). */
const unset = new Set(['/sst/asistone/prod/Secret/META_INSTAGRAM_APP_SECRET/value']);
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const { Names, WithDecryption } = JSON.parse(raw) as { Names: string[]; WithDecryption: boolean };
      asked.push({ names: Names, decrypt: WithDecryption });
      const parameters = Names.filter((Name) => !unset.has(Name)).map((Name) => ({
        Name,
        Type: 'SecureString',
        Value: `value-of-${Name}`,
        Version: 1,
      }));
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({ Parameters: parameters, InvalidParameters: Names.filter((Name) => unset.has(Name)) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('withSecrets', () => {
  it('reads secrets from their SSM parameters, decrypted, unless the environment already has them', async () => {
    const { withSecrets } = await import('./secrets.js');
    const env = await withSecrets({
      AUTH_TOKEN_SECRET_PARAMETER: '/sst/asistone/prod/Secret/AUTH_TOKEN_SECRET/value',
      RESEND_API_KEY: 're_from_env',
      RESEND_API_KEY_PARAMETER: '/sst/asistone/prod/Secret/RESEND_API_KEY/value',
    });
    expect(env.AUTH_TOKEN_SECRET).toBe('value-of-/sst/asistone/prod/Secret/AUTH_TOKEN_SECRET/value');
    expect(env.RESEND_API_KEY).toBe('re_from_env');
    expect(asked).toEqual([{ names: ['/sst/asistone/prod/Secret/AUTH_TOKEN_SECRET/value'], decrypt: true }]);
  });

  it('asks nothing when the environment holds the values (local stage)', async () => {
    const { withSecrets } = await import('./secrets.js');
    const env = { AUTH_TOKEN_SECRET: 'x'.repeat(40) };
    expect(await withSecrets(env)).toBe(env);
    expect(asked).toHaveLength(1);
  });

  it("reads the Meta app's secrets in one call; an Instagram app secret never set stays unset", async () => {
    const { withSecrets } = await import('./secrets.js');
    const { readMetaAppConfig } = await import('@asistone/core/platform/config');
    const path = (name: string) => `/sst/asistone/prod/Secret/${name}/value`;
    const env = await withSecrets({
      META_APP_SECRET_PARAMETER: path('META_APP_SECRET'),
      META_INSTAGRAM_APP_SECRET_PARAMETER: path('META_INSTAGRAM_APP_SECRET'),
      META_VERIFY_TOKEN_PARAMETER: path('META_VERIFY_TOKEN'),
    });
    expect(asked.at(-1)?.names).toEqual(
      ['META_APP_SECRET', 'META_INSTAGRAM_APP_SECRET', 'META_VERIFY_TOKEN'].map(path),
    );
    expect(readMetaAppConfig(env)).toEqual({
      META_APP_SECRET: `value-of-${path('META_APP_SECRET')}`,
      META_VERIFY_TOKEN: `value-of-${path('META_VERIFY_TOKEN')}`,
    });
  });
});
