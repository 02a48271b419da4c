// The local API's stages (scripts/lib/local-api), each alone: route, authorize (with API Gateway's cache), integrate,
// respond — on a REST API and an HTTP API, with stand-in functions instead of the built ones.
import { authorizeStage, type AuthorizeDeps } from '../../scripts/lib/local-api/authorize';
import { createResultCache } from '../../scripts/lib/local-api/cache';
import { createHttpModel, routeArn } from '../../scripts/lib/local-api/http';
import { integrateStage } from '../../scripts/lib/local-api/integrate';
import { LambdaTimeout } from '../../scripts/lib/local-api/lambda';
import type { ApiModel } from '../../scripts/lib/local-api/model';
import { describeRequest, type IncomingRequest } from '../../scripts/lib/local-api/request';
import { gatewayAnswer, finish } from '../../scripts/lib/local-api/respond';
import { createRestModel, methodArn } from '../../scripts/lib/local-api/rest';
import { routeStage } from '../../scripts/lib/local-api/route';
import type { Routed } from '../helpers/oracle';

const ROUTES = ['GET /pets', 'GET /pets/{petId}', 'DELETE /pets/{petId}', 'ANY /admin/{proxy+}'];
const TOKEN = 'aaa.bbb.ccc';
const rest = (overrides: Partial<Parameters<typeof createRestModel>[0]> = {}): ApiModel =>
  createRestModel({ routes: ROUTES, type: 'TOKEN', ttlSeconds: 300, corsOrigin: '*', ...overrides });
const http = (overrides: Partial<Parameters<typeof createHttpModel>[0]> = {}): ApiModel =>
  createHttpModel({ routes: ROUTES, payload: '2.0', simple: false, corsOrigin: '*', ...overrides });

/** A request as the server describes it; `headers` as name/value pairs. */
function request(method: string, url: string, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }): IncomingRequest {
  return describeRequest({ method, url, rawHeaders: Object.entries(headers).flat(), requestId: 'req-1', now: Date.UTC(2025, 0, 2, 3, 4, 5) });
}

function routed(model: ApiModel, req: IncomingRequest): Routed {
  const step = routeStage(model, req);
  if (step.kind !== 'routed') throw new Error(`${req.method} ${req.path} is not routed`);
  return step.routed;
}

/** A policy answer allowing `allowed` ARNs (IAM patterns) and denying `denied`. */
function policy(allowed: string[], denied: string[] = []): Record<string, unknown> {
  const statements = [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: allowed.length > 0 ? allowed : ['arn:none'] }];
  if (denied.length > 0) statements.push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: denied });
  return { principalId: 'sub-1', policyDocument: { Version: '2012-10-17', Statement: statements }, context: { sub: 'sub-1', n: 2 } };
}

