// The local API's imitation of API Gateway (scripts/lib/api-gateway.cjs): routing, IAM evaluation, result cache, events.
import fc from 'fast-check';
import {
  CORS,
  TOKEN_VALIDATION_EXPRESSION,
  checkAuthorizerResult,
  createResultCache,
  createRouter,
  describeRequest,
  evaluatePolicy,
  iamMatch,
  methodArn,
  proxyEvent,
  proxyResponse,
  requestAuthorizerEvent,
  tokenAuthorizerEvent,
} from '../../scripts/lib/api-gateway.cjs';
import { extractToken } from '../../src/credentials';
import { parseMethodArn } from '../../src/policy/arn';
import { compileRules } from '../../src/rules';
import { setup, type TestSetup } from '../helpers/authorizer';
import { API, tokenEvent } from '../helpers/events';
import { iamMatch as oracleMatch } from '../helpers/oracle';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { METHODS } from '../helpers/oracle';
import { TEST_RULES } from '../helpers/rules';
import { loadTemplate } from '../helpers/template';

const router = createRouter(TEST_RULES);
const request = (method: string, path: string, rawHeaders: string[] = [], query = '') =>
  describeRequest({ method, path, query, rawHeaders, body: '', requestId: 'req-1', now: Date.UTC(2025, 0, 2, 3, 4, 5) });

