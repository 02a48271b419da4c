// The independent oracle itself (tests/helpers/oracle): IAM evaluation, REST and HTTP API routing,
// and the rules' grants — checked against the documented behaviour it stands for.
import fc from 'fast-check';
import { createRouter, evaluatePolicy, iamMatch, routeAllows, rulesAllow, type RulesDoc, type Who } from '../helpers/oracle';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod';
const policy = (...statements: { Effect: string; Resource: string | string[]; Action?: string | string[] }[]) => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({ Action: 'execute-api:Invoke', ...s })),
});

/** IAM's wildcard rule as a definition: `*` any run (including none and `/`), `?` one character. */
function defined(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  const [p, rest] = [pattern[0], pattern.slice(1)];
  if (p === '*') return [...Array(text.length + 1).keys()].some((i) => defined(rest, text.slice(i)));
  return text !== '' && (p === '?' || p === text[0]) && defined(rest, text.slice(1));
}

describe('oracle: IAM evaluation', () => {
  it('lets * span slashes and ? stand for exactly one character', () => {
    // Prepare
    const cases: [string, string][] = [['a/*', 'a/b/c'], ['a/*/c', 'a/b/x/c'], ['a/?', 'a/b'], ['a/?', 'a/bc'], ['a/?', 'a/'], ['*', '']];

    // Act
    const results = cases.map(([p, t]) => iamMatch(p, t));

    // Assess
    expect(results).toEqual([true, true, true, false, false, true]);
  });

  it('matches exactly what the definition of IAM wildcards matches', () => {
    // Prepare
    const text = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 10 }).map((a) => a.join(''));

    // Act
    const mismatches: string[] = [];
    fc.assert(
      fc.property(text, text, (p, t) => {
        if (iamMatch(p, t) !== defined(p, t)) mismatches.push(`${p} ~ ${t}`);
      }),
      { numRuns: 3000 },
    );

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('lets an explicit Deny win over a matching Allow', () => {
    // Prepare
    const doc = policy({ Effect: 'Allow', Resource: `${ARN}/*` }, { Effect: 'Deny', Resource: `${ARN}/DELETE/pets/*` });

    // Act
    const verdicts = [evaluatePolicy(doc, `${ARN}/DELETE/pets/1`), evaluatePolicy(doc, `${ARN}/GET/pets/1`)];

    // Assess
    expect(verdicts).toEqual(['explicit-deny', 'allow']);
  });

  it('denies implicitly when no statement matches the request', () => {
    // Prepare: the classic cache mistake, a policy for the one request the authorizer was asked about.
    const cached = policy({ Effect: 'Allow', Resource: `${ARN}/GET/pets` });

    // Act
    const verdict = evaluatePolicy(cached, `${ARN}/DELETE/pets/1`);

    // Assess
    expect(verdict).toBe('implicit-deny');
  });

  it('reads action names case-insensitively and with wildcards, and ignores statements about other actions', () => {
    // Prepare
    const arn = `${ARN}/GET/pets`;
    const docs = [
      policy({ Effect: 'Allow', Resource: '*', Action: 'execute-api:ManageConnections' }),
      policy({ Effect: 'Allow', Resource: '*', Action: 'EXECUTE-API:invoke' }),
      policy({ Effect: 'Allow', Resource: '*', Action: ['s3:*', 'execute-api:*'] }),
      policy({ Effect: 'Allow', Resource: '*', Action: '*' }),
    ];

    // Act
    const verdicts = docs.map((d) => evaluatePolicy(d, arn));

    // Assess
    expect(verdicts).toEqual(['implicit-deny', 'allow', 'allow', 'allow']);
  });
});

