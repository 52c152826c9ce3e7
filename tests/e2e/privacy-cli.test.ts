import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactIdOf } from '@asistone/core/inbox/inbound';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { CONTACT_DATA } from '@asistone/core/privacy/contact-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';
import { fakeMetaClient } from './fake-meta-client.js';

/**
 * `npm run privacy` against a running `npm start`: ops record a request that arrived by mail
 * (its 30-day clock from when the mail arrived), list the business's requests, export a contact
 * (the archive's link, and the archive written to a file) and erase them, completing the mailed
 * request, with the same receipts and audit entries as the app's own functions write. Bad ids,
 * a missing contact and an unknown request are refused with a clear message and change nothing.
 */
const DEMO = { tenantId: 'demo', instagram: '17841400000000003' };
const CUSTOMER = { id: '5550000000042', name: 'Mehmet Yıldız' };
const DAY = 86_400_000;

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let contactId: string;

type Item = Record<string, unknown> & { pk: string; sk: string };
const dump = async () => (await aws.dumpTable()) as Item[];
const entity = (items: Item[], name: string) => items.filter((item) => item.__edb_e__ === name);

/** Runs the real command, as ops would, against the stack's data folder. */
const privacy = (...args: string[]) => npm('privacy', '--', ...args);

const SCHEDULE_EVENT = JSON.parse(readFileSync(join(ROOT, 'events', 'schedule-privacy-deadlines.json'), 'utf8'));

