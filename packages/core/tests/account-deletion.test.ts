import { ACCOUNT_DELETION_GRACE_DAYS } from '@asistone/contract/account-deletion';
import { PRIVACY_REQUEST_DAYS } from '@asistone/contract/privacy';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { createBusiness, roleIn } from '../src/accounts/businesses.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { createAccount, loadUser } from '../src/accounts/people.js';
import { ACCOUNT_RECORDS } from '../src/accounts/records.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { releaseBusinessChannels } from '../src/channels/connect/manage.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import type { DeliverMailMessage } from '../src/notify/mail-messages.js';
import { openMail } from '../src/notify/outbound.js';
import { TenantKeyMissingError, ValidationError } from '../src/platform/errors.js';
import {
  type AccountDeletionDeps,
  type AccountDeletionRunDeps,
  cancelAccountDeletion,
  currentAccountDeletion,
  LONGEST_DELETION_DAYS,
  requestAccountDeletion,
  runDueAccountDeletions,
} from '../src/privacy/account-deletion.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { listPrivacyRequests, PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { PRIVACY_RECORDS } from '../src/privacy/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { saveConnectedChannel } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/**
 * Deleting a business account against the DynamoDB and S3 emulators and the local key provider:
 * the grace period (cancel, too early), then crypto-shredding and the purge, checked on a raw
 * dump of the table and a listing of the bucket; a run cut off half-way is finished by the next.
 */
const log = new Logger({ logLevel: 'SILENT' });
const DAY = 86_400_000;
const PASSWORD = 'correct horse battery staple';
const ACTOR = { sourceAddress: '85.105.1.2', userAgent: 'vitest' };

let test: TestPlatform;
let deps: AccountDeletionDeps;
let runDeps: AccountDeletionRunDeps;
let dynamoCalls: ReturnType<typeof recordAwsCalls>;
const queued: DeliverMailMessage[] = [];

const GONE = {
  tenantId: 'b_del_gone',
  name: 'Kahve Dükkanı',
  owner: 'u_del_owner',
  number: '100000000000931',
  waba: '100000000000932',
};
const KEPT = {
  tenantId: 'b_del_kept',
  name: 'Çiçek Evi',
  owner: 'u_del_other',
  number: '100000000000941',
  waba: '100000000000942',
};
/** An agent of both businesses: their account must outlive the one business. */
const AGENT = 'u_del_agent';

async function deliver(shop: typeof GONE, from: string, id: string, body: string, sentAt: number) {
  const payload = whatsappMessagesDelivery(
    shop,
    whatsappText({ phone: from, name: 'Ayşe Yılmaz' }, { id, body, sentAt }),
  );
  await processMetaDelivery(
    { store: test.platform.store, keyring: test.platform.keyring, log },
    metaDelivery(payload, sentAt + 1000),
  );
}

async function seedBusiness(shop: typeof GONE) {
  const { store, keyring, blobs } = test.platform;
  await createAccount(
    { store, keyring },
    {
      userId: shop.owner,
      name: 'Sahip',
      email: `${shop.owner}@example.com`,
      passwordHash: await hashPassword(PASSWORD),
      language: 'en',
    },
  );
  await createBusiness({ store, keyring }, { tenantId: shop.tenantId, name: shop.name, ownerId: shop.owner });
  await store.entities.membership.create({ tenantId: shop.tenantId, userId: AGENT, role: 'agent' }).go();
  // Connected through Meta: the number's token is sealed with the business's key.
  await saveConnectedChannel(
    { store, keyring },
    shop.tenantId,
    { kind: 'whatsapp', externalId: shop.number, accountId: shop.waba, label: 'Dükkan' },
    { accessToken: tokenOf(shop) },
  );
  await deliver(shop, '905551230001', `wamid.${shop.tenantId}.1`, 'Merhaba, siparişim nerede?', Date.now() - DAY);
  await deliver(shop, '905551230002', `wamid.${shop.tenantId}.2`, 'İade istiyorum', Date.now() - DAY);
  await blobs.put(shop.tenantId, 'media/wamid-1.jpg', 'jpeg bytes', 'image/jpeg');
}

