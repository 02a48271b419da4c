// The smoke's check table (scripts/lib/smoke/checks.ts) and its judge (judge.ts): the answers the rules promise, per caller and API kind.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planChecks, whoOf, type CallerFacts, type Expectation, type PlanInput, type PlannedCheck } from '../../scripts/lib/smoke/checks';
import { judge, type Answer, type JudgeContext } from '../../scripts/lib/smoke/judge';
import { checkLine } from '../../scripts/lib/smoke/report';
import { ROOT } from '../../scripts/lib/paths';
import type { RulesDoc } from '../helpers/oracle';

const BUNDLED = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as RulesDoc;

/** The bundled rules plus the owner and tenant routes (bound to sub and custom:tenant_id). */
const BOUND: RulesDoc = {
  ...BUNDLED,
  routes: [
    ...BUNDLED.routes,
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'GET /tenants/{tenantId}/pets', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
  ],
};

const CALLERS: CallerFacts[] = [
  { role: 'admin', sub: 'sub-admin', username: 'cra-smoke-abc123-admin', groups: ['admins'], tenant: 'cra-smoke-abc123-tenant-a' },
  { role: 'reader', sub: 'sub-reader', username: 'cra-smoke-abc123-reader', groups: ['readers'], tenant: 'cra-smoke-abc123-tenant-a' },
  { role: 'nogroups', sub: 'sub-nogroups', username: 'cra-smoke-abc123-nogroups', groups: [], tenant: 'cra-smoke-abc123-tenant-b' },
  { role: 'suspended', sub: 'sub-suspended', username: 'cra-smoke-abc123-suspended', groups: ['admins', 'suspended'], tenant: 'cra-smoke-abc123-tenant-a' },
];

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({ api: 'rest', rules: BUNDLED, rulesLabel: 'config/rules.json', tokenUse: 'access', clientId: 'client-1', callers: CALLERS, ...overrides });

/** A check as one short line: who, request, expected status (b = from the backend). */
function row(check: PlannedCheck): string {
  const e = check.expect;
  const expected = e.kind === 'backend' ? `${e.status}b` : e.kind === 'denied' ? '403' : e.kind === 'unauthorized' ? '401' : e.kind === 'no-route' ? 'none' : 'preflight';
  return `${check.who} ${check.probe.method} ${check.probe.shown} ${expected}`;
}

const rowsOf = (table: ReturnType<typeof planChecks>, who: string): string[] => table.checks.filter((c) => c.who === who).map(row);

describe('smoke check table: the bundled rules on the REST API', () => {
  const table = planChecks(input());

  it('gives each caller the documented answers, its first request first', () => {
    // Act
    const rows = ['admin', 'reader', 'nogroups', 'suspended'].map((who) => rowsOf(table, who));

    // Assess
    expect(rows).toEqual([
      [
        'admin GET /pets 200b',
        'admin GET /pets/1 200b',
        'admin DELETE /pets/cra-smoke-none 404b',
        'admin POST /pets {} 400b',
        'admin GET /admin/cra-smoke 200b',
        'admin GET /me 200b',
        'admin GET /cra-smoke-no-such-route none',
      ],
      [
        'reader GET /pets/1 200b',
        'reader DELETE /pets/cra-smoke-none 403',
        'reader GET /pets 200b',
        'reader POST /pets {} 403',
        'reader GET /admin/cra-smoke 403',
        'reader GET /me 200b',
      ],
      ['nogroups GET /me 200b', 'nogroups GET /pets/1 403', 'nogroups DELETE /pets/cra-smoke-none 403', 'nogroups GET /pets 403', 'nogroups POST /pets {} 403', 'nogroups GET /admin/cra-smoke 403'],
      [
        'suspended GET /me 403',
        'suspended GET /pets/1 403',
        'suspended DELETE /pets/cra-smoke-none 403',
        'suspended GET /pets 403',
        'suspended POST /pets {} 403',
        'suspended GET /admin/cra-smoke 403',
      ],
    ]);
  });

  it('marks each caller’s first request as the cached one and the others as reusing it', () => {
    // Act
    const reader = table.checks.filter((c) => c.who === 'reader').map((c) => c.cache);

    // Assess
    expect(reader).toEqual(['first', 'reuse', 'reuse', 'reuse', 'reuse', 'reuse']);
  });

  it('starts with no token (it tells whether the API answers) and refuses bad credentials after the callers', () => {
    // Act
    const order = table.checks.map((c) => c.who).filter((who, i, all) => all.indexOf(who) === i);

    // Assess
    expect({ first: table.checks[0]?.reachability, order }).toEqual({ first: true, order: ['no token', 'preflight', 'admin', 'reader', 'nogroups', 'suspended', 'malformed', 'tampered', 'wrong use'] });
  });

  it('asks GET /me to echo each allowed caller', () => {
    // Act
    const me = table.checks.find((c) => c.who === 'reader' && c.probe.path === '/me')?.expect;

    // Assess
    expect(me).toEqual({ kind: 'backend', status: 200, me: { sub: 'sub-reader', username: 'cra-smoke-abc123-reader', clientId: 'client-1', tokenUse: 'access', groups: ['readers'] } });
  });

  it('skips the owner and tenant routes the bundled rules do not have, once each', () => {
    // Act
    const skipped = table.skipped.map((s) => `${s.what}: ${s.why}`);

    // Assess
    expect(skipped).toEqual(['GET /users/{sub}/pets: no route in the rules (config/rules.json)', 'GET /tenants/{tenant}/pets: no route in the rules (config/rules.json)']);
  });
});