function npm(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ASISTONE_DATA_DIR: stack.dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  const core = createPlatform(readConfig(aws.env));
  contactId = contactIdOf(await core.keyring.forTenant(DEMO.tenantId), 'instagram', CUSTOMER.id);
  await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
    channel: 'instagram',
    businessId: DEMO.instagram,
    customer: CUSTOMER,
    text: 'Verilerimi silin lütfen',
  });
  await eventually(async () =>
    entity(await dump(), 'contact').some((item) => item.contactId === contactId) ? true : undefined,
  );
  // The stack imports the demo shop's history at start (packages/local/src/demo-shop.ts) and the
  // demo ad account's: once both are done, the table changes only by what these tests do.
  await eventually(
    async () =>
      entity(await dump(), 'shopBackfill').some((item) => item.tenantId === DEMO.tenantId && item.status === 'done')
        ? true
        : undefined,
    60_000,
  );
  // And the demo ad account's history (packages/local/src/demo-ads.ts).
  await eventually(
    async () =>
      entity(await dump(), 'adAccount').some((item) => item.tenantId === DEMO.tenantId && item.backfillState === 'done')
        ? true
        : undefined,
    90_000,
  );
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('npm run privacy, on the local stack', () => {
  let requestId: string;
  const received = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);

  it('records a mailed request with its deadline from when the mail arrived, audited as the operator', async () => {
    const run = await privacy(
      'record',
      '--tenant',
      DEMO.tenantId,
      '--kind',
      'contact-erasure',
      '--received',
      received,
      '--contact',
      contactId,
      '--by',
      'zeynep',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    requestId = /recorded (pr_\d{13}_[0-9a-f]+)/.exec(run.stdout)?.[1] as string;
    expect(requestId).toBeTruthy();
    const receivedAt = Date.parse(`${received}T00:00:00Z`);
    expect(run.stdout).toContain(`due ${new Date(receivedAt + 30 * DAY).toISOString().replace('.000Z', 'Z')}`);

    const items = await dump();
    const request = entity(items, 'privacyRequest').find((item) => item.requestId === requestId);
    expect(request).toMatchObject({
      tenantId: DEMO.tenantId,
      kind: 'contact-erasure',
      source: 'email',
      requestedBy: 'ops:zeynep',
      status: 'open',
      receivedAt,
      dueAt: receivedAt + 30 * DAY,
    });
    const audit = entity(items, 'auditEvent').filter((item) => item.action === 'privacy.request_recorded');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'ops:zeynep', targetType: 'privacy-request', targetId: requestId });
  });

  it('warns of a mailed request near its deadline: locally the warning line is the alarm', async () => {
    const old = new Date(Date.now() - 27 * DAY).toISOString().slice(0, 10);
    const recorded = await privacy('record', '--tenant', DEMO.tenantId, '--kind', 'account-export', '--received', old);
    expect(recorded.code).toBe(0);
    const nearing = /recorded (pr_\d{13}_[0-9a-f]+)/.exec(recorded.stdout)?.[1] as string;
    const event = join(mkdtempSync(join(tmpdir(), 'asistone-event-')), 'schedule.json');
    writeFileSync(event, JSON.stringify({ ...SCHEDULE_EVENT, time: new Date().toISOString() }));
    const run = await npm('invoke', '--', 'schedule-privacy-deadlines', event);
    expect(run.code).toBe(0);
    const warnings = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => line.includes('"privacy request nearing its deadline"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(nearing);
    expect(warnings[0]).toContain('"level":"WARN"');
    // The request mailed 10 days ago is not near its deadline.
    expect(warnings[0]).not.toContain(requestId);
  });

  it('lists the business’s requests with their deadlines', async () => {
    const run = await privacy('list', '--tenant', DEMO.tenantId);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${requestId}\\s+contact-erasure\\s+email\\s+open`));
    expect(run.stdout).toContain('due ');
  });

  it('refuses bad ids, a missing contact and an unknown request, and changes nothing', async () => {
    const before = (await dump()).length;
    const cases: [string[], RegExp][] = [
      [['list', '--tenant', 'b'.repeat(65)], /business id is too long/],
      [['list', '--tenant', 'de\u0007mo'], /control characters/],
      [['list', '--tenant', 'b_nosuchshop'], /no such business/],
      [['erase', '--tenant', DEMO.tenantId, '--contact', 'ct_nobody000000000000000000'], /no such contact/],
      [['erase', '--tenant', DEMO.tenantId, '--contact', `ct_${'x'.repeat(70)}`], /contact id is too long/],
      [
        ['erase', '--tenant', DEMO.tenantId, '--contact', contactId, '--request', 'pr_1764500000000_00000000deadbeef'],
        /no such request/,
      ],
      [['erase', '--tenant', DEMO.tenantId, '--contact', contactId, '--request', 'nonsense'], /not a request id/],
      [['record', '--tenant', DEMO.tenantId, '--kind', 'contact-erasure', '--received', 'yesterday'], /ISO date/],
      [['record', '--tenant', DEMO.tenantId, '--kind', 'meta-data-deletion', '--received', received], /kind is one of/],
    ];
    for (const [args, message] of cases) {
      const run = await privacy(...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(message);
      // The message never echoes what was typed.
      expect(run.stderr).not.toContain('\u0007');
    }
    const usage = await privacy('export', '--tenant');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run privacy');
    expect((await dump()).length).toBe(before);
  }, 120_000);

  it('exports the contact: prints the link and writes the archive', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'asistone-export-')), 'contact.zip');
    const run = await privacy(
      'export',
      '--tenant',
      DEMO.tenantId,
      '--contact',
      contactId,
      '--out',
      out,
      '--by',
      'zeynep',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/https?:\/\/\S+/);
    const archive = readFileSync(out);
    expect(archive.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(archive.includes(Buffer.from('contact.json'))).toBe(true);
    const audit = entity(await dump(), 'auditEvent').filter((item) => item.action === 'contact.exported');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'ops:zeynep', targetType: 'privacy-request' });
  });

  it('erases the contact, completing the mailed request with the receipt the app writes', async () => {
    const run = await privacy(
      'erase',
      '--tenant',
      DEMO.tenantId,
      '--contact',
      contactId,
      '--request',
      requestId,
      '--by',
      'zeynep',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`(request ${requestId})`);
    expect(run.stdout).toContain('by ops:zeynep');

    const items = await dump();
    expect(items.filter((item) => item.tenantId === DEMO.tenantId && item.contactId === contactId)).toEqual([]);
    const request = entity(items, 'privacyRequest').find((item) => item.requestId === requestId);
    expect(request).toMatchObject({ status: 'done', source: 'email' });
    expect(request).not.toHaveProperty('contactId');
    // The same receipt as the app's: every area's data class, the export archives and the objects.
    const receipt = request?.receipt as {
      receiptId: string;
      by: string;
      items: { dataClass: string; count: number }[];
    };
    expect(receipt.by).toBe('ops:zeynep');
    expect(receipt.items.map((i) => i.dataClass).sort()).toEqual(
      [...CONTACT_DATA.map((area) => area.dataClass), 'privacy.contact-exports', 'media.objects'].sort(),
    );
    expect(receipt.items.find((i) => i.dataClass === 'inbox.messages')?.count).toBeGreaterThan(0);
    expect(run.stdout).toContain(`receipt ${receipt.receiptId}`);
    const audit = entity(items, 'auditEvent').filter((item) => item.action === 'contact.erased');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'ops:zeynep', targetType: 'privacy-request', targetId: requestId });

    // Done once: the request cannot be completed again, and the contact is gone.
    const again = await privacy('erase', '--tenant', DEMO.tenantId, '--contact', contactId, '--request', requestId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no such contact/);
  });
});
