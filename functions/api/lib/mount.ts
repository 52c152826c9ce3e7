import { can, isPermission } from '@asistone/contract/roles';
import { roleIn } from '@asistone/core/accounts/businesses';
import { ForbiddenError, NotFoundError } from '@asistone/core/platform/errors';
import type { Context, Hono } from 'hono';
import { accounts } from './deps.js';
import { BUSINESS_NOT_FOUND, checkParameter, PATH_PARAMETERS, parameterNames } from './params.js';
import { invalidRequest, zodIssues } from './problems.js';
import { assertWritable, refusedWhileReadOnly } from './read-only.js';
import { authenticate, originOf } from './request.js';
import { type Access, type BusinessScope, isBusinessRoute, type Route } from './route.js';

/** The message of the 404 for a business the caller does not belong to (or that does not exist). */
export { BUSINESS_NOT_FOUND };

/**
 * Refuses a registry that could leak: a business path without a permission, a permission on a
 * path that names no business to check it in, or a path parameter of no declared shape.
 */
export function assertWellDeclared(routes: readonly Route[]): void {
  for (const route of routes) {
    const business = isBusinessRoute(route);
    const permission = isPermission(route.access);
    const label = `${route.method.toUpperCase()} ${route.path}`;
    if (business !== permission) {
      throw new Error(`${label}: business routes, and only they, need a permission`);
    }
    for (const name of parameterNames(route.path)) {
      if (!Object.hasOwn(PATH_PARAMETERS, name)) {
        throw new Error(`${label}: declare the shape of :${name} in functions/api/lib/params.ts`);
      }
    }
  }
}

/**
 * Who is calling and in which business, checked in the order the contract promises: no valid
 * token → 401, not a member → 404, role without the permission → 403. Nothing of the request
 * is read before that, except the business id's shape: one that cannot exist is not looked up.
 */
async function authorize(c: Context, access: Access) {
  if (access === 'public') return { caller: undefined, business: undefined };
  const caller = await authenticate(c);
  if (!isPermission(access)) return { caller, business: undefined };
  const tenantId = c.req.param('tenantId') ?? '';
  checkParameter('tenantId', tenantId);
  const role = await roleIn(await accounts(), tenantId, caller.userId);
  if (!role) throw new NotFoundError(BUSINESS_NOT_FOUND);
  if (!can(role, access)) throw new ForbiddenError();
  return { caller, business: { tenantId, role } satisfies BusinessScope };
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Adds every route to the app behind its authorization, then validates query and body with zod. */
export function mountRoutes(app: Hono, routes: readonly Route[]): void {
  assertWellDeclared(routes);
  for (const route of routes) {
    const parameters = parameterNames(route.path);
    const writes = refusedWhileReadOnly(route);
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const { caller, business } = await authorize(c, route.access);
      // After authorization, so a caller without the right still gets 401 or 403 whatever the
      // id; before the route, so no id that cannot exist reaches storage.
      for (const name of parameters) checkParameter(name, c.req.param(name));
      // A read-only business changes nothing (read-only.ts), whatever the body says.
      if (writes && business) await assertWritable(business.tenantId);
      let query: unknown;
      if (route.query) {
        const parsed = route.query.safeParse(c.req.query());
        if (!parsed.success) return invalidRequest(c, 'The query is not valid', zodIssues(parsed.error));
        query = parsed.data;
      }
      let body: unknown;
      if (route.body) {
        const json = await readJson(c);
        if (!json.ok) return invalidRequest(c, 'The body is not valid JSON', []);
        const parsed = route.body.safeParse(json.value);
        if (!parsed.success) return invalidRequest(c, 'The body is not valid', zodIssues(parsed.error));
        body = parsed.data;
      }
      return route.handle({
        c,
        body,
        query,
        params: c.req.param() as Record<string, string>,
        origin: originOf(c),
        caller,
        business,
      } as Parameters<typeof route.handle>[0]);
    });
  }
}
