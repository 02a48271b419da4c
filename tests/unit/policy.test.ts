// Policy building: methodArn parsing, ANY expansion, explicit Denies, the asked route made exact,
// the size budget, and never an empty statement list.
import { EventError } from '../../src/errors';
import { parseMethodArn } from '../../src/policy/arn';
import { createPolicyBuilder } from '../../src/policy/build';
import { compileRules } from '../../src/rules';
import { evaluate } from '../helpers/oracle';
import { methodArn } from '../helpers/events';

function answerFor(doc: unknown, who: { groups?: string[]; scopes?: string[] }, method: string, path: string, budget?: number) {
  const rules = compileRules(doc);
  const builder = createPolicyBuilder(rules, budget);
  const arn = parseMethodArn(methodArn(method, path));
  const granted = rules.grants({ groups: who.groups ?? [], scopes: who.scopes ?? [] });
  const rule = rules.route(arn.method, arn.path);
  const answer = builder.answer(builder.plan(granted), arn, rule !== undefined && granted[rule.index] === true);
  return { ...answer, result: { principalId: 'p', policyDocument: answer.policyDocument } };
}

describe('methodArn', () => {
  it('parses partition, region, account, API, stage, method and path', () => {
    // Prepare
    const text = 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/v1_beta/GET/pets/17/a:b';

    // Act
    const arn = parseMethodArn(text);

    // Assess
    expect(arn).toMatchObject({ partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', apiId: 'abc123', stage: 'v1_beta', method: 'GET', path: '/pets/17/a:b' });
    expect(arn.prefix).toBe('arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/v1_beta/');
  });

  it('reads the root path as /', () => {
    // Act
    const arn = parseMethodArn('arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/');

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
    const parse = () => parseMethodArn(value);

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
    expect(deny?.Resource).toEqual([methodArn('GET', '/pets/*/owner')]);
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
