// The decision table: callers × routes, for TOKEN and REQUEST events, checked against API Gateway's answer.
import { evaluate } from '../helpers/oracle';
import { setup, type TestSetup } from '../helpers/authorizer';
import { methodArn, requestEvent, tokenEvent } from '../helpers/events';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { CALLERS, TEST_RULES, type CallerName } from '../helpers/rules';
import type { Authorizer } from '../../src/authorizer';
import { policyOf } from '../helpers/policy';

type Expect = 'Allow' | 'Deny';
// [method, path, callers allowed] — every other caller is denied.
const TABLE: [string, string, CallerName[]][] = [
  ['GET', '/', ['admin', 'reader', 'scopeClient', 'writerClient', 'noGroups', 'superadmin', 'exporter', 'ownerIntern', 'oddNames']],
  ['GET', '/pets', ['admin', 'reader', 'scopeClient', 'writerClient']],
  ['POST', '/pets', ['admin', 'writerClient']],
  ['GET', '/pets/export', ['admin', 'exporter']],
  ['GET', '/pets/17', ['admin', 'reader', 'scopeClient', 'writerClient']],
  ['GET', '/pets/export-2024', ['admin', 'reader', 'scopeClient', 'writerClient']],
  ['DELETE', '/pets/17', ['admin']],
  // API Gateway picks the resource first: /pets/export exists and has no DELETE, so nothing governs.
  ['DELETE', '/pets/export', []],
  ['GET', '/pets/17/owner', ['admin']],
  ['GET', '/pets/export/owner', ['admin']],
  ['GET', '/me', ['admin', 'reader', 'scopeClient', 'writerClient', 'noGroups', 'superadmin', 'exporter', 'ownerIntern', 'oddNames']],
  ['GET', '/admin/users', ['admin']],
  ['POST', '/admin/users/42/reset', ['admin']],
  ['DELETE', '/admin/users/42', ['superadmin']],
  ['GET', '/files/a/b/c.txt', ['admin', 'reader']],
  // No route governs these: denied for everyone.
  ['PUT', '/pets', []],
  ['GET', '/pets/17/owner/name', []],
  ['GET', '/admin', []],
  ['GET', '/files', []],
  ['GET', '/unknown', []],
  ['GET', '/pets//owner', []],
];

describe('decisions', () => {
  let t: TestSetup;
  let authorizer: Authorizer;
  const tokens = new Map<CallerName, string>();

  beforeAll(async () => {
    t = await setup();
    authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
    for (const [name, spec] of Object.entries(CALLERS)) {
      tokens.set(name as CallerName, signJwt(t.key, cognitoClaims({ ...spec, sub: `sub-${name}` })));
    }
  });
  afterAll(() => t.stop());

  const cases = TABLE.flatMap(([method, path, allowed]) =>
    (Object.keys(CALLERS) as CallerName[]).map((caller): [string, string, CallerName, Expect] => [
      method,
      path,
      caller,
      allowed.includes(caller) ? 'Allow' : 'Deny',
    ]),
  );

  it.each(cases)('TOKEN: %s %s for %s is %s', async (method, path, caller, expected) => {
    // Prepare
    const event = tokenEvent(`Bearer ${tokens.get(caller) as string}`, method, path);

    // Act
    const result = policyOf(await authorizer.handler(event));

    // Assess
    expect(result.principalId).toBe(`sub-${caller}`);
    expect(evaluate(result, event.methodArn)).toBe(expected);
  });

  it.each(cases)('REQUEST: %s %s for %s is %s', async (method, path, caller, expected) => {
    // Prepare
    const event = requestEvent(`Bearer ${tokens.get(caller) as string}`, method, path);

    // Act
    const result = policyOf(await authorizer.handler(event));

    // Assess
    expect(evaluate(result, event.methodArn)).toBe(expected);
  });

  it('logs one decision line with the governing route and reason', async () => {
    // Prepare
    const event = tokenEvent(`Bearer ${tokens.get('reader') as string}`, 'DELETE', '/pets/17');
    t.logs.length = 0;

    // Act
    await authorizer.handler(event);

    // Assess
    const decisions = t.logs.filter((l) => l['message'] === 'decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      decision: 'deny',
      reason: 'not-granted',
      route: 'DELETE /pets/{petId}',
      resource: 'DELETE /pets/17',
      principalId: 'sub-reader',
      level: 'INFO',
    });
  });

  it('passes string-only context with groups as a JSON array and scopes as in the token', async () => {
    // Prepare
    const token = signJwt(t.key, cognitoClaims({ groups: ['a,b', 'readers'], scopes: ['pets/read', 'openid'], sub: 's-1', username: 'alice' }));

    // Act
    const result = policyOf(await authorizer.handler(tokenEvent(`Bearer ${token}`, 'GET', '/pets')));

    // Assess
    expect(result.context).toEqual({
      sub: 's-1',
      username: 'alice',
      clientId: 'testclient0000000000000001',
      tokenUse: 'access',
      scopes: 'pets/read openid',
      groups: '["a,b","readers"]',
    });
    expect(JSON.parse(result.context?.['groups'] as string)).toEqual(['a,b', 'readers']);
  });

  it('never allows on another API, stage, account or region', async () => {
    // Prepare
    const result = policyOf(await authorizer.handler(tokenEvent(`Bearer ${tokens.get('admin') as string}`, 'GET', '/pets')));

    // Act
    const elsewhere = [
      methodArn('GET', '/pets', { apiId: 'zzzzzzzzzz' }),
      methodArn('GET', '/pets', { stage: 'dev' }),
      methodArn('GET', '/pets', { account: '999999999999' }),
      methodArn('GET', '/pets', { region: 'eu-west-1' }),
    ].map((arn) => evaluate(result, arn));

    // Assess
    expect(elsewhere).toEqual(['Deny', 'Deny', 'Deny', 'Deny']);
    expect(evaluate(result, methodArn('GET', '/pets'))).toBe('Allow');
  });
});
