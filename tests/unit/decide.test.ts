// The decision step alone (no tokens, no keys): routing per API kind, reasons, claim grants,
// bound routes, and the plan cache keyed by exactly what the rules read.
import { createDecider, type DecisionTarget } from '../../src/decide';
import { createPolicyBuilder } from '../../src/policy';
import { compileRules } from '../../src/rules';
import type { CallerFacts } from '../../src/rules';
import { safeJsonParse } from '../../src/safe-json';

const RULES = {
  routes: [
    { route: 'GET /pets', allow: ['group:readers'] },
    { route: 'GET /pets/export', allow: ['group:exporters'] },
    { route: 'GET /pets/{petId}', allow: ['group:readers'] },
    { route: 'DELETE /pets/{petId}', allow: ['group:admins'] },
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
    { route: 'GET /reports', allow: ['claim:custom:plan=pro'] },
    { route: 'GET /audit', allow: ['claim:email_verified=true'], deny: ['claim:custom:role=intern'] },
  ],
  deny: ['group:suspended'],
};

function decider(doc: unknown = RULES) {
  const rules = compileRules(doc);
  const decide = createDecider(rules, createPolicyBuilder(rules));
  return (who: Partial<CallerFacts>, method: string, path: string, extra: Partial<DecisionTarget> = {}) =>
    decide(
      { groups: who.groups ?? [], scopes: who.scopes ?? [], claims: who.claims ?? {} },
      { model: 'rest', method: method as 'GET', path, ...extra },
    );
}

describe('decide: routing and reasons', () => {
  const decide = decider();

  it('grants a route whose allow list holds, naming the route', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/17');

    // Assess
    expect([d.allowed, d.route?.route, d.reason]).toEqual([true, 'GET /pets/{petId}', 'granted']);
  });

  it('denies a route whose allow list does not hold as not-granted', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'DELETE', '/pets/17');

    // Assess
    expect([d.allowed, d.route?.route, d.reason]).toEqual([false, 'DELETE /pets/{petId}', 'not-granted']);
  });

  it('denies a caller in a top-level deny group everywhere', () => {
    // Act
    const d = decide({ groups: ['readers', 'suspended'] }, 'GET', '/pets');

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'not-granted']);
  });

  it('denies a request no route governs as no-route', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'PUT', '/pets');

    // Assess
    expect([d.allowed, d.route, d.reason]).toEqual([false, undefined, 'no-route']);
  });

  it('routes a REST request with a trailing slash as API Gateway does, to the route without it', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/');

    // Assess
    expect([d.allowed, d.route?.route]).toEqual([true, 'GET /pets']);
  });

  it.each(['/pets//17', '/pets/17//', '//pets'])('denies the empty-segment path %s as empty-segment', (path) => {
    // Act
    const d = decide({ groups: ['readers', 'admins'] }, 'GET', path);

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'empty-segment']);
  });

  it('does not route an HTTP API request with a trailing slash (HTTP APIs do not match it)', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/', { model: 'http' });

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'empty-segment']);
  });

  it('routes REST by resource first: a more specific resource without the method is no route', () => {
    // Act
    const d = decide({ groups: ['admins'] }, 'DELETE', '/pets/export');

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'no-route']);
  });

  it('routes HTTP by route and method: the request falls through to the route that has the method', () => {
    // Act
    const d = decide({ groups: ['admins'] }, 'DELETE', '/pets/export', { model: 'http' });

    // Assess
    expect([d.allowed, d.route?.route]).toEqual([true, 'DELETE /pets/{petId}']);
  });

  it('denies as route-mismatch when the HTTP API matched another route than the rules govern by', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/export', { model: 'http', matchedRoute: 'GET /pets/{}' });

    // Assess
    expect([d.allowed, d.route?.route, d.reason]).toEqual([false, 'GET /pets/export', 'route-mismatch']);
  });

  it('decides by the rules when the HTTP API matched its $default route', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/17', { model: 'http', matchedRoute: '$default' });

    // Assess
    expect([d.allowed, d.route?.route]).toEqual([true, 'GET /pets/{petId}']);
  });

  it('accepts the matched route when only parameter names differ from the rules', () => {
    // Act
    const d = decide({ groups: ['readers'] }, 'GET', '/pets/17', { model: 'http', matchedRoute: 'GET /pets/{}' });

    // Assess
    expect([d.allowed, d.reason]).toEqual([true, 'granted']);
  });
});

