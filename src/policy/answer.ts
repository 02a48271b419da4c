// The policy for one request: the caller's plan scoped to the API and stage, and the asked
// request made exact whatever IAM's wildcards would otherwise say about it.
import { compileGlobs, hasWildcard } from './glob';
import type { PolicyPlan } from './plan';
import {
  denyResource,
  documentOf,
  estimatePolicyBytes,
  MAX_RESOURCE_LENGTH,
  render,
  statement,
  type PolicyDocument,
} from './render';

/** Why the policy says what it says about the asked request. */
export type PolicyMode =
  /** Every route of the rules described exactly (cache-safe, and every grant allowed). */
  | 'full'
  /**
   * Cache-safe, but some cached reuses deny more than the rules: a Deny the caller needs also
   * matches requests of a granted route, or the asked request needed its own exact statement.
   */
  | 'adjusted'
  /** Only the asked request is described: the plan is over the size budget (needs a per-route cache key). */
  | 'route-only';

/** Set when the rules grant the request but IAM cannot name it exactly; the answer denies. */
export type Unrepresentable = 'wildcard-in-path' | 'resource-too-long';

export interface PolicyAnswer {
  readonly policyDocument: PolicyDocument;
  /** Whether the document allows the asked request (the rules' decision, or Deny when unrepresentable). */
  readonly allowed: boolean;
  readonly mode: PolicyMode;
  readonly unrepresentable?: Unrepresentable;
}

/** The asked request, as the policy sees it. */
export interface AskedResource {
  /** `arn:…:<api>/<stage>/`: every resource of the policy starts with it. */
  readonly prefix: string;
  /** `METHOD/path` as in the ARN, e.g. `GET/pets/17`. */
  readonly asked: string;
}

function representable(resource: AskedResource): boolean {
  return !hasWildcard(resource.asked) && resource.prefix.length + resource.asked.length <= MAX_RESOURCE_LENGTH;
}

function whyUnrepresentable(resource: AskedResource): Unrepresentable {
  return hasWildcard(resource.asked) ? 'wildcard-in-path' : 'resource-too-long';
}

/** Over the size budget: describe the asked request alone. */
function routeOnly(resource: AskedResource, rulesAllow: boolean): PolicyAnswer {
  const { prefix, asked } = resource;
  if (rulesAllow && representable(resource)) return { policyDocument: render(prefix, [asked], []), allowed: true, mode: 'route-only' };
  const policyDocument = documentOf([statement('Deny', [denyResource(prefix, asked)])]);
  return rulesAllow
    ? { policyDocument, allowed: false, mode: 'route-only', unrepresentable: whyUnrepresentable(resource) }
    : { policyDocument, allowed: false, mode: 'route-only' };
}

/** The rules deny the request but a granted pattern matches it: add a Deny naming it. */
function denyAsked(plan: PolicyPlan, resource: AskedResource): PolicyAnswer {
  const { prefix, asked } = resource;
  const policyDocument = documentOf([
    ...render(prefix, plan.allow, plan.deny).Statement.filter((s) => s.Effect === 'Allow'),
    statement('Deny', [...plan.deny.map((p) => prefix + p), denyResource(prefix, asked)]),
  ]);
  return { policyDocument, allowed: false, mode: 'adjusted' };
}

/**
 * The rules grant the request, but a Deny needed elsewhere also matches it (IAM's Deny wins).
 * Drop those Denies together with every Allow that needed them, then allow the request by name.
 */
function allowAsked(plan: PolicyPlan, resource: AskedResource): PolicyAnswer {
  const { prefix, asked } = resource;
  const dropDeny = new Set(plan.deny.filter((d) => compileGlobs([d]).test(asked)));
  const keepAllow = plan.allow.filter((a) => !(plan.denyFor.get(a) ?? []).some((d) => dropDeny.has(d)));
  const keptDeny = new Set(keepAllow.flatMap((a) => plan.denyFor.get(a) ?? []));
  const policyDocument = render(
    prefix,
    [...keepAllow, asked],
    plan.deny.filter((d) => keptDeny.has(d) && !dropDeny.has(d)),
  );
  return { policyDocument, allowed: true, mode: 'adjusted' };
}

/** The policy for one request, from the caller's plan and the rules' decision on the request. */
export function answer(plan: PolicyPlan, resource: AskedResource, rulesAllow: boolean, budgetBytes: number): PolicyAnswer {
  const { prefix, asked } = resource;
  const count = plan.allow.length + plan.deny.length;
  if (estimatePolicyBytes(prefix.length, count, plan.patternChars) > budgetBytes) return routeOnly(resource, rulesAllow);

  const policyAllows = plan.allowSet.test(asked) && !plan.denySet.test(asked);
  const mode = plan.exact ? 'full' : 'adjusted';
  if (policyAllows === rulesAllow) {
    return { policyDocument: render(prefix, plan.allow, plan.deny), allowed: rulesAllow, mode };
  }
  if (!rulesAllow) return denyAsked(plan, resource);
  if (!representable(resource)) {
    return { policyDocument: render(prefix, plan.allow, plan.deny), allowed: false, mode, unrepresentable: whyUnrepresentable(resource) };
  }
  return allowAsked(plan, resource);
}