describe('oracle: REST API routing', () => {
  const router = createRouter([
    'GET /',
    'GET /pets/export',
    'GET /pets/{petId}',
    'DELETE /pets/{petId}',
    'ANY /admin/{proxy+}',
    'DELETE /admin/{proxy+}',
  ]);

  it.each([
    ['GET', '/', 'GET /'],
    ['GET', '/pets/export', 'GET /pets/export'],
    ['GET', '/pets/17', 'GET /pets/{petId}'],
    ['PATCH', '/admin/users/1', 'ANY /admin/{proxy+}'],
    ['DELETE', '/admin/users/1', 'DELETE /admin/{proxy+}'],
  ])('routes %s %s to %s', (method, path, expected) => {
    // Act
    const routed = router.resolve(method, path);

    // Assess
    expect(routed?.route).toBe(expected);
  });

  it.each([
    ['DELETE', '/pets/export', 'the most specific resource lacks the method: a less specific one is never tried'],
    ['GET', '/pets', 'a parent resource has no methods'],
    ['GET', '/admin', 'a greedy parameter takes one segment or more'],
    ['GET', '/pets//owner', 'an empty segment'],
    ['GET', '/pets/17/', 'a trailing slash'],
    ['FETCH', '/pets/17', 'not an HTTP method API Gateway routes'],
    ['GET', 'pets', 'no leading slash'],
  ])('routes %s %s nowhere (%s)', (method, path) => {
    // Act
    const routed = router.resolve(method, path);

    // Assess
    expect(routed).toBeUndefined();
  });

  it('gives the path parameters as the raw segments, the greedy one joined by slashes', () => {
    // Act
    const routed = [router.resolve('GET', '/pets/a%20b'), router.resolve('GET', '/admin/x/y%2Fz')];

    // Assess
    expect(routed.map((r) => [r?.resource, r?.params])).toEqual([
      ['/pets/{petId}', { petId: 'a%20b' }],
      ['/admin/{proxy+}', { proxy: 'x/y%2Fz' }],
    ]);
  });

  it('names the methods of the resource a path reaches', () => {
    // Act
    const methods = ['/pets/17', '/admin/a/b', '/pets', '/nowhere'].map((p) => router.methodsAt(p));

    // Assess
    expect(methods).toEqual([['GET', 'DELETE'], ['ANY', 'DELETE'], [], []]);
  });

  it('refuses a route that is not METHOD /path', () => {
    // Act
    const make = () => createRouter(['GET pets']);

    // Assess
    expect(make).toThrow('routes[0] "GET pets" is not "METHOD /path"');
  });
});

describe('oracle: HTTP API routing', () => {
  const routes = ['GET /pets/export', 'GET /pets/{petId}', 'DELETE /pets/{petId}', 'GET /pets/{proxy+}', 'ANY /{proxy+}'];
  const router = createRouter(routes, { kind: 'http' });
  const withDefault = createRouter([...routes, '$default'], { kind: 'http' });

  it.each([
    ['GET', '/pets/export', 'GET /pets/export'],
    ['GET', '/pets/17', 'GET /pets/{petId}'],
    ['DELETE', '/pets/export', 'DELETE /pets/{petId}'],
    ['GET', '/pets/17/owner', 'GET /pets/{proxy+}'],
    ['POST', '/pets/17', 'ANY /{proxy+}'],
  ])('routes %s %s to %s', (method, path, expected) => {
    // Act
    const routed = router.resolve(method, path);

    // Assess
    expect(routed?.route).toBe(expected);
  });

  it('prefers a full match to a greedy one, whatever the segments, as the developer guide ranks them', () => {
    // Prepare
    const ranked = createRouter(['GET /x/{proxy+}', 'GET /{a}/y', 'ANY /x/{b}/{c}'], { kind: 'http' });

    // Act
    const routed = [ranked.resolve('GET', '/x/y'), ranked.resolve('GET', '/x/y/z'), ranked.resolve('GET', '/x/y/z/w')];

    // Assess
    expect(routed.map((r) => r?.route)).toEqual(['GET /{a}/y', 'ANY /x/{b}/{c}', 'GET /x/{proxy+}']);
  });

  it('does not route a trailing slash on an HTTP API, and routes one as its resource on a REST API', () => {
    // Prepare
    const rules = { routes: [{ route: 'GET /pets', allow: ['authenticated'] }] };

    // Act
    const allowed = [rulesAllow(rules, {}, 'GET', '/pets/', 'rest'), rulesAllow(rules, {}, 'GET', '/pets/', 'http'), rulesAllow(rules, {}, 'GET', '/pets//', 'rest')];

    // Assess
    expect(allowed).toEqual([true, false, false]);
  });

  it('sends what no route matches to $default when the API has one, else nowhere', () => {
    // Act
    const routed = [withDefault.resolve('GET', '/'), router.resolve('GET', '/'), withDefault.resolve('GET', '/pets/export')];

    // Assess
    expect(routed.map((r) => r?.route)).toEqual(['$default', undefined, 'GET /pets/export']);
  });
});

