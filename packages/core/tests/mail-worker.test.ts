import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeWork, recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { createBusiness } from '../src/accounts/businesses.js';
import type { AccountsDeps } from '../src/accounts/deps.js';
import { inviteMember } from '../src/accounts/invites.js';
import { confirmPasswordReset, requestPasswordReset } from '../src/accounts/password-reset.js';
import { createAccount } from '../src/accounts/people.js';
import { ACCOUNT_REQUESTS_QUEUE } from '../src/accounts/queue.js';
import { ACCOUNTS_TENANT } from '../src/accounts/records.js';
import { accountRequestQueue, answerAccountRequest } from '../src/accounts/requests.js';
import { secretHash } from '../src/accounts/secrets.js';
import { confirmSignUp, type SignUp, signUp } from '../src/accounts/sign-up.js';
import { chooseMailer } from '../src/notify/choose-mailer.js';
import { processMailMessage, WORKER_RESEND_LIMITS } from '../src/notify/mail-worker.js';
import { mailQueue, sealMail } from '../src/notify/outbound.js';
import { MAIL_QUEUE } from '../src/notify/queue.js';
import { listDeadLetters } from '../src/ops/dead-letters.js';
import { type QueueRecord, queueWorker } from '../src/platform/queue/worker.js';
import { type FakeResend, startFakeResend } from './support/fake-resend.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Account mail end to end inside one process: the accounts code enqueues through the real
 * producer to the emulated SQS; the account-requests worker (as functions/workers/account-requests.ts
 * builds it) decides and queues the finished mail; the mail worker (as functions/workers/mail.ts
 * builds it) sends it; each takes its messages as Lambda would deliver them, and a loopback
 * stand-in for Resend answers with Resend's shapes.
 */
const log = new Logger({ logLevel: 'SILENT' });
const APP_URL = 'https://app.asistone.test';
const KNOWN = 'ayse.kaya@example.com';
const UNKNOWN = 'nobody.here@example.com';
const ORIGIN = { sourceAddress: '85.105.1.2', userAgent: 'vitest' };
const PASSWORD = 'correct horse battery staple';

let test: TestPlatform;
let resendApi: FakeResend;
let api: AccountsDeps;
let worker: ReturnType<typeof buildWorker>;
let requestsWorker: ReturnType<typeof buildRequestsWorker>;

function buildRequestsWorker() {
  const { store, keyring, blobs, deadLetters, settlements, producer } = test.platform;
  const deps = { store, keyring, log, mails: mailQueue(producer), appUrl: APP_URL };
  return queueWorker(
    ACCOUNT_REQUESTS_QUEUE,
    () => ({ blobs, deadLetters, settlements, log }),
    (request) => answerAccountRequest(deps, request),
  );
}

function buildWorker() {
  const { store, keyring, blobs, deadLetters, settlements } = test.platform;
  const mailer = chooseMailer({
    local: false,
    resendApiKey: resendApi.apiKey,
    from: 'Asistone <no-reply@mail.example.com>',
    store,
    keyring,
    resend: { ...WORKER_RESEND_LIMITS, baseUrl: resendApi.baseUrl },
  });
  const deps = { store, keyring, log, mailer };
  return queueWorker(
    MAIL_QUEUE,
    () => ({ blobs, deadLetters, settlements, log }),
    (message) => processMailMessage(deps, message),
  );
}

beforeAll(async () => {
  test = await startTestPlatform();
  resendApi = await startFakeResend();
  const { store, keyring, producer } = test.platform;
  api = {
    store,
    keyring,
    log,
    tokenSecret: 'x'.repeat(40),
    appUrl: APP_URL,
    mails: mailQueue(producer),
    requests: accountRequestQueue(producer),
  };
  worker = buildWorker();
  requestsWorker = buildRequestsWorker();
  await createAccount(test.platform, { userId: 'u_known', name: 'Ayşe Kaya', email: KNOWN, passwordHash: 'unused' });
});
afterAll(async () => {
  await resendApi?.close();
  await test?.stop();
});
beforeEach(() => resendApi.reset());

