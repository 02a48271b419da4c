// `explain`: the policy it shows is the real handler's answer for the same caller and request, its
// cached-reuse table never allows what the rules deny, and its errors are usage errors.
import type { Authorizer } from '../../src/authorizer';
import { SAMPLE_SUB } from '../../src/cli/callers';
import { setup, type TestSetup } from '../helpers/authorizer';
import { jsonOf, runBuiltTool, runTool, tempFile } from '../helpers/cli';
import { http1Event, httpEvent, tokenEvent } from '../helpers/events';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { policyOf } from '../helpers/policy';

/** The rules of the architecture page: groups, scopes, ANY, greedy routes, bound routes, a claim grant, a deny. */
const RULES = {
  routes: [
    { route: 'GET /pets', allow: ['group:readers', 'scope:pets/read'] },
    { route: 'GET /pets/{petId}', allow: ['group:readers', 'scope:pets/read'] },
    { route: 'DELETE /pets/{petId}', allow: ['group:admins'] },
    { route: 'ANY /admin/{proxy+}', allow: ['group:admins'] },
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
  ],
  deny: ['group:suspended'],
};

interface Explained {
  decision: 'allow' | 'deny';
  route: string | null;
  reason: string;
  policy: unknown;
  reuse: { request: string; decision: string; rules: string; agree: boolean; note?: string }[];
  because: { kind: string; grant?: string; claim?: string; message: string };
  principalId: string;
  context: Record<string, string>;
  policyMode: string;
  notes: string[];
}

/** A caller as explain options and as the claims of a signed token. */
interface Case {
  readonly name: string;
  readonly groups?: string[];
  readonly scopes?: string[];
  readonly claims?: Record<string, string>;
  readonly method: string;
  readonly path: string;
}

const CASES: Case[] = [
  { name: 'a reader reads a pet', groups: ['readers'], method: 'GET', path: '/pets/17' },
  { name: 'a reader deletes a pet', groups: ['readers'], method: 'DELETE', path: '/pets/17' },
  { name: 'an admin under /admin', groups: ['admins'], method: 'POST', path: '/admin/users/42/reset' },
  { name: 'a suspended admin', groups: ['admins', 'suspended'], method: 'DELETE', path: '/pets/17' },
  { name: 'a scope client', scopes: ['pets/read'], method: 'GET', path: '/pets' },
  { name: 'an owner on their own pets', method: 'GET', path: `/users/${SAMPLE_SUB}/pets` },
  { name: 'an owner on another user', method: 'GET', path: '/users/someone-else/pets' },
  { name: 'a tenant in its tenant', claims: { 'custom:tenant_id': 'acme' }, method: 'PUT', path: '/tenants/acme/pets/9' },
  { name: 'a tenant in another tenant', claims: { 'custom:tenant_id': 'acme' }, method: 'GET', path: '/tenants/globex/pets' },
  { name: 'a pro caller on reports', claims: { 'custom:plan': 'pro' }, method: 'GET', path: '/reports' },
  { name: 'nobody governs the path', groups: ['admins'], method: 'GET', path: '/nowhere' },
];

/** explain's options for a case. */
function explainArgs(c: Case, extra: string[] = []): string[] {
  const args = ['explain', '--rules', rulesFile, '--json', ...extra];
  if (c.groups !== undefined) args.push('--groups', c.groups.join(','));
  if (c.scopes !== undefined) args.push('--scopes', c.scopes.join(','));
  for (const [k, v] of Object.entries(c.claims ?? {})) args.push('--claim', `${k}=${v}`);
  return [...args, c.method, c.path];
}

let rulesFile: string;

