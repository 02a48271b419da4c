// `matrix`: the callers the rules tell apart × routes, agreeing with `explain` cell by cell, and
// readable in an 80–120 column terminal.
import { compileRules } from '../../src/rules';
import { governedRequest } from '../../src/cli/samples';
import { jsonOf, runBuiltTool, runTool, tempFile } from '../helpers/cli';

const RULES = {
  routes: [
    { route: 'GET /pets', allow: ['group:readers', 'scope:pets/read'] },
    { route: 'POST /pets', allow: ['group:admins', 'scope:pets/write'] },
    { route: 'GET /pets/{petId}', allow: ['group:readers', 'scope:pets/read'] },
    { route: 'GET /pets/{petId}/owner', allow: ['group:admins', 'group:owners'], deny: ['group:interns'] },
    { route: 'ANY /admin/{proxy+}', allow: ['group:admins'] },
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['group:staff'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
  ],
  deny: ['group:suspended'],
};

type Cell = 'allow' | 'deny' | 'own' | 'never';
interface Matrix {
  api: string;
  callers: { label: string; description: string; caller: { groups: string[]; scopes: string[]; claims: Record<string, unknown>; tokenUse: string } }[];
  routes: { route: string; index: number; cells: Record<string, Cell> }[];
}

describe('matrix', () => {
  let rulesFile: string;
  beforeAll(() => {
    rulesFile = tempFile('rules.json', RULES);
  });

  it('has a column per caller the rules tell apart', () => {
    // Prepare
    const args = ['matrix', '--rules', rulesFile, '--json'];

    // Act
    const m = jsonOf<Matrix>(runTool(args));

    // Assess
    expect(m.callers.map((c) => c.label)).toEqual([
      'auth',
      'g:suspended',
      'g:readers',
      's:pets/read',
      'g:admins',
      's:pets/write',
      'g:owners',
      'g:interns',
      'g:staff',
      'c:custom:plan=pro',
      'most',
      'most+g:suspended',
      'most+g:interns',
    ]);
  });

  it.each(['rest', 'http'] as const)('agrees with explain cell by cell (%s routing)', (api) => {
    // Prepare
    const m = jsonOf<Matrix>(runTool(['matrix', '--rules', rulesFile, '--json', '--api', api]));
    const rules = compileRules(RULES);

    // Act
    const disagreements: string[] = [];
    for (const caller of m.callers) {
      const claims = Object.entries(caller.caller.claims).flatMap(([k, v]) => ([] as unknown[]).concat(v).flatMap((x) => ['--claim', `${k}=${String(x)}`]));
      for (const row of m.routes) {
        const rule = rules.routes[row.index];
        if (rule === undefined) throw new Error(`no route ${row.index}`);
        const own = new Map(rule.bind.map((b) => [b.segment, String(caller.caller.claims[b.claim])]));
        const request = governedRequest(rules, api, rule, own);
        if (request === undefined) continue;
        const args = ['explain', '--rules', rulesFile, '--json', '--api', api, '--groups', caller.caller.groups.join(','), '--scopes', caller.caller.scopes.join(','), ...claims, request.method, request.path];
        const shown = jsonOf<{ decision: string; route: string }>(runTool(args));
        const expected = row.cells[caller.label] === 'deny' ? 'deny' : 'allow';
        if (shown.decision !== expected || shown.route !== row.route) disagreements.push(`${caller.label} × ${row.route}: matrix ${row.cells[caller.label]}, explain ${shown.decision} on ${shown.route}`);
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('marks bound routes "own", and denies every route to a caller holding a top-level deny', () => {
    // Prepare
    const args = ['matrix', '--rules', rulesFile, '--json'];

    // Act
    const m = jsonOf<Matrix>(runTool(args));

    // Assess
    const row = (route: string) => m.routes.find((r) => r.route === route)?.cells ?? {};
    expect(row('GET /users/{userId}/pets')['auth']).toBe('own');
    expect(row('ANY /tenants/{tenantId}/{proxy+}')['g:staff']).toBe('own');
    expect(row('ANY /tenants/{tenantId}/{proxy+}')['g:readers']).toBe('deny');
    expect(row('GET /pets/{petId}/owner')['most+g:interns']).toBe('deny');
    expect(m.routes.map((r) => r.cells['most+g:suspended'])).toEqual(m.routes.map(() => 'deny'));
  });

  it('leaves out scope callers for ID tokens (they carry no scopes)', () => {
    // Prepare
    const args = ['matrix', '--rules', rulesFile, '--json', '--token-use', 'id'];

    // Act
    const m = jsonOf<Matrix>(runTool(args));

    // Assess
    expect(m.callers.some((c) => c.label.startsWith('s:'))).toBe(false);
  });

  it('marks a route no request reaches "n/a"', () => {
    // Prepare
    const methods = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
    const file = tempFile('rules.json', { routes: [...methods.map((x) => ({ route: `${x} /x`, allow: ['authenticated'] })), { route: 'ANY /x', allow: ['authenticated'] }] });

    // Act
    const m = jsonOf<Matrix>(runTool(['matrix', '--rules', file, '--json']));

    // Assess
    expect(m.routes.find((r) => r.route === 'ANY /x')?.cells['auth']).toBe('never');
  });

  it.each([80, 100, 120])('fits a %i-column terminal, with a legend (child process)', (width) => {
    // Prepare
    const args = ['matrix', '--rules', rulesFile, '--width', String(width)];

    // Act
    const run = runBuiltTool(args);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(width);
    expect(run.stdout).toContain('c:custom:plan=pro  holds only claim:custom:plan=pro');
    expect(run.stdout).toMatch(/own allowed for the caller's own bound\s+value only/);
  });

  it('exits 1 for invalid rules and 2 for a bad option value', () => {
    // Prepare
    const bad = tempFile('rules.json', { routes: [] });

    // Act
    const invalid = runTool(['matrix', '--rules', bad]);
    const usage = runTool(['matrix', '--width', 'wide']);

    // Assess
    expect([invalid.code, usage.code]).toEqual([1, 2]);
    expect(invalid.stderr).toContain('routes: must be a non-empty array');
    expect(usage.stderr).toContain('matrix: --width must be a whole number of columns, at least 40');
  });
});
