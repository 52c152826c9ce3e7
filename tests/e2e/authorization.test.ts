import { can, isPermission, type Permission, ROLES, type Role } from '@asistone/contract/roles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NOT_FOUND } from '../../functions/api/lib/mount.js';
import { isBusinessRoute, type Route } from '../../functions/api/lib/route.js';
import { routes } from '../../functions/api/registry.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type Answer, type ApiClient, apiClient, newMember, newOwner } from './accounts-client.js';

/**
 * Walks every route of the registry against a real `npm start` and proves the contract's
 * authorization promises for each: no token → 401, another business → 404, a role without
 * the permission → 403, a role with it → through. Routes added later are walked too.
 */
const businessRoutes = routes.filter(isBusinessRoute);
const signedInRoutes = routes.filter((route) => route.access === 'authenticated');

let stack: RunningStack;
let api: ApiClient;
const tokens = {} as Record<Role, string>;
let tenantId: string;
let outsider: { accessToken: string; tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  const owner = await newOwner(api, 'Owner');
  tenantId = owner.tenantId;
  tokens.owner = owner.accessToken;
  for (const role of ['admin', 'agent', 'analyst'] as const) {
    tokens[role] = (await newMember(api, owner, role, `${role}-member`)).accessToken;
  }
  outsider = await newOwner(api, 'Outsider');
});
afterAll(async () => {
  await stack?.stop();
});

/** The route's path for a business, every other parameter filled with an id that does not exist. */
function pathOf(route: Route, business: string): string {
  return route.path.replace(':tenantId', business).replace(/:\w+/g, 'does-not-exist');
}

/** Writes get an empty body: a granted call then stops at validation, before changing anything. */
function callRoute(route: Route, business: string, token?: string): Promise<Answer> {
  const body = route.method === 'get' ? undefined : {};
  return api.call(route.method.toUpperCase(), pathOf(route, business), { token, body });
}

const label = (route: Route) => `${route.method.toUpperCase()} ${route.path} (${route.access})`;

describe('the route registry', () => {
  it('has business routes, each declaring a permission', () => {
    expect(businessRoutes.length).toBeGreaterThanOrEqual(9);
    for (const route of businessRoutes) expect(isPermission(route.access), label(route)).toBe(true);
  });
});

describe.each(businessRoutes.map((route) => [label(route), route] as const))('%s', (_, route) => {
  const permission = route.access as Permission;

  it('answers 401 without a token or with a forged one', async () => {
    expect((await callRoute(route, tenantId)).status).toBe(401);
    const forged = await callRoute(route, tenantId, `${tokens.owner.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('unauthenticated');
  });

  it("answers 404 for a business the caller is not a member of, whatever the caller's role there", async () => {
    const intruder = await callRoute(route, tenantId, outsider.accessToken);
    expect(intruder.status).toBe(404);
    expect(intruder.body).toEqual({ error: 'not_found', message: BUSINESS_NOT_FOUND });
    const outward = await callRoute(route, outsider.tenantId, tokens.owner);
    expect(outward.status).toBe(404);
  });

  it.each(ROLES.map((role) => [role, can(role, permission)] as const))(
    '%s: permitted = %s',
    async (role, permitted) => {
      const answer = await callRoute(route, tenantId, tokens[role]);
      if (permitted) {
        expect([401, 403], JSON.stringify(answer.body)).not.toContain(answer.status);
        expect(answer.body.message).not.toBe(BUSINESS_NOT_FOUND);
      } else {
        expect(answer.status).toBe(403);
        expect(answer.body.error).toBe('forbidden');
      }
    },
  );
});

describe.each(signedInRoutes.map((route) => [label(route), route] as const))('%s', (_, route) => {
  it('answers 401 without a token', async () => {
    const answer = await api.call(route.method.toUpperCase(), route.path.replace(/:\w+/g, 'does-not-exist'));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('unauthenticated');
  });
});
