// Cache safety: a policy answered for one request, reused by API Gateway for any other request of
// the same caller, must agree with the rules — never allow what they deny, allow what they grant.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { evaluator } from '../helpers/oracle';
import { setup, type TestSetup } from '../helpers/authorizer';
import { methodArn, tokenEvent } from '../helpers/events';
import { cognitoClaims, signJwt } from '../helpers/issuer';
import { governingRoute, rulesAllow, sampleRequests } from '../helpers/oracle';
import { CALLERS, TEST_RULES, type CallerName } from '../helpers/rules';
import type { Authorizer } from '../../src/authorizer';
import { policyOf } from '../helpers/policy';

describe('cache safety', () => {
  let t: TestSetup;
  let authorizer: Authorizer;
  // Asked: any request, routed or not. Reused for: requests API Gateway routes to a method (it
  // answers requests to resources the API does not have itself, without the authorizer).
  const requests = sampleRequests(TEST_RULES);
  const routed = requests.filter(([m, p]) => governingRoute(TEST_RULES, m, p) >= 0);

  beforeAll(async () => {
    t = await setup();
    authorizer = t.make({ ROUTE_RULES: JSON.stringify(TEST_RULES) });
  });
  afterAll(() => t.stop());

  it.each(Object.keys(CALLERS) as CallerName[])(
    'the policy for any asked request agrees with the rules on every other request, for %s',
    async (name) => {
      // Prepare
      const who = CALLERS[name];
      const token = signJwt(t.key, cognitoClaims(who));
      const disagreements: string[] = [];

      // Act
      for (const [askedMethod, askedPath] of requests) {
        const result: APIGatewayAuthorizerResult = policyOf(
          await authorizer.handler(tokenEvent(`Bearer ${token}`, askedMethod, askedPath)),
        );
        const evaluate = evaluator(result);
        for (const [method, path] of routed) {
          const expected = rulesAllow(TEST_RULES, who, method, path) ? 'Allow' : 'Deny';
          const actual = evaluate(methodArn(method, path));
          if (actual !== expected) disagreements.push(`asked ${askedMethod} ${askedPath}: ${method} ${path} → ${actual}`);
        }
      }

      // Assess
      expect(routed.length).toBeGreaterThan(100);
      expect(disagreements.slice(0, 10)).toEqual([]);
    },
  );
});
