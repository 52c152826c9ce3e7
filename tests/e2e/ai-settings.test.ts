import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * The AI agent's settings and knowledge base over HTTP on a real `npm start`: off by default,
 * every save a new version with who and when, rollback as a new version, bad input a 400 that
 * saves nothing, and an agent (the role) may read what the AI knows but change none of it.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let admin: SignedInPerson;
let agent: SignedInPerson;

const agentPath = () => `/businesses/${owner.tenantId}/ai/agent`;
const knowledgePath = () => `/businesses/${owner.tenantId}/ai/knowledge`;

const settings = {
  enabled: true,
  channels: ['whatsapp', 'sandbox'],
  prompt: 'Lale Çiçekçilik’in asistanısın. Sadece siparişler ve teslimat hakkında yanıt ver.',
  guardrails: {
    allowedTopics: ['sipariş', 'teslimat'],
    forbiddenTopics: ['siyaset'],
    tone: 'friendly',
    languages: ['tr', 'en'],
    maxReplyChars: 400,
    businessHours: { timezone: 'Europe/Istanbul', days: [{ day: 1, from: '09:00', to: '18:00' }] },
    maxDiscountPercent: 0,
    mayPromiseDelivery: false,
    handoff: { onRequestForPerson: true, onAnger: true, onSensitiveTopics: ['iade'], minConfidence: 0.6 },
  },
  model: 'gpt-4.1-mini',
};

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Aiowner');
  admin = await newMember(api, owner, 'admin', 'ai-admin');
  agent = await newMember(api, owner, 'agent', 'ai-agent');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the AI agent settings', () => {
  it('are off by default: no version, defaults off with no channel', async () => {
    const answer = await api.call('GET', agentPath(), { token: owner.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body.current).toBeNull();
    expect(answer.body.defaults).toMatchObject({ enabled: false, channels: [], prompt: '' });
    const versions = await api.call('GET', `${agentPath()}/versions`, { token: owner.accessToken });
    expect(versions.body).toEqual({ versions: [] });
  });

  it('refuse bad input with 400 and save nothing', async () => {
    const bad = [
      { ...settings, channels: ['whatsapp', 'telegram'] },
      { ...settings, prompt: 'x'.repeat(4001) },
      { ...settings, guardrails: { ...settings.guardrails, maxReplyChars: 5000 } },
      { ...settings, surprise: true },
    ];
    for (const body of bad) {
      const answer = await api.call('PUT', agentPath(), { token: owner.accessToken, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
    expect((await api.call('GET', agentPath(), { token: owner.accessToken })).body.current).toBeNull();
  });

  it('save each change as a new version with who and when, audited', async () => {
    const first = await api.call('PUT', agentPath(), {
      token: owner.accessToken,
      body: { ...settings, note: 'ilk sürüm' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ version: 1, createdBy: owner.userId, enabled: true, note: 'ilk sürüm' });

    const second = await api.call('PUT', agentPath(), {
      token: admin.accessToken,
      body: { ...settings, enabled: false, prompt: 'Kısa yanıt ver.' },
    });
    expect(second.body).toMatchObject({ version: 2, createdBy: admin.userId, enabled: false });

    const current = await api.call('GET', agentPath(), { token: owner.accessToken });
    expect(current.body.current).toMatchObject({ version: 2, prompt: 'Kısa yanıt ver.' });
    const versions = await api.call<{ versions: { version: number; createdBy: string; createdAt: string }[] }>(
      'GET',
      `${agentPath()}/versions`,
      { token: owner.accessToken },
    );
    expect(versions.body.versions.map((v) => [v.version, v.createdBy])).toEqual([
      [2, admin.userId],
      [1, owner.userId],
    ]);
    expect(Number.isNaN(Date.parse(versions.body.versions[0]?.createdAt ?? ''))).toBe(false);

    const audit = await api.call<{ entries: { action: string; actorId: string; target: string | null }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit`,
      { token: owner.accessToken },
    );
    const aiEvents = audit.body.entries.filter((e) => e.target?.startsWith('ai-agent'));
    expect(aiEvents.map((e) => [e.action, e.actorId, e.target])).toEqual([
      ['ai.disabled', admin.userId, 'ai-agent:2'],
      ['ai.enabled', owner.userId, 'ai-agent:1'],
    ]);
  });

  it('roll back as a new version copying the old one', async () => {
    const restored = await api.call('POST', `${agentPath()}/versions/1/restore`, { token: owner.accessToken });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, restoredFrom: 1, enabled: true, prompt: settings.prompt });
    expect((await api.call('GET', agentPath(), { token: owner.accessToken })).body.current).toMatchObject({
      version: 3,
      enabled: true,
    });
    const missing = await api.call('POST', `${agentPath()}/versions/42/restore`, { token: owner.accessToken });
    expect(missing.status).toBe(404);
    const malformed = await api.call('POST', `${agentPath()}/versions/abc/restore`, { token: owner.accessToken });
    expect(malformed.status).toBe(404);
    const versions = await api.call<{ versions: unknown[] }>('GET', `${agentPath()}/versions`, {
      token: owner.accessToken,
    });
    expect(versions.body.versions).toHaveLength(3);
  });

  it('may be read by an agent, never changed', async () => {
    const read = await api.call('GET', agentPath(), { token: agent.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.current).toMatchObject({ version: 3 });
    expect((await api.call('GET', `${agentPath()}/versions`, { token: agent.accessToken })).status).toBe(200);
    const save = await api.call('PUT', agentPath(), { token: agent.accessToken, body: settings });
    expect(save.status).toBe(403);
    const restore = await api.call('POST', `${agentPath()}/versions/2/restore`, { token: agent.accessToken });
    expect(restore.status).toBe(403);
    expect((await api.call('GET', agentPath(), { token: owner.accessToken })).body.current).toMatchObject({
      version: 3,
    });
  });
});

describe('the AI knowledge base', () => {
  it('is written by owners and admins, read by agents, changed by nobody else', async () => {
    expect((await api.call('GET', knowledgePath(), { token: owner.accessToken })).body).toEqual({ entries: [] });
    const created = await api.call('POST', knowledgePath(), {
      token: owner.accessToken,
      body: { title: 'İade koşulları', body: 'Ürünleri 14 gün içinde iade edebilirsiniz.' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const entryId = created.body.entryId as string;

    const updated = await api.call('PUT', `${knowledgePath()}/${entryId}`, {
      token: admin.accessToken,
      body: { title: 'İade koşulları', body: 'Ürünleri 30 gün içinde iade edebilirsiniz.' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ entryId, updatedBy: admin.userId });

    const read = await api.call<{ entries: { title: string; body: string }[] }>('GET', knowledgePath(), {
      token: agent.accessToken,
    });
    expect(read.body.entries.map((e) => [e.title, e.body])).toEqual([
      ['İade koşulları', 'Ürünleri 30 gün içinde iade edebilirsiniz.'],
    ]);

    const byAgent = [
      await api.call('POST', knowledgePath(), { token: agent.accessToken, body: { title: 'x', body: 'y' } }),
      await api.call('PUT', `${knowledgePath()}/${entryId}`, {
        token: agent.accessToken,
        body: { title: 'x', body: 'y' },
      }),
      await api.call('DELETE', `${knowledgePath()}/${entryId}`, { token: agent.accessToken }),
    ];
    expect(byAgent.map((a) => a.status)).toEqual([403, 403, 403]);

    const tooLong = await api.call('POST', knowledgePath(), {
      token: owner.accessToken,
      body: { title: 'Uzun', body: 'x'.repeat(4001) },
    });
    expect(tooLong.status).toBe(400);
    const unknown = await api.call('PUT', `${knowledgePath()}/kb_000000000AAAAAAAA`, {
      token: owner.accessToken,
      body: { title: 'x', body: 'y' },
    });
    expect(unknown.status).toBe(404);

    const deleted = await api.call('DELETE', `${knowledgePath()}/${entryId}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    expect((await api.call('GET', knowledgePath(), { token: owner.accessToken })).body).toEqual({ entries: [] });
  });
});