describe('local API routing', () => {
  it('routes a literal segment before a {param} sibling', () => {
    // Prepare
    const path = '/pets/export';

    // Act
    const routed = router.resolve('GET', path);

    // Assess
    expect(routed?.route).toBe('GET /pets/export');
  });

  it('routes an explicit method before ANY on the same resource', () => {
    // Prepare
    const path = '/admin/users/1';

    // Act
    const routed = [router.resolve('DELETE', path)?.route, router.resolve('PATCH', path)?.route];

    // Assess
    expect(routed).toEqual(['DELETE /admin/{proxy+}', 'ANY /admin/{proxy+}']);
  });

  it('answers no route for a method the most specific resource lacks, as API Gateway does', () => {
    // Prepare: /pets/export exists (GET only); DELETE /pets/{petId} must not be tried instead.
    const path = '/pets/export';

    // Act
    const routed = router.resolve('DELETE', path);

    // Assess
    expect(routed).toBeUndefined();
  });

  it('answers no route for parent resources, empty segments and unknown methods', () => {
    // Prepare
    const asks: [string, string][] = [['GET', '/admin'], ['GET', '/pets//owner'], ['GET', '/pets/'], ['FETCH', '/pets'], ['GET', 'pets']];

    // Act
    const routed = asks.map(([m, p]) => router.resolve(m, p));

    // Assess
    expect(routed).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('fills path parameters, decoded, with the greedy one joined by slashes', () => {
    // Prepare
    const asks: [string, string][] = [['GET', '/pets/a%20b/owner'], ['GET', '/files/x/y%2Fz/w']];

    // Act
    const routed = asks.map(([m, p]) => router.resolve(m, p));

    // Assess
    expect(routed.map((r) => [r?.resource, r?.pathParameters])).toEqual([
      ['/pets/{petId}/owner', { petId: 'a b' }],
      ['/files/{proxy+}', { proxy: 'x/y/z/w' }],
    ]);
  });

  it('agrees with the authorizer’s compiled rules on random rule sets and requests', () => {
    // Prepare
    const literals = ['a', 'b', 'pets', 'x.y'] as const;
    const seg = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...literals) },
      { weight: 3, arbitrary: fc.constant('{}') },
      { weight: 2, arbitrary: fc.constant('{+}') },
    );
    const template = fc.tuple(fc.constantFrom(...METHODS, 'ANY'), fc.array(seg, { maxLength: 4 })).map(([method, segs]) => {
      const cut = segs.indexOf('{+}');
      const kept = cut < 0 ? segs : segs.slice(0, cut + 1);
      const path = '/' + kept.map((s, i) => (s === '{}' ? `{p${i}}` : s === '{+}' ? '{proxy+}' : s)).join('/');
      return { route: `${method} ${path}`, key: `${method} /${kept.join('/')}` };
    });
    const rulesArb = fc
      .uniqueArray(template, { minLength: 1, maxLength: 8, selector: (t) => t.key })
      .map((ts) => ({ routes: ts.map((t) => ({ route: t.route, allow: ['authenticated'] })) }));
    const pathArb = fc.array(fc.constantFrom(...literals, 'v', '17', ''), { maxLength: 6 }).map((s) => '/' + s.join('/'));

    // Act
    const disagreements: string[] = [];
    fc.assert(
      fc.property(rulesArb, fc.array(fc.tuple(fc.constantFrom(...METHODS), pathArb), { minLength: 1, maxLength: 10 }), (doc, asks) => {
        const mine = createRouter(doc);
        const theirs = compileRules(doc);
        for (const [m, p] of asks) {
          const a = mine.resolve(m, p)?.route;
          const b = theirs.route(m, p)?.route;
          if (a !== b) disagreements.push(`${m} ${p}: local ${String(a)}, authorizer ${String(b)}`);
        }
        return true;
      }),
      { numRuns: 300 },
    );

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('gives a CORS preflight mock to resources with methods, as SAM does, and to no other path', () => {
    // Prepare
    const paths = ['/pets', '/admin/users/1', '/admin', '/nowhere', '/pets//owner'];

    // Act
    const preflights = paths.map((p) => router.preflight(p));

    // Assess
    expect(preflights).toEqual([true, true, false, false, false]);
  });

  it('refuses a rules document whose route is not METHOD /path', () => {
    // Prepare
    const doc = { routes: [{ route: 'GET pets', allow: [] }] };

    // Act
    const make = () => createRouter(doc);

    // Assess
    expect(make).toThrow('routes[0].route "GET pets" is not "METHOD /path"');
  });
});

describe('local API IAM evaluation', () => {
  const arn = (method: string, path: string) => methodArn(method, path, API);
  const policy = (...statements: { Effect: string; Resource: string | string[]; Action?: string }[]) => ({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({ Action: 'execute-api:Invoke', ...s })),
  });

  it('lets * span slashes and ? stand for exactly one character', () => {
    // Prepare
    const cases: [string, string][] = [
      ['a/*', 'a/b/c'],
      ['a/*/c', 'a/b/x/c'],
      ['a/?', 'a/b'],
      ['a/?', 'a/bc'],
      ['a/?', 'a/'],
      ['*', ''],
    ];

    // Act
    const results = cases.map(([p, t]) => iamMatch(p, t));

    // Assess
    expect(results).toEqual([true, true, true, false, false, true]);
  });

  it('matches exactly as an independent IAM matcher does', () => {
    // Prepare
    const text = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 12 }).map((a) => a.join(''));

    // Act
    const mismatches: string[] = [];
    fc.assert(
      fc.property(text, text, (p, t) => {
        if (iamMatch(p, t) !== oracleMatch(p, t)) mismatches.push(`${p} ~ ${t}`);
      }),
      { numRuns: 2000 },
    );

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('lets an explicit Deny win over a matching Allow', () => {
    // Prepare
    const doc = policy({ Effect: 'Allow', Resource: arn('*', '') }, { Effect: 'Deny', Resource: arn('DELETE', '/pets/*') });

    // Act
    const verdicts = [evaluatePolicy(doc, arn('DELETE', '/pets/1')), evaluatePolicy(doc, arn('GET', '/pets/1'))];

    // Assess
    expect(verdicts).toEqual(['explicit-deny', 'allow']);
  });

  it('denies implicitly when no statement matches the request', () => {
    // Prepare: the classic cache mistake, a policy for the one request the authorizer was asked about.
    const cached = policy({ Effect: 'Allow', Resource: arn('GET', '/pets') });

    // Act
    const verdict = evaluatePolicy(cached, arn('DELETE', '/pets/1'));

    // Assess
    expect(verdict).toBe('implicit-deny');
  });

  it('ignores statements about other actions', () => {
    // Prepare
    const doc = policy({ Effect: 'Allow', Resource: '*', Action: 'execute-api:ManageConnections' });

    // Act
    const verdict = evaluatePolicy(doc, arn('GET', '/pets'));

    // Assess
    expect(verdict).toBe('implicit-deny');
  });
});

