// Policy building: methodArn parsing, ANY expansion, explicit Denies, the asked route made exact,
// the size budget, and never an empty statement list.
import { EventError } from '../../src/errors';
import { parseResourceArn } from '../../src/policy/arn';
import { createRouteIndex, specialise, templateGlob, type MethodRoute, type Unit } from '../../src/policy/routes';
import { compileRules } from '../../src/rules';
import { createPolicyBuilder } from '../../src/policy';
import { abstractBound, instantiate } from '../../src/policy/bound';
import { evaluate } from '../helpers/oracle';
import { methodArn } from '../helpers/events';
import { answerFor } from '../helpers/policy';

describe('methodArn', () => {
  it('parses partition, region, account, API, stage, method and path', () => {
    // Prepare
    const text = 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/v1_beta/GET/pets/17/a:b';

    // Act
    const arn = parseResourceArn(text);

    // Assess
    expect(arn).toMatchObject({ partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', apiId: 'abc123', stage: 'v1_beta', method: 'GET', path: '/pets/17/a:b' });
    expect(arn.prefix).toBe('arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/v1_beta/');
  });

  it('reads the root path as /', () => {
    // Act
    const arn = parseResourceArn('arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/');

    // Assess
    expect(arn.path).toBe('/');
  });

  it.each([
    ['missing', undefined],
    ['not a string', 42],
    ['another service', 'arn:aws:lambda:us-east-1:123456789012:function:f'],
    ['a wildcard API', 'arn:aws:execute-api:us-east-1:123456789012:*/prod/GET/pets'],
    ['a wildcard stage', 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/pets'],
    ['a wildcard method', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/pets'],
    ['a wildcard account', 'arn:aws:execute-api:us-east-1:*:abc123/prod/GET/pets'],
    ['ANY as the method', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/ANY/pets'],
    ['no method', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'],
    ['over 1,600 characters', `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/${'a'.repeat(1600)}`],
  ])('refuses a methodArn that is %s as an event fault', (_name, value) => {
    // Act
    const parse = () => parseResourceArn(value);

    // Assess
    expect(parse).toThrow(EventError);
  });
});

describe('policy', () => {
  const rules = {
    routes: [
      { route: 'GET /pets', allow: ['group:readers'] },
      { route: 'GET /pets/{petId}', allow: ['group:readers'] },
      { route: 'GET /pets/{petId}/owner', allow: ['group:admins'] },
      { route: 'ANY /admin/{proxy+}', allow: ['group:admins'] },
    ],
  };

  it('denies by name a narrower route a granted wildcard would reach', () => {
    // Act
    const { policyDocument, result } = answerFor(rules, { groups: ['readers'] }, 'GET', '/pets/17');

    // Assess
    const deny = policyDocument.Statement.find((s) => s.Effect === 'Deny');
    expect(deny?.Resource).toEqual([methodArn('GET', '/pets/*/owner'), methodArn('*/', '/*'), methodArn('*', '/*/')]);
    expect(evaluate(result, methodArn('GET', '/pets/17/owner'))).toBe('Deny');
    expect(evaluate(result, methodArn('GET', '/pets/17'))).toBe('Allow');
  });

  it('expands ANY into one resource per method, never a wildcard method', () => {
    // Act
    const { policyDocument } = answerFor(rules, { groups: ['admins'] }, 'GET', '/admin/x');

    // Assess
    const resources = policyDocument.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Resource);
    expect(resources).toEqual(
      expect.arrayContaining(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map((m) => methodArn(m, '/admin/*'))),
    );
    expect(resources.every((r) => !r.includes('/prod/*'))).toBe(true);
  });

  it('denies the whole stage, explicitly, when nothing is granted', () => {
    // Act
    const { policyDocument, allowed } = answerFor(rules, { groups: ['nobody'] }, 'GET', '/pets');

    // Assess
    expect(allowed).toBe(false);
    expect(policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*'] },
    ]);
  });

  it('denies by name an asked request that no route governs but a granted wildcard reaches', () => {
    // Act
    const { result, mode, allowed } = answerFor(rules, { groups: ['readers'] }, 'GET', '/pets/17/photos');

    // Assess
    expect(allowed).toBe(false);
    expect(mode).toBe('adjusted');
    expect(evaluate(result, methodArn('GET', '/pets/17/photos'))).toBe('Deny');
    expect(evaluate(result, methodArn('GET', '/pets/18'))).toBe('Allow');
  });

  it('allows the asked request by name when a Deny needed elsewhere would also match it', () => {
    // Prepare: {x} beats {proxy+} for one segment, so the denied {x} route must be denied across
    // `GET/a/*` — which also matches the granted deeper request.
    const conflict = { routes: [{ route: 'GET /a/{x}', allow: [] }, { route: 'GET /a/{proxy+}', allow: ['authenticated'] }] };

    // Act
    const { result, mode, allowed } = answerFor(conflict, {}, 'GET', '/a/b/c');

    // Assess
    expect(allowed).toBe(true);
    expect(mode).toBe('adjusted');
    expect(evaluate(result, methodArn('GET', '/a/b/c'))).toBe('Allow');
    expect(evaluate(result, methodArn('GET', '/a/b'))).toBe('Deny');
  });

  it('denies a granted request that needs an exact Allow when its path holds an IAM wildcard', () => {
    // Prepare: as above, the asked request needs its own Allow, but `*` in it would allow more.
    const conflict = { routes: [{ route: 'GET /a/{x}', allow: [] }, { route: 'GET /a/{proxy+}', allow: ['authenticated'] }] };

    // Act
    const { allowed, unrepresentable, result } = answerFor(conflict, {}, 'GET', '/a/*/c');

    // Assess
    expect(allowed).toBe(false);
    expect(unrepresentable).toBe('wildcard-in-path');
    expect(evaluate(result, methodArn('GET', '/a/*/c'))).toBe('Deny');
    expect(evaluate(result, methodArn('GET', '/a/b'))).toBe('Deny');
  });

  it('describes only the asked request when the full policy would exceed the size budget', () => {
    // Prepare
    const many = { routes: Array.from({ length: 200 }, (_, i) => ({ route: `GET /r${i}/{id}`, allow: ['authenticated'] })) };

    // Act
    const { policyDocument, mode, allowed } = answerFor(many, {}, 'GET', '/r7/1');

    // Assess
    expect(mode).toBe('route-only');
    expect(allowed).toBe(true);
    expect(policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [methodArn('GET', '/r7/1')] }]);
  });

  it('keeps every resource within 512 characters, even for a long asked path', () => {
    // Act
    const { policyDocument, allowed } = answerFor(rules, { groups: ['readers'] }, 'GET', `/pets/${'x'.repeat(700)}/photos`);

    // Assess
    expect(allowed).toBe(false);
    expect(policyDocument.Statement.flatMap((s) => s.Resource).every((r) => r.length <= 512)).toBe(true);
  });
});

describe('policy: empty segments and trailing slashes under cached reuse', () => {
  // The outside review's rules: a reader's cached answer for GET /pets/17 allowed these.
  const review = {
    routes: [
      { route: 'GET /pets', allow: ['group:admins'] },
      { route: 'GET /pets/{petId}', allow: ['group:readers'] },
      { route: 'DELETE /pets/{petId}', allow: ['group:admins'] },
      { route: 'ANY /pets/{petId}/{proxy+}', allow: ['group:readers'] },
    ],
  };

  it.each([
    ['DELETE', '/pets/17/'],
    ['DELETE', '/pets//17'],
    ['GET', '/pets/'],
    ['GET', '/pets//'],
    ['DELETE', '/pets/17//x'],
  ])('a reader’s cached policy denies %s %s', (method, path) => {
    // Act
    const { result } = answerFor(review, { groups: ['readers'] }, 'GET', '/pets/17');

    // Assess
    expect(evaluate(result, methodArn(method, path))).toBe('Deny');
  });

  it('still allows the reader’s own routes and denies the admins’', () => {
    // Act
    const { result, mode } = answerFor(review, { groups: ['readers'] }, 'GET', '/pets/17');

    // Assess
    expect(mode).toBe('full');
    expect(['GET /pets/18', 'POST /pets/17/photos', 'GET /pets/17/a/b'].map((r) => evaluate(result, methodArn(...(r.split(' ') as [string, string]))))).toEqual([
      'Allow',
      'Allow',
      'Allow',
    ]);
    expect(evaluate(result, methodArn('DELETE', '/pets/17'))).toBe('Deny');
    expect(evaluate(result, methodArn('GET', '/pets'))).toBe('Deny');
  });

  it('allows an asked trailing-slash request the rules grant, by name and with nothing that would open its variants', () => {
    // Act
    const { result, allowed, mode } = answerFor(review, { groups: ['admins'] }, 'GET', '/pets/');

    // Assess
    expect([allowed, mode]).toEqual([true, 'adjusted']);
    expect(evaluate(result, methodArn('GET', '/pets/'))).toBe('Allow');
    expect(evaluate(result, methodArn('DELETE', '/pets/17/'))).toBe('Deny');
    expect(evaluate(result, methodArn('GET', '/pets'))).toBe('Allow');
  });

  it('names no variant Deny when nothing granted has a wildcard', () => {
    // Act
    const { policyDocument } = answerFor(review, { groups: ['admins'] }, 'GET', '/pets');

    // Assess: admins are granted {petId} routes, so the variants are denied …
    expect(policyDocument.Statement.find((s) => s.Effect === 'Deny')?.Resource).toEqual(
      expect.arrayContaining([methodArn('*/', '/*'), methodArn('*', '/*/')]),
    );
    // … and a caller granted only literal routes needs none.
    const literal = answerFor({ routes: [{ route: 'GET /pets', allow: ['authenticated'] }] }, {}, 'GET', '/pets');
    expect(literal.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [methodArn('GET', '/pets')] }]);
  });
});

