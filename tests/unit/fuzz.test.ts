// Property-based fuzzing with fast-check: mutated tokens never talk their way into an Allow or a
// 500, and random rule sets give policies that agree with the rules wherever API Gateway reuses them.
import fc from 'fast-check';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { Authorizer } from '../../src/authorizer';
import { DEFAULT_POLICY_BUDGET_BYTES, type PolicyAnswer } from '../../src/policy';
import { compileGlobs } from '../../src/policy/glob';
import { compileRules } from '../../src/rules';
import { setup, type LogLine, type TestSetup } from '../helpers/authorizer';
import { methodArn, tokenEvent } from '../helpers/events';
import { evaluate, evaluator, iamMatch } from '../helpers/oracle';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { governingRoute, METHODS, routeAllows, routerFor, rulesAllow, sampleRequests, type ApiKind, type RulesDoc, type Who } from '../helpers/oracle';
import { outcomeOf } from '../helpers/outcome';
import { policyHarness, policyOf } from '../helpers/policy';
import { TEST_RULES } from '../helpers/rules';

// Fixed seeds keep CI reproducible; FUZZ_SEED explores new ground (a failure prints its seed and path).
const SEED = process.env['FUZZ_SEED'] === undefined ? 20261123 : Number(process.env['FUZZ_SEED']);

// --- Part 1: token mutations ---------------------------------------------------------------------

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD_CHARS = ['.', '=', '+', '/', ' ', '\t', '\n', '\u0000', '\u00e9', '\u200b', '\ud83d\ude00', '%', '"', '*'];

type Mutation =
  | { op: 'replace'; at: number; ch: string }
  | { op: 'insert'; at: number; ch: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'segments'; order: number[] }
  | { op: 'splice'; segment: number }
  | { op: 'flipBit'; segment: number; at: number; bit: number };

const charArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...B64URL.split('')) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_CHARS) },
);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), ch: charArb }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), ch: charArb }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('segments' as const), order: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 5 }) }),
  fc.record({ op: fc.constant('splice' as const), segment: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('flipBit' as const), segment: fc.integer({ min: 0, max: 2 }), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
);

/** Applies mutations; `donor` is another valid token whose segments may be spliced in. */
function mutate(token: string, donor: string, mutations: readonly Mutation[]): string {
  let t = token;
  for (const m of mutations) {
    const at = (n: number): number => (t.length === 0 ? 0 : n % (t.length + 1));
    switch (m.op) {
      case 'replace': {
        const i = at(m.at) % Math.max(t.length, 1);
        t = t.slice(0, i) + m.ch + t.slice(i + 1);
        break;
      }
      case 'insert':
        t = t.slice(0, at(m.at)) + m.ch + t.slice(at(m.at));
        break;
      case 'delete':
        t = t.slice(0, at(m.at)) + t.slice(at(m.at) + m.length);
        break;
      case 'truncate':
        t = t.slice(0, at(m.at));
        break;
      case 'segments': {
        const parts = t.split('.');
        t = m.order.map((i) => parts[i] ?? '').join('.');
        break;
      }
      case 'splice': {
        const parts = t.split('.');
        parts[m.segment] = donor.split('.')[m.segment] as string;
        t = parts.join('.');
        break;
      }
      case 'flipBit': {
        const parts = t.split('.');
        const bytes = Buffer.from(parts[m.segment] ?? '', 'base64url');
        if (bytes.length > 0) {
          const i = m.at % bytes.length;
          bytes[i] = (bytes[i] as number) ^ (1 << m.bit);
          parts[m.segment] = bytes.toString('base64url');
          t = parts.join('.');
        }
        break;
      }
    }
  }
  return t;
}

/** The bytes a JWT string stands for: equal bytes mean the same token, whatever the spelling. */
function decoded(token: string): string[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  return parts.map((p) => Buffer.from(p, 'base64url').toString('hex'));
}

describe('fuzzing: mutated tokens', () => {
  let t: TestSetup;
  let authorizer: Authorizer;
  let admin: string;
  let reader: string;

  beforeAll(async () => {
    t = await setup();
    authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    admin = signJwt(t.key, cognitoClaims({ groups: ['admins'], sub: 'sub-admin' }));
    reader = signJwt(t.key, cognitoClaims({ groups: ['readers'], sub: 'sub-reader' }));
  });
  afterAll(() => t.stop());

  it('a valid admin token is allowed, so the mutations below start from an Allow', async () => {
    // Act
    const outcome = await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${admin}`, 'DELETE', '/pets/17'));

    // Assess
    expect(outcome.kind).toBe('allow');
  });

  it('random byte, character and segment mutations of an admin token end in 401, never an Allow or a 500', async () => {
    // Prepare
    const surprises: string[] = [];
    const known = new Map<string, 'allow' | 'deny'>([
      [(decoded(admin) as string[]).join('.'), 'allow'],
      [(decoded(reader) as string[]).join('.'), 'deny'],
    ]);
    let stillValid = 0;

    // Act
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const token = mutate(admin, reader, mutations);
        const outcome = await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${token}`, 'DELETE', '/pets/17'));
        if (outcome.kind === 'unauthorized') return;
        // The only acceptable non-401: a token that decodes to the same bytes as a valid one (unchanged,
        // spliced whole from the donor, or differing only in base64url's unused low bits), answered as it.
        const twin = known.get(decoded(token)?.join('.') ?? '');
        if (twin !== undefined && outcome.kind === twin) {
          stillValid++;
          return;
        }
        surprises.push(`${JSON.stringify(mutations)} → ${outcome.kind}`);
      }),
      { seed: SEED, numRuns: 3000 },
    );

    // Assess
    expect(surprises.slice(0, 5)).toEqual([]);
    expect(stillValid).toBeLessThan(3000 / 10);
    // Meaningful: many mutants got past parsing to the signature check.
    const reasons = t.logs.filter((l) => l['decision'] === 'unauthorized').map((l) => l['reason']);
    expect(reasons.filter((r) => r === 'bad-signature').length).toBeGreaterThan(300);
    expect(reasons.filter((r) => r === 'malformed').length).toBeGreaterThan(300);
  });

  it('a signature whose last character differs only in unused bits still verifies as the same token', async () => {
    // Prepare: 256 signature bytes are 342 base64url characters; the last one carries 4 unused bits.
    const [head, body, sig] = admin.split('.') as [string, string, string];
    const last = B64URL.indexOf(sig.slice(-1));
    const twin = `${head}.${body}.${sig.slice(0, -1)}${B64URL[last ^ 1] as string}`;

    // Act
    const outcome = await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${twin}`, 'DELETE', '/pets/17'));

    // Assess
    expect(decoded(twin)).toEqual(decoded(admin));
    expect(outcome.kind).toBe('allow');
  });
});

// --- Part 2: random rule sets, random requests ------------------------------------------------------

const LITERALS = ['a', 'b', 'pets', 'x.y', 'A', 'a:b', '~', "!$&'()+,;=-@"] as const;
const GROUPS = ['g1', 'g2', 'g3'] as const;
const SCOPES = ['s1', 's2'] as const;
const GRANTS = ['authenticated', ...GROUPS.map((g) => `group:${g}`), ...SCOPES.map((s) => `scope:${s}`), 'claim:custom:plan=pro'];
// Claims a bound {param} may read, and the values callers carry in them: safe ones (some equal to
// literals or request values), look-alikes, and unsafe ones that must grant nothing.
const BOUND_CLAIMS = ['sub', 'custom:t'] as const;
const CLAIM_VALUES = ['v', '17', 'a', 'pets', 'x.y', 'v2', '*', '', 'a b', '.', '..', 'x'.repeat(129)] as const;
// Request path segments: the literals, values a {param} takes, and characters that stress matching.
const VALUES = ['v', '17', '*', '?', 'a*', '%2F', '\u00fc', 'a b', '.', '..', '{p}', 'x'.repeat(240)] as const;

type Seg = { kind: 'literal'; value: string } | { kind: 'param' } | { kind: 'proxy' };

const segArb: fc.Arbitrary<Seg> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...LITERALS).map((value) => ({ kind: 'literal' as const, value })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'param' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'proxy' as const }) },
);

const templateArb = fc
  .tuple(fc.constantFrom(...METHODS, 'ANY', 'ANY'), fc.array(segArb, { maxLength: 4 }), fc.option(fc.constantFrom(...BOUND_CLAIMS), { freq: 3 }))
  .map(([method, segs, claim]) => {
    // {proxy+} only last: cut after the first one.
    const cut = segs.findIndex((s) => s.kind === 'proxy');
    const kept = cut < 0 ? segs : segs.slice(0, cut + 1);
    const path =
      '/' + kept.map((s, i) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{p${i}}` : `{proxy+}`)).join('/');
    const shape = '/' + kept.map((s) => (s.kind === 'literal' ? s.value : s.kind)).join('/');
    // Sometimes the first {param} is bound to a claim.
    const first = kept.findIndex((s) => s.kind === 'param');
    const bind = claim === null || first < 0 ? undefined : { [`p${first}`]: claim };
    return { route: `${method} ${path}`, key: `${method} ${shape}`, bind };
  });