describe('local API authorizer answers', () => {
  let t: TestSetup;
  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());

  it('accepts the answer the real authorizer gives', async () => {
    // Prepare
    const { handler } = t.make();
    const token = signJwt(t.key, cognitoClaims({ groups: ['readers'] }));

    // Act
    const answer = await handler(tokenEvent(`Bearer ${token}`, 'GET', '/pets'));

    // Assess
    expect(checkAuthorizerResult(answer)).toBeUndefined();
  });

  it.each([
    ['no principalId', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] } }, 'principalId'],
    ['an empty statement list', { principalId: 'p', policyDocument: { Statement: [] } }, 'is empty'],
    ['an unknown effect', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'allow', Action: 'a', Resource: 'r' }] } }, 'Effect'],
    [
      'a list in the context',
      { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Deny', Action: 'a', Resource: 'r' }] }, context: { groups: ['a'] } },
      'context.groups',
    ],
  ])('rejects an answer with %s, as API Gateway does with a 500', (_name, answer, problem) => {
    // Prepare
    const given: unknown = answer;

    // Act
    const found = checkAuthorizerResult(given);

    // Assess
    expect(found).toContain(problem);
  });
});

describe('local API result cache', () => {
  it('reuses an answer within the TTL and forgets it after', () => {
    // Prepare
    const cache = createResultCache<string>(300);
    cache.set('token-a', 'answer', 1_000);

    // Act
    const seen = [cache.get('token-a', 1_000 + 299_999), cache.get('token-a', 1_000 + 300_000), cache.get('token-b', 1_000)];

    // Assess
    expect(seen).toEqual(['answer', undefined, undefined]);
  });

  it('keeps nothing when the TTL is 0', () => {
    // Prepare
    const cache = createResultCache<string>(0);

    // Act
    cache.set('token-a', 'answer', 1_000);

    // Assess
    expect([cache.get('token-a', 1_000), cache.size]).toEqual([undefined, 0]);
  });

  it('drops the oldest answer when full', () => {
    // Prepare
    const cache = createResultCache<string>(300, 2);

    // Act
    ['a', 'b', 'c'].forEach((k) => cache.set(k, k, 1_000));

    // Assess
    expect(['a', 'b', 'c'].map((k) => cache.get(k, 1_000))).toEqual([undefined, 'b', 'c']);
  });
});

