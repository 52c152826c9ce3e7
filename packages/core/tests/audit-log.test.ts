import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog, recordAuditEvent } from '../src/audit/audit-log.js';
import { ValidationError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
beforeAll(async () => {
  test = await startTestPlatform();
  const { store } = test.platform;
  const start = Date.UTC(2026, 0, 1);
  // 60 events over an hour in b_audit: sign-ins by u1 and u2, one role change by u1.
  for (let minute = 0; minute < 60; minute++) {
    await recordAuditEvent(
      store,
      'b_audit',
      { action: 'auth.sign_in', actorId: minute % 2 ? 'u1' : 'u2', sourceAddress: '85.105.12.34' },
      start + minute * 60_000,
    );
  }
  await recordAuditEvent(
    store,
    'b_audit',
    { action: 'team.role_changed', actorId: 'u1', target: { type: 'user', id: 'u3' }, detail: { to: 'agent' } },
    start + 30 * 60_000 + 1,
  );
  await recordAuditEvent(store, 'b_other', { action: 'auth.sign_in', actorId: 'u1' }, start);
});
afterAll(() => test.stop());

describe('audit log', () => {
  it('pages newest first with a cursor, stores only the masked address, and never mixes businesses', async () => {
    const { store } = test.platform;
    const first = await readAuditLog(store, 'b_audit', {});
    expect(first.events).toHaveLength(50);
    expect(first.events[0]?.at).toBe('2026-01-01T00:59:00.000Z');
    expect(first.events[0]?.sourceAddress).toBe('85.105.x.x');
    const second = await readAuditLog(store, 'b_audit', { cursor: first.cursor ?? undefined });
    expect(second.events).toHaveLength(11);
    expect(second.cursor).toBeNull();
    expect((await readAuditLog(store, 'b_other', {})).events).toHaveLength(1);
  });

  it('filters by action, by actor, by both, and by time', async () => {
    const { store } = test.platform;
    const changes = await readAuditLog(store, 'b_audit', { action: 'team.role_changed' });
    expect(changes.events).toEqual([
      expect.objectContaining({ actorId: 'u1', target: { type: 'user', id: 'u3' }, detail: { to: 'agent' } }),
    ]);
    const byU2 = await readAuditLog(store, 'b_audit', { actorId: 'u2' });
    expect(byU2.events).toHaveLength(30);
    expect(byU2.events.every((event) => event.actorId === 'u2')).toBe(true);
    const u2Changes = await readAuditLog(store, 'b_audit', { action: 'team.role_changed', actorId: 'u2' });
    expect(u2Changes.events).toHaveLength(0);
    const firstTenMinutes = await readAuditLog(store, 'b_audit', {
      fromMs: Date.UTC(2026, 0, 1),
      toMs: Date.UTC(2026, 0, 1, 0, 9),
    });
    expect(firstTenMinutes.events).toHaveLength(10);
  });

  it('refuses a cursor from another partition', async () => {
    const { store } = test.platform;
    const other = await readAuditLog(store, 'b_audit', { actorId: 'u1' });
    await expect(readAuditLog(store, 'b_other', { cursor: other.cursor ?? 'x' })).rejects.toThrow(ValidationError);
    await expect(readAuditLog(store, 'b_other', { cursor: '%%%' })).rejects.toThrow(ValidationError);
  });
});
