import { randomUUID } from 'node:crypto';
import { AbilityFactory } from '../src/platform/access/ability.factory';
import { ROLES, type Role } from '../src/platform/access/role';
import { routeTable, type RouteInfo } from './support/route-table';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The role × endpoint matrix, generated from the route table (each route's declared access
 * requirement) and the ability factory: nothing here restates who may do what.
 */
describe('role × endpoint matrix', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const users = {} as Record<Role, TestUser>;

  beforeAll(async () => {
    t = await startTestApp();
    routes = routeTable(t.app);
    for (const role of ROLES) users[role] = await t.createUser(role);
  });
  afterAll(() => t.close());

  it('finds the routes, and every route declares its access requirement', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((route) => !route.requirement).map((route) => route.handler)).toEqual([]);
  });

  const call = (route: RouteInfo, token?: string) => {
    const path = route.path.replace(/:[A-Za-z]+/g, () => randomUUID());
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    const req = t.http()[method](path);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return method === 'get' || method === 'delete' ? req : req.send({});
  };

  it('refuses every non-public route without a token (401)', async () => {
    for (const route of routes.filter((r) => r.requirement?.kind !== 'public')) {
      const response = await call(route);
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it.each(ROLES)('%s: each route allowed or 403 exactly as the ability factory says', async (role) => {
    const ability = AbilityFactory.forPrincipal({ id: users[role].id, role });
    for (const route of routes) {
      const requirement = route.requirement;
      if (!requirement || requirement.kind === 'public') continue;
      // sign-out would end nothing (API token) but keep the matrix pure: it is 'authenticated'.
      const allowed = requirement.kind === 'authenticated' || ability.can(requirement.action, requirement.subject);
      const response = await call(route, users[role].token);
      const label = `${role} ${route.method} ${route.path}`;
      if (allowed) {
        expect({ label, status: response.status }).not.toEqual({ label, status: 403 });
        expect({ label, status: response.status }).not.toEqual({ label, status: 401 });
      } else {
        expect({ label, status: response.status, code: (response.body as { error?: { code?: string } }).error?.code }).toEqual({
          label,
          status: 403,
          code: 'ACCESS_DENIED',
        });
      }
    }
  });

  it('the matrix is not trivial: some role is refused somewhere and some allowed', () => {
    let refused = 0;
    let allowed = 0;
    for (const role of ROLES) {
      const ability = AbilityFactory.forPrincipal({ id: users[role].id, role });
      for (const route of routes) {
        if (route.requirement?.kind !== 'ability') continue;
        if (ability.can(route.requirement.action, route.requirement.subject)) allowed++;
        else refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(allowed).toBeGreaterThan(0);
  });
});
