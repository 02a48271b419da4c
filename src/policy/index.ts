// Policies that stay right when API Gateway's cache reuses them for other routes: a plan per
// caller signature and routing model, answered per request. The design: docs/cache-safety.md.
import type { CompiledRules, Entitlement } from '../rules';
import type { RoutingModel } from '../rules/routing';
import { answer, type AskedResource, type PolicyAnswer } from './answer';
import { planFor, type PolicyPlan } from './plan';
import { DEFAULT_POLICY_BUDGET_BYTES, estimatePolicyBytes, VARIANT_PATTERNS } from './render';
import { createRouteIndex, type RouteIndex } from './routes';

export type { AskedResource, PolicyAnswer, PolicyMode, Unrepresentable } from './answer';
export type { PolicyPlan } from './plan';
export type { PolicyDocument } from './render';
export { DEFAULT_POLICY_BUDGET_BYTES, TYPICAL_PREFIX_LENGTH } from './render';

/** Builds policies for one compiled rule set. */
export interface PolicyBuilder {
  /** The caller's plan from its entitlements (CompiledRules.entitlements). */
  plan(model: RoutingModel, entitlements: readonly Entitlement[]): PolicyPlan;
  /** The policy for one request. */
  answer(plan: PolicyPlan, resource: AskedResource, rulesAllow: boolean): PolicyAnswer;
  /** The estimated size of a policy that allows every route, under a prefix of this length. */
  worstCaseBytes(prefixLength: number): number;
  readonly budgetBytes: number;
}

export function createPolicyBuilder(rules: CompiledRules, budgetBytes = DEFAULT_POLICY_BUDGET_BYTES): PolicyBuilder {
  // One index per routing model, built when first needed (an authorizer usually serves one kind).
  const indexes = new Map<RoutingModel, RouteIndex>();
  const indexFor = (model: RoutingModel): RouteIndex => {
    let index = indexes.get(model);
    if (index === undefined) indexes.set(model, (index = createRouteIndex(rules.routes, model)));
    return index;
  };
  return {
    budgetBytes,
    plan: (model, entitlements) => planFor(indexFor(model), entitlements),
    answer: (plan, resource, rulesAllow) => answer(plan, resource, rulesAllow, budgetBytes),
    worstCaseBytes(prefixLength) {
      const patterns = [...indexFor('http').all.map((r) => r.pattern), ...VARIANT_PATTERNS];
      return estimatePolicyBytes(prefixLength, patterns.length, patterns.reduce((n, p) => n + p.length, 0));
    },
  };
}
