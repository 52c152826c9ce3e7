import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, effectiveRole, roleIn } from '../src/accounts/businesses.js';
import { createAccount } from '../src/accounts/people.js';
import { changeRole, listMembers, removeMember, transferOwnership } from '../src/accounts/team.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import { ConflictError, ForbiddenError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
const tenantId = 'b_team';
beforeAll(async () => {
  test = await startTestPlatform();
  const deps = test.platform;
  for (const [userId, name] of [
    ['u_owner', 'Ayşe'],
    ['u_admin', 'Mehmet'],
    ['u_agent', 'Zeynep'],
  ] as const) {
    await createAccount(deps, { userId, name, email: `${name.toLowerCase()}@example.com`, passwordHash: 'unused' });
  }
  await createBusiness(deps, { tenantId, name: 'Kahve Dükkanı', ownerId: 'u_owner' });
  await deps.store.entities.membership.create({ tenantId, userId: 'u_admin', role: 'admin' }).go();
  await deps.store.entities.membership.create({ tenantId, userId: 'u_agent', role: 'agent' }).go();
});
afterAll(() => test.stop());

const actor = (userId: string) => ({ userId, sourceAddress: '85.105.1.2' });

describe('team', () => {
  it('lists members with their names and roles', async () => {
    const members = await listMembers(test.platform, tenantId);
    expect(members.map(({ name, role }) => [name, role]).sort()).toEqual([
      ['Ayşe', 'owner'],
      ['Mehmet', 'admin'],
      ['Zeynep', 'agent'],
    ]);
  });

  it('never demotes or removes the owner', async () => {
    await expect(changeRole(test.platform, actor('u_admin'), tenantId, 'u_owner', 'agent')).rejects.toThrow(
      ConflictError,
    );
    await expect(removeMember(test.platform, actor('u_admin'), tenantId, 'u_owner')).rejects.toThrow(ConflictError);
    expect(await roleIn(test.platform, tenantId, 'u_owner')).toBe('owner');
  });

  it('changes a role and records who did it', async () => {
    await changeRole(test.platform, actor('u_admin'), tenantId, 'u_agent', 'analyst');
    expect(await roleIn(test.platform, tenantId, 'u_agent')).toBe('analyst');
    const log = await readAuditLog(test.platform.store, tenantId, { action: 'team.role_changed' });
    expect(log.events[0]).toMatchObject({
      actorId: 'u_admin',
      target: { type: 'user', id: 'u_agent' },
      detail: { from: 'agent', to: 'analyst' },
      sourceAddress: '85.105.x.x',
    });
  });

  it('transfers ownership to one member at a time; only the owner can', async () => {
    await expect(transferOwnership(test.platform, actor('u_admin'), tenantId, 'u_admin')).rejects.toThrow(
      ForbiddenError,
    );
    await transferOwnership(test.platform, actor('u_owner'), tenantId, 'u_admin');
    expect(await roleIn(test.platform, tenantId, 'u_admin')).toBe('owner');
    expect(await roleIn(test.platform, tenantId, 'u_owner')).toBe('admin');
    const owners = (await listMembers(test.platform, tenantId)).filter((member) => member.role === 'owner');
    expect(owners.map((owner) => owner.userId)).toEqual(['u_admin']);
  });

  it('keeps one owner when a transfer stopped before tidying the shown roles', async () => {
    const { store } = test.platform;
    // The ownership record moved back to u_owner, but both memberships still say otherwise.
    await store.entities.ownership.patch({ tenantId }).set({ ownerId: 'u_owner' }).go();
    await store.entities.membership.patch({ tenantId, userId: 'u_owner' }).set({ role: 'admin' }).go();
    expect(await roleIn(test.platform, tenantId, 'u_owner')).toBe('owner');
    expect(await roleIn(test.platform, tenantId, 'u_admin')).toBe('admin');
    expect(effectiveRole('owner', 'someone-else', 'u_x')).toBe('admin');
  });
});
