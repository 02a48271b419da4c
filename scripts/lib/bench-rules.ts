// Bench helper: a 1,000-route rule set, and the in-process figures for rules and policies (decision only, compile, sizes).
import type * as Tinybench from 'tinybench' with { 'resolution-mode': 'import' };
import type { Task } from 'tinybench' with { 'resolution-mode': 'import' };
import { toCaller } from '../../src/caller';
import { createDecider } from '../../src/decide';
import type { AuthorizerRequest } from '../../src/front-doors';
import { createPolicyBuilder, type PolicyDocument, type PolicyMode } from '../../src/policy';
import { parseResourceArn } from '../../src/policy/arn';
import { compileRules, type CompiledRules } from '../../src/rules';
import { respond } from '../../src/response';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/';

interface RulesDoc {
  routes: { route: string; allow: string[] }[];
  deny: string[];
}

/**
 * 100 services × 10 routes: literals beside `{param}` (`/search` vs `/{id}`), nested params, ANY
 * with `{proxy+}`. Every route allows `group:all` and `group:svc<n>`; alternate routes allow
 * `group:even`, so a caller in `even` is granted half the routes, interleaved.
 */
export function thousandRoutes(): RulesDoc {
  const shapes = [
    'GET /svc{n}',
    'POST /svc{n}',
    'GET /svc{n}/search',
    'GET /svc{n}/{id}',
    'PUT /svc{n}/{id}',
    'DELETE /svc{n}/{id}',
    'GET /svc{n}/{id}/history',
    'POST /svc{n}/{id}/actions/{action}',
    'GET /svc{n}/{id}/items/{itemId}',
    'ANY /svc{n}/admin/{proxy+}',
  ];
  const routes: RulesDoc['routes'] = [];
  for (let n = 0; n < 100; n++) {
    for (const shape of shapes) {
      const allow = ['group:all', `group:svc${n}`];
      if (routes.length % 2 === 0) allow.push('group:even');
      routes.push({ route: shape.replace('{n}', String(n)), allow });
    }
  }
  return { routes, deny: ['group:suspended'] };
}

/** Callers of the 1,000-route rules and the request each asks first. */
const THOUSAND_CALLERS = [
  { name: 'none', groups: ['nobody'], asked: 'GET/svc3/17' },
  { name: 'one service (10)', groups: ['svc7'], asked: 'GET/svc7/17' },
  { name: 'half (500)', groups: ['even'], asked: 'GET/svc42' },
  { name: 'all (1,000)', groups: ['all'], asked: 'GET/svc42/17/items/9' },
] as const;

function claimsFor(groups: readonly string[], scope = 'aws.cognito.signin.user.admin'): Record<string, unknown> {
  return {
    sub: '8d1f6a2e-0000-4000-8000-000000000001',
    'cognito:groups': groups,
    client_id: 'benchclient00000000000001',
    token_use: 'access',
    scope,
    exp: Math.floor(Date.now() / 1000) + 3600,
    username: 'bench-user',
  };
}

interface Decided {
  readonly response: { principalId: string; policyDocument: PolicyDocument; context: unknown };
  readonly mode: PolicyMode | undefined;
}

/**
 * The decision as the handler takes it after verification, through the product's own steps:
 * caller, decide (plan cached by the caller's signature), respond.
 */
function decider(rules: CompiledRules): (claims: Record<string, unknown>, methodArn: string) => Decided {
  const policies = createPolicyBuilder(rules);
  const decide = createDecider(rules, policies);
  return (claims, methodArn) => {
    const arn = parseResourceArn(methodArn);
    const caller = toCaller(claims);
    const request: AuthorizerRequest = { door: 'rest-token', api: 'rest', answer: 'policy', credential: undefined, arn };
    const rendered = respond(request, caller, decide(caller, { model: 'rest', method: arn.method, path: arn.path }), policies);
    return { response: rendered.body as Decided['response'], mode: rendered.mode };
  };
}

/** tinybench is ESM only: loaded with import(), as these scripts are CommonJS. */
export const loadTinybench = (): Promise<typeof Tinybench> => import('tinybench');

/** Latency of a finished tinybench task in µs: mean, p50, p99. */
export function latencyOf(task: Task): { mean: number; p50: number; p99: number } {
  const result = task.result as { latency?: { mean: number; p50?: number; p99?: number } } | undefined;
  const latency = result?.latency;
  if (latency === undefined) throw new Error(`bench: task ${task.name} has no result`);
  return { mean: latency.mean * 1000, p50: (latency.p50 ?? NaN) * 1000, p99: (latency.p99 ?? NaN) * 1000 };
}

/** Decision only (µs, mean): the sample rules, plan cached per caller signature as in the handler. */
export async function decisionOnly(sampleRules: unknown, quick: boolean): Promise<{ mean: number; p50: number; p99: number }> {
  const decide = decider(compileRules(sampleRules));
  const cases = (
    [
      [claimsFor(['admins']), 'GET/pets/17'],
      [claimsFor(['readers']), 'DELETE/pets/17'],
      [claimsFor([], 'pets/read pets/write'), 'POST/pets'],
      [claimsFor([]), 'GET/me'],
      [claimsFor(['admins', 'suspended']), 'GET/admin/users/3'],
    ] as const
  ).map(([claims, path]) => [claims, ARN + path] as const);
  let i = 0;
  const { Bench } = await loadTinybench();
  const bench = new Bench({ time: quick ? 200 : 1000, warmupTime: 100, throws: true });
  bench.add('decision only', () => {
    const [claims, arn] = cases[i++ % cases.length] as (typeof cases)[number];
    return decide(claims, arn);
  });
  await bench.run();
  return latencyOf(bench.tasks[0] as Task);
}

function policyShape(response: Decided['response']): { bytes: number; statements: number; resources: number } {
  const statements = response.policyDocument.Statement;
  return {
    bytes: Buffer.byteLength(JSON.stringify(response)),
    statements: statements.length,
    resources: statements.reduce((n, s) => n + s.Resource.length, 0),
  };
}

/**
 * 1,000 routes: compile time (parse, route tree, policy builder) on first use in this process and
 * as a median of repeats, then per caller the first decision on a fresh builder (plan computation
 * with its overlap analysis) and the response it gives.
 */
export function thousandRouteFigures(runs = 5) {
  const doc = thousandRoutes();
  const compileOnce = (): number => {
    const started = performance.now();
    const rules = compileRules(JSON.parse(JSON.stringify(doc)));
    createPolicyBuilder(rules);
    return performance.now() - started;
  };
  const first = compileOnce();
  const repeats = Array.from({ length: runs }, compileOnce).sort((a, b) => a - b);
  const rules = compileRules(doc);
  const callers = THOUSAND_CALLERS.map(({ name, groups, asked }) => {
    const decide = decider(rules);
    const claims = claimsFor(groups);
    const started = performance.now();
    const { response, mode } = decide(claims, ARN + asked);
    const firstDecisionMs = performance.now() - started;
    const granted = rules.entitlements(rules.signature(toCaller(claims))).filter((e) => e.granted).length;
    return { name, granted, firstDecisionMs, mode, ...policyShape(response) };
  });
  return { routes: doc.routes.length, compileFirstMs: first, compileMedianMs: repeats[repeats.length >> 1] as number, callers };
}
