import { createHmac } from 'node:crypto';
import { contactIdOf } from '@asistone/core/inbox/inbound';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { fakeMetaClient } from './fake-meta-client.js';

/**
 * Meta's data deletion callback against a real `npm start`: the fake Meta plays a person removing
 * the app in their Instagram settings and posts the signed request as Meta does. The product
 * answers Meta's `{ url, confirmation_code }`, removes the person's channel token and contact in
 * the business that had them (checked on a raw dump of the table), and the public status route
 * reports `done`. A forged request stores nothing; the same request again gets the same code
 * and changes nothing more.
 */
const INSTAGRAM_APP_SECRET = 'asistone-demo-instagram-app-secret';
const DEMO = { tenantId: 'demo', instagram: '17841400000000003' };
/** An Instagram customer of the demo business, known by their Instagram-scoped id. */
const CUSTOMER = { id: '5550000000001', name: 'Ayşe Demir' };

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;
const meta = () => fakeMetaClient(stack.url);

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

type Item = Record<string, unknown> & { pk: string; sk: string };
const dump = async () => (await aws.dumpTable()) as Item[];
const entity = (items: Item[], name: string) => items.filter((item) => item.__edb_e__ === name);

interface Deletion {
  status: number;
  body: { url: string; confirmation_code: string };
}
const personRemovesApp = (userId: string, issuedAt?: number) =>
  meta().dev<Deletion>('POST', '/data-deletion', { userId, app: 'instagram', ...(issuedAt && { issuedAt }) });