describe('smoke check table: API kinds and bound routes', () => {
  it('expects 404 for an unknown route on an HTTP API, 403 on a REST API', () => {
    // Act
    const kinds = (['rest', 'http'] as const).map((api) => planChecks(input({ api })).checks.find((c) => c.expect.kind === 'no-route'));

    // Assess
    expect(kinds.map((c) => c && checkLine(c, []))).toEqual(['REST admin      GET /cra-smoke-no-such-route → 403 (Missing Authentication Token)', 'HTTP admin      GET /cra-smoke-no-such-route → 404 (no route)']);
  });

  it('allows each caller its own sub’s route and denies another user’s, the admin included', () => {
    // Act
    const table = planChecks(input({ rules: BOUND }));

    // Assess
    expect(table.checks.filter((c) => c.probe.shown.startsWith('/users/')).map(row)).toEqual([
      "admin GET /users/{own sub}/pets 200b",
      "admin GET /users/{reader's sub}/pets 403",
      "reader GET /users/{own sub}/pets 200b",
      "reader GET /users/{nogroups's sub}/pets 403",
      "nogroups GET /users/{own sub}/pets 200b",
      "nogroups GET /users/{suspended's sub}/pets 403",
      "suspended GET /users/{own sub}/pets 403",
      "suspended GET /users/{admin's sub}/pets 403",
    ]);
  });

  it('denies the tenant route to access tokens, which carry no custom:tenant_id, and says why', () => {
    // Act
    const own = planChecks(input({ rules: BOUND })).checks.find((c) => c.who === 'reader' && c.probe.shown === '/tenants/{own tenant}/pets');

    // Assess
    expect(own && checkLine(own, [])).toBe('REST reader     GET /tenants/{own tenant}/pets → 403 (denied) (access tokens carry no custom:tenant_id), within the TTL');
  });

  it('allows ID tokens their own tenant’s route only', () => {
    // Act
    const table = planChecks(input({ rules: BOUND, tokenUse: 'id', api: 'http' }));

    // Assess
    expect(table.checks.filter((c) => c.probe.shown.startsWith('/tenants/')).map(row)).toEqual([
      'admin GET /tenants/{own tenant}/pets 200b',
      'admin GET /tenants/{other tenant}/pets 403',
      'reader GET /tenants/{own tenant}/pets 200b',
      'reader GET /tenants/{other tenant}/pets 403',
      'nogroups GET /tenants/{own tenant}/pets 200b',
      'nogroups GET /tenants/{other tenant}/pets 403',
      'suspended GET /tenants/{own tenant}/pets 403',
      'suspended GET /tenants/{other tenant}/pets 403',
    ]);
  });

  it('skips the tenant route when no demo user has a tenant (the pool lacks the attribute)', () => {
    // Act
    const table = planChecks(input({ rules: BOUND, callers: CALLERS.map(({ tenant: _tenant, ...rest }) => rest) }));

    // Assess
    expect(table.skipped.map((s) => `${s.what}: ${s.why}`)).toEqual(['GET /tenants/{tenant}/pets: no demo user has custom:tenant_id']);
  });

  it('sees the caller as Cognito’s tokens show it: custom attributes in ID tokens only', () => {
    // Act
    const [access, id] = (['access', 'id'] as const).map((use) => whoOf(CALLERS[1] as CallerFacts, use, 'client-1'));

    // Assess
    expect(access?.claims?.['custom:tenant_id']).toBeUndefined();
    expect(id?.claims).toMatchObject({ 'custom:tenant_id': 'cra-smoke-abc123-tenant-a', 'cognito:username': 'cra-smoke-abc123-reader', aud: 'client-1' });
    expect(access?.scopes).toEqual(['aws.cognito.signin.user.admin']);
  });
});

