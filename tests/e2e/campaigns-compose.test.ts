import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp } from './fake-meta-client.js';

/**
 * Composing and steering campaigns on a real `npm start`: the number's approved MARKETING
 * templates only; drafts checked (a mapping that does not fit the template is 400, nothing
 * stored); a preview with each customer's name, list column or fallback, numbers masked; send now
 * (sending, the fan-out queued), schedule within 30 days, unschedule, pause, resume and cancel by
 * their rules, each audited; another business's campaign 404, an analyst 403, ids that are not
 * ours 4xx.
 */

interface Campaign {
  campaignId: string;
  name: string;
  state: string;
  pauseReason: string | null;
  templateName: string | null;
  scheduledAt: string | null;
  startedAt: string | null;
  template: { name: string; variables: unknown[] } | null;
}
interface Template {
  name: string;
  language: string;
  category: string;
  body: string;
  variables: number;
}
interface Preview {
  body: string;
  recipients: {
    contactId: string;
    phone: string | null;
    name: string | null;
    text: string | null;
    emptyVariable: number | null;
  }[];
}

const FILE = [
  'Telefon,Ad Soyad,İzin,Şehir',
  '05321112201,Ayşe Demir,evet,İzmir',
  '05321112202,,evet,',
  '05321112203,Can Öz,evet,Bursa',
].join('\r\n');

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let analyst: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let channelId: string;
let listId: string;

