import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addKnowledgeEntry,
  deleteKnowledgeEntry,
  knowledgeEntries,
  updateKnowledgeEntry,
} from '../src/ai/knowledge.js';
import {
  type AgentSettings,
  agentVersion,
  agentVersions,
  currentAgent,
  DEFAULT_AGENT_SETTINGS,
  restoreAgent,
  saveAgent,
} from '../src/ai/settings.js';
import { AI_SETTINGS_RECORDS } from '../src/ai/settings-records.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { NotFoundError, ValidationError } from '../src/platform/errors.js';
import type { Store } from '../src/platform/store/service.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The AI agent's versioned settings and knowledge base against the local DynamoDB emulator and
 * the real keyring: versions, rollbacks, the audit trail, validation, and sealing at rest.
 */
let test: TestPlatform;
const records = { ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS, ...TENANCY_RECORDS };
let store: Store<typeof records>;
let deps: { store: typeof store; keyring: TestPlatform['platform']['keyring'] };

const OWNER = { userId: 'u_owner', sourceAddress: '203.0.113.7' };
const ADMIN = { userId: 'u_admin' };

const ON: AgentSettings = {
  ...DEFAULT_AGENT_SETTINGS,
  enabled: true,
  channels: ['whatsapp', 'sandbox'],
  prompt: 'Sen Çiçekçi Ayşe’nin asistanısın. Kısa ve nazik yanıt ver.',
};

let tenants = 0;
async function newBusiness(): Promise<string> {
  const tenantId = `t_ai_settings_${++tenants}`;
  await createTenant({ store, keyring: deps.keyring }, tenantId, 'Çiçekçi Ayşe');
  return tenantId;
}

async function auditOf(tenantId: string) {
  const { events } = await readAuditLog(store, tenantId, {});
  return events.filter((event) => event.target?.type.startsWith('ai-'));
}

