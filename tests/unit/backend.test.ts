// The sample backend: every route's answers for REST (payload 1.0) and HTTP API (payload 2.0) proxy events, its input checks, and what it logs.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createBackend, handler, type HttpProxyEvent, type ProxyEvent } from '../../src/backend/handler';
import { LIMITS, PetStore, type Pet } from '../../src/backend/pets';

const SECRET = 'Bearer eyJraWQiOiJub3QtYS1yZWFsLXRva2VuIn0.e30.c2lnbmF0dXJl';

/** The context the deployed authorizer answers for an admin (strings only, as API Gateway requires). */
const AUTHORIZER_CONTEXT = {
  sub: 'a1b2c3d4-0000-4000-8000-000000000001',
  username: 'demo-admin',
  clientId: 'localclient000000000000001',
  tokenUse: 'access',
  scopes: 'openid pets/read',
  groups: '["admins","readers"]',
} as const;

/** What a REST API puts in `requestContext.authorizer`: the context plus principalId and its latency. */
const REST_AUTHORIZER = { ...AUTHORIZER_CONTEXT, principalId: AUTHORIZER_CONTEXT.sub, integrationLatency: 12 };

interface EventOptions {
  body?: string | null;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string> | null;
  /** The authorizer context; null for none. */
  context?: Record<string, unknown> | null;
  /** The route's method when it differs from the request's (an ANY route). */
  routeMethod?: string;
}

/** Builds the proxy event one API sends for `method path`, routed to `route`. */
type EventBuilder = (method: string, route: string, path: string, options?: EventOptions) => ProxyEvent;

/** A Lambda proxy event as API Gateway REST sends it (payload 1.0) for `method path` routed to `resource`. */
function restEvent(method: string, resource: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const headers = {
    accept: 'application/json',
    Authorization: SECRET,
    'content-type': 'application/json',
    Host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'curl/8.5.0',
    'X-Forwarded-For': '203.0.113.10',
  };
  const event: APIGatewayProxyEvent = {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authorizer: options.context === undefined ? REST_AUTHORIZER : options.context,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: { sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'abc123',
      resourcePath: resource,
    },
  };
  return event;
}

/**
 * A Lambda proxy event as an HTTP API sends it (payload 2.0) from its $default stage for `method
 * path` matched by the route `routeMethod route`: lower-case headers, the Lambda authorizer's
 * context under `requestContext.authorizer.lambda`, no stage in the path.
 */
function httpEvent(method: string, route: string, path: string, options: EventOptions = {}): HttpProxyEvent {
  const routeKey = `${options.routeMethod ?? method} ${route}`;
  const event: HttpProxyEvent = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      authorization: SECRET,
      'content-length': String(Buffer.byteLength(options.body ?? '')),
      'content-type': 'application/json',
      host: 'h7t9p2a4i6.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-6749b2a0-0a1b2c3d4e5f6a7b8c9d0e1f',
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'h7t9p2a4i6',
      authorizer: { lambda: (options.context === undefined ? AUTHORIZER_CONTEXT : options.context) as Record<string, unknown> },
      domainName: 'h7t9p2a4i6.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'h7t9p2a4i6',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
      requestId: 'CHbn3gXPoAMEbVg=',
      routeKey,
      stage: '$default',
      time: '29/Nov/2026:13:52:00 +0000',
      timeEpoch: 1_795_960_320_000,
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  if (options.body !== undefined && options.body !== null) event.body = options.body;
  return event;
}

interface Version {
  readonly name: string;
  readonly event: EventBuilder;
  /** Where a new pet is: the URL path, with the stage when the URL has one. */
  readonly location: (id: string) => string;
  /** The context GET /me echoes: what the API passed, only the keys the backend reads. */
  readonly echoedContext: Record<string, string>;
  readonly requestId: string;
}

const VERSIONS: readonly Version[] = [
  {
    name: 'REST (payload 1.0)',
    event: restEvent,
    location: (id) => `/prod/pets/${id}`,
    echoedContext: { ...AUTHORIZER_CONTEXT, principalId: AUTHORIZER_CONTEXT.sub },
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  },
  {
    name: 'HTTP API (payload 2.0)',
    event: httpEvent,
    location: (id) => `/pets/${id}`,
    echoedContext: { ...AUTHORIZER_CONTEXT },
    requestId: 'CHbn3gXPoAMEbVg=',
  },
];

const bodyOf = (result: { body: string }): unknown => JSON.parse(result.body);

