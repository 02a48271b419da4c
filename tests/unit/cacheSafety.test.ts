// Cache safety: a policy answered for one request, reused by API Gateway for any other request of
// the same caller, must agree with the rules — never allow what they deny, allow what they grant —
// on REST and HTTP APIs, named and $default stages, for bound routes, and for the empty-segment
// and trailing-slash forms of every path. The rules' meaning comes from the independent oracle.
import type { Authorizer } from '../../src/authorizer';
import { setup, type LogLine, type TestSetup } from '../helpers/authorizer';
import { httpEvent, methodArn, tokenEvent, type Target } from '../helpers/events';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { evaluator, routerFor, rulesAllow, sampleRequests, type ApiKind, type RulesDoc, type Who } from '../helpers/oracle';
import { policyOf } from '../helpers/policy';
import { CALLERS, TEST_RULES, type CallerName } from '../helpers/rules';

/** Rules with owner- and tenant-bound routes beside literal and parameter neighbours. */
const TENANCY: RulesDoc = {
  routes: [
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'GET /users/export/pets', allow: ['group:exporters'] },
    { route: 'GET /tenants/{tenantId}/pets', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'GET /tenants/{tenantId}/admin', allow: ['group:admins'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'DELETE /tenants/{tenantId}/pets/{petId}', allow: ['group:admins'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
  ],
  deny: ['group:suspended'],
};
const TENANTS: Record<string, Who & { claims: Record<string, unknown> }> = {
  acme: { claims: { sub: 'u-acme', 'custom:tenant_id': 'acme' } },
  acmeAdmin: { groups: ['admins'], claims: { sub: 'u-boss', 'custom:tenant_id': 'acme', 'custom:plan': 'pro' } },
  acme2: { claims: { sub: 'u-acme2', 'custom:tenant_id': 'acme2' } },
  acm: { claims: { sub: 'u-acm', 'custom:tenant_id': 'acm' } },
  exportSub: { claims: { sub: 'export', 'custom:tenant_id': 'globex' } },
  unsafe: { claims: { sub: 'u/../x', 'custom:tenant_id': '*' } },
  noTenant: { claims: { sub: 'u-none' } },
  suspended: { groups: ['admins', 'suspended'], claims: { sub: 'u-acme', 'custom:tenant_id': 'acme' } },
};
const TENANCY_VALUES = ['acme', 'acme2', 'acm', 'u-acme', 'export'];

interface Api {
  readonly kind: ApiKind;
  readonly target: Target;
}
const APIS: [string, Api][] = [
  ['REST, stage prod', { kind: 'rest', target: {} }],
  ['HTTP, stage $default', { kind: 'http', target: { stage: '$default' } }],
  ['HTTP, stage v1', { kind: 'http', target: { stage: 'v1' } }],
];

/** The forms of a routed path that have an empty segment or a trailing slash. */
function variants(path: string): string[] {
  const parts = path.split('/');
  const doubled = parts.slice(1).map((_, i) => [...parts.slice(0, i + 1), '', ...parts.slice(i + 1)].join('/'));
  return path === '/' ? ['//'] : [`${path}/`, ...doubled];
}

/** The event for an asked request on an API, with the route the API would match (HTTP). */
function eventFor(api: Api, rules: RulesDoc, token: string, method: string, path: string): unknown {
  if (api.kind === 'rest') return tokenEvent(`Bearer ${token}`, method, path, api.target);
  const routed = routerFor(rules, 'http').resolve(method, path);
  return httpEvent(`Bearer ${token}`, method, path, { routeKey: routed?.route ?? '$default', target: api.target });
}

/** What one policy document says wrongly: its disagreements with the rules, and the variant ARNs it allows. */
interface Verdicts {
  readonly disagreements: readonly string[];
  readonly allowedVariants: readonly string[];
}

/** Judges a policy document over every routed request and its variants (documents repeat: judged once each). */
function judge(result: Parameters<typeof evaluator>[0], mode: unknown, api: Api, rules: RulesDoc, who: Who, routed: readonly [string, string][]): Verdicts {
  const evaluate = evaluator(result);
  const disagreements: string[] = [];
  const allowedVariants: string[] = [];
  for (const [method, path] of routed) {
    const expected = rulesAllow(rules, who, method, path, api.kind) ? 'Allow' : 'Deny';
    const actual = evaluate(methodArn(method, path, api.target));
    // A `full` answer agrees everywhere; any answer never allows what the rules deny.
    if (actual !== expected && (actual === 'Allow' || mode === 'full')) disagreements.push(`(${String(mode)}): ${method} ${path} → ${actual}`);
    for (const variant of variants(path)) {
      if (evaluate(methodArn(method, variant, api.target)) === 'Allow') allowedVariants.push(`${method} ${variant}`);
    }
  }
  return { disagreements, allowedVariants };
}

/** Every disagreement between the cached answers for `who` and the rules, over every asked request. */
async function disagreements(authorizer: Authorizer, t: TestSetup, api: Api, rules: RulesDoc, who: Who, token: string, values?: string[]): Promise<string[]> {
  const requests = sampleRequests(rules, values);
  const router = routerFor(rules, api.kind);
  const routed = requests.filter(([m, p]) => router.resolve(m, p) !== undefined);
  // HTTP APIs without a $default route answer unrouted requests themselves (404): only routed ones are asked.
  const asked = api.kind === 'rest' ? requests : routed;
  const judged = new Map<string, Verdicts>();
  const problems: string[] = [];
  for (const [askedMethod, askedPath] of asked) {
    t.logs.length = 0;
    const result = policyOf(await authorizer.handler(eventFor(api, rules, token, askedMethod, askedPath)));
    const mode = (t.logs.find((l: LogLine) => l['message'] === 'decision') ?? {})['policyMode'];
    const key = `${String(mode)} ${JSON.stringify(result.policyDocument)}`;
    let verdicts = judged.get(key);
    if (verdicts === undefined) judged.set(key, (verdicts = judge(result, mode, api, rules, who, routed)));
    const asked = `asked ${askedMethod} ${askedPath}`;
    problems.push(...verdicts.disagreements.map((d) => `${asked} ${d}`));
    // The asked request itself may be a variant the rules grant (a REST trailing slash), allowed by name.
    problems.push(...verdicts.allowedVariants.filter((v) => v !== `${askedMethod} ${askedPath}`).map((v) => `${asked}: ${v} allowed`));
    if (evaluator(result)(methodArn(askedMethod, askedPath, { ...api.target, stage: 'other' })) === 'Allow') problems.push(`${asked}: another stage allowed`);
  }
  return problems;
}

describe.each(APIS)('cache safety, %s', (_name, api) => {
  let t: TestSetup;
  let routes: Authorizer;
  let tenancy: Authorizer;

  beforeAll(async () => {
    t = await setup();
    routes = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    tenancy = t.make({ ROUTE_RULES: JSON.stringify(TENANCY), TOKEN_USE: 'id' });
  });
  afterAll(() => t.stop());

  it.each(Object.keys(CALLERS) as CallerName[])('the answer to any request agrees with the rules on every other request, for %s', async (name) => {
    // Prepare
    const who = CALLERS[name];
    const token = signJwt(t.key, cognitoClaims(who));

    // Act
    const problems = await disagreements(routes, t, api, TEST_RULES, who, token);

    // Assess
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it.each(Object.keys(TENANTS))('a bound route’s cached answer never opens another owner or tenant, for %s', async (name) => {
    // Prepare
    const who = TENANTS[name] as Who & { claims: Record<string, unknown> };
    const token = signJwt(t.key, cognitoClaims({ tokenUse: 'id', groups: who.groups, sub: who.claims['sub'] as string, extra: who.claims }));

    // Act
    const problems = await disagreements(tenancy, t, api, TENANCY, who, token, TENANCY_VALUES);

    // Assess
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