const rulesArb: fc.Arbitrary<RulesDoc> = fc
  .tuple(
    fc.uniqueArray(templateArb, { minLength: 1, maxLength: 8, selector: (r) => r.key }),
    fc.array(fc.tuple(fc.subarray(GRANTS, { maxLength: 2 }), fc.subarray(GRANTS.slice(1), { maxLength: 1 })), {
      minLength: 8,
      maxLength: 8,
    }),
    fc.subarray(GRANTS.slice(1), { maxLength: 1 }),
  )
  .map(([templates, grants, deny]) => ({
    routes: templates.map((tpl, i) => {
      const [allow, routeDeny] = grants[i] as [string[], string[]];
      return { route: tpl.route, allow, ...(routeDeny.length > 0 ? { deny: routeDeny } : {}), ...(tpl.bind === undefined ? {} : { bind: tpl.bind }) };
    }),
    deny,
  }));

const pathArb = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...LITERALS, ...VALUES), { maxLength: 6 }).map((s) => '/' + s.join('/')) },
  // Deep nesting, trailing slashes and empty segments.
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', 'v', ''), { minLength: 7, maxLength: 40 }).map((s) => '/' + s.join('/')) },
  // Long enough that an exact resource would pass IAM's 512-character limit.
  { weight: 1, arbitrary: fc.constantFrom(...LITERALS).map((l) => `/${l}/${'y'.repeat(480)}/${l}`) },
);

const whoArb: fc.Arbitrary<Who> = fc.record({
  groups: fc.subarray([...GROUPS]),
  scopes: fc.subarray([...SCOPES]),
  claims: fc.record(
    { sub: fc.constantFrom(...CLAIM_VALUES), 'custom:t': fc.constantFrom(...CLAIM_VALUES), 'custom:plan': fc.constantFrom<unknown>('pro', 'basic', 'pro2', ['pro'], ['pro', 7], true) },
    { requiredKeys: [] },
  ),
});

interface Routed {
  readonly method: string;
  readonly path: string;
  readonly arn: string;
  /** The governing route (oracle). */
  readonly index: number;
  /** Its path parameters (for bound routes). */
  readonly params: Readonly<Record<string, string>>;
}