beforeAll(async () => {
  test = await startTestPlatform();
  store = test.platform.storeOf(records);
  deps = { store, keyring: test.platform.keyring };
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe('AI agent settings', () => {
  it('is off until configured: no version at all', async () => {
    const tenantId = await newBusiness();
    expect(await currentAgent(store, tenantId)).toBeUndefined();
    expect(DEFAULT_AGENT_SETTINGS.enabled).toBe(false);
    expect(DEFAULT_AGENT_SETTINGS.channels).toEqual([]);
  });

  it('numbers versions without gaps, even when two saves race', async () => {
    const tenantId = await newBusiness();
    await saveAgent(deps, OWNER, tenantId, ON, 'first');
    const racing = await Promise.all([
      saveAgent(deps, OWNER, tenantId, { ...ON, prompt: 'owner' }),
      saveAgent(deps, ADMIN, tenantId, { ...ON, prompt: 'admin' }),
      saveAgent(deps, ADMIN, tenantId, { ...ON, prompt: 'admin again' }),
    ]);
    expect(racing.map((v) => v.version).sort()).toEqual([2, 3, 4]);
    const history = await agentVersions(store, tenantId);
    expect(history.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    // Each stored version is exactly what its save answered: no save overwrote another's.
    for (const saved of racing) {
      expect((await agentVersion(store, tenantId, saved.version))?.prompt).toBe(saved.prompt);
    }
    expect((await currentAgent(store, tenantId))?.version).toBe(4);
  });

  it('keeps who and when on each version, and audits every change (on, change, off)', async () => {
    const tenantId = await newBusiness();
    const before = Date.now();
    const first = await saveAgent(deps, OWNER, tenantId, ON);
    await saveAgent(deps, ADMIN, tenantId, { ...ON, model: 'gpt-4.1' });
    await saveAgent(deps, OWNER, tenantId, { ...ON, enabled: false });
    expect(first.createdBy).toBe('u_owner');
    expect(first.createdAt).toBeGreaterThanOrEqual(before);
    const stored = await agentVersion(store, tenantId, 2);
    expect(stored).toMatchObject({ version: 2, createdBy: 'u_admin', model: 'gpt-4.1' });

    const events = await auditOf(tenantId);
    expect(events.map((e) => [e.action, e.actorId, e.target?.id]).reverse()).toEqual([
      ['ai.enabled', 'u_owner', '1'],
      ['settings.changed', 'u_admin', '2'],
      ['ai.disabled', 'u_owner', '3'],
    ]);
    expect(events.every((e) => Date.parse(e.at) >= before - 1)).toBe(true);
    // Only the network part of the address is kept.
    expect(events.at(-1)?.sourceAddress).not.toBe('203.0.113.7');
  });

  it('restores by writing a new version that copies the old one', async () => {
    const tenantId = await newBusiness();
    await saveAgent(deps, OWNER, tenantId, {
      ...ON,
      prompt: 'eski metin',
      guardrails: { ...ON.guardrails, maxReplyChars: 300 },
    });
    await saveAgent(deps, OWNER, tenantId, { ...ON, enabled: false, prompt: 'yeni metin' });
    const restored = await restoreAgent(deps, ADMIN, tenantId, 1);
    expect(restored).toMatchObject({
      version: 3,
      restoredFrom: 1,
      createdBy: 'u_admin',
      enabled: true,
      prompt: 'eski metin',
    });
    expect(restored.guardrails.maxReplyChars).toBe(300);
    const current = await currentAgent(store, tenantId);
    expect(current).toMatchObject({ version: 3, prompt: 'eski metin', enabled: true });
    // The history still has both originals untouched.
    expect((await agentVersion(store, tenantId, 2))?.prompt).toBe('yeni metin');
    expect((await agentVersion(store, tenantId, 1))?.prompt).toBe('eski metin');
    const events = await auditOf(tenantId);
    expect(events[0]).toMatchObject({ action: 'ai.enabled', actorId: 'u_admin', detail: { restoredFrom: '1' } });

    await expect(restoreAgent(deps, ADMIN, tenantId, 99)).rejects.toBeInstanceOf(NotFoundError);
    expect((await agentVersions(store, tenantId)).length).toBe(3);
  });

  it('refuses invalid settings and saves nothing', async () => {
    const tenantId = await newBusiness();
    const invalid: unknown[] = [
      { ...ON, prompt: 'x'.repeat(4001) },
      { ...ON, guardrails: { ...ON.guardrails, maxReplyChars: 49 } },
      { ...ON, guardrails: { ...ON.guardrails, maxReplyChars: 1001 } },
      { ...ON, channels: ['whatsapp', 'telegram'] },
      { ...ON, guardrails: { ...ON.guardrails, languages: [] } },
      { ...ON, guardrails: { ...ON.guardrails, handoff: { ...ON.guardrails.handoff, minConfidence: 1.5 } } },
      {
        ...ON,
        guardrails: { ...ON.guardrails, businessHours: { timezone: 'Mars/Olympus', days: [] } },
      },
      {
        ...ON,
        guardrails: {
          ...ON.guardrails,
          businessHours: { timezone: 'Europe/Istanbul', days: [{ day: 1, from: '18:00', to: '09:00' }] },
        },
      },
      {
        ...ON,
        guardrails: { ...ON.guardrails, businessHours: { timezone: 'Europe/Istanbul', answer: 'never', days: [] } },
      },
    ];
    for (const settings of invalid) {
      await expect(saveAgent(deps, OWNER, tenantId, settings as AgentSettings)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await currentAgent(store, tenantId)).toBeUndefined();
    expect(await auditOf(tenantId)).toEqual([]);

    // The bounds themselves are allowed.
    await saveAgent(deps, OWNER, tenantId, {
      ...ON,
      prompt: 'x'.repeat(4000),
      guardrails: {
        ...ON.guardrails,
        maxReplyChars: 50,
        businessHours: {
          timezone: 'Europe/Istanbul',
          answer: 'within',
          days: [{ day: 1, from: '09:00', to: '18:00' }],
        },
      },
    });
    expect((await currentAgent(store, tenantId))?.guardrails.maxReplyChars).toBe(50);
  });
});

describe('AI knowledge base', () => {
  it('seals title and body at rest, and reads them back opened', async () => {
    const tenantId = await newBusiness();
    const entry = await addKnowledgeEntry(deps, OWNER, tenantId, {
      title: 'İade koşulları',
      body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz. İletişim: 0532 111 22 33',
    });
    const items = (await test.dumpTable()).filter(
      (item) => item.pk === `t#${tenantId}` && String(item.sk).startsWith('aiknowledge#'),
    );
    expect(items).toHaveLength(1);
    const raw = JSON.stringify(items[0]);
    expect(raw).not.toContain('İade');
    expect(raw).not.toContain('14 gün');
    expect(raw).not.toContain('0532');
    expect(await knowledgeEntries(store, deps.keyring, tenantId)).toEqual([entry]);
    // Another business's keys cannot open it: the seal is bound to the tenant.
    expect(await knowledgeEntries(store, deps.keyring, await newBusiness())).toEqual([]);
  });

  it('creates, updates and deletes entries, each change audited', async () => {
    const tenantId = await newBusiness();
    const returns = await addKnowledgeEntry(deps, OWNER, tenantId, { title: 'İade', body: '14 gün' });
    const shipping = await addKnowledgeEntry(deps, ADMIN, tenantId, { title: 'Kargo', body: '2 iş günü' });
    await updateKnowledgeEntry(deps, ADMIN, tenantId, returns.entryId, { title: 'İade', body: '30 gün' });
    await deleteKnowledgeEntry(deps, OWNER, tenantId, shipping.entryId);
    const entries = await knowledgeEntries(store, deps.keyring, tenantId);
    expect(entries.map((e) => [e.title, e.body, e.updatedBy])).toEqual([['İade', '30 gün', 'u_admin']]);

    const events = await auditOf(tenantId);
    expect(events.map((e) => [e.detail?.change, e.actorId, e.target?.id]).reverse()).toEqual([
      ['created', 'u_owner', returns.entryId],
      ['created', 'u_admin', shipping.entryId],
      ['updated', 'u_admin', returns.entryId],
      ['deleted', 'u_owner', shipping.entryId],
    ]);
  });

  it('refuses bad entries and unknown ids without changing anything', async () => {
    const tenantId = await newBusiness();
    const entry = await addKnowledgeEntry(deps, OWNER, tenantId, { title: 'Saatler', body: '09:00-18:00' });
    await expect(
      addKnowledgeEntry(deps, OWNER, tenantId, { title: 'Uzun', body: 'x'.repeat(4001) }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(addKnowledgeEntry(deps, OWNER, tenantId, { title: ' ', body: 'metin' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      updateKnowledgeEntry(deps, OWNER, tenantId, 'kb_missing', { title: 'Yeni', body: 'yeni' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteKnowledgeEntry(deps, OWNER, tenantId, 'kb_missing')).rejects.toBeInstanceOf(NotFoundError);
    expect(await knowledgeEntries(store, deps.keyring, tenantId)).toEqual([entry]);
    expect((await auditOf(tenantId)).length).toBe(1);
  });
});
