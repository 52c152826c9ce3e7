import { Logger } from '@aws-lambda-powertools/logger';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../src/accounts/businesses.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { createAccount } from '../src/accounts/people.js';
import { ACCOUNT_RECORDS } from '../src/accounts/records.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { CHECKPOINT_ROWS, importUploadedList, type ListImportDeps } from '../src/campaigns/imports.js';
import { CAMPAIGN_LIST_RECORDS, uploadKeyOf } from '../src/campaigns/list-records.js';
import { announceUpload, createUploadedList, getList, type ListsDeps, listMembers } from '../src/campaigns/lists.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { buildAccountExport, requestAccountExport } from '../src/privacy/account-export.js';
import { BUSINESS_DATA } from '../src/privacy/business-catalog.js';
import { CONTACT_DATA } from '../src/privacy/contact-catalog.js';
import { CONTACT_EXPORT_RECORDS } from '../src/privacy/contact-exports.js';
import { eraseContact } from '../src/privacy/contact-rights.js';
import { PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * A list import against the emulators, through the functions the API and the worker call: an
 * import stopped at its time budget, then crashed mid-stretch and redelivered, ends with exactly
 * the counts, members, report and ledger entries of one uninterrupted run; a contact's erasure
 * removes their memberships; the account export carries them.
 */
const log = new Logger({ logLevel: 'SILENT' });
const TENANT = 'b_cmplists';
/** A small business of its own for the privacy checks (its export reads every contact). */
const SMALL = 'b_cmplists_small';
const OWNER = 'u_cmplists_owner';

let test: TestPlatform;
let deps: ListImportDeps & ListsDeps;
const queued: { tenantId: string; listId: string }[] = [];

/**
 * 2,600 rows on numbers 05<prefix> 000 00 00 + i: every 13th a landline, every 17th a bad
 * consent value, every 29th a number of an earlier row (merged), consent cycling yes / no / empty.
 */
function listFile(prefix: string): string {
  const lines = ['Telefon;Ad Soyad;İzin;Şehir'];
  for (let i = 1; i <= 2600; i++) {
    const n = i % 29 === 0 ? i - 7 : i;
    const phone = i % 13 === 0 ? `0212 5${String(i).padStart(6, '0')}` : `05${prefix}${String(n).padStart(7, '0')}`;
    const consent = i % 17 === 0 ? 'belki' : ['evet', 'hayır', ''][i % 3];
    lines.push(`${phone};"Müşteri ${i}";${consent};İzmir`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

async function uploadedList(name: string, file: string, tenantId = TENANT) {
  const bytes = Buffer.from(file, 'utf8');
  const { uploadId } = await announceUpload(deps, tenantId, OWNER, {
    fileName: `${name}.csv`,
    contentType: 'text/csv',
    contentLength: bytes.length,
  });
  await test.platform.blobs.put(tenantId, uploadKeyOf(uploadId), bytes, 'text/csv');
  return createUploadedList(deps, tenantId, OWNER, {
    uploadId,
    name,
    columns: { phone: 'telefon', name: 'ad soyad', consent: 'İZİN' },
    consentWording: 'Kampanyalardan WhatsApp ile haberdar olmak istiyorum.',
  });
}

async function everyMember(listId: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMembers(deps.store, TENANT, listId, cursor);
    ids.push(...page.members.map((m) => `${m.contactId}:${m.fileConsent}`));
    cursor = page.cursor;
  } while (cursor);
  return ids.sort();
}

async function ledgerEntriesOf(listId: string) {
  const items = await test.dumpTable();
  return items.filter(
    (item) => item.__edb_e__ === 'consentEntry' && String(item.entryId).startsWith(`import_${listId}_`),
  );
}

beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring, blobs, storeOf } = test.platform;
  await createAccount(
    { store, keyring },
    { userId: OWNER, name: 'Nur Sahip', email: 'nur@example.com', passwordHash: await hashPassword('x'.repeat(12)) },
  );
  await createBusiness({ store, keyring }, { tenantId: TENANT, name: 'Nar Kozmetik', ownerId: OWNER });
  await createBusiness({ store, keyring }, { tenantId: SMALL, name: 'Ayva Butik', ownerId: OWNER });
  deps = {
    store: storeOf({ ...CAMPAIGN_LIST_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    blobs,
    producer: {
      send: async (_queue: unknown, message: { tenantId: string; listId: string }) => void queued.push(message),
    } as never,
    log,
  };
}, 60_000);
afterAll(() => test?.stop());

describe('a list import', () => {
  it('stopped at its budget, crashed and redelivered, ends as one uninterrupted run does', async () => {
    // The reference: one run (numbers 0532…).
    const straight = await uploadedList('Tek seferde', listFile('32'));
    await importUploadedList(deps, { tenantId: TENANT, listId: straight.listId });
    const reference = await getList(deps.store, TENANT, straight.listId);
    expect(reference.state).toBe('ready');
    expect(reference.counts.rows).toBe(2600);
    expect(reference.counts.merged).toBeGreaterThan(0);
    expect(reference.rejectedByReason).toMatchObject({ 'not-mobile': 200, 'bad-consent-value': expect.any(Number) });

    // The same shape of file (numbers 0533…), interrupted twice.
    const interrupted = await uploadedList('Kesintili', listFile('33'));
    queued.length = 0;
    await importUploadedList({ ...deps, workMs: 0 }, { tenantId: TENANT, listId: interrupted.listId });
    const paused = await getList(deps.store, TENANT, interrupted.listId);
    expect(paused.state).toBe('importing');
    expect(paused.counts.rows).toBe(CHECKPOINT_ROWS);
    // It goes on in a message of its own.
    expect(queued).toEqual([{ tenantId: TENANT, listId: interrupted.listId }]);

    // The next delivery dies mid-stretch: past its first checkpoint, 300 rows into the next.
    let lines = 0;
    const dying = {
      ...deps.blobs,
      async getStream(tenantId: string, key: string, from?: number) {
        const stream = await deps.blobs.getStream(tenantId, key, from);
        return (async function* () {
          for await (const chunk of stream ?? []) {
            for (let i = 0; i < chunk.length; i += 512) {
              const slice = Buffer.from(chunk.subarray(i, i + 512));
              lines += slice.toString('latin1').split('\n').length - 1;
              if (lines > CHECKPOINT_ROWS + 300) throw new Error('the function was stopped');
              yield slice;
            }
          }
        })();
      },
    };
    await expect(
      importUploadedList({ ...deps, blobs: dying }, { tenantId: TENANT, listId: interrupted.listId }),
    ).rejects.toThrow('the function was stopped');
    const crashed = await getList(deps.store, TENANT, interrupted.listId);
    expect(crashed.state).toBe('importing');
    expect(crashed.counts.rows).toBe(2 * CHECKPOINT_ROWS);

    // Redelivered: it resumes from the checkpoint; the rows done twice change nothing.
    await importUploadedList(deps, { tenantId: TENANT, listId: interrupted.listId });
    // A further redelivery of a finished import does nothing.
    await importUploadedList(deps, { tenantId: TENANT, listId: interrupted.listId });
    const resumed = await getList(deps.store, TENANT, interrupted.listId);
    expect(resumed.state).toBe('ready');
    expect(resumed.counts).toEqual(reference.counts);
    expect(resumed.rejectedByReason).toEqual(reference.rejectedByReason);

    expect((await everyMember(interrupted.listId)).length).toBe(reference.counts.accepted);
    expect((await ledgerEntriesOf(interrupted.listId)).length).toBe((await ledgerEntriesOf(straight.listId)).length);
    expect((await ledgerEntriesOf(straight.listId)).length).toBe(
      reference.counts.consentGranted + reference.counts.consentWithdrawn,
    );

    // The same report, row for row; the parts it was written in and the upload are gone.
    const report = async (listId: string) =>
      (await test.platform.blobs.get(TENANT, `campaign-lists/${listId}/rejected.csv`))?.toString('utf8');
    expect(await report(interrupted.listId)).toBe(await report(straight.listId));
    expect((await report(straight.listId))?.split('\r\n').slice(0, 3)).toEqual([
      'row,reason,column',
      '14,not-mobile,Telefon',
      '18,bad-consent-value,İzin',
    ]);
    const keys = await test.bucketKeys();
    expect(keys.filter((key) => key.includes('report-parts') || key.includes('campaign-uploads'))).toEqual([]);
  }, 120_000);

  it("is erased with a contact, and goes with the account's export", async () => {
    const list = await uploadedList(
      'Küçük',
      'telefon;ad soyad;izin\n0544 100 00 01;Selin Kaya;evet\n0544 100 00 02;Ömer Ak;\n',
      SMALL,
    );
    await importUploadedList(deps, { tenantId: SMALL, listId: list.listId });
    const members = (await listMembers(deps.store, SMALL, list.listId)).members;
    const selin = members.find((m) => m.fileConsent === 'granted');
    expect(selin).toBeDefined();

    // The account export: the lists, and each contact's memberships.
    const { storeOf, keyring, blobs } = test.platform;
    const exportDeps = {
      store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...PRIVACY_REQUEST_RECORDS }),
      keyring,
      blobs,
      storeOf,
      contactData: CONTACT_DATA,
      businessData: BUSINESS_DATA,
    };
    const messages: { tenantId: string; requestId: string; by: string }[] = [];
    const asked = await requestAccountExport(
      { store: exportDeps.store, exports: { enqueue: async (m) => void messages.push(m) } },
      { userId: OWNER },
      SMALL,
    );
    await buildAccountExport(exportDeps, messages[0]!);
    const archive = unzipSync(new Uint8Array((await blobs.get(SMALL, `exports/${asked.requestId}.zip`))!));
    const memberships = JSON.parse(new TextDecoder().decode(archive['campaign-list-memberships.json']));
    expect(memberships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          contactId: selin?.contactId,
          listId: list.listId,
          list: 'Küçük',
          fileConsent: 'granted',
        }),
      ]),
    );
    const lists = JSON.parse(new TextDecoder().decode(archive['campaign-lists.json']));
    expect(lists.map((l: { name: string }) => l.name)).toEqual(['Küçük']);

    // The contact's erasure removes their memberships, and only theirs.
    const rights = {
      store: storeOf({
        ...INBOX_RECORDS,
        ...TENANCY_RECORDS,
        ...AUDIT_RECORDS,
        ...PRIVACY_REQUEST_RECORDS,
        ...CONTACT_EXPORT_RECORDS,
      }),
      keyring,
      storeOf,
      blobs,
      contactData: CONTACT_DATA,
    };
    const receipt = await eraseContact(
      rights,
      { by: `member:${OWNER}`, source: 'app', userId: OWNER },
      SMALL,
      selin!.contactId,
    );
    expect(receipt.removed.find((entry) => entry.dataClass === 'campaigns.list-members')?.count).toBe(1);
    const left = (await test.dumpTable()).filter(
      (item) => item.__edb_e__ === 'campaignListMember' && item.listId === list.listId,
    );
    expect(left.map((item) => item.contactId)).not.toContain(selin!.contactId);
    expect(left).toHaveLength(1);
  }, 60_000);
});
