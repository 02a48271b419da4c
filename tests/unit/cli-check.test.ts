// `check`: schema problems by JSON path, coverage both ways, unreachable rules, policy and inline sizes, exit codes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportFixture, jsonOf, runBuiltTool, runTool, tempFile } from '../helpers/cli';
import { scriptArgs } from '../helpers/local-api';
import { ROOT } from '../helpers/template';

interface Finding {
  kind: string;
  route?: string;
  message: string;
}
interface Report {
  ok: boolean;
  problems: Finding[];
  notes: Finding[];
  unprotected: Finding[];
  rules: string;
  models: string[];
}

const SAMPLE_RULES = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as { routes: { route: string; allow: string[] }[]; deny: string[] };
const kinds = (report: Report): string[] => report.problems.map((p) => p.kind);
const check = (...argv: string[]): Report => jsonOf<Report>(runTool(['check', '--json', ...argv]));

describe('check: the sample', () => {
  it('passes on template.yaml with the bundled rules, run as the CI runs it', () => {
    // Prepare
    const argv = ['check', '--template', 'template.yaml'];

    // Act
    const run = runBuiltTool(argv);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('OK: no problems found');
  });

  it('prints the contract JSON on stdout only, with the unguarded CORS preflights listed apart', () => {
    // Prepare
    const argv = ['check', '--template', 'template.yaml', '--json'];

    // Act
    const run = runBuiltTool(argv);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.rules).toBe('config/rules.json');
    expect(report.unprotected.map((u) => u.route)).toContain('OPTIONS /pets');
  });

  it('runs through scripts/rules.ts (npm run rules) with only the tool\'s JSON on stdout', () => {
    // Prepare
    const env = { ...process.env };
    delete env['ROUTE_RULES'];

    // Act
    const run = spawnSync(process.execPath, scriptArgs('rules.ts', ['check', '--template', 'template.yaml', '--json']), { cwd: ROOT, env, encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Report).ok).toBe(true);
  });

  it('reads ROUTE_RULES when it is set, as the authorizer does', () => {
    // Prepare
    const inline = JSON.stringify({ routes: [{ route: 'GET /pets', allow: ['authenticated'] }] });

    // Act
    const report = jsonOf<Report>(runTool(['check', '--json'], { ROUTE_RULES: inline }));

    // Assess
    expect(report.rules).toBe('ROUTE_RULES');
    expect(report.ok).toBe(true);
  });
});

