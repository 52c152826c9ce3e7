import { SUBPROCESSOR_IDS } from '@asistone/contract/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, waitForMail } from './accounts-client.js';

/**
 * The privacy page's API on a real `npm start`: every member reads who processes the
 * business's data and where; owners and admins ask for the transfer agreements, which is
 * recorded with its 30-day deadline, audited, and confirmed to the owner by mail in the
 * owner's language.
 */
let stack: RunningStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

const subprocessorsOf = (person: { accessToken: string }, tenantId: string) =>
  api.call<{ subprocessors: Array<Record<string, unknown>> }>('GET', `/businesses/${tenantId}/privacy/subprocessors`, {
    token: person.accessToken,
  });
const requestAgreements = (person: { accessToken: string }, tenantId: string) =>
  api.call<Record<string, string>>('POST', `/businesses/${tenantId}/privacy/transfer-agreements-request`, {
    token: person.accessToken,
  });
const openRequest = (person: { accessToken: string }, tenantId: string) =>
  api.call<{ request: Record<string, string> | null }>(
    'GET',
    `/businesses/${tenantId}/privacy/transfer-agreements-request`,
    { token: person.accessToken },
  );

const DAY_MS = 24 * 3600 * 1000;

describe('privacy: sub-processors and transfer agreements', () => {
  it('lets every role read the sub-processors, from the one declaration', async () => {
    const owner = await newOwner(api, 'Zeynep');
    const members = {
      owner,
      admin: await newMember(api, owner, 'admin', 'Admin'),
      agent: await newMember(api, owner, 'agent', 'Agent'),
      analyst: await newMember(api, owner, 'analyst', 'Analyst'),
    };
    for (const [role, person] of Object.entries(members)) {
      const answer = await subprocessorsOf(person, owner.tenantId);
      expect(answer.status, role).toBe(200);
      expect(answer.body.subprocessors.map((row) => row.id)).toEqual([...SUBPROCESSOR_IDS]);
    }
    const { body } = await subprocessorsOf(owner, owner.tenantId);
    const byId = Object.fromEntries(body.subprocessors.map((row) => [row.id, row]));
    expect(byId.aws).toMatchObject({ active: true, countries: ['DE'], transferOutsideTurkiyeAndEea: false });
    expect(byId.aws?.location).toMatchObject({ en: expect.stringContaining('Frankfurt') });
    expect(byId.meta).toMatchObject({ active: true, transferOutsideTurkiyeAndEea: true });
    expect(byId.openai).toMatchObject({ active: true, safeguard: 'standard-contractual-clauses' });
    expect(byId.netgsm).toMatchObject({ active: true, transferOutsideTurkiyeAndEea: false, safeguard: 'none-needed' });
  });

  it('refuses an analyst the request (403) and records nothing; an admin’s request mails the owner in Turkish', async () => {
    const owner = await newOwner(api, 'Elif');
    const analyst = await newMember(api, owner, 'analyst', 'Analyst');
    const admin = await newMember(api, owner, 'admin', 'Admin');

    const refused = await requestAgreements(analyst, owner.tenantId);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
    expect((await openRequest(analyst, owner.tenantId)).status).toBe(403);
    expect((await openRequest(owner, owner.tenantId)).body).toEqual({ request: null });

    const asked = await requestAgreements(admin, owner.tenantId);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.requestedBy).toBe(admin.userId);
    // The owner, not the admin who asked, gets the confirmation, in the owner's language.
    const mail = await waitForMail(api, 'privacy-request', owner.email);
    expect(mail.html).toContain('<html lang="tr">');
    expect(mail.subject).toBe('Veri aktarım sözleşmeleri talebiniz alındı');
    expect(mail.text).toContain(asked.body.dueAt?.slice(0, 10));
    expect(mail.links[0]).toBe(`${stack.url}/b/${owner.tenantId}/privacy`);
  });

  it('records an owner’s request with a 30-day deadline, audits it, and confirms it in English to an English owner', async () => {
    const owner = await newOwner(api, 'Grace', { language: 'en' });
    const before = Date.now();
    const asked = await requestAgreements(owner, owner.tenantId);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ kind: 'transfer-agreements', status: 'open', requestedBy: owner.userId });
    const requestedAt = Date.parse(asked.body.requestedAt as string);
    expect(requestedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(asked.body.dueAt as string) - requestedAt).toBe(30 * DAY_MS);

    // Recorded: the page finds it again, and a second click asks nothing new.
    expect((await openRequest(owner, owner.tenantId)).body.request).toEqual(asked.body);
    const again = await requestAgreements(owner, owner.tenantId);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(asked.body.id);

    const audit = await api.call<{ entries: Array<Record<string, unknown>> }>(
      'GET',
      `/businesses/${owner.tenantId}/audit?action=privacy.transfer_agreements_requested`,
      { token: owner.accessToken },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      actorId: owner.userId,
      target: `privacy-request:${asked.body.id}`,
      detail: { dueAt: asked.body.dueAt },
    });

    const mail = await waitForMail(api, 'privacy-request', owner.email);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.subject).toBe('We received your request for the data transfer agreements');
    expect(mail.text).toContain(asked.body.id);
    expect(mail.text).toContain((asked.body.dueAt as string).slice(0, 10));
    // One request, one mail.
    const outbox = await api.call<{ mails: Array<{ kind: string; to: string }> }>('GET', '/dev/outbox');
    expect(
      outbox.body.mails.filter((m) => m.kind === 'privacy-request' && m.to === owner.email.toLowerCase()),
    ).toHaveLength(1);
  });

  it('answers 404 for another business, and records nothing there', async () => {
    const owner = await newOwner(api, 'Ayse');
    const stranger = await newOwner(api, 'Mehmet');
    expect((await subprocessorsOf(stranger, owner.tenantId)).status).toBe(404);
    const refused = await requestAgreements(stranger, owner.tenantId);
    expect(refused.status).toBe(404);
    expect(refused.body.message).toBe('No such business');
    expect((await openRequest(owner, owner.tenantId)).body).toEqual({ request: null });
  });
});
