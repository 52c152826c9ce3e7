import type { Permission, Role } from '@asistone/contract/roles';
import type { AccessClaims } from '@asistone/core/accounts/access-tokens';
import type { RequestOrigin } from '@asistone/core/accounts/deps';
import type { Context } from 'hono';
import type { z } from 'zod';

/**
 * One API route, declared with everything the router, the authorization test and the OpenAPI
 * document need: who may call it, what it reads, what it answers.
 */

/** `public`: anyone; `authenticated`: any signed-in person; a permission: a business route. */
export type Access = 'public' | 'authenticated' | Permission;

export interface BusinessScope {
  tenantId: string;
  role: Role;
}

export interface RouteInput<A extends Access, B, Q> {
  c: Context;
  body: B;
  query: Q;
  params: Record<string, string>;
  origin: RequestOrigin;
  caller: A extends 'public' ? undefined : AccessClaims;
  business: A extends 'public' | 'authenticated' ? undefined : BusinessScope;
}

export interface Answer {
  description: string;
  schema?: z.ZodType;
}

export interface Route<A extends Access = Access, B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Below `/api`, Hono syntax; business routes start with `/businesses/:tenantId/`. */
  path: string;
  access: A;
  summary: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Success answers by status; error answers follow from `access`, `body` and `query`. */
  answers: Record<number, Answer>;
  handle(input: RouteInput<A, B, Q>): Response | Promise<Response>;
}

/**
 * Declares a route; the types of `body`, `query`, `caller` and `business` follow from it.
 *
 * @example
 * defineRoute({ method: 'get', path: '/businesses/:tenantId/members', access: 'team.read', ... })
 */
export function defineRoute<A extends Access, B = undefined, Q = undefined>(route: Route<A, B, Q>): Route<A, B, Q> {
  return route;
}

export const BUSINESS_PREFIX = '/businesses/:tenantId/';

export function isBusinessRoute(route: Pick<Route, 'path'>): boolean {
  return route.path.startsWith(BUSINESS_PREFIX);
}