/** Takes what waits on a queue, as Lambda's event source delivers it (first receive). */
async function takeQueued(queue: string = MAIL_QUEUE.name): Promise<QueueRecord[]> {
  const { aws, config } = test.platform;
  const out = await aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: config.queueUrl(queue),
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = out.Messages ?? [];
  if (messages.length > 0) {
    // The test redelivers by hand; nothing should come back on its own.
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: config.queueUrl(queue),
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
  return messages.map((message) => ({
    messageId: message.MessageId as string,
    body: message.Body as string,
    attributes: { ApproximateReceiveCount: '1', ...message.Attributes },
    eventSource: 'aws:sqs',
  }));
}

/** The same record delivered again, as SQS does after a failure or a lost acknowledgement. */
function redelivered(record: QueueRecord, receiveCount: number): QueueRecord {
  return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) } };
}

async function takeOne(queue: string = MAIL_QUEUE.name): Promise<QueueRecord> {
  const records = await takeQueued(queue);
  expect(records).toHaveLength(1);
  return records[0] as QueueRecord;
}

const takeRequest = () => takeOne(ACCOUNT_REQUESTS_QUEUE.name);

/** Runs the account-requests worker on each delivery, then the mail worker on what it queued. */
async function answerThenSend(...deliveries: QueueRecord[]) {
  const answered = [];
  for (const delivery of deliveries) answered.push(await requestsWorker({ Records: [delivery] }));
  const mails = await takeQueued();
  const sent = [];
  for (const mail of mails) sent.push(await worker({ Records: [mail] }));
  return { answered, mails, sent };
}

function mailsTo(address: string) {
  return resendApi.accepted.filter((request) => (request.body.to as string[]).includes(address));
}

function linkIn(request: { body: Record<string, unknown> }): URL {
  const match = /https:\/\/\S+/.exec(String(request.body.text));
  expect(match).not.toBeNull();
  return new URL(match?.[0] as string);
}

async function deadLetters() {
  const { aws, config } = test.platform;
  return listDeadLetters({ sqs: aws.sqs, queueUrl: (queue) => config.queueUrl(queue) }, 'mail');
}

describe('password reset through the account-requests and mail queues', () => {
  it('asks for the same work in the request for a known and an unknown address: two counters and one message', async () => {
    // Prepare: warm the keyring, so neither request pays for the first key unwrap.
    await requestPasswordReset(api, 'warm.up@example.com', ORIGIN);
    await takeQueued(ACCOUNT_REQUESTS_QUEUE.name);
    const { aws } = test.platform;
    const recorder = recordAwsCalls({ dynamo: aws.dynamo, sqs: aws.sqs, kms: aws.kms });

    // Act
    await requestPasswordReset(api, KNOWN, ORIGIN);
    const known = describeWork(recorder.calls);
    recorder.clear();
    await requestPasswordReset(api, UNKNOWN, ORIGIN);
    const unknown = describeWork(recorder.calls);
    recorder.clear();

    // Assess: the very same calls, none of which reads an account.
    expect(known).toEqual(unknown);
    expect(known).toEqual([
      'UpdateItemCommand t#accounts#throttle#reset-address#… window##',
      'UpdateItemCommand t#accounts#throttle#reset-account#… window##',
      `SendMessageCommand ${test.platform.config.queueUrl(ACCOUNT_REQUESTS_QUEUE.name).split('/').pop()}`,
    ]);
    const [first, second] = await takeQueued(ACCOUNT_REQUESTS_QUEUE.name);
    const shape = (record: QueueRecord | undefined) => Object.keys(JSON.parse(record?.body ?? '{}')).sort();
    expect(shape(first)).toEqual(shape(second));
    expect(shape(first)).toEqual(['emailIndex', 'kind', 'requestId', 'tenantId', 'token']);
  });

  it('mails a working link to an address with an account, once, however often the message comes', async () => {
    // Prepare
    await requestPasswordReset(api, KNOWN, ORIGIN);
    const record = await takeRequest();

    // Act: the first delivery, then the same message again (a lost acknowledgement: it is
    // acknowledged as settled, not handled again) and a replay (a new message: handled again).
    const replay = { ...redelivered(record, 1), messageId: `${record.messageId}-replayed` };
    const { answered, mails, sent } = await answerThenSend(record, redelivered(record, 2), replay);

    // Assess: each handled delivery queues the same mail (same key); it is sent once.
    const ok = { batchItemFailures: [] };
    expect(answered).toEqual([ok, ok, ok]);
    expect(sent).toEqual([ok, ok]);
    expect(new Set(mails.map((mail) => JSON.parse(mail.body).mail.idempotencyKey)).size).toBe(1);
    expect(resendApi.received).toHaveLength(1);
    const [mail] = mailsTo(KNOWN);
    expect(mail?.body.tags).toEqual([{ name: 'kind', value: 'password-reset' }]);
    const link = linkIn(mail as { body: Record<string, unknown> });
    expect(`${link.origin}${link.pathname}`).toBe(`${APP_URL}/reset-password`);
    const token = link.searchParams.get('token') as string;
    expect(mail?.headers['idempotency-key']).toBe(`password-reset/${secretHash(token)}`);
    await confirmPasswordReset(api, token, 'a brand new passphrase', ORIGIN);
  });

  it('sends nothing and writes nothing for an address without an account', async () => {
    // Prepare
    await requestPasswordReset(api, UNKNOWN, ORIGIN);
    const record = await takeRequest();
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo });

    // Act
    const outcome = await requestsWorker({ Records: [record] });

    // Assess: one lookup, no write, no mail (besides the queue's note that the message is settled).
    expect(outcome.batchItemFailures).toEqual([]);
    const work = describeWork(recorder.calls).filter((call) => !call.includes('#settled#'));
    expect(work).toEqual(['GetItemCommand t#accounts#email#… account']);
    recorder.clear();
    expect(await takeQueued()).toEqual([]);
    expect(resendApi.received).toEqual([]);
  });

  it('carries no address or secret in clear on the queue', async () => {
    await requestPasswordReset(api, KNOWN, ORIGIN);
    const record = await takeRequest();
    const { mails } = await answerThenSend(record);
    const token = linkIn(mailsTo(KNOWN)[0] as { body: Record<string, unknown> }).searchParams.get('token') as string;
    for (const body of [record.body, ...mails.map((mail) => mail.body)]) {
      for (const secret of [KNOWN, 'ayse.kaya', token]) expect(body).not.toContain(secret);
    }
  });
});