const tokenOf = (shop: typeof GONE) => `EAAG-token-of-${shop.tenantId}`;

/** What Meta was asked to unsubscribe (the Graph API is the outside world here). */
const unsubscribed: { accountId: string; token: string; app: string | undefined }[] = [];

const itemsOf = (items: Record<string, unknown>[], tenantId: string) =>
  items.filter((item) => JSON.stringify(item).includes(tenantId));

const owner = (shop: typeof GONE) => ({ ...ACTOR, userId: shop.owner });
const body = (shop: typeof GONE) => ({ businessName: shop.name, password: PASSWORD });

beforeAll(async () => {
  test = await startTestPlatform();
  const store = test.platform.storeOf({
    ...ACCOUNT_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
    ...PRIVACY_RECORDS,
    ...PRIVACY_REQUEST_RECORDS,
  });
  dynamoCalls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
  deps = {
    store,
    keyring: test.platform.keyring,
    appUrl: 'https://app.test',
    mails: { enqueue: async (message) => void queued.push(message) },
  };
  runDeps = {
    dynamo: test.platform.aws.dynamo,
    table: test.env.TABLE_NAME as string,
    blobs: test.platform.blobs,
    store,
    dataClasses: DATA_CLASSES,
    keyring: test.platform.keyring,
    releaseChannels: (tenantId) =>
      releaseBusinessChannels(
        {
          store: test.platform.store,
          keyring: test.platform.keyring,
          log,
          graph: {
            unsubscribeApp: async (accountId, token, app) => {
              unsubscribed.push({ accountId, token, app });
            },
          },
        },
        tenantId,
        'schedule:account-deletions',
      ),
    log,
  };
  await seedBusiness(GONE);
  await seedBusiness(KEPT);
}, 60_000);
afterAll(() => test?.stop());

describe('the promise: gone within 30 days', () => {
  it('the grace period, a day for the schedule and KMS’s pending window fit in the policy’s 30 days', () => {
    expect(ACCOUNT_DELETION_GRACE_DAYS).toBe(7);
    expect(LONGEST_DELETION_DAYS).toBeLessThanOrEqual(PRIVACY_REQUEST_DAYS);
  });
});

