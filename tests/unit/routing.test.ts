// Routing: which rule governs a request, by API Gateway's precedence.
import { compileRules } from '../../src/rules';
import { governingRoute } from '../../src/rules/routing';

const rules = compileRules({
  routes: [
    { route: 'GET /', allow: [] },
    { route: 'GET /pets/export', allow: [] },
    { route: 'GET /pets/{petId}', allow: [] },
    { route: 'ANY /pets/{petId}', allow: [] },
    { route: 'GET /pets/{petId}/owner', allow: [] },
    { route: 'GET /pets/{proxy+}', allow: [] },
    { route: 'ANY /admin/{proxy+}', allow: [] },
    { route: 'DELETE /admin/{proxy+}', allow: [] },
    { route: 'GET /deep/only/here', allow: [] },
    { route: 'GET /deep/{any}/here', allow: [] },
  ],
});

describe('routing', () => {
  it.each([
    ['GET', '/', 'GET /'],
    ['GET', '/pets/export', 'GET /pets/export'],
    ['GET', '/pets/17', 'GET /pets/{petId}'],
    ['PATCH', '/pets/17', 'ANY /pets/{petId}'],
    ['GET', '/pets/17/owner', 'GET /pets/{petId}/owner'],
    ['GET', '/pets/export/owner', 'GET /pets/{petId}/owner'],
    ['GET', '/pets/17/owner/name', 'GET /pets/{proxy+}'],
    ['GET', '/pets/a/b/c', 'GET /pets/{proxy+}'],
    ['POST', '/admin/users', 'ANY /admin/{proxy+}'],
    ['DELETE', '/admin/users/1', 'DELETE /admin/{proxy+}'],
    ['GET', '/deep/only/here', 'GET /deep/only/here'],
    ['GET', '/deep/other/here', 'GET /deep/{any}/here'],
  ])('routes %s %s to "%s"', (method, path, expected) => {
    // Prepare
    const m = method as 'GET';

    // Act
    const rule = rules.route('rest', m, path);

    // Assess
    expect(rule?.route).toBe(expected);
  });

  it.each([
    ['POST', '/'],
    ['DELETE', '/pets/export'], // the resource exists without DELETE: API Gateway never tries {petId}
    ['GET', '/pets'],
    ['GET', '/admin'],
    ['GET', '/pets//owner'],
    ['GET', '/pets/17/'],
    ['GET', '/deep/only'],
    ['GET', '/nowhere'],
  ])('routes %s %s nowhere', (method, path) => {
    // Prepare
    const m = method as 'GET';

    // Act
    const rule = rules.route('rest', m, path);

    // Assess
    expect(rule).toBeUndefined();
  });

  it('compiles 1,000 routes and routes among them', () => {
    // Prepare
    const routes = Array.from({ length: 1000 }, (_, i) => ({ route: `GET /r${i}/{id}/items/{item}`, allow: ['authenticated'] }));

    // Act
    const big = compileRules({ routes });

    // Assess
    expect(big.route('rest', 'GET', '/r999/1/items/2')?.route).toBe('GET /r999/{id}/items/{item}');
    expect(big.route('rest', 'GET', '/r1000/1/items/2')).toBeUndefined();
  });
});

describe('routing: HTTP APIs', () => {
  const http = compileRules({
    routes: [
      { route: 'GET /x/{proxy+}', allow: [] },
      { route: 'GET /{a}/y', allow: [] },
      { route: 'GET /pets/export', allow: [] },
      { route: 'DELETE /pets/{petId}', allow: [] },
      { route: 'ANY /pets/{petId}', allow: [] },
    ],
  });

  it.each([
    // The developer guide: any full match beats any greedy match, whatever the segments say.
    ['GET', '/x/y', 'GET /{a}/y', 'GET /x/{proxy+}'],
    ['GET', '/x/y/z', 'GET /x/{proxy+}', 'GET /x/{proxy+}'],
    // Route and method: DELETE falls through to the parameter route; REST stops at the resource.
    ['DELETE', '/pets/export', 'DELETE /pets/{petId}', undefined],
    ['PATCH', '/pets/1', 'ANY /pets/{petId}', 'ANY /pets/{petId}'],
  ])('routes %s %s to "%s" on an HTTP API (REST: %s)', (method, path, httpRoute, restRoute) => {
    // Act
    const routes = [http.route('http', method as 'GET', path)?.route, http.route('rest', method as 'GET', path)?.route];

    // Assess
    expect(routes).toEqual([httpRoute, restRoute]);
  });
});

describe('routing: the governing route of an asked path', () => {
  it.each([
    // REST routes one trailing slash as without it; HTTP APIs do not match it.
    ['rest', '/pets/17/', { path: '/pets/17', route: 'GET /pets/{petId}' }],
    ['http', '/pets/17/', { problem: 'empty-segment' }],
    ['rest', '/pets//17', { problem: 'empty-segment' }],
    ['http', '/pets//17', { problem: 'empty-segment' }],
    ['rest', '/', { path: '/', route: 'GET /' }],
    ['rest', '/nowhere', { path: '/nowhere', route: undefined }],
  ] as const)('on a %s API, GET %s is %j', (model, path, expected) => {
    // Act
    const governed = governingRoute(rules, model, 'GET', path);

    // Assess
    expect('problem' in governed ? governed : { path: governed.path, route: governed.route?.route }).toEqual(expected);
  });
});