describe('sign-up through the account-requests and mail queues', () => {
  const request = (email: string): SignUp => ({
    businessName: 'Kahve Dükkanı',
    name: 'Mehmet Demir',
    email,
    password: PASSWORD,
    ageConfirmed: true as const,
    acceptTerms: true as const,
    termsVersion: CURRENT_TERMS_VERSION,
  });

  it('asks for the same work in the request for a new and a taken address', async () => {
    await signUp(api, request('warm.sign.up@example.com'), ORIGIN);
    await takeQueued(ACCOUNT_REQUESTS_QUEUE.name);
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo, sqs: test.platform.aws.sqs });

    await signUp(api, request('new.person@example.com'), ORIGIN);
    const fresh = describeWork(recorder.calls);
    recorder.clear();
    await signUp(api, request(KNOWN), ORIGIN);
    const taken = describeWork(recorder.calls);
    recorder.clear();

    expect(fresh).toEqual(taken);
    expect(fresh.filter((call) => call.startsWith('SendMessageCommand'))).toHaveLength(1);
    expect(fresh.filter((call) => !call.startsWith('UpdateItemCommand t#accounts#throttle#'))).toEqual([
      `SendMessageCommand ${test.platform.config.queueUrl(ACCOUNT_REQUESTS_QUEUE.name).split('/').pop()}`,
    ]);
    await takeQueued(ACCOUNT_REQUESTS_QUEUE.name);
  });

  it('sends a new address a confirmation link that creates the account, once per request', async () => {
    const email = 'Zeynep.Yildiz@Example.com';
    await signUp(api, request(email), ORIGIN);
    const record = await takeRequest();

    await answerThenSend(record, redelivered(record, 2));

    expect(resendApi.accepted).toHaveLength(1);
    const [mail] = mailsTo('zeynep.yildiz@example.com');
    expect(mail?.body.tags).toEqual([{ name: 'kind', value: 'verify-email' }]);
    expect(String(mail?.body.text)).toContain('Merhaba Mehmet Demir,');
    for (const secret of ['zeynep.yildiz', 'Mehmet', 'Kahve', PASSWORD]) expect(record.body).not.toContain(secret);
    const token = linkIn(mail as { body: Record<string, unknown> }).searchParams.get('token') as string;
    const { tenantId } = await confirmSignUp(api, token);
    expect(tenantId).toMatch(/^b/);
  });

  it('writes the confirmation in English for a sign-up from the English app, text and HTML alike', async () => {
    await signUp(api, { ...request('english.person@example.com'), name: 'Mehmet <Demir>', language: 'en' }, ORIGIN);

    await answerThenSend(await takeRequest());

    const [mail] = mailsTo('english.person@example.com');
    expect(mail?.body.subject).toBe('Confirm your email address for Asistone');
    expect(String(mail?.body.text)).toContain('Hello Mehmet <Demir>,');
    expect(String(mail?.body.html)).toContain('<html lang="en">');
    expect(String(mail?.body.html)).toContain('Hello Mehmet &lt;Demir&gt;,');
  });

  it('sends a taken address a notice instead, and no second sign-up', async () => {
    await signUp(api, request(KNOWN), ORIGIN);
    const record = await takeRequest();

    await answerThenSend(record, redelivered(record, 2));

    expect(resendApi.accepted.map((mail) => mail.body.tags)).toEqual([[{ name: 'kind', value: 'sign-up-notice' }]]);
    const pending = await test.platform.store.entities.signUp.query
      .byEmail({
        tenantId: ACCOUNTS_TENANT,
        emailIndex: (await test.platform.keyring.forTenant(ACCOUNTS_TENANT)).blindIndex('email', KNOWN),
      })
      .go();
    expect(pending.data).toEqual([]);
  });
});