describe('check: token use', () => {
  it('notes that custom claims the rules bind or grant on are in ID tokens, not access tokens', () => {
    // Prepare
    const rules = tempFile('rules.json', {
      routes: [
        { route: 'GET /tenants/{tenantId}/pets', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
        { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
        { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
      ],
    });

    // Act
    const report = check('--rules', rules, '--api', 'rest');

    // Assess
    expect(report.ok).toBe(true);
    expect(report.notes.filter((n) => n.kind === 'token-use').map((n) => n.message.split(':').slice(0, 2).join(':'))).toEqual([
      'custom:tenant_id (routes[0].bind.tenantId)',
      'custom:plan (routes[1])',
    ]);
  });
});

describe('check: schema', () => {
  it('reports every schema problem with its JSON path and exits 1', () => {
    // Prepare
    const file = tempFile('rules.json', {
      routes: [
        { route: 'GET /pets', allow: ['group:readers'], alow: ['group:admins'] },
        { route: 'get /me', allow: ['authenticated'] },
        { route: 'GET /users/{userId}', allow: ['authenticated'], bind: { id: 'sub' } },
      ],
      deny: ['grup:suspended'],
    });

    // Act
    const run = runTool(['check', '--rules', file, '--json']);

    // Assess
    expect(run.code).toBe(1);
    const messages = jsonOf<Report>(run).problems.map((p) => p.message);
    expect(messages).toEqual([
      'routes[0]: unknown key "alow" (allowed: route, allow, deny, bind, description)',
      'routes[1].route: method "get" must be upper case',
      'routes[2].bind.id: the route "/users/{userId}" has no {id} parameter',
      'deny[0]: unknown grant "grup:suspended" (use "group:<name>", "scope:<name>", "claim:<name>=<value>" or "authenticated")',
    ]);
  });

  it('reports a duplicated key where it is (JSON would keep only the last)', () => {
    // Prepare
    const file = tempFile('rules.json', '{ "routes": [ { "route": "GET /a", "allow": ["group:x"], "allow": [] } ] }');

    // Act
    const report = check('--rules', file);

    // Assess
    expect(report.problems).toEqual([
      { kind: 'schema', route: 'GET /a', message: 'routes[0]: duplicate key "allow": JSON keeps only the last one, so the rules would be ambiguous' },
    ]);
  });

  it('exits 2 for unparsable JSON, naming the file and the line on stderr, with nothing on stdout', () => {
    // Prepare
    const file = tempFile('broken.json', '{\n  "routes": [\n    { "route": "GET /a", "allow": [] },\n  ]\n}\n');

    // Act
    const run = runBuiltTool(['check', '--rules', file]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file} is not valid JSON (line 4`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a missing file, an unknown option, an unknown command and a stray argument', () => {
    // Prepare
    const lines = [
      ['check', '--rules', 'no-such-rules.json'],
      ['check', '--tempalte', 'template.yaml'],
      ['chekc'],
      ['check', 'template.yaml'],
      ['check', '--template', 'template.yaml', '--openapi', 'x.json'],
    ];

    // Act
    const runs = lines.map((argv) => runTool(argv));

    // Assess
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr.split('\n')[0])).toEqual([
      'cognito-route-authorizer: cannot read rules file "no-such-rules.json": no such file',
      'cognito-route-authorizer: check: unknown option "--tempalte"',
      'cognito-route-authorizer: unknown command "chekc" (commands: check, explain, matrix)',
      'cognito-route-authorizer: check: unexpected argument "template.yaml" (files go after --rules, --template or --openapi)',
      'cognito-route-authorizer: check: give --template or --openapi, not both',
    ]);
  });
});

describe('check: coverage against exports', () => {
  it('passes on the REST and HTTP exports of the sample API', () => {
    // Prepare
    const exports = ['rest-oas30-pets.json', 'http-oas30-pets.json'];

    // Act
    const reports = exports.map((name) => check('--openapi', exportFixture(name)));

    // Assess
    expect(reports.map((r) => [r.ok, r.models])).toEqual([
      [true, ['rest']],
      [true, ['http']],
    ]);
    expect(reports[1]?.notes.find((n) => n.kind === 'default-route')?.message).toMatch(/\$default route takes every request no other route matches/);
  });

  it('reports a protected API route without a rule, and says which rule governs its requests instead', () => {
    // Prepare
    const doc = JSON.parse(readFileSync(exportFixture('rest-oas30-pets.json'), 'utf8')) as { paths: Record<string, unknown> };
    doc.paths['/pets/mine'] = { get: { security: [{ TOKEN: [] }] } };
    const file = tempFile('export.json', doc);

    // Act
    const report = check('--openapi', file);

    // Assess
    expect(report.problems).toEqual([
      {
        kind: 'uncovered-route',
        route: 'GET /pets/mine',
        message: 'protected API route (paths./pets/mine.get) without a rule of this method and path: the rules route them to GET /pets/{petId} instead, whose grants then decide',
      },
    ]);
  });

  it('reports a rule without an API route, comparing by shape so parameter names may differ', () => {
    // Prepare
    const rules = tempFile('rules.json', {
      routes: [...SAMPLE_RULES.routes.map((r) => ({ ...r, route: r.route.replace('{petId}', '{id}') })), { route: 'PUT /pets/{petId}', allow: ['group:admins'] }],
    });

    // Act
    const report = check('--rules', rules, '--openapi', exportFixture('rest-oas30-pets.json'));

    // Assess
    expect(report.problems).toEqual([
      { kind: 'rule-without-route', route: 'PUT /pets/{petId}', message: 'routes[8]: the API has no route of this method and path (compared by shape; parameter names may differ)' },
    ]);
  });

  it('on an HTTP API, reports a rule of one method where the API has only ANY (the authorizer would deny: route-mismatch)', () => {
    // Prepare
    const rules = tempFile('rules.json', { routes: [...SAMPLE_RULES.routes, { route: 'GET /admin/{proxy+}', allow: ['group:readers'] }] });

    // Act
    const report = check('--rules', rules, '--openapi', exportFixture('http-oas30-pets.json'));

    // Assess
    expect(kinds(report)).toEqual(['rule-without-route']);
    expect(report.problems[0]?.message).toMatch(/routes \[?.*ANY \/admin\/\{proxy\+\}.*route-mismatch/);
  });

  it('reports the methods an API ANY route takes that no rule covers (REST)', () => {
    // Prepare
    const rules = tempFile('rules.json', {
      routes: SAMPLE_RULES.routes.map((r) => (r.route === 'ANY /admin/{proxy+}' ? { ...r, route: 'GET /admin/{proxy+}' } : r)),
    });

    // Act
    const report = check('--rules', rules, '--openapi', exportFixture('rest-oas30-pets.json'));

    // Assess
    expect(report.problems).toEqual([
      {
        kind: 'uncovered-route',
        route: 'ANY /admin/{proxy+}',
        message:
          'protected API route (paths./admin/{proxy+}.x-amazon-apigateway-any-method) without rules for DELETE, HEAD, PATCH, POST, PUT on this path: the authorizer denies them (no rule governs them)',
      },
    ]);
  });

  it('reports a rule whose API route the authorizer does not guard (it is never asked)', () => {
    // Prepare
    const rules = tempFile('rules.json', { routes: [...SAMPLE_RULES.routes, { route: 'GET /health', allow: ['authenticated'] }] });

    // Act
    const report = check('--rules', rules, '--openapi', exportFixture('rest-oas30-pets.json'));

    // Assess
    expect(report.problems.map((p) => [p.route, p.message])).toEqual([
      ['GET /health', 'routes[8]: the API has this path only on routes the authorizer does not guard, so it is never asked'],
    ]);
  });

  it('reads the HTTP API template: rules reached through the $default route are a note, not a problem', () => {
    // Prepare
    const rules = tempFile('rules.json', { routes: [...SAMPLE_RULES.routes, { route: 'GET /reports', allow: ['group:admins'] }] });

    // Act
    const report = check('--rules', rules, '--template', exportFixture('http-api-template.yaml'));

    // Assess
    expect(report.ok).toBe(true);
    expect(report.notes.find((n) => n.kind === 'reached-through-default')?.route).toBe('GET /reports');
    expect(report.unprotected.map((u) => u.route)).toEqual(['GET /health']);
  });

  it('exits 2 when it cannot tell a REST from an HTTP export, and takes --api then', () => {
    // Prepare
    const file = tempFile('bare.json', { openapi: '3.0.1', info: { title: 'b', version: '1' }, paths: { '/pets': { get: {} } } });

    // Act
    const unclear = runTool(['check', '--openapi', file]);
    const told = runTool(['check', '--openapi', file, '--api', 'http', '--json']);

    // Assess
    expect(unclear.code).toBe(2);
    expect(unclear.stderr).toContain('pass --api rest or --api http');
    expect(jsonOf<Report>(told).models).toEqual(['http']);
  });
});

describe('check: rules no request reaches', () => {
  it('reports an ANY whose every method has its own rule on the same path', () => {
    // Prepare
    const methods = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
    const rules = tempFile('rules.json', { routes: [...methods.map((m) => ({ route: `${m} /x`, allow: ['authenticated'] })), { route: 'ANY /x', allow: [] }] });

    // Act
    const report = check('--rules', rules, '--api', 'rest');

    // Assess
    expect(report.problems).toEqual([
      { kind: 'never-governs', route: 'ANY /x', message: 'routes[7]: every method has its own rule on this path, so this ANY never governs a request' },
    ]);
  });

  it('tells the routing models apart: REST picks the resource first, HTTP falls through to the greedy route', () => {
    // Prepare
    const rules = tempFile('rules.json', {
      routes: [
        { route: 'POST /a/{id}', allow: ['authenticated'] },
        { route: 'POST /a/{id}/{proxy+}', allow: ['authenticated'] },
        { route: 'GET /a/{proxy+}', allow: ['authenticated'] },
      ],
    });

    // Act
    const report = check('--rules', rules);

    // Assess
    expect(report.models).toEqual(['rest', 'http']);
    expect(report.problems.map((p) => [p.kind, p.route, p.message.endsWith('under REST routing')])).toEqual([['never-governs', 'GET /a/{proxy+}', true]]);
  });
});

describe('check: sizes', () => {
  it('reports callers whose policy would exceed the budget (they fall back to the asked route)', () => {
    // Prepare
    const routes = Array.from({ length: 80 }, (_, i) => ({ route: `GET /reports-${i}/{reportId}/pages/{pageId}`, allow: ['group:analysts'] }));
    const rules = tempFile('rules.json', { routes: [...routes, { route: 'GET /me', allow: ['authenticated', 'group:auditors'] }], deny: ['group:suspended'] });

    // Act
    const report = check('--rules', rules, '--api', 'rest');

    // Assess
    expect(kinds(report)).toEqual(['policy-size', 'policy-size']);
    expect(report.problems.map((p) => /caller "([^"]+)"/.exec(p.message)?.[1])).toEqual(['g:analysts', 'most']);
    expect(report.problems[0]?.message).toMatch(/over the 6144-byte budget.*key the authorizer cache per route/);
  });

  it('fails inline rules in ROUTE_RULES that leave no room in Lambda\'s 4 KB environment, and only notes a big file', () => {
    // Prepare
    const description = 'Lists the items of one section of the catalogue, newest first, for the editors of that section.';
    const routes = Array.from({ length: 40 }, (_, i) => ({ route: `GET /section-${i}/items`, allow: ['group:readers'], description }));
    const doc = { routes };
    const file = tempFile('rules.json', doc);

    // Act
    const inline = jsonOf<Report>(runTool(['check', '--json', '--api', 'rest'], { ROUTE_RULES: JSON.stringify(doc) }));
    const fromFile = check('--rules', file, '--api', 'rest');

    // Assess
    expect(kinds(inline)).toEqual(['inline-size']);
    expect(inline.problems[0]?.message).toMatch(/too large for ROUTE_RULES .*512 assumed for the others/);
    expect(fromFile.ok).toBe(true);
    expect(fromFile.notes.find((n) => n.kind === 'inline-size')?.message).toMatch(/keep them in config\/rules.json/);
  });
});
