// Plans shared between callers of bound routes: a value no route literal equals plays the same part
// in every plan, so one plan made with a placeholder serves every such value, filled in per caller.
import type { Entitlement } from '../rules';
import { compileGlobs } from './glob';
import type { PolicyPlan } from './plan';

/** A caller's entitlements with their bound values abstracted, and how to put the values back. */
export interface AbstractEntitlements {
  /** Equal for callers whose plans differ only by their values: the plan cache's key. */
  readonly key: string;
  readonly entitlements: readonly Entitlement[];
  /** Placeholder → the caller's value. */
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Abstracts bound values. A value equal to some route's literal segment stays itself (it can land
 * a pattern on that literal route); any other value becomes a placeholder, one per distinct value
 * (equal values can make two bound patterns meet). A value is a whole segment with no `/`, `*` or
 * `?`, so which placeholder stands for it cannot change which requests a pattern reaches.
 */
export function abstractBound(entitlements: readonly Entitlement[], literals: ReadonlySet<string>): AbstractEntitlements {
  const placeholders = new Map<string, string>();
  const values = new Map<string, string>();
  const stand = (value: string): string => {
    if (literals.has(value)) return value;
    let placeholder = placeholders.get(value);
    if (placeholder === undefined) {
      placeholder = `\u0001${placeholders.size}\u0001`;
      placeholders.set(value, placeholder);
      values.set(placeholder, value);
    }
    return placeholder;
  };
  let key = '';
  const abstract = entitlements.map((e): Entitlement => {
    if (!e.granted) {
      key += '0';
      return e;
    }
    if (e.values.length === 0) {
      key += '1';
      return e;
    }
    const stood = e.values.map(stand);
    key += `[${stood.join('\u0002')}]`;
    return { granted: true, values: stood };
  });
  return { key, entitlements: abstract, values };
}

/**
 * The plan with the placeholders replaced by the caller's values. Patterns without a placeholder
 * keep their compiled matchers; `denyFor` (needed only when an asked request must be adjusted) is
 * filled in on first use.
 */
export function instantiate(plan: PolicyPlan, values: ReadonlyMap<string, string>): PolicyPlan {
  if (values.size === 0) return plan;
  const fill = (pattern: string): string => {
    if (!pattern.includes('\u0001')) return pattern;
    let filled = pattern;
    for (const [placeholder, value] of values) filled = filled.split(placeholder).join(value);
    return filled;
  };
  const allow = plan.allow.map(fill);
  const deny = plan.deny.map(fill);
  const unchanged = (from: readonly string[], to: readonly string[], set: PolicyPlan['allowSet']) => (i: number) =>
    from[i] === to[i] ? set.matchers[i] : undefined;
  let denyFor: ReadonlyMap<string, readonly string[]> | undefined;
  return {
    allow,
    deny,
    allowSet: compileGlobs(allow, unchanged(plan.allow, allow, plan.allowSet)),
    denySet: compileGlobs(deny, unchanged(plan.deny, deny, plan.denySet)),
    patternChars: [...allow, ...deny].reduce((n, p) => n + p.length, 0),
    get denyFor() {
      return (denyFor ??= new Map([...plan.denyFor].map(([a, ds]) => [fill(a), ds.map(fill)])));
    },
    exact: plan.exact,
  };
}
