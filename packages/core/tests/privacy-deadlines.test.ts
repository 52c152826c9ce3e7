import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPrivacyDeadlines,
  DEADLINE_WARNING_MESSAGE,
  type DeadlineLog,
  warnOfPrivacyDeadlines,
} from '../src/privacy/deadlines.js';
import {
  completePrivacyRequest,
  openPrivacyRequest,
  PRIVACY_REQUEST_RECORDS,
  type PrivacyRequestsStore,
} from '../src/privacy/privacy-requests.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The deadline alarm against the DynamoDB emulator, on requests opened by the engine's own
 * code: what is near (or past) its 30-day deadline warns, what is not does not, done requests
 * never do, and each business's requests are counted on their own.
 */
let test: TestPlatform;
let store: PrivacyRequestsStore;
const DAY = 86_400_000;

const SHOP = 'b_deadline_shop';
const OTHER = 'b_deadline_other';
const ids: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestPlatform();
  store = test.platform.storeOf(PRIVACY_REQUEST_RECORDS);
  const now = Date.now();
  const open = async (name: string, tenantId: string, ageDays: number) => {
    const request = await openPrivacyRequest(store, {
      tenantId,
      kind: 'contact-erasure',
      source: 'email',
      requestedBy: 'ops:test',
      receivedAt: now - ageDays * DAY,
      contactId: 'c_opaque',
    });
    ids[name] = request.requestId;
  };
  await open('nearing', SHOP, 26);
  await open('young', SHOP, 10);
  await open('done', SHOP, 28);
  await completePrivacyRequest(store, SHOP, ids.done!, {
    receiptId: 'r_done',
    at: new Date().toISOString(),
    by: 'ops:test',
    items: [{ dataClass: 'inbox.messages', count: 3 }],
  });
  await open('otherNearing', OTHER, 27);
  await open('otherOverdue', OTHER, 33);
}, 60_000);
afterAll(() => test?.stop());

describe('the privacy deadline alarm', () => {
  it('finds the requests due within five days or overdue, in every business, soonest first', async () => {
    const check = await checkPrivacyDeadlines(store, Date.now());
    expect(check.nearing.map((request) => request.requestId)).toEqual([
      ids.otherOverdue,
      ids.otherNearing,
      ids.nearing,
    ]);
    const nearing = check.nearing.find((request) => request.requestId === ids.nearing);
    expect(nearing).toMatchObject({ tenantId: SHOP, kind: 'contact-erasure', daysLeft: 3, overdue: false });
    expect(check.nearing[0]).toMatchObject({ tenantId: OTHER, overdue: true, daysLeft: -4 });
    expect(check.byBusiness).toEqual({ [SHOP]: 1, [OTHER]: 2 });
    expect(check.overdue).toBe(1);
  });

  it('leaves out a young request and a done one', async () => {
    const found = (await checkPrivacyDeadlines(store, Date.now())).nearing.map((request) => request.requestId);
    expect(found).not.toContain(ids.young);
    expect(found).not.toContain(ids.done);
    // Ten days on, the ten-day-old request is 20 days old: still not near; at 26 days it is.
    const later = (await checkPrivacyDeadlines(store, Date.now() + 16 * DAY)).nearing.map((r) => r.requestId);
    expect(later).toContain(ids.young);
    expect(later).not.toContain(ids.done);
  });

  it('logs one warning per request with ids, kind and deadline only, and a summary', async () => {
    const lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
    const log: DeadlineLog = {
      warn: (message, attributes) => lines.push({ level: 'warn', message, attributes }),
      info: (message, attributes) => lines.push({ level: 'info', message, attributes }),
    };
    await warnOfPrivacyDeadlines({ store, log }, Date.now());
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(3);
    for (const warning of warnings) {
      expect(warning.message).toBe(DEADLINE_WARNING_MESSAGE);
      expect(Object.keys(warning.attributes).sort()).toEqual(
        ['daysLeft', 'dueAt', 'kind', 'overdue', 'requestId', 'tenantId'].sort(),
      );
      // The contact the request is about never reaches the log.
      expect(JSON.stringify(warning.attributes)).not.toContain('c_opaque');
    }
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      attributes: { nearing: 3, overdue: 1, byBusiness: { [SHOP]: 1, [OTHER]: 2 } },
    });
  });

  it('logs no warning when nothing is near', async () => {
    const warnings: string[] = [];
    const log: DeadlineLog = { warn: (message) => warnings.push(message), info: () => {} };
    // A moment before the oldest request arrived, every deadline was more than five days away.
    await warnOfPrivacyDeadlines({ store, log }, Date.now() - 40 * DAY);
    expect(warnings).toEqual([]);
  });
});