let log: jest.SpyInstance;
let errorLog: jest.SpyInstance;
beforeEach(() => {
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env['CORS_ALLOW_ORIGIN'];
});

describe.each(VERSIONS)('$name', ({ event, location, echoedContext, requestId }) => {
  const list = () => event('GET', '/pets', '/pets');
  const pet = (id: string) => event('GET', '/pets/{petId}', `/pets/${id}`, { pathParameters: { petId: id } });
  const create = (body: string | null, options: EventOptions = {}) => event('POST', '/pets', '/pets', { body, ...options });
  const remove = (id: string) => event('DELETE', '/pets/{petId}', `/pets/${id}`, { pathParameters: { petId: id } });
  const me = (context?: Record<string, unknown> | null) => event('GET', '/me', '/me', { context });
  const admin = (method: string) => event(method, '/admin/{proxy+}', '/admin/users/7', { pathParameters: { proxy: 'users/7' }, routeMethod: 'ANY' });

  describe('GET /pets', () => {
    it('lists the seeded pets with 200', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(list());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual({
        pets: [
          { id: '1', name: 'Biscuit', type: 'dog', tenantId: 'acme' },
          { id: '2', name: 'Mittens', type: 'cat', tenantId: 'acme' },
          { id: '3', name: 'Bubbles', type: 'fish', tenantId: 'globex' },
        ],
      });
    });

    it('lists a pet created before, after the seeded ones', async () => {
      // Prepare
      const backend = createBackend();
      await backend(create('{"name":"Rex","type":"dog"}'));

      // Act
      const result = await backend(list());

      // Assess
      expect((bodyOf(result) as { pets: Pet[] }).pets.map((p) => p.name)).toEqual(['Biscuit', 'Mittens', 'Bubbles', 'Rex']);
    });
  });

  describe('POST /pets', () => {
    it('creates a pet with 201, the next id, the caller as creator and owner, and a Location where the caller finds it', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(create('{"name":"Rex","type":"dog"}'));

      // Assess
      expect(result.statusCode).toBe(201);
      expect(result.headers?.['location']).toBe(location('4'));
      expect(bodyOf(result)).toEqual({ id: '4', name: 'Rex', type: 'dog', createdBy: AUTHORIZER_CONTEXT.sub, ownerId: AUTHORIZER_CONTEXT.sub });
    });

    it('records the owner and tenant the body names', async () => {
      // Prepare
      const body = JSON.stringify({ name: 'Rex', ownerId: 'b2c3d4e5-0000-4000-8000-000000000002', tenantId: 'globex' });

      // Act
      const result = await createBackend()(create(body));

      // Assess
      expect(bodyOf(result)).toMatchObject({ createdBy: AUTHORIZER_CONTEXT.sub, ownerId: 'b2c3d4e5-0000-4000-8000-000000000002', tenantId: 'globex' });
    });

    it('makes the new pet readable at its Location', async () => {
      // Prepare
      const backend = createBackend();
      const created = bodyOf(await backend(create('{"name":"Rex"}'))) as Pet;

      // Act
      const result = await backend(pet(created.id));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([200, created]);
    });

    it('trims the name and records the type as unknown when none is given', async () => {
      // Prepare
      const body = JSON.stringify({ name: '  Rex  ' });

      // Act
      const result = await createBackend()(create(body));

      // Assess
      expect(bodyOf(result)).toMatchObject({ name: 'Rex', type: 'unknown' });
    });

    it('reads a base64-encoded body', async () => {
      // Prepare
      const body = Buffer.from('{"name":"Rex","type":"dog"}').toString('base64');

      // Act
      const result = await createBackend()(create(body, { isBase64Encoded: true }));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([201, expect.objectContaining({ name: 'Rex' })]);
    });

    it.each([
      ['no body', null, 'a JSON body is required'],
      ['an empty body', '', 'a JSON body is required'],
      ['a body that is not JSON', '{"name": "Rex"', 'the body is not valid JSON'],
      ['a JSON array', '[{"name":"Rex"}]', 'the body must be a JSON object'],
      ['a JSON string', '"Rex"', 'the body must be a JSON object'],
      ['no name', '{"type":"dog"}', 'name is required and must be a non-empty string'],
      ['a name that is a number', '{"name":7}', 'name is required and must be a non-empty string'],
      ['a blank name', '{"name":"   "}', 'name is required and must be a non-empty string'],
      ['a name only inherited through __proto__', '{"__proto__":{"name":"Rex"}}', 'name is required'],
      ['a name too long', JSON.stringify({ name: 'x'.repeat(LIMITS.maxNameLength + 1) }), `at most ${LIMITS.maxNameLength} characters`],
      ['a type that is not a string', '{"name":"Rex","type":["dog"]}', 'type, when given, must be a non-empty string'],
      ['an owner with a slash, which no bound route could name', '{"name":"Rex","ownerId":"a/b"}', 'ownerId, when given, must be 1 to 128'],
      ['a tenant with a wildcard', '{"name":"Rex","tenantId":"acme*"}', 'tenantId, when given, must be 1 to 128'],
      ['an empty tenant', '{"name":"Rex","tenantId":""}', 'tenantId, when given'],
      ['a tenant longer than a bound value may be', JSON.stringify({ name: 'Rex', tenantId: 't'.repeat(129) }), 'tenantId, when given'],
      ['an owner that is not a string', '{"name":"Rex","ownerId":42}', 'ownerId, when given'],
    ])('answers 400 with a message saying what to fix for %s', async (_case, body, message) => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(create(body));

      // Assess
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result)).toEqual({ message: expect.stringContaining(message) });
    });

    it('stores nothing when it answers 400', async () => {
      // Prepare
      const store = new PetStore();

      // Act
      await createBackend(store)(create('{"type":"dog"}'));

      // Assess
      expect(store.size).toBe(3);
    });

    it('answers 409 when the in-memory store is full', async () => {
      // Prepare
      const full = Array.from({ length: LIMITS.maxPets }, (_, i) => ({ id: String(i + 1), name: `pet ${i + 1}`, type: 'dog' }));
      const backend = createBackend(new PetStore(full));

      // Act
      const result = await backend(create('{"name":"one too many"}'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([409, { message: expect.stringContaining('the pet store is full') }]);
    });
  });

  describe('GET /pets/{petId}', () => {
    it('answers a seeded pet with 200', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(pet('2'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([200, { id: '2', name: 'Mittens', type: 'cat', tenantId: 'acme' }]);
    });

    it('answers 404 with a message naming the id for a pet that does not exist', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(pet('42'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([404, { message: 'pet "42" not found' }]);
    });
  });

  describe('DELETE /pets/{petId}', () => {
    it('deletes a pet with 204 and an empty body', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(remove('1'));

      // Assess
      expect([result.statusCode, result.body]).toEqual([204, '']);
    });

    it('makes a deleted pet answer 404 afterwards', async () => {
      // Prepare
      const backend = createBackend();
      await backend(remove('1'));

      // Act
      const result = await backend(pet('1'));

      // Assess
      expect(result.statusCode).toBe(404);
    });

    it('answers 404 for a pet that does not exist', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(remove('99'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([404, { message: 'pet "99" not found' }]);
    });
  });

  describe('GET /users/{userId}/pets', () => {
    const owned = (userId: string) => event('GET', '/users/{userId}/pets', `/users/${userId}/pets`, { pathParameters: { userId } });

    it('lists the pets the user owns: those they created, and those created for them', async () => {
      // Prepare
      const backend = createBackend();
      await backend(create('{"name":"Rex"}'));
      await backend(create(JSON.stringify({ name: 'Tom', ownerId: 'someone-else' })));
      await backend(create(JSON.stringify({ name: 'Fido', ownerId: AUTHORIZER_CONTEXT.sub })));

      // Act
      const result = await backend(owned(AUTHORIZER_CONTEXT.sub));

      // Assess
      expect(result.statusCode).toBe(200);
      expect((bodyOf(result) as { pets: Pet[] }).pets.map((p) => p.name)).toEqual(['Rex', 'Fido']);
    });

    it('answers an empty list, not 404, for a user who owns no pet', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(owned('c3d4e5f6-0000-4000-8000-000000000003'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([200, { pets: [] }]);
    });
  });

  describe('GET /tenants/{tenantId}/pets', () => {
    const ofTenant = (tenantId: string) => event('GET', '/tenants/{tenantId}/pets', `/tenants/${tenantId}/pets`, { pathParameters: { tenantId } });

    it('lists that tenant’s pets and no other tenant’s', async () => {
      // Prepare
      const backend = createBackend();
      await backend(create(JSON.stringify({ name: 'Rex', tenantId: 'acme' })));

      // Act
      const [acme, globex] = await Promise.all([backend(ofTenant('acme')), backend(ofTenant('globex'))]);

      // Assess
      expect((bodyOf(acme) as { pets: Pet[] }).pets.map((p) => p.name)).toEqual(['Biscuit', 'Mittens', 'Rex']);
      expect((bodyOf(globex) as { pets: Pet[] }).pets.map((p) => p.name)).toEqual(['Bubbles']);
    });

    it('answers an empty list for a tenant without pets', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(ofTenant('initech'));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([200, { pets: [] }]);
    });
  });

  describe('GET /me', () => {
    it('echoes the authorizer context, with groups parsed from JSON and scopes split on spaces', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(me());

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual({
        sub: AUTHORIZER_CONTEXT.sub,
        username: 'demo-admin',
        clientId: AUTHORIZER_CONTEXT.clientId,
        tokenUse: 'access',
        groups: ['admins', 'readers'],
        scopes: ['openid', 'pets/read'],
        authorizerContext: echoedContext,
      });
    });

    it('keeps group names with commas whole', async () => {
      // Prepare
      const context = { ...AUTHORIZER_CONTEXT, groups: JSON.stringify(['ops, europe', 'readers']) };

      // Act
      const result = await createBackend()(me(context));

      // Assess
      expect(bodyOf(result)).toMatchObject({ groups: ['ops, europe', 'readers'] });
    });

    it('answers empty lists for a caller without groups or scopes', async () => {
      // Prepare
      const context = { sub: 's-1', username: 'carol', clientId: 'c', tokenUse: 'access', scopes: '', groups: '[]' };

      // Act
      const result = await createBackend()(me(context));

      // Assess
      expect(bodyOf(result)).toMatchObject({ groups: [], scopes: [] });
    });

    it('reads a groups value that is not a JSON array of strings as no groups', async () => {
      // Prepare
      const context = { ...AUTHORIZER_CONTEXT, groups: 'admins' };

      // Act
      const result = await createBackend()(me(context));

      // Assess
      expect(bodyOf(result)).toMatchObject({ groups: [] });
    });

    it('answers 401 when it was reached without an authorizer context', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(me(null));

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([401, { message: 'Unauthorized' }]);
    });
  });

  describe('ANY /admin/{proxy+}', () => {
    it.each(['GET', 'POST', 'DELETE'])('answers %s with the admin path, the method used, and the caller', async (method) => {
      // Prepare
      const request = admin(method);

      // Act
      const result = await createBackend()(request);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual({
        area: 'admin',
        method,
        path: '/admin/users/7',
        caller: 'demo-admin',
        message: `admin ${method} /admin/users/7 accepted`,
      });
    });
  });

  describe('any route', () => {
    it('answers 404 JSON for a route the API does not have', async () => {
      // Prepare
      const request = event('GET', '/unicorns', '/unicorns');

      // Act
      const result = await createBackend()(request);

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([404, { message: 'no route for GET /unicorns' }]);
    });

    it('answers 404 JSON for a method the route does not have', async () => {
      // Prepare
      const request = event('PATCH', '/pets', '/pets');

      // Act
      const result = await createBackend()(request);

      // Assess
      expect(result.statusCode).toBe(404);
    });

    it.each([
      ['GET /pets', () => list()],
      ['POST /pets (201)', () => create('{"name":"Rex"}')],
      ['POST /pets (400)', () => create('nope')],
      ['DELETE /pets/1 (204)', () => remove('1')],
      ['GET /me', () => me()],
      ['GET /unicorns (404)', () => event('GET', '/unicorns', '/unicorns')],
    ])('labels the answer to %s application/json and not cacheable', async (_name, request) => {
      // Prepare
      const backend = createBackend();

      // Act
      const result = await backend(request());

      // Assess
      expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    });

    it('adds access-control-allow-origin only when CORS_ALLOW_ORIGIN is set', async () => {
      // Prepare
      const backend = createBackend();
      const without = await backend(list());
      process.env['CORS_ALLOW_ORIGIN'] = 'https://app.example.com';

      // Act
      const withOrigin = await backend(list());

      // Assess
      expect(without.headers).not.toHaveProperty('access-control-allow-origin');
      expect(withOrigin.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com' });
    });

    it('keeps each backend’s pets to itself', async () => {
      // Prepare
      const first = createBackend();
      const second = createBackend();
      await first(remove('1'));

      // Act
      const result = await second(pet('1'));

      // Assess
      expect(result.statusCode).toBe(200);
    });

    it('answers 500 JSON and logs only the error’s name and message when something fails', async () => {
      // Prepare
      const broken = new (class extends PetStore {
        override list(): Pet[] {
          throw new TypeError('store unavailable');
        }
      })();

      // Act
      const result = await createBackend(broken)(list());

      // Assess
      expect([result.statusCode, bodyOf(result)]).toEqual([500, { message: 'Internal server error' }]);
      expect(errorLog).toHaveBeenCalledTimes(1);
      expect(JSON.parse(errorLog.mock.calls[0][0] as string)).toEqual({
        level: 'ERROR',
        message: 'backend failed',
        error: { name: 'TypeError', message: 'store unavailable' },
      });
    });

    it('logs one JSON line per request with the route and status, and never the Authorization header', async () => {
      // Prepare
      const backend = createBackend();

      // Act
      await backend(pet('3'));

      // Assess
      expect(log).toHaveBeenCalledTimes(1);
      const line = log.mock.calls[0][0] as string;
      expect(JSON.parse(line)).toEqual({
        level: 'INFO',
        message: 'request',
        method: 'GET',
        resource: '/pets/{petId}',
        status: 200,
        requestId,
        principalId: AUTHORIZER_CONTEXT.sub,
      });
      expect(line).not.toContain(SECRET.slice('Bearer '.length));
    });
  });
});

