// The decision step: route → grants → plan → answer → reason, for an already verified caller.
// Pure: no tokens, no I/O. The handler, the rules tool and the benchmarks all call it.
import type { CallerFacts, CompiledRules, Entitlement, RouteRule } from './rules';
import { splitPath, type HttpMethod } from './rules/route';
import { governingRoute, type RoutingModel } from './rules/routing';
import type { PolicyBuilder, PolicyPlan } from './policy';
import { abstractBound, instantiate, type AbstractEntitlements } from './policy/bound';
import { createGenerations } from './generations';

/** Why a request was allowed or denied (logged as `reason`). */
export type DecisionReason =
  | 'granted'
  /** The governing route's grants do not hold for the caller, or a deny list does. */
  | 'not-granted'
  /** No route of the rules governs the request. */
  | 'no-route'
  /** The path has an empty segment API Gateway's routing of which is not documented. */
  | 'empty-segment'
  /** A bound route, and the caller lacks the bound claim. */
  | 'missing-claim'
  /** A bound route, and the caller's claim is not a value a policy can name (`*`, `/`, too long, …). */
  | 'unsafe-claim'
  /** A bound route, and the path names another value than the caller's claim. */
  | 'bound-mismatch'
  /** HTTP API: the route API Gateway matched is not the rules' governing route (rules and API differ). */
  | 'route-mismatch';

/** The request as decide needs it: routing model, method, path (and the route the API matched). */
export interface DecisionTarget {
  readonly model: RoutingModel;
  readonly method: HttpMethod;
  readonly path: string;
  /** HTTP APIs: the matched route as `METHOD shape` (see routeShape), or `$default`. */
  readonly matchedRoute?: string;
}

export interface Decision {
  /** The rules' decision on the asked request. */
  readonly allowed: boolean;
  /** The governing rule, when one governs the request. */
  readonly route: RouteRule | undefined;
  readonly reason: DecisionReason;
  /** The caller's plan for this routing model (computed on first use, then cached by signature). */
  readonly plan: () => PolicyPlan;
}

/** Caller signatures (and plans) kept per decider; the oldest is dropped first. */
export const PLAN_CACHE_SIZE = 1000;

/** A route as `METHOD shape` (`GET /pets/{}`): equal for routes API Gateway treats as the same. */
export function routeShape(rule: RouteRule): string {
  return `${rule.template.method} ${rule.template.shape}`;
}

export type Decider = (caller: CallerFacts, target: DecisionTarget) => Decision;

interface Grants {
  readonly entitlements: readonly Entitlement[];
  readonly plan: () => PolicyPlan;
}

/** The path's segments at a bound route's parameters equal the caller's values. */
function boundValuesMatch(rule: RouteRule, entitlement: Entitlement, path: string): boolean {
  const parts = splitPath(path);
  return rule.bind.every((b, i) => parts[b.segment] === entitlement.values[i]);
}

/** What the rules say of the request, given the caller's entitlements. */
function judge(
  rules: CompiledRules,
  target: DecisionTarget,
  entitlements: readonly Entitlement[],
): { allowed: boolean; route: RouteRule | undefined; reason: DecisionReason } {
  const governed = governingRoute(rules, target.model, target.method, target.path);
  if ('problem' in governed) return { allowed: false, route: undefined, reason: governed.problem };
  const { route, path } = governed;
  const matched = target.matchedRoute;
  if (matched !== undefined && matched !== '$default' && (route === undefined || routeShape(route) !== matched)) {
    return { allowed: false, route, reason: 'route-mismatch' };
  }
  if (route === undefined) return { allowed: false, route, reason: 'no-route' };
  const entitlement = entitlements[route.index] as Entitlement;
  if (!entitlement.granted) return { allowed: false, route, reason: entitlement.problem ?? 'not-granted' };
  if (route.bind.length > 0 && !boundValuesMatch(route, entitlement, path)) {
    return { allowed: false, route, reason: 'bound-mismatch' };
  }
  return { allowed: true, route, reason: 'granted' };
}

/** Every literal segment of the rules: the bound values a plan must see as themselves. */
function literalSegments(rules: CompiledRules): Set<string> {
  const literals = new Set<string>();
  for (const rule of rules.routes) for (const s of rule.template.segments) if (s.kind === 'literal') literals.add(s.value);
  return literals;
}

/**
 * Creates the decision step for one compiled rule set, with two caches: entitlements per caller
 * signature, and plans per routing model and abstract entitlements (callers who differ only by
 * bound values no literal equals share one plan, filled in with their own values).
 */
export function createDecider(rules: CompiledRules, policies: PolicyBuilder, planCacheSize = PLAN_CACHE_SIZE): Decider {
  const literals = literalSegments(rules);
  const grantsCache = createGenerations<Grants>(planCacheSize);
  const plans = createGenerations<PolicyPlan>(planCacheSize);
  const abstractPlan = (model: RoutingModel, abstract: AbstractEntitlements): PolicyPlan => {
    const key = model + abstract.key;
    let plan = plans.get(key);
    if (plan === undefined) plans.set(key, (plan = policies.plan(model, abstract.entitlements)));
    return plan;
  };
  // The verifier hands a repeated token's cached claims object back: its grants are remembered on
  // it, so a repeated token skips computing its signature.
  const byClaims = new WeakMap<object, Partial<Record<RoutingModel, Grants>>>();
  function grantsFor(caller: CallerFacts, model: RoutingModel): Grants {
    let known = byClaims.get(caller.claims);
    const hit = known?.[model];
    if (hit !== undefined) return hit;
    const grants = grantsBySignature(caller, model);
    if (known === undefined) byClaims.set(caller.claims, (known = {}));
    known[model] = grants;
    return grants;
  }
  function grantsBySignature(caller: CallerFacts, model: RoutingModel): Grants {
    const signature = rules.signature(caller);
    const key = model + signature.key;
    let grants = grantsCache.get(key);
    if (grants === undefined) {
      const entitlements = rules.entitlements(signature);
      let plan: PolicyPlan | undefined;
      const makePlan = (): PolicyPlan => {
        const abstract = abstractBound(entitlements, literals);
        return instantiate(abstractPlan(model, abstract), abstract.values);
      };
      grants = { entitlements, plan: () => (plan ??= makePlan()) };
      grantsCache.set(key, grants);
    }
    return grants;
  }
  return (caller, target) => {
    const grants = grantsFor(caller, target.model);
    return { ...judge(rules, target, grants.entitlements), plan: grants.plan };
  };
}