describe('decide: claim grants', () => {
  const decide = decider();

  it.each([
    ['a string equal to the value', { 'custom:plan': 'pro' }, true],
    ['an array of strings containing it', { 'custom:plan': ['basic', 'pro'] }, true],
    ['another string', { 'custom:plan': 'pro2' }, false],
    ['a prefix of the value', { 'custom:plan': 'pr' }, false],
    ['no such claim', {}, false],
    ['an array without it', { 'custom:plan': ['basic'] }, false],
    ['an object', { 'custom:plan': { pro: true } }, false],
    ['an array holding a non-string', { 'custom:plan': [['pro']] }, false],
    ['an array holding the value and a non-string', { 'custom:plan': ['pro', 7] }, false],
  ])('claim:custom:plan=pro with %s: %s', (_name, claims, allowed) => {
    // Act
    const d = decide({ claims }, 'GET', '/reports');

    // Assess
    expect(d.allowed).toBe(allowed);
  });

  it('compares a boolean claim by its JSON text', () => {
    // Act
    const yes = decide({ claims: { email_verified: true } }, 'GET', '/audit');
    const no = decide({ claims: { email_verified: false } }, 'GET', '/audit');

    // Assess
    expect([yes.allowed, no.allowed]).toEqual([true, false]);
  });

  it('lets a claim deny win over a claim grant', () => {
    // Act
    const d = decide({ claims: { email_verified: true, 'custom:role': 'intern' } }, 'GET', '/audit');

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'not-granted']);
  });

  it('does not read a claim from the prototype chain', () => {
    // Act
    const d = decide({ claims: Object.create({ 'custom:plan': 'pro' }) as Record<string, unknown> }, 'GET', '/reports');

    // Assess
    expect(d.allowed).toBe(false);
  });
});

describe('decide: bound routes', () => {
  const decide = decider();
  const SUB = '8f0c2a4e-6b1d-4c3a-9e7f-0123456789ab';

  it('grants the caller its own value', () => {
    // Act
    const d = decide({ claims: { sub: SUB } }, 'GET', `/users/${SUB}/pets`);

    // Assess
    expect([d.allowed, d.reason]).toEqual([true, 'granted']);
  });

  it.each([
    ['another user', '0e1f2a3b-0000-4000-8000-000000000000'],
    ['a prefix of its own value', SUB.slice(0, 8)],
    ['its own value and more', `${SUB}x`],
    ['its own value in another case', SUB.toUpperCase()],
  ])('denies %s as bound-mismatch', (_name, value) => {
    // Act
    const d = decide({ claims: { sub: SUB } }, 'GET', `/users/${value}/pets`);

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'bound-mismatch']);
  });

  it.each([
    ['acme', '/tenants/acme/pets', true],
    ['acme', '/tenants/acme/pets/17/photos', true],
    ['acme', '/tenants/acme2/pets', false],
    ['acme', '/tenants/acm/pets', false],
    ['acme2', '/tenants/acme/pets', false],
    ['acme', '/tenants/globex/pets', false],
  ])('tenant %s asking %s: %s', (tenant, path, allowed) => {
    // Act
    const d = decide({ claims: { 'custom:tenant_id': tenant } }, 'POST', path);

    // Assess
    expect(d.allowed).toBe(allowed);
  });

  it.each([
    ['a wildcard', '*'],
    ['a single-character wildcard', 'a?c'],
    ['a slash', 'acme/pets'],
    ['the empty string', ''],
    ['a space', 'ac me'],
    ['a percent-encoding', 'ac%2Fme'],
    ['a dot segment', '..'],
    ['a lone dot', '.'],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 42],
    ['an array', ['acme']],
    ['non-ASCII', 'acmé'],
  ])('grants nothing for a bound claim that is %s, as unsafe-claim', (_name, value) => {
    // Act
    const d = decide({ claims: { 'custom:tenant_id': value } }, 'GET', '/tenants/acme/pets');

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'unsafe-claim']);
  });

  it('accepts a value of 128 characters from the safe alphabet', () => {
    // Prepare
    const value = 'a.b_c~d@e+f=g,h:i-'.padEnd(128, 'z');

    // Act
    const d = decide({ claims: { 'custom:tenant_id': value } }, 'GET', `/tenants/${value}/pets`);

    // Assess
    expect(d.allowed).toBe(true);
  });

  it('denies a caller without the bound claim as missing-claim', () => {
    // Act
    const d = decide({ claims: {} }, 'GET', '/tenants/acme/pets');

    // Assess
    expect([d.allowed, d.reason]).toEqual([false, 'missing-claim']);
  });
});