describe('oracle: grants', () => {
  const rules: RulesDoc = {
    routes: [
      { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
      { route: 'GET /teams', allow: ['claim:custom:teams=blue'] },
      { route: 'GET /eq', allow: ['claim:custom:expr=a=b'] },
      { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
      { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    ],
    deny: ['group:suspended'],
  };
  const who = (claims: Record<string, unknown>, groups: string[] = []): Who => ({ groups, scopes: [], claims });

  it.each([
    ['a string claim equal to the value', true, { 'custom:plan': 'pro' }],
    ['a string claim with another value', false, { 'custom:plan': 'basic' }],
    ['a missing claim', false, {}],
    ['a list of strings holding the value', true, { 'custom:plan': ['pro'] }],
    ['a number claim', false, { 'custom:plan': 1 }],
    ['a claim named without its prefix', false, { plan: 'pro' }],
  ])('answers claim:custom:plan=pro for %s: %s', (_name, expected, claims) => {
    // Act
    const allowed = rulesAllow(rules, who(claims), 'GET', '/reports');

    // Assess
    expect(allowed).toBe(expected);
  });

  it('grants an array claim that holds the value, and no array with other entries or non-strings', () => {
    // Act
    const results = [['red', 'blue'], ['red'], ['blue', 7]].map((teams) => rulesAllow(rules, who({ 'custom:teams': teams }), 'GET', '/teams'));

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('reads the value after the last = and the claim name before it', () => {
    // Act
    const results = [{ 'custom:expr=a': 'b' }, { 'custom:expr': 'a=b' }].map((claims) => rulesAllow(rules, who(claims), 'GET', '/eq'));

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('grants a bound route only where the path segment is the caller’s claim', () => {
    // Act
    const results = [
      rulesAllow(rules, who({ sub: 'u-1' }), 'GET', '/users/u-1/pets'),
      rulesAllow(rules, who({ sub: 'u-1' }), 'GET', '/users/u-2/pets'),
      rulesAllow(rules, who({ 'custom:tenant_id': 'acme' }), 'PUT', '/tenants/acme/a/b'),
      rulesAllow(rules, who({ 'custom:tenant_id': 'acme' }), 'PUT', '/tenants/umbrella/a'),
      rulesAllow(rules, who({ sub: 'u-1' }, ['suspended']), 'GET', '/users/u-1/pets'),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false, false]);
  });

  it.each([
    ['empty', ''],
    ['a star', '*'],
    ['a question mark', 'a?'],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['a percent sign', '%41'],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 7],
    ['a list', ['acme']],
  ])('grants nothing through a bound claim that is %s', (_name, value) => {
    // Prepare: the request's segment is the claim's own text where it has one.
    const segment = typeof value === 'string' && value !== '' ? value : 'acme';

    // Act
    const allowed = routeAllows(rules, who({ 'custom:tenant_id': value }), 4, { tenantId: segment, proxy: 'x' });

    // Assess
    expect(allowed).toBe(false);
  });

  it('grants a bound claim of 128 characters from the allowed alphabet', () => {
    // Prepare
    const value = `A-z0.9_~@+=,:${'x'.repeat(115)}`;

    // Act
    const allowed = routeAllows(rules, who({ 'custom:tenant_id': value }), 4, { tenantId: value, proxy: 'x' });

    // Assess
    expect([value.length, allowed]).toEqual([128, true]);
  });
});
