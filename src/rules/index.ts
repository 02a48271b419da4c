// Rules compiled once at cold start: the route tree, and how grants read callers.
import { createRouter, type Router } from './routing';
import { parseRuleSet, type RouteRule } from './schema';
import { createRuleReader, type RuleReader } from './signature';

export type { Grant, RouteRule, RuleSet } from './schema';
export type { RoutingModel } from './routing';
export type { CallerFacts, Entitlement, Signature } from './signature';

/** Rules ready for the warm path. */
export interface CompiledRules extends Router, RuleReader {
  readonly routes: readonly RouteRule[];
}

/** Validates and compiles a rules document (already JSON-parsed). Throws RulesError when invalid. */
export function compileRules(doc: unknown): CompiledRules {
  const ruleSet = parseRuleSet(doc);
  const router = createRouter(ruleSet.routes);
  const reader = createRuleReader(ruleSet);
  return {
    routes: ruleSet.routes,
    route: router.route,
    atoms: reader.atoms,
    boundClaims: reader.boundClaims,
    signature: reader.signature,
    entitlements: reader.entitlements,
  };
}