describe('explain agrees with the authorizer', () => {
  let t: TestSetup;
  let authorizer: Authorizer;

  beforeAll(async () => {
    rulesFile = tempFile('rules.json', RULES);
    t = await setup();
    authorizer = t.make({ ROUTE_RULES: JSON.stringify(RULES) });
  });
  afterAll(() => t.stop());

  const token = (c: Case): string =>
    signJwt(t.key, cognitoClaims({ groups: c.groups, scopes: c.scopes ?? [], sub: SAMPLE_SUB, extra: c.claims ?? {} }));

  it.each(CASES.map((c) => [c.name, c]))('REST TOKEN: %s — the same policy, decision and principal', async (_name, c) => {
    // Prepare
    const event = tokenEvent(`Bearer ${token(c)}`, c.method, c.path);

    // Act
    const shown = jsonOf<Explained>(runTool(explainArgs(c)));
    const answered = policyOf(await authorizer.handler(event));

    // Assess
    expect(shown.policy).toEqual(answered.policyDocument);
    expect(shown.principalId).toBe(answered.principalId);
    expect(shown.context['groups']).toBe(answered.context?.['groups']);
  });

  it.each(CASES.map((c) => [c.name, c]))('HTTP payload 1.0 ($default stage): %s — the same policy', async (_name, c) => {
    // Prepare
    const event = http1Event(`Bearer ${token(c)}`, c.method, c.path);

    // Act
    const shown = jsonOf<Explained>(runTool(explainArgs(c, ['--api', 'http'])));
    const answered = policyOf(await authorizer.handler(event));

    // Assess
    expect(shown.policy).toEqual(answered.policyDocument);
  });

  it('HTTP payload 2.0 on a named stage, the matched route being the governing one: the same policy', async () => {
    // Prepare
    const c: Case = { name: 'reader', groups: ['readers'], method: 'GET', path: '/pets/17' };
    const event = httpEvent(`Bearer ${token(c)}`, 'GET', '/pets/17', { routeKey: 'GET /pets/{petId}', target: { stage: 'live' } });

    // Act
    const shown = jsonOf<Explained>(runTool(explainArgs(c, ['--api', 'http', '--stage', 'live'])));
    const answered = policyOf(await authorizer.handler(event));

    // Assess
    expect(shown.policy).toEqual(answered.policyDocument);
  });

  it.each(CASES.map((c) => [c.name, c]))('%s: no cached reuse allows what the rules deny', (_name, c) => {
    // Prepare
    const args = explainArgs(c);

    // Act
    const shown = jsonOf<Explained>(runTool(args));

    // Assess
    expect(shown.reuse.length).toBeGreaterThan(4);
    expect(shown.reuse.filter((r) => r.decision === 'allow' && r.rules === 'deny')).toEqual([]);
  });
});

