import { describe, expect, it } from 'vitest';
import { assertWellDeclared } from './lib/mount.js';
import { openApiDocument } from './lib/openapi.js';
import { type Access, defineRoute } from './lib/route.js';
import { routes } from './registry.js';

/** A route that answers nothing: only its declaration matters here. */
function declared(path: string, access: Access) {
  return defineRoute({ method: 'get', path, access, summary: 'test', answers: {}, handle: ({ c }) => c.body(null) });
}

describe('route registry', () => {
  it('is well declared: business routes and only they carry a permission', () => {
    expect(() => assertWellDeclared(routes)).not.toThrow();
  });

  it('refuses a business route without a permission, and a permission outside a business', () => {
    const open = declared('/businesses/:tenantId/secrets', 'authenticated');
    const stray = declared('/stray', 'team.read');
    expect(() => assertWellDeclared([open])).toThrow(/need a permission/);
    expect(() => assertWellDeclared([stray])).toThrow(/need a permission/);
  });

  it('documents every route, its body schema and the errors its access implies', () => {
    const document = openApiDocument(routes);
    const members = document.paths['/api/businesses/{tenantId}/members/{userId}']?.patch as Record<string, unknown>;
    expect(members['x-access']).toBe('team.manage');
    // A write of a business route: also 402 while the business is read-only.
    expect(Object.keys(members.responses as object).sort()).toEqual(['200', '400', '401', '402', '403', '404']);
    const readMembers = document.paths['/api/businesses/{tenantId}/members']?.get as Record<string, unknown>;
    expect(Object.keys(readMembers.responses as object)).not.toContain('402');
    const accountExport = document.paths['/api/businesses/{tenantId}/privacy/account-export']?.post as Record<
      string,
      unknown
    >;
    expect(Object.keys(accountExport.responses as object)).not.toContain('402');
    const signup = document.paths['/api/auth/signup']?.post as { requestBody: { required: boolean; content: object } };
    expect(signup.requestBody.required).toBe(true);
    expect(JSON.stringify(signup.requestBody.content)).toContain('termsVersion');
    const operations = Object.values(document.paths).flatMap((path) => Object.keys(path));
    expect(operations).toHaveLength(routes.length);
  });
});
