import { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { graphClient } from '../src/channels/meta/graph.js';
import { createResendClient } from '../src/notify/resend.js';
import { createAwsClients } from '../src/platform/aws.js';
import { type NetgsmSend, netgsmClient } from '../src/sms/netgsm.js';

/**
 * Each provider client writes one `provider refused` line when the provider refuses our
 * credentials or our rate: the lines the stage's refusal alarms count (stacks/Monitoring.ts) and
 * the local alarm watch reads. A refusal of the request itself is not one, and no line carries a
 * token, a key or the message.
 */
let printed: string[];
let restore: () => void;

beforeEach(() => {
  printed = [];
  // Powertools prints warnings on stderr (console.warn), the rest on stdout.
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const [index, stream] of streams.entries()) {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (originals[index] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  }
  restore = () => {
    for (const [index, stream] of streams.entries()) stream.write = originals[index] as typeof stream.write;
  };
});
afterEach(() => {
  restore();
  vi.unstubAllEnvs();
});

const refusals = () =>
  printed
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"provider refused"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const answering =
  (status: number, body: unknown, headers: Record<string, string> = {}): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const SECRET_TOKEN = 'EAAG-secret-token-never-logged';

describe('provider refusals', () => {
  it('Meta: an expired token (code 190) is an auth refusal, code 4 a rate limit, a bad request neither', async () => {
    const meta = (fetchFn: typeof fetch) =>
      graphClient({ baseUrl: 'https://graph.example', instagramBaseUrl: 'https://ig.example', fetch: fetchFn });
    const expired = { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } };
    await expect(meta(answering(401, expired)).unsubscribeApp('1234', SECRET_TOKEN)).rejects.toThrow();
    const busy = { error: { message: 'Application request limit reached', code: 4 } };
    await expect(meta(answering(400, busy)).unsubscribeApp('1234', SECRET_TOKEN)).rejects.toThrow();
    const invalid = { error: { message: 'Invalid parameter', code: 100 } };
    await expect(meta(answering(400, invalid)).unsubscribeApp('1234', SECRET_TOKEN)).rejects.toThrow();

    expect(refusals().map(({ provider, refusal, code }) => ({ provider, refusal, code }))).toEqual([
      { provider: 'meta', refusal: 'auth', code: 190 },
      { provider: 'meta', refusal: 'rate-limit', code: 4 },
    ]);
    expect(printed.join('')).not.toContain(SECRET_TOKEN);
  });

  it('Resend: a refused key is an auth refusal; a 429 counts only once the waits give up', async () => {
    const email = { from: 'a@asistone.example', to: ['b@example.com'], subject: 's', html: 'h', text: 't' };
    const refusedKey = createResendClient({ apiKey: 're_secret', fetch: answering(401, { name: 'missing_api_key' }) });
    await expect(refusedKey.sendEmail(email, 'k1')).rejects.toThrow();
    let calls = 0;
    const throttled = createResendClient({
      apiKey: 're_secret',
      retries: 1,
      fetch: async () => {
        calls += 1;
        return new Response('{}', { status: 429, headers: { 'retry-after': '0' } });
      },
    });
    await expect(throttled.sendEmail(email, 'k2')).rejects.toThrow();
    expect(calls).toBe(2);
    expect(refusals().map(({ provider, refusal, status }) => ({ provider, refusal, status }))).toEqual([
      { provider: 'resend', refusal: 'auth', status: 401 },
      { provider: 'resend', refusal: 'rate-limit', status: 429 },
    ]);
    expect(printed.join('')).not.toContain('re_secret');
  });

  it('NetGSM: code 30 (credentials) is an auth refusal, code 80 a rate limit, a bad number neither', async () => {
    const credentials = { usercode: '8500000000', password: 'netgsm-secret' };
    const body: NetgsmSend = {
      msgheader: 'ASISTONE',
      iysfilter: '0' as NetgsmSend['iysfilter'],
      messages: [{ msg: 'Merhaba', no: '905551112233' }],
    };
    for (const code of ['30', '80', '40']) {
      const client = netgsmClient({ baseUrl: 'https://netgsm.example', fetch: answering(200, { code }) });
      await expect(client.send(credentials, body)).rejects.toThrow();
    }
    expect(refusals().map(({ provider, refusal, code }) => ({ provider, refusal, code }))).toEqual([
      { provider: 'netgsm', refusal: 'auth', code: '30' },
      { provider: 'netgsm', refusal: 'rate-limit', code: '80' },
    ]);
    expect(printed.join('')).not.toContain('netgsm-secret');
  });

  it('KMS: a request still throttled after the SDK’s retries is a rate-limit refusal of `kms`', async () => {
    // Any credentials: the request never leaves the process (the step below answers it).
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIATESTTESTTESTTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
    const { kms } = createAwsClients({ AWS_REGION: 'eu-central-1' } as Parameters<typeof createAwsClients>[0]);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: {} });
    kms.middlewareStack.add(
      () => async () => {
        throw throttled;
      },
      { step: 'finalizeRequest', name: 'throttledByTest' },
    );
    await expect(kms.send(new ListAliasesCommand({}))).rejects.toThrow('Rate exceeded');
    expect(refusals().map(({ provider, refusal, operation }) => ({ provider, refusal, operation }))).toEqual([
      { provider: 'kms', refusal: 'rate-limit', operation: 'ListAliasesCommand' },
    ]);
    expect(kms).toBeInstanceOf(KMSClient);
  });
});