describe('delivering rendered mails', () => {
  it('queues an invitation sealed under the business key and sends it once', async () => {
    await createBusiness(test.platform, { tenantId: 'b_mail', name: 'Çiçek Evi', ownerId: 'u_known' });
    const { inviteId } = await inviteMember(api, { userId: 'u_known' }, 'b_mail', {
      email: 'new.member@example.com',
      role: 'agent',
    });
    const record = await takeOne();
    expect(JSON.parse(record.body)).toMatchObject({
      kind: 'deliver',
      tenantId: 'b_mail',
      mail: { kind: 'invite', idempotencyKey: `invite/${inviteId}` },
    });
    expect(record.body).not.toContain('new.member');

    await worker({ Records: [record] });
    await worker({ Records: [redelivered(record, 2)] });

    expect(resendApi.received).toHaveLength(1);
    expect(mailsTo('new.member@example.com')[0]?.body.subject).toBe("Asistone'da Çiçek Evi ekibine katılın");
  });

  it('never lets a business name stored before the name rule break the subject line of an invitation', async () => {
    await createBusiness(test.platform, {
      tenantId: 'b_header',
      name: 'Lale Butik\r\nBcc: attacker@example.com',
      ownerId: 'u_known',
    });
    await inviteMember(api, { userId: 'u_known' }, 'b_header', {
      email: 'header.victim@example.com',
      role: 'agent',
      language: 'en',
    });

    await worker({ Records: [await takeOne()] });

    const [mail] = mailsTo('header.victim@example.com');
    expect(mail?.body.subject).toBe('Join Lale Butik Bcc: attacker@example.com on Asistone');
    expect(mail?.body.to).toEqual(['header.victim@example.com']);
    expect(resendApi.accepted.flatMap((request) => request.body.to as string[])).not.toContain('attacker@example.com');
  });

  it('invites an address with an account and one without after the same work, so an inviter learns nothing', async () => {
    await createBusiness(test.platform, { tenantId: 'b_parity', name: 'Pastane', ownerId: 'u_known' });
    await createAccount(test.platform, {
      userId: 'u_elsewhere',
      name: 'Deniz',
      email: 'has.account@example.com',
      passwordHash: 'unused',
    });
    const owner = { userId: 'u_known' };
    await inviteMember(api, owner, 'b_parity', { email: 'warm.invite@example.com', role: 'agent' });
    const recorder = recordAwsCalls({ dynamo: test.platform.aws.dynamo, sqs: test.platform.aws.sqs });

    await inviteMember(api, owner, 'b_parity', { email: 'has.account@example.com', role: 'agent' });
    const withAccount = recorder.calls.map((call) => call.command);
    recorder.clear();
    await inviteMember(api, owner, 'b_parity', { email: 'no.account@example.com', role: 'agent' });
    const withoutAccount = recorder.calls.map((call) => call.command);
    recorder.clear();

    expect(withAccount).toEqual(withoutAccount);
    expect(withAccount.filter((command) => command === 'SendMessageCommand')).toHaveLength(1);
    await takeQueued();
  });

  it('sends a mail back to the queue on a Resend 429 without waiting long, and sends it on a later receive', async () => {
    const keys = await test.platform.keyring.forTenant(ACCOUNTS_TENANT);
    const message = sealMail(keys, {
      kind: 'password-reset',
      to: KNOWN,
      subject: 'Reset your Asistone password',
      text: 'Follow the link.',
      html: '<p>Follow the link.</p>',
      idempotencyKey: 'password-reset/rate-limited',
    });
    await api.mails.enqueue(message);
    const record = await takeOne();
    // Resend asks for 30 s: more than a function may wait.
    resendApi.rateLimit(1, 30);

    const started = Date.now();
    const first = await worker({ Records: [record] });
    const waited = Date.now() - started;
    const second = await worker({ Records: [redelivered(record, 2)] });

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(waited).toBeLessThan(WORKER_RESEND_LIMITS.maxWaitSeconds * 1000);
    expect(second.batchItemFailures).toEqual([]);
    expect(resendApi.received).toHaveLength(2);
    expect(resendApi.accepted).toHaveLength(1);
    expect(await deadLetters()).toEqual([]);
  });

  it('waits out a short retry-after once inside the function', async () => {
    const keys = await test.platform.keyring.forTenant(ACCOUNTS_TENANT);
    await api.mails.enqueue(
      sealMail(keys, {
        kind: 'sign-up-notice',
        to: KNOWN,
        subject: 'You already have an Asistone account',
        text: 'Sign in.',
        html: '<p>Sign in.</p>',
        idempotencyKey: 'sign-up-notice/short-wait',
      }),
    );
    const record = await takeOne();
    resendApi.rateLimit(1, 1);

    const outcome = await worker({ Records: [record] });

    expect(outcome.batchItemFailures).toEqual([]);
    expect(resendApi.received).toHaveLength(2);
    expect(resendApi.accepted).toHaveLength(1);
  });
});