describe('local API events', () => {
  const routed = router.resolve('GET', '/pets/17') ?? { route: '', resource: '', pathParameters: null };

  it('builds a TOKEN event of exactly the three fields API Gateway sends', () => {
    // Prepare
    const req = request('GET', '/pets/17', ['Authorization', 'Bearer x.y.z']);

    // Act
    const event = tokenAuthorizerEvent('Bearer x.y.z', req);

    // Assess
    expect(event).toEqual({
      type: 'TOKEN',
      authorizationToken: 'Bearer x.y.z',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:localapi01/local/GET/pets/17',
    });
  });

  it('builds a methodArn the authorizer parses into the local API, stage, method and path', () => {
    // Prepare
    const arn = methodArn('DELETE', '/pets/17');

    // Act
    const parsed = parseMethodArn(arn);

    // Assess
    expect([parsed.apiId, parsed.stage, parsed.method, parsed.path]).toEqual(['localapi01', 'local', 'DELETE', '/pets/17']);
  });

  it('builds a REQUEST event whose Authorization header the authorizer finds', () => {
    // Prepare
    const req = request('GET', '/pets/17', ['Host', 'localhost', 'authorization', 'Bearer a.b.c'], '?limit=2&limit=3');

    // Act
    const event = requestAuthorizerEvent(req, routed);

    // Assess
    expect([extractToken(event), event['resource'], event['queryStringParameters'], event['multiValueQueryStringParameters']]).toEqual([
      'a.b.c',
      '/pets/{petId}',
      { limit: '3' },
      { limit: ['2', '3'] },
    ]);
  });

  it('hands the backend the authorizer context as strings, with the principalId', () => {
    // Prepare
    const req = request('GET', '/pets/17');

    // Act
    const event = proxyEvent(req, routed, { principalId: 'sub-1', context: { groups: '["admins"]', n: 2, ok: true } });

    // Assess
    expect(event.requestContext.authorizer).toEqual({ groups: '["admins"]', n: '2', ok: 'true', principalId: 'sub-1', integrationLatency: 0 });
  });

  it('keeps every value of a repeated header in multiValueHeaders and the last in headers', () => {
    // Prepare
    const req = request('GET', '/pets/17', ['Accept', 'a', 'accept', 'b']);

    // Act
    const event = proxyEvent(req, routed, { principalId: 'sub-1' });

    // Assess
    expect([event.headers, event.multiValueHeaders, event.queryStringParameters, event.body]).toEqual([{ Accept: 'b' }, { Accept: ['a', 'b'] }, null, null]);
  });

  it('names the resource, the stage path and the request time in the proxy requestContext', () => {
    // Prepare
    const req = request('GET', '/pets/17');

    // Act
    const event = proxyEvent(req, routed, { principalId: 'sub-1' });

    // Assess
    expect(event.requestContext).toMatchObject({
      resourcePath: '/pets/{petId}',
      path: '/local/pets/17',
      stage: 'local',
      apiId: 'localapi01',
      requestTime: '02/Jan/2025:03:04:05 +0000',
    });
  });

  it('writes a proxy result with multi-value headers merged and a base64 body decoded', () => {
    // Prepare
    const result = { statusCode: 201, headers: { a: '1' }, multiValueHeaders: { b: ['2', '3'] }, body: Buffer.from('hé').toString('base64'), isBase64Encoded: true };

    // Act
    const answer = proxyResponse(result);

    // Assess
    expect([answer.statusCode, answer.headers, answer.body.toString('utf8')]).toEqual([201, { a: ['1'], b: ['2', '3'] }, 'hé']);
  });

  it('refuses a malformed proxy result, which API Gateway answers with 502', () => {
    // Prepare
    const results: unknown[] = [null, { statusCode: '200' }, { statusCode: 200, body: { a: 1 } }];

    // Act
    const errors = results.map((r) => {
      try {
        proxyResponse(r);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    });

    // Assess
    expect(errors).toEqual(['the proxy result is not an object', 'statusCode is not an HTTP status', 'body is not a string']);
  });
});

describe('local API and template.yaml', () => {
  const api = loadTemplate().Resources['PetsApi']?.Properties as {
    Auth: { Authorizers: { TOKEN: { Identity: { ValidationExpression: string } } } };
    Cors: { AllowHeaders: string; AllowMethods: string; MaxAge: string };
  };
  const unquote = (text: string) => text.replace(/^'|'$/g, '');

  it('refuses credentials by the TOKEN authorizer’s validation expression from the template', () => {
    // Prepare
    const expected = api.Auth.Authorizers.TOKEN.Identity.ValidationExpression;

    // Act
    const used = TOKEN_VALIDATION_EXPRESSION;

    // Assess
    expect(used).toBe(expected);
  });

  it('answers preflights with the template’s CORS settings', () => {
    // Prepare
    const expected = { allowHeaders: unquote(api.Cors.AllowHeaders), allowMethods: unquote(api.Cors.AllowMethods), maxAge: unquote(api.Cors.MaxAge) };

    // Act
    const used = { ...CORS };

    // Assess
    expect(used).toEqual(expected);
  });
});