const path = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}${rest}`;
const as = (person: { accessToken: string }) => ({ token: person.accessToken });
const call = <T>(method: string, rest: string, body?: unknown, person: { accessToken: string } = owner) =>
  api.call<T>(method, path(rest), { ...as(person), ...(body !== undefined && { body }) });

const welcome = (fallback = 'değerli müşterimiz') => ({
  name: 'welcome_offer',
  language: 'tr',
  variables: [{ source: 'contact', field: 'firstName', fallback }],
});

const draft = (overrides: Record<string, unknown> = {}) => ({
  name: 'Hoş geldin kampanyası',
  channelId,
  audience: { kind: 'lists', listIds: [listId] },
  template: welcome(),
  holdoutPercent: 0,
  attributionDays: 7,
  ...overrides,
});

async function create(overrides: Record<string, unknown> = {}) {
  const made = await call<Campaign>('POST', '/campaigns', draft(overrides));
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body;
}

async function importList() {
  const bytes = Buffer.from(FILE, 'utf8');
  const announced = await call<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
    'POST',
    '/campaign-uploads',
    { fileName: 'hosgeldin.csv', contentType: 'text/csv', contentLength: bytes.length },
  );
  expect(announced.status).toBe(201);
  const put = await fetch(`${stack.url}${announced.body.upload.url}`, {
    method: 'PUT',
    headers: announced.body.upload.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
  const made = await call<{ listId: string }>('POST', '/campaign-lists', {
    uploadId: announced.body.uploadId,
    name: 'Hoş geldin',
    columns: { phone: 'Telefon', name: 'Ad Soyad', consent: 'İzin' },
    consentWording: 'Kampanyalardan WhatsApp ile haberdar olmak istiyorum.',
  });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  await eventually(async () => {
    const { body } = await call<{ state: string }>('GET', `/campaign-lists/${made.body.listId}`);
    return body.state === 'ready' ? true : undefined;
  }, 30_000);
  return made.body.listId;
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Kampanya');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  other = await newOwner(api, 'Diger');
  ({ phoneNumberId: channelId } = await connectWhatsApp(api, owner));
  expect((await call('POST', '/templates/sync')).status).toBeLessThan(300);
  // The consents come from the file; none is registered in İYS, which this business does not attest.
  const settings = await call('PUT', '/campaign-settings', {
    frequencyCap: { max: 5, days: 7 },
    marketingPrice: null,
    iys: { mode: 'off', brandCode: null },
  });
  expect(settings.status).toBe(200);
  listId = await importList();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('composing', () => {
  it("lists the number's approved MARKETING templates only, with body and variable count", async () => {
    const { status, body } = await call<{ templates: Template[] }>('GET', `/campaign-templates?channelId=${channelId}`);
    expect(status).toBe(200);
    expect(body.templates.length).toBeGreaterThan(0);
    for (const template of body.templates) expect(template.category).toBe('MARKETING');
    expect(body.templates).toContainEqual({
      name: 'welcome_offer',
      language: 'tr',
      category: 'MARKETING',
      body: 'Hoş geldiniz {{1}}! İlk siparişinize %10 indirim.',
      variables: 1,
    });
    const names = body.templates.map((template) => template.name);
    // A UTILITY template and a PAUSED marketing one are the account's, yet no campaign's.
    expect(names).not.toContain('order_update');
    expect(names).not.toContain('winback_offer');
    expect((await call('GET', `/campaign-templates?channelId=999`)).status).toBe(404);
    expect((await call('GET', '/campaign-templates')).status).toBe(400);
  });

  it('refuses a mapping that does not fit the template, a UTILITY template, another list: 400, nothing stored', async () => {
    const before = (await call<{ campaigns: Campaign[] }>('GET', '/campaigns')).body.campaigns.length;
    const twoForOne = { ...welcome(), variables: [...welcome().variables, { source: 'fixed', text: 'fazla' }] };
    const bad = [
      draft({ template: twoForOne }),
      draft({ template: { name: 'order_update', language: 'tr', variables: [] } }),
      draft({ template: { ...welcome(), variables: [{ source: 'contact', field: 'phone', fallback: '' }] } }),
      draft({ audience: { kind: 'lists', listIds: ['l_notours'] } }),
      draft({ holdoutPercent: 80 }),
      draft({ name: '' }),
    ];
    for (const body of bad) {
      const answer = await call<{ error: string; message: string }>('POST', '/campaigns', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
    const mismatch = await call<{ message: string }>('POST', '/campaigns', bad[0]);
    expect(mismatch.body.message).toMatch(/has 1 variable; the mapping fills 2/);
    const after = (await call<{ campaigns: Campaign[] }>('GET', '/campaigns')).body.campaigns.length;
    expect(after).toBe(before);
  });

  it('keeps a draft, changes it, and previews each recipient with names, columns and fallbacks', async () => {
    const campaign = await create();
    expect(campaign).toMatchObject({ state: 'draft', templateName: 'welcome_offer', startedAt: null });
    const preview = await call<Preview>('POST', `/campaigns/${campaign.campaignId}/preview`, { count: 10 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const texts = Object.fromEntries(preview.body.recipients.map((r) => [r.phone, r.text]));
    expect(texts).toEqual({
      '+90 532 *** ** 01': 'Hoş geldiniz Ayşe! İlk siparişinize %10 indirim.',
      '+90 532 *** ** 02': 'Hoş geldiniz değerli müşterimiz! İlk siparişinize %10 indirim.',
      '+90 532 *** ** 03': 'Hoş geldiniz Can! İlk siparişinize %10 indirim.',
    });
    expect(JSON.stringify(preview.body)).not.toMatch(/5321112201/);

    // The city column of the file, with no fallback: the customer without one is named, nothing sent to them blank.
    const byCity = await call<Campaign>('PATCH', `/campaigns/${campaign.campaignId}`, {
      template: { ...welcome(), variables: [{ source: 'column', column: 'Şehir', fallback: '' }] },
    });
    expect(byCity.status, JSON.stringify(byCity.body)).toBe(200);
    const cities = await call<Preview>('POST', `/campaigns/${campaign.campaignId}/preview`, {});
    const byPhone = Object.fromEntries(cities.body.recipients.map((r) => [r.phone, r]));
    expect(byPhone['+90 532 *** ** 01']?.text).toBe('Hoş geldiniz İzmir! İlk siparişinize %10 indirim.');
    expect(byPhone['+90 532 *** ** 02']).toMatchObject({ text: null, emptyVariable: 1 });
    expect((await call('POST', `/campaigns/${campaign.campaignId}/preview`, { count: 11 })).status).toBe(400);

    expect((await call('DELETE', `/campaigns/${campaign.campaignId}`)).status).toBe(204);
    expect((await call('GET', `/campaigns/${campaign.campaignId}`)).status).toBe(404);
  });
});

describe('sending and steering', () => {
  it('sends now: the campaign is sending and the fan-out is queued', async () => {
    const campaign = await create({ name: 'Şimdi gönder' });
    const sent = await call<Campaign>('POST', `/campaigns/${campaign.campaignId}/send`, { at: null });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.state).toBe('sending');
    expect(sent.body.startedAt).not.toBeNull();
    // The fan-out took the message: recipients appear for the three customers.
    await eventually(async () => {
      const { body } = await call<{ counts: { audience: number } }>('GET', `/campaigns/${campaign.campaignId}`);
      return body.counts.audience >= 3 ? true : undefined;
    }, 30_000);
    expect((await call('PATCH', `/campaigns/${campaign.campaignId}`, { name: 'x' })).status).toBe(409);
    expect((await call('DELETE', `/campaigns/${campaign.campaignId}`)).status).toBe(409);
    expect((await call('POST', `/campaigns/${campaign.campaignId}/send`, { at: null })).status).toBe(409);
    const listed = await call<{ campaigns: Campaign[] }>('GET', '/campaigns');
    expect(listed.body.campaigns[0]).toMatchObject({ campaignId: campaign.campaignId, name: 'Şimdi gönder' });
  });

  it('schedules within 30 days only, unschedules, and audits each change', async () => {
    const campaign = await create({ name: 'Zamanlı' });
    const id = campaign.campaignId;
    const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    expect((await call('POST', `/campaigns/${id}/send`, { at: inHours(-1) })).status).toBe(400);
    expect((await call('POST', `/campaigns/${id}/send`, { at: inHours(31 * 24) })).status).toBe(400);
    expect((await call('POST', `/campaigns/${id}/send`, { at: 'yarın' })).status).toBe(400);
    const at = inHours(2);
    const scheduled = await call<Campaign>('POST', `/campaigns/${id}/send`, { at });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ state: 'scheduled', scheduledAt: at, startedAt: null });
    expect((await call('PATCH', `/campaigns/${id}`, { name: 'Değişti' })).status).toBe(409);
    expect((await call('POST', `/campaigns/${id}/pause`)).status).toBe(409);
    const back = await call<Campaign>('POST', `/campaigns/${id}/unschedule`);
    expect(back.body).toMatchObject({ state: 'draft', scheduledAt: null });
    const audit = await call<{ entries: { action: string; target: string | null }[] }>(
      'GET',
      '/audit?action=campaign.scheduled',
    );
    expect(audit.body.entries.some((event) => event.target === `campaign:${id}`)).toBe(true);
  });

  it('pauses, resumes and cancels by the rules', async () => {
    const campaign = await create({ name: 'Duraklat' });
    const id = campaign.campaignId;
    expect((await call('POST', `/campaigns/${id}/pause`)).status).toBe(409);
    expect((await call('POST', `/campaigns/${id}/resume`)).status).toBe(409);
    expect((await call<Campaign>('POST', `/campaigns/${id}/send`, { at: null })).body.state).toBe('sending');
    const paused = await call<Campaign>('POST', `/campaigns/${id}/pause`);
    expect(paused.body).toMatchObject({ state: 'paused', pauseReason: 'merchant' });
    expect((await call('POST', `/campaigns/${id}/pause`)).status).toBe(409);
    const resumed = await call<Campaign>('POST', `/campaigns/${id}/resume`);
    expect(resumed.body).toMatchObject({ state: 'sending', pauseReason: null });
    expect((await call<Campaign>('POST', `/campaigns/${id}/cancel`)).body.state).toBe('cancelled');
    for (const action of ['pause', 'resume', 'cancel', 'unschedule']) {
      const answer = await call<{ error: string }>('POST', `/campaigns/${id}/${action}`);
      expect(answer.status, action).toBe(409);
      expect(answer.body.error).toBe('conflict');
    }
    const audit = await call<{ entries: { action: string; target: string | null }[] }>('GET', '/audit');
    const mine = audit.body.entries.filter((event) => event.target === `campaign:${id}`).map((event) => event.action);
    expect(mine).toEqual(
      expect.arrayContaining([
        'campaign.created',
        'campaign.started',
        'campaign.paused',
        'campaign.resumed',
        'campaign.cancelled',
      ]),
    );
  });
});

describe('who may', () => {
  it("reads another business's campaign as absent", async () => {
    const campaign = await create({ name: 'Bizim' });
    const elsewhere = (rest: string) => path(`/campaigns/${campaign.campaignId}${rest}`, other.tenantId);
    expect((await api.call('GET', elsewhere(''), as(other))).status).toBe(404);
    expect((await api.call('PATCH', elsewhere(''), { ...as(other), body: { name: 'x' } })).status).toBe(404);
    expect((await api.call('POST', elsewhere('/send'), { ...as(other), body: { at: null } })).status).toBe(404);
    expect((await api.call('DELETE', elsewhere(''), as(other))).status).toBe(404);
    expect((await call<Campaign>('GET', `/campaigns/${campaign.campaignId}`)).body.state).toBe('draft');
  });

  it('refuses an analyst (403), and ids that are not ours (4xx), changing nothing', async () => {
    const campaign = await create({ name: 'Yetki' });
    const id = campaign.campaignId;
    expect((await call('POST', '/campaigns', draft(), analyst)).status).toBe(403);
    expect((await call('PATCH', `/campaigns/${id}`, { name: 'x' }, analyst)).status).toBe(403);
    expect((await call('POST', `/campaigns/${id}/send`, { at: null }, analyst)).status).toBe(403);
    expect((await call('POST', `/campaigns/${id}/cancel`, undefined, analyst)).status).toBe(403);
    expect((await call('DELETE', `/campaigns/${id}`, undefined, analyst)).status).toBe(403);
    for (const bad of [`cmp_${'A'.repeat(600)}`, 'cmp_%00%01abcdefghijklmnop', '..%2F..%2Faudit', 'l_notacampaign']) {
      const read = await call('GET', `/campaigns/${bad}`);
      expect(read.status, bad).toBeGreaterThanOrEqual(400);
      expect(read.status, bad).toBeLessThan(500);
      const sent = await call('POST', `/campaigns/${bad}/send`, { at: null });
      expect(sent.status, bad).toBeGreaterThanOrEqual(400);
      expect(sent.status, bad).toBeLessThan(500);
    }
    expect((await call<Campaign>('GET', `/campaigns/${id}`)).body).toMatchObject({ state: 'draft', name: 'Yetki' });
  });
});
