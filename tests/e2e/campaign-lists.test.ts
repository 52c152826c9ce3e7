import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Campaign lists on a real `npm start`: a CSV uploaded through the presigned link and imported by
 * the worker (semicolons, a BOM, CRLF, duplicates, bad numbers, a bad consent value, a customer
 * who had written STOP), with the counts, the report of rejected rows (no value of any cell),
 * members masked, consent ledger entries; a redelivered import message; an inbox selection;
 * another business's list 404, an agent 403, a wrong type 400 and a huge file 413 with nothing
 * stored; a list deleted with its members and report, its contacts kept.
 */

interface ListView {
  listId: string;
  name: string;
  state: string;
  fileName: string | null;
  counts: Record<string, number>;
  rejectedByReason: Record<string, number>;
  hasReport: boolean;
}
interface Member {
  contactId: string;
  phone: string | null;
  name: string | null;
  fileConsent: string;
  row: number;
}
interface Consents {
  current: { channel: string; purpose: string; state: string; source: string }[];
  history: { id: string; state: string; source: string; wording: string; actor: string }[];
}

const WORDING = 'Yeni ürün ve indirimlerden WhatsApp ile haberdar olmak istiyorum.';
const STOPPED = { id: '905559870011', name: 'Zeynep Ekinci' };
const FILE = [
  '\uFEFFTelefon;Ad Soyad;İzin;Şehir',
  '0532 111 00 01;Ayşe Demir;evet;İstanbul',
  '+90 532 111 00 02;Ali Yılmaz;hayır;Ankara',
  '05321110001;Ayşe D.;evet;İzmir',
  '5321110003;Can Öz;;Bursa',
  '0212 555 12 34;Ofis Hattı;evet;İstanbul',
  '12345;Kısa Numara;evet;',
  '05321110004;Deniz Kar;belki;',
  '0555 987 00 11;Zeynep E.;evet;',
  ';Boş Satır;evet;',
  '05321110005;Ece Su;evet;',
  '0532-111-00-05;Ece Su;hayır;',
].join('\r\n');

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let list: ListView;

const lists = (tenantId = owner.tenantId) => `/businesses/${tenantId}/campaign-lists`;
const get = <T>(path: string, as: { accessToken: string } = owner) =>
  api.call<T>('GET', path, { token: as.accessToken });

async function dump() {
  return localAws(stack.dataDir).dumpTable();
}