/** Stand-in authorizer: answers `answer` (or throws it), and keeps the events it was asked. */
function authorizer(answer: unknown): AuthorizeDeps & { events: unknown[] } {
  const events: unknown[] = [];
  return {
    events,
    cache: createResultCache(300),
    invokeAuthorizer: (event) => {
      events.push(event);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

describe('local API stage: route', () => {
  it('routes a request to the governing route, with its raw path parameters', () => {
    // Act
    const step = routeStage(rest(), request('GET', '/pets/a%20b'));

    // Assess
    expect(step).toEqual({ kind: 'routed', routed: { index: 1, route: 'GET /pets/{petId}', resource: '/pets/{petId}', params: { petId: 'a%20b' } } });
  });

  it('refuses what no route governs: REST with 403 Missing Authentication Token, HTTP with 404 Not Found', () => {
    // Act
    const refused = [rest(), http()].map((m) => {
      const step = routeStage(m, request('GET', '/unicorns'));
      return step.kind === 'refused' ? gatewayAnswer(m, request('GET', '/unicorns'), step.response) : undefined;
    });

    // Assess
    expect(refused.map((a) => [a?.statusCode, a?.body.toString()])).toEqual([
      [403, '{"message":"Missing Authentication Token"}'],
      [404, '{"message":"Not Found"}'],
    ]);
  });

  it('answers a REST preflight with SAM’s mock OPTIONS method on a resource with methods, and routes other OPTIONS', () => {
    // Act
    const steps = ['/pets/1', '/nowhere'].map((p) => routeStage(rest(), request('OPTIONS', p, {})).kind);

    // Assess
    expect(steps).toEqual(['answered', 'refused']);
  });

  it('answers an HTTP API preflight (Origin and Access-Control-Request-Method) itself with 204, on any path', () => {
    // Prepare
    const preflight = request('OPTIONS', '/anything', { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'DELETE' });

    // Act
    const step = routeStage(http(), preflight);

    // Assess
    expect(step.kind === 'answered' ? [step.answer.statusCode, step.answer.headers] : step).toEqual([
      204,
      {
        'access-control-allow-origin': ['*'],
        'access-control-allow-methods': ['DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'],
        'access-control-allow-headers': ['authorization,content-type'],
        'access-control-max-age': ['600'],
      },
    ]);
  });

  it('routes an HTTP API OPTIONS request that is no preflight like any other request', () => {
    // Act
    const step = routeStage(http(), request('OPTIONS', '/pets/1', { Origin: 'http://localhost:5173' }));

    // Assess
    expect(step).toEqual({ kind: 'refused', response: 'noRoute', decision: 'no-route' });
  });
});

describe('local API stage: authorize (REST)', () => {
  it('answers 401 without invoking the authorizer when the token is missing or refused by the validation expression', async () => {
    // Prepare
    const deps = authorizer(policy(['*']));
    const model = rest();
    const asks = [request('GET', '/pets', {}), request('GET', '/pets', { Authorization: 'Basic YWRtaW46YWRtaW4=' })];

    // Act
    const steps = await Promise.all(asks.map((r) => authorizeStage(model, r, routed(model, r), deps)));

    // Assess
    expect(steps.map((s) => (s.kind === 'refused' ? [s.response, s.decision] : s.kind))).toEqual([
      ['unauthorized', 'unauthorized (no identity source)'],
      ['unauthorized', 'unauthorized (identity validation expression)'],
    ]);
    expect(deps.events).toEqual([]);
  });

  it('invokes a TOKEN authorizer with the token and the methodArn, and lets an allowed request through with the context', async () => {
    // Prepare
    const deps = authorizer(policy([methodArn('GET', '/pets')]));
    const model = rest();
    const req = request('GET', '/pets');

    // Act
    const step = await authorizeStage(model, req, routed(model, req), deps);

    // Assess
    expect(deps.events).toEqual([{ type: 'TOKEN', authorizationToken: `Bearer ${TOKEN}`, methodArn: methodArn('GET', '/pets') }]);
    expect(step).toMatchObject({ kind: 'allowed', cached: false, allowed: { principalId: 'sub-1', context: { sub: 'sub-1', n: 2 } } });
  });

  it('applies a cached answer to the next request of the same token on another route, without invoking the authorizer', async () => {
    // Prepare: a policy that names only the first request, the classic cache mistake.
    const deps = authorizer(policy([methodArn('GET', '/pets')]));
    const model = rest();
    const first = request('GET', '/pets');
    const second = request('DELETE', '/pets/1');

    // Act
    await authorizeStage(model, first, routed(model, first), deps);
    const step = await authorizeStage(model, second, routed(model, second), deps);

    // Assess
    expect([deps.events.length, step]).toEqual([1, { kind: 'refused', response: 'implicitDeny', decision: 'deny (implicit, cached)' }]);
  });

  it('answers an explicit Deny with API Gateway’s explicit-deny answer', async () => {
    // Prepare
    const deps = authorizer(policy([methodArn('*', '/*')], [methodArn('DELETE', '/pets/*')]));
    const model = rest();
    const req = request('DELETE', '/pets/1');

    // Act
    const step = await authorizeStage(model, req, routed(model, req), deps);

    // Assess
    expect(step).toEqual({ kind: 'refused', response: 'explicitDeny', decision: 'deny' });
  });

  it.each([
    ['the authorizer throws Unauthorized', new Error('Unauthorized'), 'unauthorized', undefined],
    ['the authorizer throws anything else', new Error('boom'), 'authorizerFailure', 'the authorizer failed (Error: boom)'],
    ['the authorizer times out', new LambdaTimeout('timed out after 10 ms'), 'authorizerFailure', 'the authorizer failed (LambdaTimeout: timed out after 10 ms)'],
    ['the answer has no principalId', { policyDocument: { Statement: [] } }, 'authorizerFailure', "API Gateway would reject the authorizer's answer: principalId is missing or not a string"],
    ['the context holds a list', { ...policy(['*']), context: { groups: ['a'] } }, 'authorizerFailure', "API Gateway would reject the authorizer's answer: context.groups is not a string, number or boolean"],
  ])('refuses when %s', async (_name, answer, response, problem) => {
    // Prepare
    const deps = authorizer(answer);
    const model = rest();
    const req = request('GET', '/pets');

    // Act
    const step = await authorizeStage(model, req, routed(model, req), deps);

    // Assess
    expect(step).toMatchObject({ kind: 'refused', response, ...(problem === undefined ? {} : { problem }) });
  });

  it('invokes a REQUEST authorizer without an Authorization header when the cache is off, as API Gateway does', async () => {
    // Prepare
    const deps = authorizer(new Error('Unauthorized'));
    const model = rest({ type: 'REQUEST', ttlSeconds: 0 });
    const req = request('GET', '/pets/7', {});

    // Act
    const step = await authorizeStage(model, req, routed(model, req), deps);

    // Assess
    expect([deps.events.length, step]).toEqual([1, { kind: 'refused', response: 'unauthorized', decision: 'unauthorized' }]);
  });
});

describe('local API stage: authorize (HTTP API)', () => {
  it('answers 401 without invoking the authorizer when the identity source is missing', async () => {
    // Prepare
    const deps = authorizer(policy(['*']));
    const model = http();
    const req = request('GET', '/pets', {});

    // Act
    const step = await authorizeStage(model, req, routed(model, req), deps);

    // Assess
    expect([deps.events.length, step]).toEqual([0, { kind: 'refused', response: 'unauthorized', decision: 'unauthorized (no identity source)' }]);
  });

  it('evaluates a cached IAM policy against each request’s routeArn, on every route (one cache entry per token)', async () => {
    // Prepare
    const deps = authorizer(policy([routeArn('GET', '/pets/*')]));
    const model = http();
    const asks = [request('GET', '/pets/1'), request('GET', '/pets/2'), request('DELETE', '/pets/2')];

    // Act
    const steps = [];
    for (const r of asks) steps.push(await authorizeStage(model, r, routed(model, r), deps));

    // Assess
    expect([deps.events.length, steps.map((s) => (s.kind === 'allowed' ? `allow${s.cached ? ' (cached)' : ''}` : s.decision))]).toEqual([
      1,
      ['allow', 'allow (cached)', 'deny (implicit, cached)'],
    ]);
  });

  it('keys the cache by the route too when simple responses are on, so each route asks the authorizer once', async () => {
    // Prepare
    const deps = authorizer({ isAuthorized: true, context: { sub: 'sub-1' } });
    const model = http({ simple: true });
    const asks = [request('GET', '/pets/1'), request('GET', '/pets/2'), request('DELETE', '/pets/2')];

    // Act
    for (const r of asks) await authorizeStage(model, r, routed(model, r), deps);

    // Assess
    expect(deps.events.map((e) => (e as { identitySource: string[] }).identitySource)).toEqual([
      [`Bearer ${TOKEN}`, 'GET /pets/{petId}'],
      [`Bearer ${TOKEN}`, 'DELETE /pets/{petId}'],
    ]);
  });

  it('answers isAuthorized false with 403 Forbidden, and a malformed simple response with 500', async () => {
    // Prepare
    const model = http({ simple: true });
    const req = request('GET', '/pets');
    const answers = [{ isAuthorized: false }, { isAuthorized: 'yes' }];

    // Act
    const steps = await Promise.all(answers.map((a) => authorizeStage(model, req, routed(model, req), authorizer(a))));
    const statuses = steps.map((s) => (s.kind === 'refused' ? gatewayAnswer(model, req, s.response).statusCode : 0));

    // Assess
    expect(statuses).toEqual([403, 500]);
  });
});

describe('local API stage: integrate', () => {
  const allowed = { context: { sub: 'sub-1' }, principalId: 'sub-1', integrationLatency: 3 };

  it('writes the backend’s result as the answer', async () => {
    // Prepare
    const model = rest();
    const req = request('GET', '/pets');

    // Act
    const step = await integrateStage(model, req, routed(model, req), allowed, () => Promise.resolve({ statusCode: 201, body: 'made' }));

    // Assess
    expect(step.kind === 'answered' ? [step.answer.statusCode, step.answer.body.toString()] : step).toEqual([201, 'made']);
  });

  it.each([
    ['REST', 'a malformed result', 502, () => Promise.resolve({ statusCode: '200' })],
    ['REST', 'a failure', 502, () => Promise.reject(new Error('boom'))],
    ['REST', 'a timeout', 504, () => Promise.reject(new LambdaTimeout('timed out'))],
    ['HTTP', 'a malformed result', 500, () => Promise.resolve({ statusCode: 99 })],
    ['HTTP', 'a timeout', 503, () => Promise.reject(new LambdaTimeout('timed out'))],
  ] as const)('answers (%s) %s of the backend with API Gateway’s %d', async (kind, _name, status, backend) => {
    // Prepare
    const model = kind === 'REST' ? rest() : http();
    const req = request('GET', '/pets');

    // Act
    const step = await integrateStage(model, req, routed(model, req), allowed, backend);

    // Assess
    expect(step.kind === 'refused' ? gatewayAnswer(model, req, step.response).statusCode : 0).toBe(status);
  });
});

describe('local API stage: respond', () => {
  it('gives REST’s own answers its error type, the template’s CORS headers and the request id', () => {
    // Act
    const answer = gatewayAnswer(rest(), request('GET', '/pets'), 'unauthorized');

    // Assess
    expect([answer.statusCode, answer.headers, answer.body.toString()]).toEqual([
      401,
      {
        'content-type': ['application/json'],
        'x-amzn-ErrorType': ['UnauthorizedException'],
        'WWW-Authenticate': ['Bearer'],
        'Access-Control-Allow-Origin': ['*'],
        'Access-Control-Allow-Headers': ['Authorization,Content-Type'],
        'x-amzn-RequestId': ['req-1'],
      },
      '{"message":"Unauthorized"}',
    ]);
  });

  it('passes a REST backend’s answer through as written, adding only the request id', () => {
    // Prepare
    const backend = { statusCode: 204, headers: { 'content-type': ['application/json'] }, body: Buffer.alloc(0) };

    // Act
    const answer = finish(rest(), request('DELETE', '/pets/1'), backend, true);

    // Assess
    expect(answer.headers).toEqual({ 'content-type': ['application/json'], 'x-amzn-RequestId': ['req-1'] });
  });

  it('puts an HTTP API’s CORS configuration on a cross-origin answer in place of the backend’s CORS headers', () => {
    // Prepare
    const backend = { statusCode: 200, headers: { 'content-type': ['application/json'], 'access-control-allow-origin': ['https://evil.example'] }, body: Buffer.from('{}') };
    const req = request('GET', '/pets', { Origin: 'http://localhost:5173' });

    // Act
    const answer = finish(http({ corsOrigin: 'http://localhost:5173' }), req, backend, true);

    // Assess
    expect(answer.headers).toEqual({
      'content-type': ['application/json'],
      'access-control-allow-origin': ['http://localhost:5173'],
      'apigw-requestid': ['req-1'],
    });
  });
});

describe('local API stage: authorize — the result cache', () => {
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