describe('messages that can never be sent', () => {
  it('go to the dead-letter queue with their reason, naming no address', async () => {
    const accountsKeys = await test.platform.keyring.forTenant(ACCOUNTS_TENANT);
    const mail = {
      kind: 'invite' as const,
      to: 'someone@example.com',
      subject: 'Join',
      text: 'Join us.',
      html: '<p>Join us.</p>',
    };
    // An address in clear: the schema refuses it before anything is opened or sent.
    const clear = { kind: 'deliver', tenantId: 'b_poison', mail: { ...mail, idempotencyKey: 'invite/clear' } };
    // Sealed under the accounts key but claiming another tenant: does not open.
    await test.platform.keyring.provision('b_poison');
    const moved = { ...sealMail(accountsKeys, { ...mail, idempotencyKey: 'invite/moved' }), tenantId: 'b_poison' };
    // Resend refuses the address: retrying cannot help.
    const refused = sealMail(accountsKeys, { ...mail, idempotencyKey: 'invite/refused' });
    resendApi.failNext(422, {
      statusCode: 422,
      name: 'validation_error',
      message: 'Invalid `to` field: someone@example.com',
    });
    const records = [clear, moved, refused].map((body, index) => ({
      messageId: `poison-${index}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
    }));

    const outcome = await worker({ Records: records });

    expect(outcome.batchItemFailures).toEqual([]);
    const letters = await deadLetters();
    const reasons = letters.map((letter) => letter.reason).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^PoisonMessageError: message does not match the mail schema at .*mail\.to/),
      expect.stringMatching(/^ResendRejectedError: Resend refused the mail \(422 validation_error\)/),
      'UnreadableMailError: a sealed field does not open: sealed value failed authentication',
    ]);
    for (const reason of reasons) expect(reason).not.toContain('someone@example.com');
    expect(resendApi.accepted).toEqual([]);
  });
});