describe('one backend for both APIs', () => {
  it('shares one pet store between REST and HTTP API requests', async () => {
    // Prepare
    const backend = createBackend();
    await backend(restEvent('POST', '/pets', '/pets', { body: '{"name":"Rex"}' }));

    // Act
    const result = await backend(httpEvent('GET', '/pets/{petId}', '/pets/4', { pathParameters: { petId: '4' } }));

    // Assess
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { id: '4', name: 'Rex', type: 'unknown', createdBy: AUTHORIZER_CONTEXT.sub, ownerId: AUTHORIZER_CONTEXT.sub },
    ]);
  });

  it('reads an HTTP API caller only from requestContext.authorizer.lambda', async () => {
    // Prepare: the context at the REST level of an HTTP API event is not a Lambda authorizer's.
    const request = httpEvent('GET', '/me', '/me', { context: null });
    (request.requestContext as unknown as { authorizer: unknown }).authorizer = { ...AUTHORIZER_CONTEXT };

    // Act
    const result = await createBackend()(request);

    // Assess
    expect(result.statusCode).toBe(401);
  });

  it('reads a REST caller only from requestContext.authorizer, not from a lambda field in it', async () => {
    // Prepare
    const request = restEvent('GET', '/me', '/me', { context: { lambda: AUTHORIZER_CONTEXT } });

    // Act
    const result = await createBackend()(request);

    // Assess
    expect(result.statusCode).toBe(401);
  });

  it('answers the HTTP API’s credential-free preflight route with 204 and nothing else', async () => {
    // Prepare: API Gateway adds the CORS headers of its CorsConfiguration to this answer.
    const request = httpEvent('OPTIONS', '/admin/{proxy+}', '/admin/users/7', { pathParameters: { proxy: 'users/7' }, context: null });

    // Act
    const result = await createBackend()(request);

    // Assess
    expect([result.statusCode, result.body]).toEqual([204, '']);
  });

  it('answers 404 to the HTTP API’s $default route, which the sample API does not have', async () => {
    // Prepare
    const request = httpEvent('GET', '', '/unicorns');
    request.routeKey = '$default';
    request.requestContext.routeKey = '$default';

    // Act
    const result = await createBackend()(request);

    // Assess
    expect([result.statusCode, bodyOf(result)]).toEqual([404, { message: 'no route for GET /unicorns' }]);
  });

  it('answers 500 JSON, not a thrown error, for an event it cannot read', async () => {
    // Prepare
    const odd = null as unknown as ProxyEvent;

    // Act
    const result = await createBackend()(odd);

    // Assess
    expect([result.statusCode, bodyOf(result)]).toEqual([500, { message: 'Internal server error' }]);
  });

  it('exports a ready Lambda handler that answers like createBackend', async () => {
    // Prepare
    const events = [restEvent('GET', '/pets', '/pets'), httpEvent('GET', '/pets', '/pets')];

    // Act
    const results = await Promise.all(events.map((e) => handler(e)));

    // Assess
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
  });
});