/** An answer with these headers (lower-case names) and a JSON body. */
const answer = (status: number, headers: Record<string, string>, body: unknown = {}): Answer => ({ status, headers, text: JSON.stringify(body) });
const REST: JudgeContext = { api: 'rest', corsOrigin: '*' };
const HTTP: JudgeContext = { api: 'http', corsOrigin: '*' };
const GATEWAY_CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Authorization,Content-Type' };
const BACKEND = { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' };
const UNAUTHORIZED: Expectation = { kind: 'unauthorized' };

describe('smoke judge', () => {
  it('passes a REST 401 with WWW-Authenticate: Bearer and the gateway response’s CORS headers', () => {
    // Act
    const verdict = judge(UNAUTHORIZED, answer(401, { ...GATEWAY_CORS, 'www-authenticate': 'Bearer' }, { message: 'Unauthorized' }), REST);

    // Assess
    expect(verdict).toEqual({ problems: [], observations: [] });
  });

  it('fails a REST 401 without WWW-Authenticate or CORS headers, saying which', () => {
    // Act
    const verdict = judge(UNAUTHORIZED, answer(401, {}, { message: 'Unauthorized' }), REST);

    // Assess
    expect(verdict.problems).toEqual(['Access-Control-Allow-Origin missing, expected "*"', 'Access-Control-Allow-Headers does not list Authorization', 'WWW-Authenticate missing, expected "Bearer"']);
  });

  it('passes an HTTP API 401 on its status, and notes whether it carries CORS headers', () => {
    // Act
    const verdict = judge(UNAUTHORIZED, answer(401, {}, { message: 'Unauthorized' }), HTTP);

    // Assess
    expect(verdict).toEqual({
      problems: [],
      observations: [{ key: 'cors-401', text: 'HTTP API 401 answers carry no Access-Control-Allow-Origin: a browser sees a CORS error, not the status (AWS documents CORS headers on integration answers only)' }],
    });
  });

  it('fails a wrong status with the expected and the received answer', () => {
    // Act
    const verdict = judge({ kind: 'denied' }, answer(200, BACKEND, { pets: [] }), REST);

    // Assess
    expect(verdict.problems).toEqual(['expected 403 (denied), got 200 {"pets":[]}']);
  });

  it('tells a REST "no such route" 403 from a denial', () => {
    // Act
    const verdict = judge({ kind: 'denied' }, answer(403, GATEWAY_CORS, { message: 'Missing Authentication Token' }), REST);

    // Assess
    expect(verdict.problems).toEqual(['"Missing Authentication Token": the API has no such route (deployed without it?)']);
  });

  it('requires an allowed answer to come from the sample backend, and to be the answer asked for', () => {
    // Act
    const fromGateway = judge({ kind: 'backend', status: 404, mentions: 'cra-smoke-none' }, answer(404, GATEWAY_CORS, { message: 'Not Found' }), HTTP);

    // Assess
    expect(fromGateway.problems).toEqual(['not the sample backend\'s answer (no "Cache-Control: no-store")', 'the body does not mention cra-smoke-none: {"message":"Not Found"}']);
  });

  it('compares GET /me’s echo with the caller, groups in any order', () => {
    // Prepare
    const me = { sub: 's1', username: 'u1', clientId: 'c1', tokenUse: 'access' as const, groups: ['admins', 'suspended'] };

    // Act
    const same = judge({ kind: 'backend', status: 200, me }, answer(200, BACKEND, { ...me, groups: ['suspended', 'admins'] }), REST);
    const other = judge({ kind: 'backend', status: 200, me }, answer(200, BACKEND, { ...me, sub: 's2', groups: [] }), REST);

    // Assess
    expect([same.problems, other.problems]).toEqual([[], ['/me sub "s2", expected "s1"', '/me groups [], expected ["admins","suspended"]']]);
  });

  it('passes a preflight that allows the method and the Authorization header, 200 or 204', () => {
    // Prepare
    const headers = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT', 'access-control-allow-headers': 'authorization,content-type' };

    // Act
    const verdicts = [judge({ kind: 'preflight', method: 'DELETE' }, answer(204, headers), HTTP), judge({ kind: 'preflight', method: 'DELETE' }, answer(200, headers), REST)];

    // Assess
    expect(verdicts.map((v) => v.problems)).toEqual([[], []]);
  });

  it('fails a preflight that needs a token', () => {
    // Act
    const verdict = judge({ kind: 'preflight', method: 'DELETE' }, answer(401, GATEWAY_CORS, { message: 'Unauthorized' }), REST);

    // Assess
    expect(verdict.problems).toEqual(['expected 2xx preflight allowing DELETE, got 401 {"message":"Unauthorized"}']);
  });

  it('expects the configured origin, not *, when the stack names one', () => {
    // Act
    const verdict = judge({ kind: 'backend', status: 200 }, answer(200, BACKEND, {}), { api: 'rest', corsOrigin: 'https://app.example.com' });

    // Assess
    expect(verdict.problems).toEqual(['Access-Control-Allow-Origin "*", expected "https://app.example.com"']);
  });
});
