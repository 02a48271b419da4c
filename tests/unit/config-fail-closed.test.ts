// Configuration fails closed: every bad variable or rules document stops the cold start with a
// ConfigurationError naming the variable (or the rules' JSON path) — never a handler that allows.
import { createAuthorizer, type Authorizer } from '../../src/authorizer';
import { ConfigurationError, RulesError } from '../../src/errors';
import { capturingLogger, type LogLine } from '../helpers/authorizer';
import { CLIENT_ID, POOL_ID } from '../helpers/issuer';

const GOOD = {
  USER_POOL_IDS: POOL_ID,
  CLIENT_IDS: CLIENT_ID,
  // A closed loopback port: cold-start hydration fails at once and nothing leaves the host.
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9',
} as const;
const ROUTES = [{ route: 'GET /pets', allow: ['group:readers'] }];
const rules = (doc: unknown): string => JSON.stringify(doc);

/** The authorizers built, so the file waits for their (failing) hydration: its warnings land in their logs, not after the tests. */
const built: Authorizer[] = [];
afterAll(() => Promise.all(built.map((a) => a.ready)));

/** Builds an authorizer from GOOD plus overrides; returns the error it threw (or the authorizer). */
function build(overrides: Record<string, string | undefined>, logs: LogLine[] = []): { error?: unknown; authorizer?: Authorizer } {
  try {
    const authorizer = createAuthorizer({ env: { ...GOOD, ...overrides }, logger: capturingLogger(logs, []) });
    built.push(authorizer);
    return { authorizer };
  } catch (error) {
    return { error };
  }
}

