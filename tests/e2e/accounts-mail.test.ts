import { platform } from '@asistone/core/platform/context';
import { PRODUCT } from '@asistone/core/product/areas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFunctionUrlEvent } from '../../packages/local/src/function-url.js';
import { invoke } from '../../packages/local/src/lambda.js';
import { type AwsCall, describeWork, recordAwsCalls } from '../support/aws-calls.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, mailsTo, newEmail, newOwner, waitForMail } from './accounts-client.js';

/**
 * A reset request must not tell whether an address has an account, by its answer or by the
 * work behind it. Against a real `npm start`, the API function is also run in this process,
 * as Lambda would run it, on the stack's own emulators, with every AWS call it makes recorded:
 * a request for an address with an account and one for an address without do the very same
 * calls (two rate-limit counters, one message on the account-requests queue) and read no
 * account. The stack's workers then take both: one mail for the account, none for the other.
 */
let stack: RunningStack;
let api: ApiClient;
let recorder: ReturnType<typeof recordAwsCalls>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  // The environment the stack gives its functions: its emulators, keys, secrets and app URL.
  Object.assign(process.env, localAws(stack.dataDir).env, { LOG_LEVEL: 'ERROR' });
  const { aws } = platform();
  recorder = recordAwsCalls({ dynamo: aws.dynamo, sqs: aws.sqs, kms: aws.kms, s3: aws.s3 });
});
afterAll(async () => {
  await stack?.stop();
});

/** Runs the API function in this process on a function-URL event, as Lambda would. */
async function requestReset(email: string): Promise<{ status: number; body: unknown; calls: AwsCall[] }> {
  recorder.clear();
  const request = new Request(`${stack.url}/api/auth/password-reset/request`, {
    method: 'POST',
    // As the gateway (CloudFront in AWS) would send it: with the front door's secret.
    headers: {
      'content-type': 'application/json',
      'user-agent': 'e2e',
      'x-asistone-origin-secret': process.env.ORIGIN_SECRET as string,
    },
    body: JSON.stringify({ email }),
  });
  const event = await toFunctionUrlEvent(request, '203.0.113.9');
  const api = PRODUCT.fn('api');
  if (!api) throw new Error('no API function declared');
  const result = await invoke<{ statusCode: number; body: string }>(api.handler, api.name, event, api.timeoutSeconds);
  const calls = [...recorder.calls];
  recorder.clear();
  return { status: result.statusCode, body: JSON.parse(result.body), calls };
}

const sentMessages = (calls: AwsCall[]) => calls.filter((call) => call.command === 'SendMessageCommand');

describe('a password reset request', () => {
  it('does the same work for an address with an account and one without: two counters and one queued message', async () => {
    // Prepare: a person with an account; one request first, so both measured ones find warm caches.
    const person = await newOwner(api, 'Timing');
    const ghost = newEmail('ghost');
    await requestReset(newEmail('warm-up'));

    // Act
    const known = await requestReset(person.email);
    const unknown = await requestReset(ghost);

    // Assess: the same answer after the very same calls.
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(describeWork(unknown.calls)).toEqual(describeWork(known.calls));
    const requestQueue = localAws(stack.dataDir).env.QUEUE_URL_ACCOUNT_REQUESTS as string;
    for (const { calls } of [known, unknown]) {
      // Exactly one message, on the account-requests queue.
      expect(sentMessages(calls).map((call) => call.input.QueueUrl)).toEqual([requestQueue]);
      // Nothing else written but the rate-limit counters; no account, link or mail read or made.
      const others = calls.filter((call) => call.command !== 'SendMessageCommand');
      expect(describeWork(others)).toEqual([
        'UpdateItemCommand t#accounts#throttle#reset-address#… window##',
        'UpdateItemCommand t#accounts#throttle#reset-account#… window##',
      ]);
    }
    const bodies = [known, unknown].map(({ calls }) => String(sentMessages(calls)[0]?.input.MessageBody));
    const [knownMessage, unknownMessage] = bodies.map((body) => JSON.parse(body));
    expect(Object.keys(unknownMessage).sort()).toEqual(Object.keys(knownMessage).sort());
    expect(knownMessage.kind).toBe('password-reset-request');
    expect(unknownMessage.kind).toBe('password-reset-request');
    for (const [body, address] of [
      [bodies[0], person.email],
      [bodies[1], ghost],
    ] as const) {
      expect(body).not.toContain(address);
      expect(body).not.toContain(address.toLowerCase());
    }

    // The stack's workers mail the account, and only the account.
    const mail = await waitForMail(api, 'password-reset', person.email);
    expect(mail.links[0]).toMatch(new RegExp(`^${stack.url}/reset-password\\?token=`));
    await eventually(async () =>
      stack.output().includes(`"requestId":"${unknownMessage.requestId}"`) ? true : undefined,
    );
    expect(await mailsTo(api, ghost)).toEqual([]);
  });
});
