// The decision and policy steps for a rules document, without tokens: what the handler would
// answer for a caller and a request (compiled once per rules document).
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { createDecider, type Decision } from '../../src/decide';
import { createPolicyBuilder, type PolicyAnswer } from '../../src/policy';
import { parseResourceArn } from '../../src/policy/arn';
import { compileRules } from '../../src/rules';
import type { RoutingModel } from '../../src/rules/routing';
import type { AuthorizerResponse } from '../../src/response';
import { methodArn, type Target } from './events';

/** A caller as the rules see it. */
export interface Who {
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface Asked extends PolicyAnswer {
  readonly decision: Decision;
  /** The answer as an authorizer result, for IAM evaluation. */
  readonly result: APIGatewayAuthorizerResult;
}

/** Compiles `doc` once; `ask` answers like the handler's decide → policy steps. */
export function policyHarness(doc: unknown, options: { budget?: number; model?: RoutingModel } = {}) {
  const rules = compileRules(doc);
  const policies = createPolicyBuilder(rules, options.budget);
  const decide = createDecider(rules, policies);
  const model = options.model ?? 'rest';
  return {
    rules,
    ask(who: Who, method: string, path: string, target: Target = {}): Asked {
      const arn = parseResourceArn(methodArn(method, path, target));
      const caller = { groups: who.groups ?? [], scopes: who.scopes ?? [], claims: who.claims ?? {} };
      const decision = decide(caller, { model, method: arn.method, path: arn.path });
      const answer = policies.answer(decision.plan(), { prefix: arn.prefix, asked: arn.method + arn.path }, decision.allowed);
      return { ...answer, decision, result: { principalId: 'p', policyDocument: answer.policyDocument } };
    },
  };
}

/** One answer, compiling the rules for it. */
export function answerFor(doc: unknown, who: Who, method: string, path: string, budget?: number): Asked {
  return policyHarness(doc, budget === undefined ? {} : { budget }).ask(who, method, path);
}

/** The handler's answer as an IAM policy result; fails the test when it is a simple response. */
export function policyOf(response: AuthorizerResponse): APIGatewayAuthorizerResult {
  if (!('policyDocument' in response)) throw new Error(`expected an IAM policy answer, got ${JSON.stringify(response)}`);
  return response;
}