describe('policy: bound routes', () => {
  const tenancy = {
    routes: [
      { route: 'GET /tenants/{tenantId}/pets', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
      { route: 'ANY /tenants/{tenantId}/{proxy+}', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
      { route: 'GET /tenants/{tenantId}/admin', allow: ['group:admins'], bind: { tenantId: 'custom:tenant_id' } },
      { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
      { route: 'GET /users/export/pets', allow: ['group:exporters'] },
    ],
  };
  const acme = { claims: { 'custom:tenant_id': 'acme', sub: 'u-1' } };

  it('names the caller’s own value in the policy', () => {
    // Act
    const { policyDocument } = answerFor(tenancy, acme, 'GET', '/tenants/acme/pets');

    // Assess
    const allow = policyDocument.Statement.find((s) => s.Effect === 'Allow')?.Resource ?? [];
    expect(allow).toEqual(expect.arrayContaining([methodArn('GET', '/tenants/acme/pets'), methodArn('GET', '/tenants/acme/*'), methodArn('GET', '/users/u-1/pets')]));
    expect(allow.some((r) => r.includes('/tenants/*'))).toBe(false);
  });

  it.each([
    ['GET', '/tenants/globex/pets'],
    ['GET', '/tenants/acme2/pets'],
    ['GET', '/tenants/acm/pets'],
    ['POST', '/tenants/globex/pets/1'],
    ['GET', '/tenants/acme/admin'],
    ['GET', '/users/u-2/pets'],
    ['GET', '/users/u-1x/pets'],
    ['GET', '/tenants//acme/pets'],
  ])('a cached acme answer denies %s %s', (method, path) => {
    // Act
    const { result } = answerFor(tenancy, acme, 'GET', '/tenants/acme/pets');

    // Assess
    expect(evaluate(result, methodArn(method, path))).toBe('Deny');
  });

  it.each([
    ['GET', '/tenants/acme/pets'],
    ['POST', '/tenants/acme/pets/1'],
    ['DELETE', '/tenants/acme/x/y'],
    ['GET', '/users/u-1/pets'],
  ])('a cached acme answer allows %s %s', (method, path) => {
    // Act
    const { result } = answerFor(tenancy, acme, 'POST', '/tenants/acme/orders');

    // Assess
    expect(evaluate(result, methodArn(method, path))).toBe('Allow');
  });

  it('keeps a bound value that equals a literal route from opening that route', () => {
    // Act: a user whose sub is "export" asks for their own pets
    const { result, allowed } = answerFor(tenancy, { claims: { sub: 'export' } }, 'GET', '/users/export/pets');

    // Assess: GET /users/export/pets is its own route (exporters only), not the bound one
    expect(allowed).toBe(false);
    expect(evaluate(result, methodArn('GET', '/users/export/pets'))).toBe('Deny');
  });

  it('grants nothing of a bound route to a caller whose claim is unsafe, and the policy names no value', () => {
    // Act
    const { result, decision, policyDocument } = answerFor(tenancy, { claims: { 'custom:tenant_id': '*' } }, 'GET', '/tenants/*/pets');

    // Assess
    expect(decision.reason).toBe('unsafe-claim');
    expect(evaluate(result, methodArn('GET', '/tenants/acme/pets'))).toBe('Deny');
    expect(JSON.stringify(policyDocument)).not.toContain('/tenants/*/pets"');
  });
});

describe('resource ARNs', () => {
  it.each([
    ['the European Sovereign Cloud', 'arn:aws-eusc:execute-api:eusc-de-east-1:123456789012:abc123/prod/GET/pets', 'eusc-de-east-1'],
    ['GovCloud', 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/prod/GET/pets', 'us-gov-west-1'],
    ['China', 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/prod/GET/pets', 'cn-north-1'],
    ['an HTTP API’s $default stage', 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/POST/lambda', 'eu-west-1'],
  ])('parses an ARN of %s', (_name, text, region) => {
    // Act
    const arn = parseResourceArn(text);

    // Assess
    expect(arn.region).toBe(region);
    expect(arn.prefix + arn.method + arn.path).toBe(text);
  });

  it.each([
    ['a stage named like the default but not it', 'arn:aws:execute-api:us-east-1:123456789012:abc123/$latest/GET/pets'],
    ['a region of another shape', 'arn:aws:execute-api:useast1:123456789012:abc123/prod/GET/pets'],
  ])('refuses %s as an event fault', (_name, text) => {
    // Act
    const parse = () => parseResourceArn(text);

    // Assess
    expect(parse).toThrow(EventError);
  });
});

describe('policy: the route index', () => {
  it('looks up a bound route’s neighbours once per route, whatever the caller’s value (no memo entry per caller)', () => {
    // Prepare
    const rules = compileRules({ routes: [{ route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } }, { route: 'GET /users/export/pets', allow: [] }] });
    const index = createRouteIndex(rules.routes, 'rest');
    const route = index.routesOf('GET')[0] as MethodRoute;
    const unit = (value: string): Unit => {
      const template = specialise(route.rule.template, new Map([[1, value]]));
      return { route, pattern: 'GET' + templateGlob(template), template, except: [] };
    };

    // Act
    const [a, b] = [index.related(unit('u-1')), index.related(unit('u-2'))];

    // Assess
    expect(a).toBe(b);
    expect(a.map((r) => r.rule.route)).toEqual(['GET /users/{userId}/pets', 'GET /users/export/pets']);
  });
});

describe('policy: a shared plan filled in per caller', () => {
  it('names each caller’s own value and keeps the placeholder out of every pattern', () => {
    // Prepare
    const rules = compileRules({
      routes: [
        { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
        { route: 'GET /pets', allow: ['authenticated'] },
      ],
    });
    const policies = createPolicyBuilder(rules);
    const entitlements = rules.entitlements(rules.signature({ groups: [], scopes: [], claims: { sub: 'u-1' } }));
    const abstract = abstractBound(entitlements, new Set(['users', 'pets']));

    // Act
    const plan = instantiate(policies.plan('rest', abstract.entitlements), abstract.values);

    // Assess
    expect(plan.allow).toEqual(['GET/users/u-1/pets', 'GET/pets']);
    expect(JSON.stringify([...plan.allow, ...plan.deny, ...plan.denyFor])).not.toContain('\u0001');
    expect([plan.allowSet.test('GET/users/u-1/pets'), plan.allowSet.test('GET/users/u-2/pets')]).toEqual([true, false]);
    expect(plan.patternChars).toBe([...plan.allow, ...plan.deny].join('').length);
  });
});