/** Every request the rules route (with the governing route's index), from filled templates plus extras. */
function routedRequests(rules: RulesDoc, extraPaths: readonly string[], kind: ApiKind = 'rest'): Routed[] {
  const all = [...sampleRequests(rules, ['v', 'a', '*', '17']), ...extraPaths.flatMap((p) => METHODS.map((m): [string, string] => [m, p]))];
  const seen = new Set<string>();
  const routed: Routed[] = [];
  for (const [m, p] of all) {
    const key = `${m} ${p}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hit = routerFor(rules, kind).resolve(m, p);
    if (hit !== undefined) routed.push({ method: m, path: p, arn: methodArn(m, p), index: hit.index, params: hit.params });
  }
  return routed;
}

/** Disagreements between a policy answer and the rules, reused for every routed request. */
function disagreements(
  rules: RulesDoc,
  who: Who,
  answer: PolicyAnswer,
  asked: [string, string],
  routed: readonly Routed[],
  expected: readonly boolean[],
  kind: ApiKind = 'rest',
): string[] {
  const problems: string[] = [];
  const result: APIGatewayAuthorizerResult = { principalId: 'p', policyDocument: answer.policyDocument };
  const askedArn = methodArn(...asked);
  const askedAllowed = rulesAllow(rules, who, ...asked, kind);
  const askedDecision = evaluate(result, askedArn);
  if (answer.unrepresentable !== undefined) {
    if (askedDecision !== 'Deny' || answer.allowed) problems.push(`asked ${asked.join(' ')} unrepresentable yet allowed`);
  } else if ((askedDecision === 'Allow') !== askedAllowed || answer.allowed !== askedAllowed) {
    problems.push(`asked ${asked.join(' ')}: rules ${askedAllowed}, policy ${askedDecision}, answer.allowed ${answer.allowed}`);
  }
  if (answer.policyDocument.Statement.length === 0) problems.push('empty statement list');
  const decide = evaluator(result);
  routed.forEach(({ method: m, path: p, arn }, i) => {
    const actual = decide(arn) === 'Allow';
    if (actual && !expected[i]) problems.push(`asked ${asked.join(' ')} (${answer.mode}): ${m} ${p} allowed, rules deny`);
    // Only a 'full' answer promises every grant (and the unrepresentable asked request is its own case).
    if (!actual && expected[i] === true && answer.mode === 'full' && !(m === asked[0] && p === asked[1])) {
      problems.push(`asked ${asked.join(' ')} (full): ${m} ${p} denied, rules grant`);
    }
  });
  return problems;
}

describe('fuzzing: random rule sets against the policy builder', () => {
  it('policies never allow what the rules deny, and full policies agree with the rules everywhere', () => {
    // Prepare
    const modes = new Map<string, number>();
    let checked = 0;

    // Act
    fc.assert(
      fc.property(
        rulesArb,
        fc.array(whoArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom(...METHODS), pathArb), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(DEFAULT_POLICY_BUDGET_BYTES, DEFAULT_POLICY_BUDGET_BYTES, 700, 350),
        fc.constantFrom<ApiKind>('rest', 'http'),
        (rules, callers, asks, budget, kind) => {
          const harness = policyHarness(rules, { budget, model: kind });
          const routed = routedRequests(rules, asks.map(([, p]) => p), kind);
          for (const who of callers) {
            const expected = routed.map((r) => routeAllows(rules, who, r.index, r.params));
            for (const [method, path] of asks) {
              const answer = harness.ask(who, method, path);
              modes.set(answer.mode, (modes.get(answer.mode) ?? 0) + 1);
              checked += expected.length;
              const problems = disagreements(rules, who, answer, [method, path], routed, expected, kind);
              if (problems.length > 0) throw new Error(`${JSON.stringify(rules)}\n${JSON.stringify(who)}\n${problems.slice(0, 5).join('\n')}`);
            }
          }
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );

    // Assess
    expect(modes.get('full')).toBeGreaterThan(1000);
    expect(modes.get('adjusted')).toBeGreaterThan(10);
    expect(modes.get('route-only')).toBeGreaterThan(10);
    expect(checked).toBeGreaterThan(100_000);
  });

  it('reports a policy as adjusted, not full, when a Deny the caller needs also covers granted requests', () => {
    // Prepare: {p0} beats {proxy+} for one segment; denying DELETE/* for it also denies /v/w.
    const rules = { routes: [{ route: 'DELETE /{proxy+}', allow: ['authenticated'] }, { route: 'DELETE /{p0}', allow: [] }] };

    // Act
    const answer = policyHarness(rules).ask({}, 'DELETE', '/');

    // Assess
    expect(answer.mode).toBe('adjusted');
    expect(evaluate({ principalId: 'p', policyDocument: answer.policyDocument }, methodArn('DELETE', '/v/w'))).toBe('Deny');
    expect(rulesAllow(rules, {}, 'DELETE', '/v/w')).toBe(true);
  });

  it('the compiled router picks the same route as the independent oracle for random requests', () => {
    // Act
    fc.assert(
      fc.property(rulesArb, fc.array(fc.tuple(fc.constantFrom(...METHODS), pathArb), { minLength: 1, maxLength: 8 }), (rules, asks) => {
        const compiled = compileRules(rules);
        for (const [method, path] of asks) {
          for (const kind of ['rest', 'http'] as const) {
            const index = compiled.route(kind, method, path)?.index ?? -1;
            if (index !== governingRoute(rules, method, path, kind)) {
              throw new Error(`${kind} ${JSON.stringify(rules)}: ${method} ${path} → ${index}`);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('fuzzing: IAM wildcard matching', () => {
  it('compiled patterns match exactly what the independent IAM evaluator matches', () => {
    // Prepare
    const text = fc.array(fc.constantFrom('a', 'b', '/', '?', '*'), { maxLength: 12 }).map((c) => c.join(''));
    const pattern = fc.array(fc.constantFrom('a', 'b', '/', '?', '*', '*'), { maxLength: 8 }).map((c) => c.join(''));

    // Act and Assess
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 3 }), text, (patterns, t) => {
        expect(compileGlobs(patterns).test(t)).toBe(patterns.some((p) => iamMatch(p, t)));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('fuzzing: random rule sets through the handler', () => {
  let t: TestSetup;
  const tokens = new Map<string, string>();
  const whoKey = (who: Who): string => JSON.stringify([who.groups ?? [], who.scopes ?? [], who.claims ?? {}]);

  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());

  it('answers agree with the rules and the decision line names the policy mode', async () => {
    // Prepare
    const problems: string[] = [];
    // A token needs a sub: the caller's own when it has a usable one, else one of its signature.
    const subOf = (who: Who): string => {
      const sub = who.claims?.['sub'];
      return typeof sub === 'string' && sub !== '' ? sub : whoKey(who);
    };
    const tokenFor = (who: Who): string => {
      let token = tokens.get(whoKey(who));
      if (token === undefined) {
        const extra = { ...who.claims, sub: subOf(who) };
        token = signJwt(t.key, cognitoClaims({ groups: who.groups ?? [], scopes: who.scopes ?? [], sub: subOf(who), extra }));
        tokens.set(whoKey(who), token);
      }
      return token;
    };

    // Act
    await fc.assert(
      fc.asyncProperty(
        rulesArb,
        whoArb,
        fc.array(fc.tuple(fc.constantFrom(...METHODS), pathArb), { minLength: 1, maxLength: 3 }),
        async (rules, generated, asks) => {
          const who: Who = { ...generated, claims: { ...generated.claims, sub: subOf(generated) } };
          const authorizer = t.make({ ROUTE_RULES: JSON.stringify(rules) });
          const routed = routedRequests(rules, asks.map(([, p]) => p));
          const expected = routed.map((r) => routeAllows(rules, who, r.index, r.params));
          for (const [method, path] of asks) {
            t.logs.length = 0;
            const result = policyOf(await authorizer.handler(tokenEvent(`Bearer ${tokenFor(who)}`, method, path)));
            const line = t.logs.find((l: LogLine) => l['message'] === 'decision') as LogLine;
            const mode = line['policyMode'] as PolicyAnswer['mode'];
            const unrepresentable = ['wildcard-in-path', 'resource-too-long'].includes(line['reason'] as string)
              ? (line['reason'] as PolicyAnswer['unrepresentable'])
              : undefined;
            const answer: PolicyAnswer = {
              policyDocument: result.policyDocument as PolicyAnswer['policyDocument'],
              allowed: line['decision'] === 'allow',
              mode,
              ...(unrepresentable === undefined ? {} : { unrepresentable }),
            };
            problems.push(...disagreements(rules, who, answer, [method, path], routed, expected));
            if (result.principalId !== subOf(who)) problems.push(`principalId ${result.principalId}`);
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );

    // Assess
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