/** Announces, uploads and makes a list of a file; answers the list once imported. */
async function importFile(name: string, text: string, extra: Record<string, unknown> = {}) {
  const bytes = Buffer.from(text, 'utf8');
  const announced = await api.call<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
    'POST',
    `/businesses/${owner.tenantId}/campaign-uploads`,
    {
      token: owner.accessToken,
      body: { fileName: `${name}.csv`, contentType: 'text/csv', contentLength: bytes.length },
    },
  );
  expect(announced.status, JSON.stringify(announced.body)).toBe(201);
  const put = await fetch(`${stack.url}${announced.body.upload.url}`, {
    method: 'PUT',
    headers: announced.body.upload.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
  const made = await api.call<ListView>('POST', lists(), {
    token: owner.accessToken,
    body: {
      uploadId: announced.body.uploadId,
      name,
      columns: { phone: 'Telefon', name: 'Ad Soyad', consent: 'İzin' },
      consentWording: WORDING,
      ...extra,
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  expect(made.body.state).toBe('importing');
  return eventually(async () => {
    const { body } = await get<ListView>(`${lists()}/${made.body.listId}`);
    return body.state === 'ready' ? body : undefined;
  }, 30_000);
}

async function members(listId: string): Promise<Member[]> {
  const { status, body } = await get<{ members: Member[] }>(`${lists()}/${listId}/members`);
  expect(status).toBe(200);
  return body.members;
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Liste');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  const { phoneNumberId } = await connectWhatsApp(api, owner);
  // A customer who wrote STOP (DUR) on WhatsApp before the merchant's file says they agreed.
  const meta = fakeMetaClient(stack.url);
  await meta.dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer: STOPPED,
    text: 'DUR',
  });
  await eventually(async () => {
    const { messages } = await meta.dev<{ messages: { customerId: string; direction: string }[] }>('GET', '/state');
    return messages.some((m) => m.customerId === STOPPED.id && m.direction === 'to-customer') ? true : undefined;
  });
  list = await importFile('Yaz indirimi', FILE);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a CSV list', () => {
  it('is imported with its counts: duplicates merged, bad rows rejected by reason, a STOP kept', () => {
    expect(list.fileName).toBe('Yaz indirimi.csv');
    expect(list.counts).toEqual({
      rows: 11,
      accepted: 5,
      merged: 2,
      rejected: 4,
      keptWithdrawn: 1,
      consentGranted: 2,
      consentWithdrawn: 2,
    });
    expect(list.rejectedByReason).toEqual({
      'not-mobile': 1,
      'invalid-phone': 1,
      'bad-consent-value': 1,
      'missing-phone': 1,
    });
    expect(list.hasReport).toBe(true);
  });

  it('reports each rejected row by number, reason and column, and never a cell of it', async () => {
    const link = await get<{ url: string }>(`${lists()}/${list.listId}/report`);
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/X-Amz-Expires=600\b/);
    const report = await (await fetch(`${stack.url}${link.body.url}`)).text();
    expect(report.trim().split('\r\n')).toEqual([
      'row,reason,column',
      '6,not-mobile,Telefon',
      '7,invalid-phone,Telefon',
      '8,bad-consent-value,İzin',
      '10,missing-phone,Telefon',
    ]);
    for (const value of ['555 12 34', '5551234', '12345', 'belki', 'Ofis', 'Deniz', 'Boş'])
      expect(report).not.toContain(value);
  });

  it('lists its members with masked numbers, the first name given, and what the file said of consent', async () => {
    const page = await members(list.listId);
    const byPhone = Object.fromEntries(page.map((m) => [m.phone, m]));
    expect(Object.keys(byPhone).sort()).toEqual([
      '+90 532 *** ** 01',
      '+90 532 *** ** 02',
      '+90 532 *** ** 03',
      '+90 532 *** ** 05',
      '+90 555 *** ** 11',
    ]);
    expect(byPhone['+90 532 *** ** 01']).toMatchObject({ name: 'Ayşe Demir', fileConsent: 'granted', row: 2 });
    expect(byPhone['+90 532 *** ** 02']).toMatchObject({ name: 'Ali Yılmaz', fileConsent: 'withdrawn' });
    expect(byPhone['+90 532 *** ** 03']).toMatchObject({ fileConsent: 'none' });
    // A withdrawal on a later row of the same number wins.
    expect(byPhone['+90 532 *** ** 05']).toMatchObject({ fileConsent: 'withdrawn', row: 11 });
    // The customer who wrote to the business keeps their own WhatsApp name.
    expect(byPhone['+90 555 *** ** 11']).toMatchObject({ name: STOPPED.name });
    expect(JSON.stringify(page)).not.toMatch(/5321110001|555 ?987/);
  });

  it('records consent in the ledger as an import, sealed, and never undoes a STOP', async () => {
    const page = await members(list.listId);
    const consentsOf = async (phone: string) => {
      const member = page.find((m) => m.phone === phone) as Member;
      return (await get<Consents>(`/businesses/${owner.tenantId}/contacts/${member.contactId}/consents`)).body;
    };
    const ayse = await consentsOf('+90 532 *** ** 01');
    expect(ayse.current).toEqual([
      expect.objectContaining({ channel: 'whatsapp', purpose: 'marketing', state: 'granted', source: 'import' }),
    ]);
    expect(ayse.history).toEqual([
      expect.objectContaining({ state: 'granted', source: 'import', wording: WORDING, actor: owner.userId }),
    ]);
    const ece = await consentsOf('+90 532 *** ** 05');
    expect(ece.current[0]).toMatchObject({ state: 'withdrawn', source: 'import' });
    const zeynep = await consentsOf('+90 555 *** ** 11');
    expect(zeynep.current[0]).toMatchObject({ state: 'withdrawn', source: 'customer-keyword' });
    expect(zeynep.history.map((entry) => entry.source)).toEqual(['customer-keyword']);
    // The ledger's wording and the names are sealed in the table.
    const items = await dump();
    const entries = items.filter((item) => item.__edb_e__ === 'consentEntry' && item.source === 'import');
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(String(entry.wording)).toMatch(/^v1\./);
    // Every item but the demo business's (its ad sets' names are its own, not the list's).
    const raw = JSON.stringify(items.filter((item) => !JSON.stringify(item).includes('"tenantId":"demo"')));
    for (const value of ['Ayşe Demir', 'Ali Yılmaz', 'İstanbul', '905321110001']) expect(raw).not.toContain(value);
  });

  it('is imported once however often its message is delivered', async () => {
    const aws = localAws(stack.dataDir);
    const queueUrl = aws.env.QUEUE_URL_CAMPAIGN_IMPORTS as string;
    for (let i = 0; i < 2; i++) {
      await aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ tenantId: owner.tenantId, listId: list.listId }),
        }),
      );
    }
    await eventually(async () => {
      const { Attributes } = await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return Attributes?.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0'
        ? true
        : undefined;
    });
    const again = await get<ListView>(`${lists()}/${list.listId}`);
    expect(again.body.counts).toEqual(list.counts);
    expect(await members(list.listId)).toHaveLength(5);
    const entries = (await dump()).filter(
      (item) => item.__edb_e__ === 'consentEntry' && String(item.entryId).startsWith(`import_${list.listId}`),
    );
    expect(entries).toHaveLength(4);
    const audit = await get<{ entries: unknown[] }>(
      `/businesses/${owner.tenantId}/audit?action=campaign.list_imported`,
    );
    expect(audit.body.entries).toHaveLength(1);
  });
});