const statusOf = async (code: string) => {
  const response = await fetch(`${stack.url}/api/privacy/data-deletion/${code}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const doneOf = (code: string) =>
  eventually(async () => {
    const { body } = await statusOf(code);
    return body.status === 'done' ? body : undefined;
  }, 30_000);

function signed(secret: string, payload: unknown) {
  const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${createHmac('sha256', secret).update(payloadPart).digest('base64url')}.${payloadPart}`;
}
const postForm = (body: string) =>
  fetch(`${stack.url}/webhooks/meta-data-deletion`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

async function demoContactId(): Promise<string> {
  return contactIdOf(await core.keyring.forTenant(DEMO.tenantId), 'instagram', CUSTOMER.id);
}

describe("Meta's data deletion callback, on the local stack", () => {
  it('refuses a forged, malformed or oversized request and stores nothing', async () => {
    const before = entity(await dump(), 'metaDataDeletion').length;
    const payload = { algorithm: 'HMAC-SHA256', issued_at: 1_764_500_000, user_id: CUSTOMER.id };
    const forged = await postForm(`signed_request=${signed('not-the-app-secret-at-all', payload)}`);
    expect(forged.status).toBe(401);
    expect((await postForm('signed_request=abc')).status).toBe(400);
    expect((await postForm('nothing=here')).status).toBe(400);
    expect((await postForm(`signed_request=${'a'.repeat(9000)}`)).status).toBe(413);
    expect((await fetch(`${stack.url}/webhooks/meta-data-deletion`)).status).toBe(405);
    expect(entity(await dump(), 'metaDataDeletion')).toHaveLength(before);
    // The status route knows no code it did not give, and refuses malformed ones the same way.
    expect((await statusOf('0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await statusOf('not-a-code')).status).toBe(404);
  });

  it("erases the person's contact in the business, with a request and a receipt; the same request again changes nothing", async () => {
    await meta().dev('POST', '/customer/messages', {
      channel: 'instagram',
      businessId: DEMO.instagram,
      customer: CUSTOMER,
      text: 'Siparişim nerede?',
    });
    const contactId = await demoContactId();
    await eventually(async () =>
      entity(await dump(), 'contact').some((item) => item.tenantId === DEMO.tenantId && item.contactId === contactId)
        ? true
        : undefined,
    );

    const issuedAt = Math.floor(Date.now() / 1000);
    const first = await personRemovesApp(CUSTOMER.id, issuedAt);
    expect(first.status).toBe(200);
    const code = first.body.confirmation_code;
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect(first.body.url).toBe(`${stack.url}/data-deletion/${code}`);

    const done = await doneOf(code);
    expect(done).toMatchObject({ confirmationCode: code, status: 'done' });
    expect(Object.keys(done).sort()).toEqual(['completedAt', 'confirmationCode', 'receivedAt', 'status']);

    const items = await dump();
    // Nothing of the contact is left: no profile, no conversation, no message of theirs.
    expect(items.filter((item) => item.tenantId === DEMO.tenantId && item.contactId === contactId)).toEqual([]);
    const requests = entity(items, 'privacyRequest').filter((item) => item.tenantId === DEMO.tenantId);
    const metaRequest = requests.find((item) => item.kind === 'meta-data-deletion');
    expect(metaRequest).toMatchObject({ source: 'meta', requestedBy: 'meta', status: 'done' });
    expect(metaRequest?.dueAt).toBe((metaRequest?.receivedAt as number) + 30 * 86_400_000);
    const receipt = metaRequest?.receipt as { by: string; items: { dataClass: string; count: number }[] };
    expect(receipt.by).toBe('meta');
    expect(receipt.items.find((i) => i.dataClass === 'inbox.messages')?.count).toBeGreaterThan(0);
    expect(JSON.stringify(metaRequest)).not.toContain(contactId);
    const erasure = requests.find((item) => item.kind === 'contact-erasure' && item.requestedBy === 'meta');
    expect(erasure).toMatchObject({ source: 'meta', status: 'done' });
    const audit = entity(items, 'auditEvent').filter(
      (item) => item.tenantId === DEMO.tenantId && item.action === 'contact.erased' && item.actorId === 'meta',
    );
    expect(audit).toHaveLength(1);

    // Meta retries the very same signed request: the same code, nothing applied twice.
    const again = await personRemovesApp(CUSTOMER.id, issuedAt);
    expect(again).toEqual(first);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = await dump();
    expect(entity(after, 'privacyRequest').filter((item) => item.tenantId === DEMO.tenantId)).toHaveLength(
      requests.length,
    );
    expect(entity(after, 'auditEvent').filter((item) => item.actorId === 'meta')).toHaveLength(
      entity(items, 'auditEvent').filter((item) => item.actorId === 'meta').length,
    );
    expect(entity(after, 'metaDataDeletion').filter((item) => item.code === code)).toHaveLength(1);
  });

  it("drops the token of the Instagram account that removed the app, and keeps the business's conversations", async () => {
    const channelOf = (items: Item[]) =>
      entity(items, 'channel').find((item) => item.tenantId === DEMO.tenantId && item.externalId === DEMO.instagram);
    const before = await dump();
    expect(channelOf(before)?.accessToken).toBeTruthy();
    const conversations = entity(before, 'conversation').filter(
      (item) => item.tenantId === DEMO.tenantId && item.channelId === DEMO.instagram,
    ).length;

    const { status, body } = await personRemovesApp(DEMO.instagram);
    expect(status).toBe(200);
    await doneOf(body.confirmation_code);

    const after = await dump();
    const channel = channelOf(after);
    expect(channel).toMatchObject({ status: 'disconnected' });
    expect(channel).not.toHaveProperty('accessToken');
    // Out of the channel directory: Meta's deliveries for it reach no business any more.
    expect(channel).not.toHaveProperty('gsi1pk');
    expect(
      entity(after, 'conversation').filter(
        (item) => item.tenantId === DEMO.tenantId && item.channelId === DEMO.instagram,
      ),
    ).toHaveLength(conversations);
    const request = entity(after, 'privacyRequest').find(
      (item) =>
        item.tenantId === DEMO.tenantId &&
        item.kind === 'meta-data-deletion' &&
        (item.receipt as { items: { dataClass: string }[] } | undefined)?.items.some(
          (i) => i.dataClass === 'channels.connections',
        ),
    );
    expect(request).toMatchObject({ status: 'done', source: 'meta' });
  });

  it("never writes the person's id to the log", () => {
    expect(stack.output()).toContain('meta data deletion done');
    expect(stack.output()).not.toContain(CUSTOMER.id);
    expect(stack.output()).not.toContain(INSTAGRAM_APP_SECRET);
  });
});