describe('explain says what decided', () => {
  beforeAll(() => {
    rulesFile = tempFile('rules.json', RULES);
  });

  it.each([
    ['the allow grant that held', CASES[0], { kind: 'allow-grant', grant: 'group:readers' }, 'granted'],
    ['the top-level deny', CASES[3], { kind: 'top-level-deny', grant: 'group:suspended' }, 'not-granted'],
    ['the allow grants none of which held', CASES[1], { kind: 'no-allow-grant' }, 'not-granted'],
    ['the bound claim that differs', CASES[6], { kind: 'bound-claim', claim: 'sub' }, 'bound-mismatch'],
    ['the routing', CASES[10], { kind: 'routing' }, 'no-route'],
  ] as const)('names %s', (_what, c, because, reason) => {
    // Prepare
    const args = explainArgs(c as Case);

    // Act
    const shown = jsonOf<Explained>(runTool(args));

    // Assess
    expect(shown.reason).toBe(reason);
    expect(shown.because).toMatchObject(because);
  });

  it.each(['/pets', '/pets/'])('says a REST resource without the method is no route, for POST %s', (path) => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, '--json', '--groups', 'admins', 'POST', path];

    // Act
    const shown = jsonOf<Explained>(runTool(args));

    // Assess
    expect(shown.reason).toBe('no-route');
    expect(shown.because.message).toBe(
      `no route of the rules governs POST ${path} (the path is routed for GET, but its resource has no POST or ANY rule: REST APIs pick the resource first)`,
    );
  });

  it('names the path\'s bound value when a REST path ends in /', () => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, '--json', 'GET', '/users/someone-else/pets/'];

    // Act
    const shown = jsonOf<Explained>(runTool(args));

    // Assess
    expect(shown.reason).toBe('bound-mismatch');
    expect(shown.because.message).toBe(`{userId} is "someone-else" but the caller's sub is "${SAMPLE_SUB}": only the caller's own value is granted`);
  });

  it('names a bound claim the token lacks', () => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, '--json', 'GET', '/tenants/acme/pets'];

    // Act
    const shown = jsonOf<Explained>(runTool(args));

    // Assess
    expect(shown.reason).toBe('missing-claim');
    expect(shown.because.message).toBe('{tenantId} is bound to the claim custom:tenant_id, which is not in the token');
  });

  it('prints the contract fields in JSON: decision, route, reason, policy, reuse', () => {
    // Prepare
    const args = explainArgs(CASES[0] as Case);

    // Act
    const shown = jsonOf<Record<string, unknown>>(runTool(args));

    // Assess
    expect(Object.keys(shown).slice(0, 5)).toEqual(['decision', 'route', 'reason', 'policy', 'reuse']);
    expect(shown['decision']).toBe('allow');
    expect(shown['route']).toBe('GET /pets/{petId}');
    expect((shown['reuse'] as { request: string; decision: string }[])[0]).toEqual(expect.objectContaining({ request: 'GET /pets', decision: 'allow' }));
  });

  it('with --token-use id, sends an ID token\'s claims (aud, no scope) and says custom claims of access tokens need a trigger', () => {
    // Prepare
    const claim = ['--claim', 'custom:plan=pro'];

    // Act
    const asId = jsonOf<Explained>(runTool(['explain', '--rules', rulesFile, '--json', '--token-use', 'id', ...claim, 'GET', '/reports']));
    const asAccess = jsonOf<Explained>(runTool(['explain', '--rules', rulesFile, '--json', ...claim, 'GET', '/reports']));

    // Assess
    expect(asId.context['tokenUse']).toBe('id');
    expect(asId.notes).toEqual([]);
    expect(asAccess.context['tokenUse']).toBe('access');
    expect(asAccess.notes[0]).toMatch(/custom:plan: Cognito puts custom attributes in ID tokens/);
    expect([asId.decision, asAccess.decision]).toEqual(['allow', 'allow']);
  });

  it('reads a claim value after the last "=", and a claim given twice as an array', () => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, '--json', '--claim', 'custom:plan=basic', '--claim', 'custom:plan=pro', 'GET', '/reports'];

    // Act
    const shown = jsonOf<Explained & { caller: { claims: Record<string, unknown> } }>(runTool(args));

    // Assess
    expect(shown.caller.claims).toEqual({ 'custom:plan': ['basic', 'pro'] });
    expect(shown.decision).toBe('allow');
  });

  it('prints a readable explanation with the reuse table, no colour when not on a terminal (child process)', () => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, '--groups', 'readers', 'GET', '/pets/17'];

    // Act
    const run = runBuiltTool(args);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).toMatch(/decision +ALLOW \(granted\)/);
    expect(run.stdout).toMatch(/because +the allow grant group:readers holds/);
    expect(run.stdout).toMatch(/GET \/pets +GET \/pets +allow +allow/);
    expect(run.stdout).toContain('Every cached reuse answers as the rules do.');
  });
});

describe('explain: usage errors and invalid rules', () => {
  beforeAll(() => {
    rulesFile = tempFile('rules.json', RULES);
  });

  it.each([
    [['GET'], 'explain: give METHOD and PATH'],
    [['ANY', '/pets'], 'explain: METHOD must be one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'],
    [['GET', '/pets?page=2'], 'explain: PATH must start with "/" and have no spaces, query string or fragment'],
    [['--scopes', 'pets/read', '--token-use', 'id', 'GET', '/pets'], 'explain: --scopes with --token-use id'],
    [['--claim', 'novalue', 'GET', '/pets'], 'explain: --claim "novalue" is not NAME=VALUE'],
    [['--stage', 'no/slash', 'GET', '/pets'], 'explain: --stage or PATH cannot be in an execute-api ARN'],
    [['--group', 'readers', 'GET', '/pets'], 'explain: unknown option "--group"'],
  ])('exits 2 for %j', (argv, message) => {
    // Prepare
    const args = ['explain', '--rules', rulesFile, ...argv];

    // Act
    const run = runTool(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('exits 1 for invalid rules, naming the JSON path, with nothing on stdout (child process)', () => {
    // Prepare
    const bad = tempFile('rules.json', { routes: [{ route: 'GET /pets', allow: ['group:readers'], bind: { petId: 'sub' } }] });

    // Act
    const run = runBuiltTool(['explain', '--rules', bad, 'GET', '/pets']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('routes[0].bind.petId: the route "/pets" has no {petId} parameter');
  });

  it('exits 2 with an unknown option, on stderr only (child process)', () => {
    // Prepare
    const args = ['explain', '--bogus', 'GET', '/pets'];

    // Act
    const run = runBuiltTool(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('explain: unknown option "--bogus"');
  });
});