describe('a selection of the inbox', () => {
  it("snapshots the business's WhatsApp customers, by consent", async () => {
    const make = async (name: string, consent: 'any' | 'granted') => {
      const made = await api.call<ListView>('POST', `${lists()}/selection`, {
        token: owner.accessToken,
        body: { name, filter: { channels: ['whatsapp'], consent } },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(202);
      return eventually(async () => {
        const { body } = await get<ListView>(`${lists()}/${made.body.listId}`);
        return body.state === 'ready' ? body : undefined;
      });
    };
    const everyone = await make('Yazanlar', 'any');
    expect((await members(everyone.listId)).map((m) => m.phone)).toEqual(['+90 555 *** ** 11']);
    // The only customer who wrote has withdrawn: a consent-only selection is empty.
    const consenting = await make('İzinli yazanlar', 'granted');
    expect(await members(consenting.listId)).toEqual([]);
    const all = await get<{ lists: ListView[] }>(lists());
    expect(all.body.lists.map((l) => l.name)).toEqual(['İzinli yazanlar', 'Yazanlar', 'Yaz indirimi']);
  });
});

describe('what a list refuses', () => {
  it("answers 404 for another business's list, and 403 to an agent", async () => {
    for (const path of ['', '/members', '/report']) {
      expect((await get(`${lists(other.tenantId)}/${list.listId}${path}`, other)).status).toBe(404);
    }
    const deleted = await api.call('DELETE', `${lists(other.tenantId)}/${list.listId}`, { token: other.accessToken });
    expect(deleted.status).toBe(404);
    expect((await get(`${lists()}/cl_${'x'.repeat(22)}`)).status).toBe(404);
    expect((await get(lists(), agent)).status).toBe(403);
    const upload = await api.call('POST', `/businesses/${owner.tenantId}/campaign-uploads`, {
      token: agent.accessToken,
      body: { fileName: 'a.csv', contentType: 'text/csv', contentLength: 10 },
    });
    expect(upload.status).toBe(403);
  });

  it('refuses a file of another type (400) or over 50 MB (413), a consent column without its wording (400), storing nothing', async () => {
    const before = await dump();
    const announce = (body: Record<string, unknown>) =>
      api.call('POST', `/businesses/${owner.tenantId}/campaign-uploads`, { token: owner.accessToken, body });
    expect(
      (await announce({ fileName: 'a.xlsx', contentType: 'application/vnd.ms-excel', contentLength: 10 })).status,
    ).toBe(400);
    const huge = await announce({ fileName: 'a.csv', contentType: 'text/csv', contentLength: 50 * 1024 * 1024 + 1 });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'payload_too_large' });
    const noWording = await api.call('POST', lists(), {
      token: owner.accessToken,
      body: {
        uploadId: `cu_${Date.now()}_${'a'.repeat(22)}`,
        name: 'X',
        columns: { phone: 'Telefon', consent: 'İzin' },
      },
    });
    expect(noWording.status).toBe(400);
    const unknown = await api.call('POST', lists(), {
      token: owner.accessToken,
      body: { uploadId: `cu_${Date.now()}_${'a'.repeat(22)}`, name: 'X', columns: { phone: 'Telefon' } },
    });
    expect(unknown.status).toBe(404);
    const after = await dump();
    const campaignItems = (items: Record<string, unknown>[]) =>
      items.filter((item) => String(item.__edb_e__ ?? '').startsWith('campaign')).length;
    expect(campaignItems(after)).toBe(campaignItems(before));
  });
});

describe('deleting a list', () => {
  it('removes its members and report, keeps the contacts, and is audited', async () => {
    const page = await members(list.listId);
    const deleted = await api.call('DELETE', `${lists()}/${list.listId}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    expect((await get(`${lists()}/${list.listId}`)).status).toBe(404);
    const items = await dump();
    expect(items.filter((item) => item.listId === list.listId)).toEqual([]);
    const objects = await localAws(stack.dataDir).s3.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({
        Bucket: localAws(stack.dataDir).env.MEDIA_BUCKET,
        Prefix: `tenants/${owner.tenantId}/campaign-`,
      }),
    );
    expect((objects.Contents ?? []).map((o) => o.Key)).toEqual([]);
    // The customers stay in the inbox, with their consent.
    const contact = await get(`/businesses/${owner.tenantId}/contacts/${page[0]?.contactId}`);
    expect(contact.status).toBe(200);
    const audit = await get<{ entries: { target: string | null; actorId: string }[] }>(
      `/businesses/${owner.tenantId}/audit?action=campaign.list_deleted`,
    );
    expect(audit.body.entries).toEqual([expect.objectContaining({ actorId: owner.userId })]);
    expect(audit.body.entries[0]?.target).toContain(list.listId);
  });
});