describe('asking for a deletion', () => {
  it('refuses a wrong business name or password, and anyone but the owner, recording nothing', async () => {
    const before = await listPrivacyRequests(deps.store, GONE.tenantId);
    await expect(
      requestAccountDeletion(deps, owner(GONE), GONE.tenantId, { ...body(GONE), businessName: 'Kahve Dukkani' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      requestAccountDeletion(deps, owner(GONE), GONE.tenantId, { ...body(GONE), password: 'not the password' }),
    ).rejects.toThrow(/password is incorrect/);
    await expect(requestAccountDeletion(deps, { ...ACTOR, userId: AGENT }, GONE.tenantId, body(GONE))).rejects.toThrow(
      /Only the owner/,
    );
    expect(await listPrivacyRequests(deps.store, GONE.tenantId)).toEqual(before);
    expect(await currentAccountDeletion(deps, GONE.tenantId)).toBeNull();
    const actions = (await readAuditLog(deps.store, GONE.tenantId, {})).events.map((event) => event.action);
    expect(actions).not.toContain('data.deletion_requested');
    expect(actions).toContain('auth.reauthentication_failed');
  });

  it('request → cancel: nothing is deleted, and both steps are audited', async () => {
    const before = itemsOf(await test.dumpTable(), GONE.tenantId).length;
    const { deletion, created } = await requestAccountDeletion(deps, owner(GONE), GONE.tenantId, body(GONE));
    expect(created).toBe(true);
    expect(deletion.status).toBe('scheduled');
    expect(Date.parse(deletion.graceEndsAt) - Date.parse(deletion.requestedAt)).toBe(7 * DAY);
    expect(Date.parse(deletion.dueAt) - Date.parse(deletion.requestedAt)).toBe(30 * DAY);
    // Asking again while one is scheduled answers that one.
    const again = await requestAccountDeletion(deps, owner(GONE), GONE.tenantId, body(GONE));
    expect(again).toEqual({ deletion, created: false });

    // The owner is mailed, in their language, under the business's key.
    const mail = openMail(await deps.keyring.forTenant(GONE.tenantId), queued.at(-1) as DeliverMailMessage);
    expect(mail.to).toBe(`${GONE.owner}@example.com`);
    expect(mail.subject).toContain('Deletion of the business account Kahve Dükkanı is scheduled');
    expect(mail.text).toContain(deletion.requestId);

    // The business works as before during the grace period.
    expect(await roleIn(deps, GONE.tenantId, AGENT)).toBe('agent');

    const cancelled = await cancelAccountDeletion(deps, owner(GONE), GONE.tenantId);
    expect(cancelled).toMatchObject({ requestId: deletion.requestId, status: 'cancelled' });
    await expect(cancelAccountDeletion(deps, owner(GONE), GONE.tenantId)).rejects.toThrow(/No deletion is scheduled/);

    // Long after the grace period would have ended, the run finds nothing to do.
    const run = await runDueAccountDeletions(runDeps, Date.now() + 20 * DAY);
    expect(run).toEqual({ deleted: [], failed: [] });
    await expect(deps.keyring.forTenant(GONE.tenantId)).resolves.toBeDefined();
    // Only the cancelled request and the audit entries were added.
    expect(itemsOf(await test.dumpTable(), GONE.tenantId).length).toBe(before + 3);
    const actions = (await readAuditLog(deps.store, GONE.tenantId, {})).events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['data.deletion_requested', 'data.deletion_cancelled']));
  });

  it('a run before the grace period ends deletes nothing, and a cancel after it is refused', async () => {
    const { deletion } = await requestAccountDeletion(deps, owner(GONE), GONE.tenantId, body(GONE));
    const graceEnd = Date.parse(deletion.graceEndsAt);
    const before = await test.dumpTable();
    expect(await runDueAccountDeletions(runDeps, graceEnd - 60_000)).toEqual({ deleted: [], failed: [] });
    expect(await test.dumpTable()).toEqual(before);
    await expect(cancelAccountDeletion(deps, owner(GONE), GONE.tenantId, graceEnd)).rejects.toThrow(
      /grace period has ended/,
    );
  });
});

