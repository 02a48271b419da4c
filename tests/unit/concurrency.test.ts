// Concurrency: hundreds of simultaneous invocations by different callers on one handler each get
// their own principal, context and decision — no cross-talk through the claims or plan caches.
import type { Authorizer } from '../../src/authorizer';
import { PLAN_CACHE_SIZE } from '../../src/decide';
import { setup, type TestSetup } from '../helpers/authorizer';
import { requestEvent, tokenEvent } from '../helpers/events';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { rulesAllow, sampleRequests } from '../helpers/oracle';
import { outcomeOf, type Outcome } from '../helpers/outcome';
import { TEST_RULES } from '../helpers/rules';

const GROUPS = ['admins', 'readers', 'exporters', 'owners', 'interns', 'superadmins', 'suspended'] as const;
const SCOPES = ['pets/read', 'pets/write'] as const;

interface Call {
  readonly sub: string;
  readonly username: string;
  readonly groups: string[];
  readonly scopes: string[];
  readonly token: string;
  readonly method: string;
  readonly path: string;
  readonly kind: 'TOKEN' | 'REQUEST';
}

/** A deterministic pseudo-random stream (so a failure can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function problemsOf(call: Call, outcome: Outcome): string[] {
  const who = `${call.sub} ${call.method} ${call.path}`;
  if (outcome.kind !== 'allow' && outcome.kind !== 'deny') return [`${who}: ${outcome.kind}`];
  const expected = rulesAllow(TEST_RULES, call, call.method, call.path) ? 'allow' : 'deny';
  const problems: string[] = [];
  if (outcome.kind !== expected) problems.push(`${who}: ${outcome.kind}, expected ${expected}`);
  if (outcome.result.principalId !== call.sub) problems.push(`${who}: principalId ${outcome.result.principalId}`);
  const context = outcome.result.context ?? {};
  if (context['sub'] !== call.sub || context['username'] !== call.username) problems.push(`${who}: context of ${String(context['sub'])}`);
  if (context['groups'] !== JSON.stringify(call.groups)) problems.push(`${who}: groups ${String(context['groups'])}`);
  if (context['scopes'] !== call.scopes.join(' ')) problems.push(`${who}: scopes ${String(context['scopes'])}`);
  return problems;
}

describe('concurrency', () => {
  let t: TestSetup;
  const requests = sampleRequests(TEST_RULES);

  beforeAll(async () => {
    t = await setup();
  });
  afterAll(() => t.stop());

  /** `count` callers with random groups and scopes (some with one-off groups), each asking a random request. */
  function calls(count: number, seed: number, oneOffGroups = 0): Call[] {
    const next = random(seed);
    return Array.from({ length: count }, (_, i): Call => {
      const groups: string[] = GROUPS.filter(() => next() < 0.3);
      if (i < oneOffGroups) groups.push(`one-off-${seed}-${i}`);
      const scopes: string[] = SCOPES.filter(() => next() < 0.3);
      const sub = `sub-${seed}-${i}`;
      const username = `user-${seed}-${i}`;
      const [method, path] = requests[Math.floor(next() * requests.length)] as [string, string];
      const token = signJwt(t.key, cognitoClaims({ sub, username, groups, scopes }));
      return { sub, username, groups, scopes, token, method, path, kind: next() < 0.5 ? 'TOKEN' : 'REQUEST' };
    });
  }

  const invoke = (authorizer: Authorizer, call: Call): Promise<Outcome> =>
    outcomeOf(
      authorizer.handler,
      call.kind === 'TOKEN'
        ? tokenEvent(`Bearer ${call.token}`, call.method, call.path)
        : requestEvent(`Bearer ${call.token}`, call.method, call.path),
    );

  it('gives 400 simultaneous callers on a warm handler each their own principal, context and decision', async () => {
    // Prepare
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    await authorizer.ready;
    const batch = calls(400, 1);

    // Act
    const outcomes = await Promise.all(batch.map((call) => invoke(authorizer, call)));

    // Assess
    expect(batch.flatMap((call, i) => problemsOf(call, outcomes[i] as Outcome)).slice(0, 5)).toEqual([]);
  });

  it('keeps callers apart when each token is used again at once, for other requests (claims cache hits)', async () => {
    // Prepare
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    await authorizer.ready;
    const batch = calls(150, 2);
    const again = calls(150, 3).map((other, i) => ({ ...(batch[i] as Call), method: other.method, path: other.path }));

    // Act
    const outcomes = await Promise.all([...batch, ...again, ...batch].map((call) => invoke(authorizer, call)));

    // Assess
    const all = [...batch, ...again, ...batch];
    expect(all.flatMap((call, i) => problemsOf(call, outcomes[i] as Outcome)).slice(0, 5)).toEqual([]);
  });

  it('keeps callers apart on a cold handler whose first requests all arrive at once', async () => {
    // Prepare
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    const batch = calls(300, 4);

    // Act
    const outcomes = await Promise.all(batch.map((call) => invoke(authorizer, call)));

    // Assess
    expect(batch.flatMap((call, i) => problemsOf(call, outcomes[i] as Outcome)).slice(0, 5)).toEqual([]);
  });

  it('keeps callers apart while tiny caches evict under concurrent load', async () => {
    // Prepare: an 8-token claims cache, and more one-off group sets than the plan cache holds.
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) }, { claimsCacheSize: 8 });
    await authorizer.ready;
    const batch = calls(PLAN_CACHE_SIZE + 200, 5, PLAN_CACHE_SIZE + 100);

    // Act
    const outcomes = await Promise.all([...batch, ...batch.slice(0, 300)].map((call) => invoke(authorizer, call)));

    // Assess
    const all = [...batch, ...batch.slice(0, 300)];
    expect(all.flatMap((call, i) => problemsOf(call, outcomes[i] as Outcome)).slice(0, 5)).toEqual([]);
  });

  it('answers interleaved bad tokens with 401 without disturbing the good ones', async () => {
    // Prepare
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    const good = calls(200, 6);
    const bad = good.map((call) => ({ ...call, token: call.token.slice(0, -4) + 'AAAA' }));
    // A warm instance: until its key set has verified a token, a bad signature may be the set's
    // fault and is answered 500 (jwks-faults.test.ts), not 401.
    expect((await invoke(authorizer, good[0] as Call)).kind).not.toBe('fault');

    // Act
    const outcomes = await Promise.all(good.flatMap((call, i) => [invoke(authorizer, call), invoke(authorizer, bad[i] as Call)]));

    // Assess
    const goodProblems = good.flatMap((call, i) => problemsOf(call, outcomes[2 * i] as Outcome));
    expect(goodProblems.slice(0, 5)).toEqual([]);
    expect(outcomes.filter((_, i) => i % 2 === 1).every((o) => o.kind === 'unauthorized')).toBe(true);
  });

  it('writes exactly one decision line per concurrent invocation, each naming its own principal', async () => {
    // Prepare
    const authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    await authorizer.ready;
    const batch = calls(200, 7);
    t.logs.length = 0;

    // Act
    await Promise.all(batch.map((call) => invoke(authorizer, call)));

    // Assess
    const principals = t.logs.filter((l) => l['message'] === 'decision').map((l) => l['principalId']);
    expect(principals.sort()).toEqual(batch.map((c) => c.sub).sort());
  });
});