describe('decide: the plan cache is keyed by what the rules read', () => {
  it('shares one plan between callers whose named groups and scopes agree', () => {
    // Prepare
    const decide = decider();

    // Act
    const a = decide({ groups: ['readers', 'unnamed-1'] }, 'GET', '/pets');
    const b = decide({ groups: ['readers', 'unnamed-2'], scopes: ['openid'] }, 'GET', '/pets');

    // Assess
    expect(a.plan()).toBe(b.plan());
  });

  it('never shares a plan between callers with the same groups and different tenants', () => {
    // Prepare
    const decide = decider();

    // Act
    const acme = decide({ groups: ['readers'], claims: { 'custom:tenant_id': 'acme' } }, 'GET', '/tenants/acme/pets');
    const globex = decide({ groups: ['readers'], claims: { 'custom:tenant_id': 'globex' } }, 'GET', '/tenants/acme/pets');

    // Assess
    expect(acme.plan()).not.toBe(globex.plan());
    expect(acme.plan().allow).toContain('GET/tenants/acme/*');
    expect(globex.plan().allow).not.toContain('GET/tenants/acme/*');
    expect([acme.allowed, globex.allowed]).toEqual([true, false]);
  });

  it('keeps separate plans per routing model', () => {
    // Prepare
    const decide = decider();

    // Act
    const rest = decide({ groups: ['admins'] }, 'DELETE', '/pets/1');
    const http = decide({ groups: ['admins'] }, 'DELETE', '/pets/1', { model: 'http' });

    // Assess
    expect(rest.plan()).not.toBe(http.plan());
  });

  it('keeps a plan per claim-grant outcome, not per claim value', () => {
    // Prepare
    const decide = decider();

    // Act
    const basic = decide({ claims: { 'custom:plan': 'basic' } }, 'GET', '/reports');
    const free = decide({ claims: { 'custom:plan': 'free' } }, 'GET', '/reports');
    const pro = decide({ claims: { 'custom:plan': 'pro' } }, 'GET', '/reports');

    // Assess
    expect(basic.plan()).toBe(free.plan());
    expect(pro.plan()).not.toBe(basic.plan());
  });
});

describe('rules text', () => {
  it('names a duplicated key and where it is', () => {
    // Act
    const parse = () => safeJsonParse('{"routes":[{"route":"GET /a","allow":[],"allow":["authenticated"]}]}');

    // Assess
    expect(parse).toThrow('duplicate key "allow" in routes[0]');
  });

  it('keeps equal keys in different objects apart', () => {
    // Act
    const doc = safeJsonParse('{"routes":[{"route":"GET /a","allow":[]},{"route":"GET /b","allow":[]}],"deny":[]}');

    // Assess
    expect(doc).toEqual({ routes: [{ route: 'GET /a', allow: [] }, { route: 'GET /b', allow: [] }], deny: [] });
  });

  it('reads escaped keys as JSON does before comparing them', () => {
    // Act
    const parse = () => safeJsonParse('{"a":1,"\\u0061":2}');

    // Assess
    expect(parse).toThrow('duplicate key "a" in the top level');
  });
});

describe('decide: plans shared between owners and tenants', () => {
  /** A decider whose policy builder counts the plans it computes. */
  function counting(doc: unknown = RULES) {
    const rules = compileRules(doc);
    const policies = createPolicyBuilder(rules);
    let plans = 0;
    const counted = { ...policies, plan: (...args: Parameters<typeof policies.plan>) => (plans++, policies.plan(...args)) };
    const decide = createDecider(rules, counted);
    return { decide, plans: () => plans };
  }
  /** A decision with its plan made (plans are made on first use). */
  const ask = (decide: ReturnType<typeof counting>['decide'], claims: Record<string, unknown>, path: string) => {
    const decision = decide({ groups: [], scopes: [], claims }, { model: 'rest', method: 'GET', path });
    decision.plan();
    return decision;
  };

  it('computes one plan for many owners, each policy naming its own value', () => {
    // Prepare
    const { decide, plans } = counting();

    // Act
    const answers = Array.from({ length: 50 }, (_, i) => ask(decide, { sub: `user-${i}` }, `/users/user-${i}/pets`));

    // Assess
    expect(plans()).toBe(1);
    expect(answers.every((d, i) => d.allowed && d.plan().allow.includes(`GET/users/user-${i}/pets`))).toBe(true);
    expect(answers[7]?.plan().allowSet.test('GET/users/user-8/pets')).toBe(false);
  });

  it('plans apart a value that equals a route literal, which can land on that literal route', () => {
    // Prepare
    const { decide, plans } = counting({
      routes: [
        { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
        { route: 'GET /users/export/pets', allow: ['group:exporters'] },
      ],
    });

    // Act
    ask(decide, { sub: 'u-1' }, '/users/u-1/pets');
    ask(decide, { sub: 'u-2' }, '/users/u-2/pets');
    const exporter = ask(decide, { sub: 'export' }, '/users/export/pets');

    // Assess
    expect(plans()).toBe(2);
    expect(exporter.allowed).toBe(false);
    expect(exporter.plan().denySet.test('GET/users/export/pets')).toBe(true);
  });

  it('plans apart callers whose two bound values are equal and callers whose are not', () => {
    // Prepare
    const { decide, plans } = counting({
      routes: [
        { route: 'GET /t/{tenant}/x', allow: ['authenticated'], bind: { tenant: 'custom:t' } },
        { route: 'GET /t/{owner}/{rest}', allow: ['authenticated'], bind: { owner: 'sub' } },
      ],
    });

    // Act
    ask(decide, { sub: 'a', 'custom:t': 'a' }, '/t/a/x');
    ask(decide, { sub: 'b', 'custom:t': 'b' }, '/t/b/x');
    ask(decide, { sub: 'a', 'custom:t': 'b' }, '/t/b/x');

    // Assess
    expect(plans()).toBe(2);
  });
});
