import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OWNER } from '../../packages/local/src/demo-owner.js';
import { DEMO_NETGSM_ACCOUNT } from '../../packages/local/src/fakes/netgsm.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * The SMS settings over HTTP on a real `npm start`, whose NetGSM is the fake: the account is
 * saved only once NetGSM accepts the credentials and knows the header (400 and nothing saved
 * otherwise), the password never comes back, only owners and admins see or change it, and the
 * demo business comes with its NetGSM account on the fake.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let admin: SignedInPerson;
let agent: SignedInPerson;

const account = {
  usercode: DEMO_NETGSM_ACCOUNT.usercode,
  password: DEMO_NETGSM_ACCOUNT.password,
  msgheader: 'LALECICEK',
};
const smsPath = () => `/businesses/${owner.tenantId}/sms`;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Smsowner');
  admin = await newMember(api, owner, 'admin', 'sms-admin');
  agent = await newMember(api, owner, 'agent', 'sms-agent');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the SMS settings', () => {
  it('start empty', async () => {
    const answer = await api.call('GET', smsPath(), { token: owner.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ configured: false, passwordSet: false });
  });

  it('refuse a header that is not on the NetGSM account with 400, and save nothing', async () => {
    const answer = await api.call('PUT', smsPath(), {
      token: owner.accessToken,
      body: { ...account, msgheader: 'BASKASI' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(JSON.stringify(answer.body)).toContain('msgheader');
    expect((await api.call('GET', smsPath(), { token: owner.accessToken })).body).toEqual({
      configured: false,
      passwordSet: false,
    });
  });

  it('refuse credentials NetGSM rejects with 400, without echoing the password, and save nothing', async () => {
    const answer = await api.call('PUT', smsPath(), {
      token: owner.accessToken,
      body: { ...account, password: 'yanlis-parola-123' },
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toContain('yanlis-parola-123');
    expect((await api.call('GET', smsPath(), { token: owner.accessToken })).body.configured).toBe(false);
  });

  it('refuse a malformed body with 400', async () => {
    const answer = await api.call('PUT', smsPath(), {
      token: owner.accessToken,
      body: { usercode: account.usercode, password: account.password },
    });
    expect(answer.status).toBe(400);
    expect((await api.call('GET', smsPath(), { token: owner.accessToken })).body.configured).toBe(false);
  });

  it('save a working account, and never return its password to an owner or admin', async () => {
    const saved = await api.call('PUT', smsPath(), { token: admin.accessToken, body: account });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      configured: true,
      usercode: account.usercode,
      msgheader: 'LALECICEK',
      passwordSet: true,
    });
    for (const person of [owner, admin]) {
      const read = await api.call('GET', smsPath(), { token: person.accessToken });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ configured: true, msgheader: 'LALECICEK', passwordSet: true });
      expect(JSON.stringify(read.body)).not.toContain(account.password);
    }
    // A header change without the password keeps the stored one (checked with NetGSM again).
    const changed = await api.call('PUT', smsPath(), {
      token: owner.accessToken,
      body: { usercode: account.usercode, msgheader: 'ASISTONE' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.msgheader).toBe('ASISTONE');
    // The audit log names the change, never the password.
    const audit = await api.call('GET', `/businesses/${owner.tenantId}/audit`, { token: owner.accessToken });
    expect(JSON.stringify(audit.body)).toContain('netgsm');
    expect(JSON.stringify(audit.body)).not.toContain(account.password);
  });

  it('are closed to an agent, who cannot read or change them', async () => {
    expect((await api.call('GET', smsPath(), { token: agent.accessToken })).status).toBe(403);
    const put = await api.call('PUT', smsPath(), {
      token: agent.accessToken,
      body: { ...account, msgheader: 'LALECICEK' },
    });
    expect(put.status).toBe(403);
    expect((await api.call('GET', smsPath(), { token: owner.accessToken })).body.msgheader).toBe('ASISTONE');
  });

  it('can be removed', async () => {
    const removed = await api.call('DELETE', smsPath(), { token: owner.accessToken });
    expect(removed.status).toBe(200);
    expect((await api.call('GET', smsPath(), { token: owner.accessToken })).body).toEqual({
      configured: false,
      passwordSet: false,
    });
  });

  it('come seeded for the demo business on the fake NetGSM', async () => {
    const demo = await logIn(api, DEMO_OWNER.email, DEMO_OWNER.password);
    const read = await api.call('GET', '/businesses/demo/sms', { token: demo.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      configured: true,
      usercode: DEMO_NETGSM_ACCOUNT.usercode,
      msgheader: 'ASISTONE',
    });
  });

  it('have their reports schedule run on the stack against the fake NetGSM', async () => {
    // `npm run invoke` with the running stack's environment: NETGSM_BASE_URL names the fake (the
    // local stage refuses to start without it, so the real NetGSM is never called from here).
    const event = join(mkdtempSync(join(tmpdir(), 'asistone-event-')), 'event.json');
    writeFileSync(
      event,
      JSON.stringify({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString() }),
    );
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'invoke', '--', 'schedule-sms-reports', event],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ASISTONE_DATA_DIR: stack.dataDir,
          PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
        },
      },
    );
    // Nothing was sent on this stack yet: no business has a pending job, and NetGSM was not asked.
    // The function's own log lines come first (one JSON each), then the pretty-printed result.
    expect(stdout).toContain('"message":"sms reports done"');
    expect(JSON.parse(stdout.slice(stdout.lastIndexOf('\n{\n') + 1))).toEqual({
      businesses: 0,
      queries: 0,
      delivered: 0,
      failed: 0,
      stillPending: 0,
      rateLimited: 0,
      errors: [],
    });
  });
});
