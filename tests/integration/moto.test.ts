// The built authorizer and `npm start` against moto_server: a real Cognito emulator, real tokens from AdminInitiateAuth.
import { startBuiltAuthorizer, type BuiltAuthorizer, type BuiltOutcome } from '../helpers/built-authorizer';
import { methodArn } from '../helpers/events';
import { evaluate } from '../helpers/oracle';
import { startLocalApi, type LocalApi } from '../helpers/local-api';
import { seedPool, startMoto, type Moto, type SeededPool } from '../helpers/moto';
import { claimsOf, http } from '../helpers/processes';

let moto: Moto;
let pool: SeededPool;

/** The authorizer configuration that trusts moto's pool (JWKS from moto's endpoint). */
const motoIssuerEnv = (): Record<string, string> => ({
  USER_POOL_IDS: pool.poolId,
  CLIENT_IDS: pool.clientId,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
});

beforeAll(async () => {
  moto = await startMoto();
  pool = await seedPool(moto.client);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

/** allow / deny (as API Gateway evaluates the answer for the asked methodArn) / the thrown message. */
function verdict(outcome: BuiltOutcome, arn: string): string {
  if (outcome.kind === 'error') return outcome.message;
  return evaluate(outcome.result, arn) === 'Allow' ? 'allow' : 'deny';
}

async function decide(authorizer: BuiltAuthorizer, token: string, method: string, path: string): Promise<string> {
  const arn = methodArn(method, path);
  return verdict(await authorizer.invoke({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: arn }), arn);
}

function tamper(jwt: string): string {
  const [head, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims['cognito:groups'] = ['admins'];
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('moto_server, as this suite relies on it', () => {
  it('issues tokens with the real Cognito issuer form and cognito:groups', () => {
    // Prepare
    const token = pool.tokens.admin.access;

    // Act
    const claims = claimsOf(token);

    // Assess
    expect(claims).toMatchObject({
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`,
      token_use: 'access',
      client_id: pool.clientId,
      'cognito:groups': ['admins'],
    });
  });

  it('serves the pool’s JWKS at <endpoint>/<poolId>/.well-known/jwks.json', async () => {
    // Prepare
    const url = `${moto.endpoint}/${pool.poolId}/.well-known/jwks.json`;

    // Act
    const res = await http(url);

    // Assess
    expect([res.status, (res.json as { keys: unknown[] }).keys.length > 0]).toEqual([200, true]);
  });
});

describe('the built authorizer with moto’s access tokens (TOKEN_USE=access)', () => {
  let authorizer: BuiltAuthorizer;
  beforeAll(async () => {
    authorizer = await startBuiltAuthorizer(motoIssuerEnv());
  }, 30_000);
  afterAll(async () => {
    await authorizer?.stop();
  });

  it('allows an admin every route of the sample API', async () => {
    // Prepare
    const token = pool.tokens.admin.access;
    const asks = [['GET', '/pets'], ['POST', '/pets'], ['GET', '/pets/1'], ['DELETE', '/pets/1'], ['GET', '/me'], ['PUT', '/admin/users/7']];

    // Act
    const verdicts = await Promise.all(asks.map(([m, p]) => decide(authorizer, token, m as string, p as string)));

    // Assess
    expect(verdicts).toEqual(asks.map(() => 'allow'));
  });

  it('allows a reader to read and denies them writes and admin routes', async () => {
    // Prepare
    const token = pool.tokens.reader.access;
    const asks = [['GET', '/pets'], ['GET', '/pets/1'], ['POST', '/pets'], ['DELETE', '/pets/1'], ['GET', '/admin/users']];

    // Act
    const verdicts = await Promise.all(asks.map(([m, p]) => decide(authorizer, token, m as string, p as string)));

    // Assess
    expect(verdicts).toEqual(['allow', 'allow', 'deny', 'deny', 'deny']);
  });

  it('allows a user without groups GET /me only', async () => {
    // Prepare
    const token = pool.tokens.carol.access;
    const asks = [['GET', '/me'], ['GET', '/pets'], ['DELETE', '/pets/1']];

    // Act
    const verdicts = await Promise.all(asks.map(([m, p]) => decide(authorizer, token, m as string, p as string)));

    // Assess
    expect(verdicts).toEqual(['allow', 'deny', 'deny']);
  });

  it('denies a suspended admin everything', async () => {
    // Prepare
    const token = pool.tokens.suspended.access;

    // Act
    const verdicts = [await decide(authorizer, token, 'GET', '/pets'), await decide(authorizer, token, 'GET', '/me')];

    // Assess
    expect(verdicts).toEqual(['deny', 'deny']);
  });

  it('hands the backend the caller from moto’s token as context', async () => {
    // Prepare
    const token = pool.tokens.admin.access;

    // Act
    const outcome = await authorizer.invoke({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: methodArn('GET', '/me') });

    // Assess
    expect(outcome.kind === 'answer' ? outcome.result.context : outcome).toEqual({
      sub: claimsOf(token)['sub'],
      username: 'admin',
      clientId: pool.clientId,
      tokenUse: 'access',
      scopes: 'aws.cognito.signin.user.admin',
      groups: '["admins"]',
    });
  });

  it('answers Unauthorized to an ID token, a tampered token and another client’s token', async () => {
    // Prepare
    const tokens = [pool.tokens.admin.id, tamper(pool.tokens.reader.access), pool.tokens.otherClient.access];

    // Act
    const verdicts = await Promise.all(tokens.map((t) => decide(authorizer, t, 'GET', '/pets')));

    // Assess
    expect(verdicts).toEqual(['Unauthorized', 'Unauthorized', 'Unauthorized']);
  });

  it('never logs a token', () => {
    // Prepare
    const signatures = Object.values(pool.tokens).flatMap((t) => [t.access, t.id]).map((t) => t.split('.')[2] as string);

    // Act
    const logs = authorizer.logs();

    // Assess
    expect(logs).toContain('"decision"');
    for (const s of signatures) expect(logs).not.toContain(s);
  });
});

describe('the built authorizer with moto’s ID tokens (TOKEN_USE=id)', () => {
  let authorizer: BuiltAuthorizer;
  beforeAll(async () => {
    authorizer = await startBuiltAuthorizer({ ...motoIssuerEnv(), TOKEN_USE: 'id' });
  }, 30_000);
  afterAll(async () => {
    await authorizer?.stop();
  });

  it('decides by the groups in ID tokens', async () => {
    // Prepare
    const asks: [string, string, string][] = [
      [pool.tokens.admin.id, 'DELETE', '/pets/1'],
      [pool.tokens.reader.id, 'GET', '/pets'],
      [pool.tokens.reader.id, 'DELETE', '/pets/1'],
      [pool.tokens.carol.id, 'GET', '/me'],
    ];

    // Act
    const verdicts = await Promise.all(asks.map(([t, m, p]) => decide(authorizer, t, m, p)));

    // Assess
    expect(verdicts).toEqual(['allow', 'allow', 'deny', 'allow']);
  });

  it('answers Unauthorized to an access token', async () => {
    // Prepare
    const token = pool.tokens.admin.access;

    // Act
    const result = await decide(authorizer, token, 'GET', '/pets');

    // Assess
    expect(result).toBe('Unauthorized');
  });
});

describe('the built authorizer with claim-bound rules and moto’s tokens', () => {
  const RULES = {
    routes: [
      { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
      { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    ],
  };
  let idTokens: BuiltAuthorizer;
  let accessTokens: BuiltAuthorizer;
  beforeAll(async () => {
    idTokens = await startBuiltAuthorizer({ ...motoIssuerEnv(), TOKEN_USE: 'id', ROUTE_RULES: JSON.stringify(RULES) });
    accessTokens = await startBuiltAuthorizer({ ...motoIssuerEnv(), ROUTE_RULES: JSON.stringify(RULES) });
  }, 30_000);
  afterAll(async () => {
    await idTokens?.stop();
    await accessTokens?.stop();
  });

  it('finds the custom attribute in ID tokens and not in access tokens, as Cognito issues them', () => {
    // Act
    const [id, access] = [claimsOf(pool.tokens.reader.id), claimsOf(pool.tokens.reader.access)];

    // Assess
    expect(id['custom:tenant_id']).toBe('acme');
    expect(access).not.toHaveProperty('custom:tenant_id');
  });

  it('opens a tenant’s paths to its users’ ID tokens and no other tenant’s', async () => {
    // Prepare
    const asks: [string, string][] = [
      [pool.tokens.reader.id, '/tenants/acme/pets/1'],
      [pool.tokens.reader.id, '/tenants/globex/pets/1'],
      [pool.tokens.reader.id, '/tenants/acme2/pets/1'],
      [pool.tokens.carol.id, '/tenants/globex/pets/1'],
      [pool.tokens.carol.id, '/tenants/acme/pets/1'],
    ];

    // Act
    const verdicts = await Promise.all(asks.map(([t, p]) => decide(idTokens, t, 'GET', p)));

    // Assess
    expect(verdicts).toEqual(['allow', 'deny', 'deny', 'allow', 'deny']);
  });

  it('answers a cached tenant policy that never opens another tenant', async () => {
    // Prepare
    const arn = methodArn('GET', '/tenants/acme/pets/1');

    // Act
    const outcome = await idTokens.invoke({ type: 'TOKEN', authorizationToken: `Bearer ${pool.tokens.admin.id}`, methodArn: arn });

    // Assess
    expect(outcome.kind).toBe('answer');
    if (outcome.kind !== 'answer') return;
    expect(['DELETE /tenants/acme/x', 'GET /tenants/globex/pets/1', 'GET /tenants/acm/pets'].map((r) => evaluate(outcome.result, methodArn(...(r.split(' ') as [string, string])))))
      .toEqual(['Allow', 'Deny', 'Deny']);
  });

  it('binds the owner route to the access token’s sub', async () => {
    // Prepare
    const sub = claimsOf(pool.tokens.carol.access)['sub'] as string;
    const other = claimsOf(pool.tokens.reader.access)['sub'] as string;

    // Act
    const verdicts = [
      await decide(accessTokens, pool.tokens.carol.access, 'GET', `/users/${sub}/pets`),
      await decide(accessTokens, pool.tokens.carol.access, 'GET', `/users/${other}/pets`),
    ];

    // Assess
    expect(verdicts).toEqual(['allow', 'deny']);
  });

  it('denies tenant routes to access tokens, which carry no custom attribute', async () => {
    // Act
    const verdict = await decide(accessTokens, pool.tokens.reader.access, 'GET', '/tenants/acme/pets/1');

    // Assess
    expect(verdict).toBe('deny');
  });
});

describe('npm start against moto_server', () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi(motoIssuerEnv());
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('says in its banner that it uses the issuer from the environment', () => {
    // Prepare
    const banner = api.child.stdout();

    // Act
    const line = banner.split('\n').find((l) => l.includes('issuer:'));

    // Assess
    expect(line).toContain(`issuer: from the environment — USER_POOL_IDS=${pool.poolId}`);
  });

  it('answers 200 to an admin, 403 to a reader deleting, and 401 without or with a tampered token', async () => {
    // Prepare
    const url = `${api.url}/pets`;

    // Act
    const statuses = [
      (await http(url, { token: pool.tokens.admin.access })).status,
      (await http(`${url}/1`, { method: 'DELETE', token: pool.tokens.reader.access })).status,
      (await http(url)).status,
      (await http(url, { token: tamper(pool.tokens.reader.access) })).status,
    ];

    // Assess
    expect(statuses).toEqual([200, 403, 401, 401]);
  });

  it('echoes the no-group user’s context on GET /me', async () => {
    // Prepare
    const token = pool.tokens.carol.access;

    // Act
    const res = await http(`${api.url}/me`, { token });

    // Assess
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/"username":\s*"carol"/);
  });
});