describe('configuration fails closed', () => {
  it('builds with the good configuration, so each failure below is about its one change', () => {
    // Act
    const { error, authorizer } = build({});

    // Assess
    expect(error).toBeUndefined();
    expect(authorizer?.config.userPoolIds).toEqual([POOL_ID]);
  });

  it.each([
    ['USER_POOL_IDS', 'missing', undefined],
    ['USER_POOL_IDS', 'empty', ''],
    ['USER_POOL_IDS', 'only spaces', '   '],
    ['USER_POOL_IDS', 'a region without a pool', 'us-east-1'],
    ['USER_POOL_IDS', 'a wildcard', '*'],
    ['USER_POOL_IDS', 'a good id and a wildcard', `${POOL_ID},*`],
    ['USER_POOL_IDS', 'a trailing comma', `${POOL_ID},`],
    ['USER_POOL_IDS', 'an upper-case region', 'US-EAST-1_TestPool1'],
    ['USER_POOL_IDS', 'an id with a space', 'us-east-1_Test Pool'],
    ['USER_POOL_IDS', 'an id with a path', 'us-east-1_TestPool1/../x'],
    ['USER_POOL_IDS', 'an issuer URL', `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`],
    ['CLIENT_IDS', 'missing', undefined],
    ['CLIENT_IDS', 'empty', ''],
    ['CLIENT_IDS', 'a wildcard', '*'],
    ['CLIENT_IDS', 'an empty entry', `${CLIENT_ID},,other`],
    ['CLIENT_IDS', 'an id with a space', 'abc def'],
    ['CLIENT_IDS', 'an id with a slash', 'abc/def'],
    ['CLIENT_IDS', 'an id over 128 characters', 'a'.repeat(129)],
    ['TOKEN_USE', 'upper case', 'ID'],
    ['TOKEN_USE', 'both', 'access,id'],
    ['TOKEN_USE', 'refresh', 'refresh'],
    ['TOKEN_USE', 'any', '*'],
    ['SIMPLE_RESPONSES', 'upper case', 'TRUE'],
    ['SIMPLE_RESPONSES', 'yes', 'yes'],
    ['SIMPLE_RESPONSES', 'a number', '1'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'http to a private address', 'http://10.0.0.1:5000'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'http to a public host', 'http://cognito.example.com'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'http to a look-alike of localhost', 'http://localhost.evil.example'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'http to a look-alike of 127.0.0.1', 'http://127.0.0.1.nip.io'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'http to 0.0.0.0', 'http://0.0.0.0:5000'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'another scheme', 'ftp://127.0.0.1/'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'a file URL', 'file:///etc/passwd'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'not a URL', 'localhost:5000'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'a URL with credentials', 'https://user:secret@cognito.example.com'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'a URL with a query', 'https://cognito.example.com/?x=1'],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'a URL with a fragment', 'https://cognito.example.com/#x'],
  ])('refuses %s that is %s, naming it', (variable, _name, value) => {
    // Prepare
    const logs: LogLine[] = [];

    // Act
    const { error, authorizer } = build({ [variable]: value }, logs);

    // Assess
    expect(authorizer).toBeUndefined();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ setting: variable, message: expect.stringContaining(variable) });
    expect(logs.find((l) => l['message'] === 'invalid configuration')).toMatchObject({ level: 'ERROR', setting: variable, errorMessage: expect.stringContaining(variable) });
  });

  it('refuses AWS_ENDPOINT_URL over http to a non-loopback host when it is the only endpoint', () => {
    // Act
    const { error } = build({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: undefined, AWS_ENDPOINT_URL: 'http://192.168.1.10:4566' });

    // Assess
    expect(error).toMatchObject({ name: 'ConfigurationError', setting: 'AWS_ENDPOINT_URL' });
  });

  it.each([
    ['invalid JSON', '{"routes": ['],
    ['JSON with trailing text', `${rules({ routes: ROUTES })} x`],
    ['a __proto__ key', '{"routes":[{"route":"GET /pets","allow":["authenticated"]}],"__proto__":{"deny":[]}}'],
    ['a constructor key', '{"routes":[{"route":"GET /pets","allow":["authenticated"],"constructor":{"prototype":{"x":1}}}]}'],
    ['a nested prototype key', '{"routes":[{"route":"GET /pets","allow":["authenticated"]}],"description":"x","deny":[],"x":{"prototype":1}}'],
    ['a duplicated top-level key', '{"routes":[{"route":"GET /pets","allow":[]}],"routes":[{"route":"GET /pets","allow":["authenticated"]}]}'],
    ['a duplicated key in a route', '{"routes":[{"route":"GET /pets","allow":[],"allow":["authenticated"]}]}'],
  ])('refuses ROUTE_RULES that is %s, naming ROUTE_RULES', (_name, value) => {
    // Act
    const { error } = build({ ROUTE_RULES: value });

    // Assess
    expect(error).toMatchObject({ name: 'ConfigurationError', setting: 'ROUTE_RULES', message: expect.stringContaining('ROUTE_RULES') });
  });

  it.each([
    ['an array', [], 'rules'],
    ['null', null, 'rules'],
    ['a string', 'GET /pets', 'rules'],
    ['an unknown top-level key', { routes: ROUTES, allow: ['authenticated'] }, 'rules'],
    ['a misspelt route key', { routes: [{ route: 'GET /pets', allow: [], alow: ['authenticated'] }] }, 'routes[0]'],
    ['no routes', { deny: [] }, 'routes'],
    ['an empty route list', { routes: [] }, 'routes'],
    ['a route that is not an object', { routes: ['GET /pets'] }, 'routes[0]'],
    ['a route without allow', { routes: [{ route: 'GET /pets' }] }, 'routes[0].allow'],
    ['allow as a string', { routes: [{ route: 'GET /pets', allow: 'group:admins' }] }, 'routes[0].allow'],
    ['deny as a string', { routes: [{ route: 'GET /pets', allow: [], deny: 'group:x' }] }, 'routes[0].deny'],
    ['a top-level deny as an object', { routes: ROUTES, deny: { group: 'x' } }, 'deny'],
    ['a description that is not a string', { routes: ROUTES, description: 1 }, 'description'],
    ['a route without a method', { routes: [...ROUTES, { route: '/pets/{id}', allow: [] }] }, 'routes[1].route'],
    ['a lower-case method', { routes: [...ROUTES, { route: 'get /x', allow: [] }] }, 'routes[1].route'],
    ['an unknown method', { routes: [...ROUTES, { route: 'FETCH /x', allow: [] }] }, 'routes[1].route'],
    ['a path without a leading slash', { routes: [...ROUTES, { route: 'GET x', allow: [] }] }, 'routes[1].route'],
    ['two spaces', { routes: [...ROUTES, { route: 'GET  /x', allow: [] }] }, 'routes[1].route'],
    ['a trailing slash', { routes: [...ROUTES, { route: 'GET /x/', allow: [] }] }, 'routes[1].route'],
    ['an empty segment', { routes: [...ROUTES, { route: 'GET /x//y', allow: [] }] }, 'routes[1].route'],
    ['a greedy segment before the end', { routes: [...ROUTES, { route: 'GET /{proxy+}/x', allow: [] }] }, 'routes[1].route'],
    ['a parameter used twice', { routes: [...ROUTES, { route: 'GET /{a}/{a}', allow: [] }] }, 'routes[1].route'],
    ['a partial parameter', { routes: [...ROUTES, { route: 'GET /a{b}', allow: [] }] }, 'routes[1].route'],
    ['an IAM wildcard', { routes: [...ROUTES, { route: 'GET /a*', allow: [] }] }, 'routes[1].route'],
    ['an IAM single-character wildcard', { routes: [...ROUTES, { route: 'GET /a?', allow: [] }] }, 'routes[1].route'],
    ['a route that is a number', { routes: [...ROUTES, { route: 7, allow: [] }] }, 'routes[1].route'],
    ['a duplicate route', { routes: [...ROUTES, { route: 'GET /pets', allow: ['authenticated'] }] }, 'routes[1].route'],
    [
      'the same route with other parameter names',
      { routes: [{ route: 'GET /pets/{id}', allow: [] }, { route: 'GET /pets/{petId}', allow: ['authenticated'] }] },
      'routes[1].route',
    ],
    ['a grant without a kind', { routes: [{ route: 'GET /pets', allow: ['admins'] }] }, 'routes[0].allow[0]'],
    ['an unknown grant kind', { routes: [{ route: 'GET /pets', allow: ['role:admin'] }] }, 'routes[0].allow[0]'],
    ['a group without a name', { routes: [{ route: 'GET /pets', allow: ['group:'] }] }, 'routes[0].allow[0]'],
    ['a group name with a space', { routes: [{ route: 'GET /pets', allow: ['group:pet admins'] }] }, 'routes[0].allow[0]'],
    ['a wildcard grant', { routes: [{ route: 'GET /pets', allow: ['*'] }] }, 'routes[0].allow[0]'],
    ['"Authenticated" in another case', { routes: [{ route: 'GET /pets', allow: ['Authenticated'] }] }, 'routes[0].allow[0]'],
    ['a grant that is not a string', { routes: [{ route: 'GET /pets', allow: [{ group: 'admins' }] }] }, 'routes[0].allow[0]'],
    ['an unknown deny kind', { routes: ROUTES, deny: ['user:mallory'] }, 'deny[0]'],
    ['a claim grant without a value', { routes: [{ route: 'GET /pets', allow: ['claim:custom:plan'] }] }, 'routes[0].allow[0]'],
    ['a claim grant with an empty value', { routes: [{ route: 'GET /pets', allow: ['claim:plan='] }] }, 'routes[0].allow[0]'],
    ['a claim grant without a name', { routes: [{ route: 'GET /pets', allow: ['claim:=pro'] }] }, 'routes[0].allow[0]'],
    ['a claim name with a space', { routes: [{ route: 'GET /pets', allow: ['claim:my plan=pro'] }] }, 'routes[0].allow[0]'],
    ['a claim deny without a value', { routes: ROUTES, deny: ['claim:banned'] }, 'deny[0]'],
    ['a binding that is not an object', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: ['userId'] }] }, 'routes[0].bind'],
    ['an empty binding', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: {} }] }, 'routes[0].bind'],
    ['a binding of a parameter the route lacks', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: { id: 'sub' } }] }, 'routes[0].bind.id'],
    ['a binding of a literal segment', { routes: [{ route: 'GET /u/me', allow: ['authenticated'], bind: { me: 'sub' } }] }, 'routes[0].bind.me'],
    ['a binding of a greedy parameter', { routes: [{ route: 'ANY /t/{proxy+}', allow: ['authenticated'], bind: { proxy: 'custom:t' } }] }, 'routes[0].bind.proxy'],
    ['a binding to an empty claim name', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: { userId: '' } }] }, 'routes[0].bind.userId'],
    ['a binding to a claim name that is not a string', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: { userId: 7 } }] }, 'routes[0].bind.userId'],
    ['a binding to a claim name with a space', { routes: [{ route: 'GET /u/{userId}', allow: ['authenticated'], bind: { userId: 'my sub' } }] }, 'routes[0].bind.userId'],
  ])('refuses rules that have %s, naming %s', (_name, doc, path) => {
    // Act
    const { error } = build({ ROUTE_RULES: rules(doc) });

    // Assess
    expect(error).toBeInstanceOf(RulesError);
    expect(error).toMatchObject({ setting: path, message: expect.stringContaining(path) });
  });

  it.each([
    ['several pools and clients with spaces', { USER_POOL_IDS: `${POOL_ID}, eu-west-1_Other9`, CLIENT_IDS: `${CLIENT_ID} , abc` }],
    ['TOKEN_USE id with spaces', { TOKEN_USE: ' id ' }],
    ['SIMPLE_RESPONSES true', { SIMPLE_RESPONSES: 'true' }],
    ['SIMPLE_RESPONSES false', { SIMPLE_RESPONSES: 'false' }],
    ['a claim grant whose name has colons and value has "="', { ROUTE_RULES: rules({ routes: [{ route: 'GET /r', allow: ['claim:custom:plan=a=b'] }] }) }],
    ['bound parameters', { ROUTE_RULES: rules({ routes: [{ route: 'GET /t/{tenantId}/u/{userId}', allow: ['authenticated'], bind: { userId: 'sub', tenantId: 'custom:tenant_id' } }] }) }],
    // Hydration starts at once: every endpoint here is a closed loopback port (nothing leaves the host).
    ['an http endpoint on localhost', { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://localhost:9' }],
    ['an http endpoint on [::1]', { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://[::1]:9' }],
    ['an https endpoint', { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'https://127.0.0.1:9' }],
  ])('accepts %s', (_name, overrides) => {
    // Act
    const { error } = build(overrides);

    // Assess
    expect(error).toBeUndefined();
  });

  it('uses the bundled rules when ROUTE_RULES is blank, and says so in the cold-start line', () => {
    // Prepare
    const logs: LogLine[] = [];

    // Act
    const { authorizer } = build({ ROUTE_RULES: '  ' }, logs);

    // Assess
    expect(authorizer?.config.rulesSource).toBe('config/rules.json');
    expect(logs.find((l) => l['message'] === 'authorizer ready')).toMatchObject({ rules: 'config/rules.json' });
  });
});