describe('after the grace period', () => {
  it('destroys the key, purges everything of the business but its receipts, resumes after a crash, and a second run does nothing', async () => {
    const deletion = await currentAccountDeletion(deps, GONE.tenantId);
    expect(deletion?.status).toBe('scheduled');
    const after = Date.parse(deletion!.graceEndsAt) + 60_000;
    const before = await test.dumpTable();
    const keptBefore = itemsOf(before, KEPT.tenantId);
    const keyBackup = before.find((item) => item.pk === `t#${GONE.tenantId}` && item.sk === 'key');
    const contact = itemsOf(before, GONE.tenantId).find((item) => String(item.sk).startsWith('contact#') && item.name);
    expect(keyBackup).toBeDefined();
    expect(contact).toBeDefined();

    // A crash half-way: the key is destroyed, then deleting the objects fails.
    let failures = 0;
    const crashing: AccountDeletionRunDeps = {
      ...runDeps,
      blobs: {
        list: runDeps.blobs.list,
        delete: async () => {
          failures++;
          throw new Error('the bucket went away');
        },
      },
    };
    dynamoCalls.clear();
    const crashed = await runDueAccountDeletions(crashing, after);
    expect(failures).toBe(1);
    expect(crashed).toEqual({ deleted: [], failed: [{ tenantId: GONE.tenantId, requestId: deletion!.requestId }] });
    // Found by Query on the open requests' index, never a Scan.
    expect(dynamoCalls.calls.map((call) => call.command)).not.toContain('ScanCommand');

    // Before the key went, the number was unsubscribed at Meta with its own token (the other
    // business's stays subscribed), so its customers' messages stop reaching us at all.
    expect(unsubscribed).toEqual([{ accountId: GONE.waba, token: tokenOf(GONE), app: 'facebook' }]);

    // Crypto-shredded: the key is gone, and members are refused while the purge is unfinished.
    await expect(deps.keyring.forTenant(GONE.tenantId)).rejects.toThrow(TenantKeyMissingError);
    expect(await roleIn(deps, GONE.tenantId, AGENT)).toBeUndefined();
    expect(await roleIn(deps, GONE.tenantId, GONE.owner)).toBeUndefined();
    expect(await roleIn(deps, KEPT.tenantId, AGENT)).toBe('agent');
    // Even the stored wrapped data key, restored from a backup, opens nothing: its wrapping key is gone.
    await test.platform.aws.dynamo.send(
      new PutItemCommand({ TableName: test.env.TABLE_NAME, Item: marshall(keyBackup!) }),
    );
    await expect(deps.keyring.forTenant(GONE.tenantId)).rejects.toThrow(TenantKeyMissingError);
    await expect(
      (async () =>
        (await deps.keyring.forTenant(GONE.tenantId)).open(
          'contact',
          'name',
          String(contact!.contactId),
          String(contact!.name),
        ))(),
    ).rejects.toThrow(/no data key for this tenant/);

    // The next run finishes it.
    const resumed = await runDueAccountDeletions(runDeps, after + 3600_000);
    expect(resumed.failed).toEqual([]);
    expect(resumed.deleted).toHaveLength(1);
    const done = resumed.deleted[0]!;
    expect(done).toMatchObject({ tenantId: GONE.tenantId, requestId: deletion!.requestId });
    expect(unsubscribed).toHaveLength(1);

    // Raw: of the business only the purge's receipt and the requests are left, with no personal data.
    const table = await test.dumpTable();
    const left = itemsOf(table, GONE.tenantId);
    const kinds = left.map((item) => String(item.pk)).sort();
    expect(
      kinds.every((pk) => pk === `t#${GONE.tenantId}#privacy` || pk === `t#${GONE.tenantId}#privacy-requests`),
    ).toBe(true);
    expect(left.filter((item) => item.pk === `t#${GONE.tenantId}#privacy`)).toHaveLength(1);
    expect(JSON.stringify(left)).not.toMatch(/Ayşe|905551230001|Merhaba|Kahve|u_del_owner@example/);
    // No billing records exist yet to be kept: the billing area is still to come.
    expect((await test.bucketKeys()).filter((key) => key.includes(GONE.tenantId))).toEqual([]);

    // The request is done, its receipt the purge's, with counts per class.
    const requests = await listPrivacyRequests(deps.store, GONE.tenantId);
    const request = requests.find((r) => r.requestId === deletion!.requestId);
    expect(request?.status).toBe('done');
    expect(request?.receipt?.receiptId).toBe(done.receiptId);
    expect(request?.receipt?.by).toBe('schedule:account-deletions');
    const count = (name: string) => request?.receipt?.items.find((item) => item.dataClass === name)?.count;
    // Counts of the run that finished it: the items the cut-off run had already removed are not
    // in them, the object it failed on and the business record (always last) are.
    expect(count('inbox.messages')).toBe(0);
    expect(count('tenancy.business')).toBe(1);
    expect(count('objects')).toBe(1);
    expect(left.find((item) => item.pk === `t#${GONE.tenantId}#privacy`)).toMatchObject({ receiptId: done.receiptId });

    // The people stay: the owner's and the agent's accounts, and the agent's other business.
    expect(await loadUser(deps, GONE.owner)).toBeDefined();
    expect(await roleIn(deps, KEPT.tenantId, AGENT)).toBe('agent');
    // The other business is untouched, item for item and object for object.
    expect(itemsOf(table, KEPT.tenantId)).toEqual(keptBefore);
    expect((await test.bucketKeys()).filter((key) => key.startsWith(`tenants/${KEPT.tenantId}/`))).toHaveLength(1);
    await expect(deps.keyring.forTenant(KEPT.tenantId)).resolves.toBeDefined();

    // A second run does nothing.
    expect(await runDueAccountDeletions(runDeps, after + 7200_000)).toEqual({ deleted: [], failed: [] });
    expect(await test.dumpTable()).toEqual(table);
  });
});
