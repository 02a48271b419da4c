// The sample backend: every route's answers, its input checks, and what it logs (never headers or tokens).
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createBackend, handler } from '../../src/backend/handler';
import { LIMITS, PetStore, type Pet } from '../../src/backend/pets';

const SECRET = 'Bearer eyJraWQiOiJub3QtYS1yZWFsLXRva2VuIn0.e30.c2lnbmF0dXJl';

/** The authorizer context the deployed authorizer passes for an admin (strings only). */
const ADMIN_CONTEXT = {
  principalId: 'a1b2c3d4-0000-4000-8000-000000000001',
  sub: 'a1b2c3d4-0000-4000-8000-000000000001',
  username: 'demo-admin',
  clientId: 'localclient000000000000001',
  tokenUse: 'access',
  scopes: 'openid pets/read',
  groups: '["admins","readers"]',
  integrationLatency: 12,
};

interface EventOptions {
  body?: string | null;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string> | null;
  authorizer?: Record<string, unknown> | null;
}

/** A Lambda proxy event as API Gateway REST sends it for `method path` routed to `resource`. */
function proxyEvent(method: string, resource: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const headers = {
    accept: 'application/json',
    Authorization: SECRET,
    'content-type': 'application/json',
    Host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'curl/8.5.0',
    'X-Forwarded-For': '203.0.113.10',
  };
  return {
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
      authorizer: options.authorizer === undefined ? ADMIN_CONTEXT : options.authorizer,
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
}

const pet = (id: string) => proxyEvent('GET', '/pets/{petId}', `/pets/${id}`, { pathParameters: { petId: id } });
const create = (body: string | null, options: EventOptions = {}) => proxyEvent('POST', '/pets', '/pets', { body, ...options });
const remove = (id: string) => proxyEvent('DELETE', '/pets/{petId}', `/pets/${id}`, { pathParameters: { petId: id } });
const me = (authorizer?: Record<string, unknown> | null) => proxyEvent('GET', '/me', '/me', { authorizer });
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

describe('GET /pets', () => {
  it('lists the seeded pets with 200', async () => {
    // Prepare
    const backend = createBackend();

    // Act
    const result = await backend(proxyEvent('GET', '/pets', '/pets'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      pets: [
        { id: '1', name: 'Biscuit', type: 'dog' },
        { id: '2', name: 'Mittens', type: 'cat' },
        { id: '3', name: 'Bubbles', type: 'fish' },
      ],
    });
  });

  it('lists a pet created before, after the seeded ones', async () => {
    // Prepare
    const backend = createBackend();
    await backend(create('{"name":"Rex","type":"dog"}'));

    // Act
    const result = await backend(proxyEvent('GET', '/pets', '/pets'));

    // Assess
    expect((bodyOf(result) as { pets: Pet[] }).pets.map((p) => p.name)).toEqual(['Biscuit', 'Mittens', 'Bubbles', 'Rex']);
  });
});

describe('POST /pets', () => {
  it('creates a pet with 201, the next id, the caller as creator, and a Location under the stage', async () => {
    // Prepare
    const backend = createBackend();

    // Act
    const result = await backend(create('{"name":"Rex","type":"dog"}'));

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers?.['location']).toBe('/prod/pets/4');
    expect(bodyOf(result)).toEqual({ id: '4', name: 'Rex', type: 'dog', createdBy: ADMIN_CONTEXT.sub });
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
    expect([result.statusCode, bodyOf(result)]).toEqual([200, { id: '2', name: 'Mittens', type: 'cat' }]);
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

describe('GET /me', () => {
  it('echoes the authorizer context, with groups parsed from JSON and scopes split on spaces', async () => {
    // Prepare
    const backend = createBackend();

    // Act
    const result = await backend(me());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      sub: ADMIN_CONTEXT.sub,
      username: 'demo-admin',
      clientId: ADMIN_CONTEXT.clientId,
      tokenUse: 'access',
      groups: ['admins', 'readers'],
      scopes: ['openid', 'pets/read'],
      authorizerContext: {
        principalId: ADMIN_CONTEXT.principalId,
        sub: ADMIN_CONTEXT.sub,
        username: 'demo-admin',
        clientId: ADMIN_CONTEXT.clientId,
        tokenUse: 'access',
        scopes: 'openid pets/read',
        groups: '["admins","readers"]',
      },
    });
  });

  it('keeps group names with commas whole', async () => {
    // Prepare
    const context = { ...ADMIN_CONTEXT, groups: JSON.stringify(['ops, europe', 'readers']) };

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
    const context = { ...ADMIN_CONTEXT, groups: 'admins' };

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
  it.each(['GET', 'POST', 'DELETE'])('answers %s with the admin path, method and caller', async (method) => {
    // Prepare
    const event = proxyEvent(method, '/admin/{proxy+}', '/admin/users/7', { pathParameters: { proxy: 'users/7' } });

    // Act
    const result = await createBackend()(event);

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
  it('answers 404 JSON for a resource the API does not have', async () => {
    // Prepare
    const event = proxyEvent('GET', '/unicorns', '/unicorns');

    // Act
    const result = await createBackend()(event);

    // Assess
    expect([result.statusCode, bodyOf(result)]).toEqual([404, { message: 'no route for GET /unicorns' }]);
  });

  it('answers 404 JSON for a method the resource does not have', async () => {
    // Prepare
    const event = proxyEvent('PATCH', '/pets', '/pets');

    // Act
    const result = await createBackend()(event);

    // Assess
    expect(result.statusCode).toBe(404);
  });

  it.each([
    ['GET /pets', proxyEvent('GET', '/pets', '/pets')],
    ['POST /pets (201)', create('{"name":"Rex"}')],
    ['POST /pets (400)', create('nope')],
    ['DELETE /pets/1 (204)', remove('1')],
    ['GET /me', me()],
    ['GET /unicorns (404)', proxyEvent('GET', '/unicorns', '/unicorns')],
  ])('labels the answer to %s application/json and not cacheable', async (_name, event) => {
    // Prepare
    const backend = createBackend();

    // Act
    const result = await backend(event);

    // Assess
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  });

  it('adds access-control-allow-origin only when CORS_ALLOW_ORIGIN is set', async () => {
    // Prepare
    const backend = createBackend();
    const without = await backend(proxyEvent('GET', '/pets', '/pets'));
    process.env['CORS_ALLOW_ORIGIN'] = 'https://app.example.com';

    // Act
    const withOrigin = await backend(proxyEvent('GET', '/pets', '/pets'));

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
    const result = await createBackend(broken)(proxyEvent('GET', '/pets', '/pets'));

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
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      principalId: ADMIN_CONTEXT.principalId,
    });
    expect(line).not.toContain(SECRET.slice('Bearer '.length));
  });

  it('exports a ready Lambda handler that answers like createBackend', async () => {
    // Prepare
    const event = proxyEvent('GET', '/pets', '/pets');

    // Act
    const result = await handler(event);

    // Assess
    expect(result.statusCode).toBe(200);
  });
});
