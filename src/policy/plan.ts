// What a caller's policy says, independent of API and stage: its Allow and Deny patterns, which
// Denies each Allow needs, and whether the whole is exact. Computed once per caller signature.
import type { Entitlement } from '../rules';
import { HTTP_METHODS } from '../rules/route';
import { compileGlobs, type GlobSet } from './glob';
import { VARIANT_PATTERNS } from './render';
import { specialise, templateGlob, type MethodRoute, type RouteIndex, type Unit } from './routes';

/** What a caller may do, as patterns (after the ARN prefix `arn:…:<api>/<stage>/`). */
export interface PolicyPlan {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly allowSet: GlobSet;
  readonly denySet: GlobSet;
  /** Characters in all the patterns, for the size estimate. */
  readonly patternChars: number;
  /** For each Allow pattern, the Deny patterns it needs (undone together if the asked request needs it). */
  readonly denyFor: ReadonlyMap<string, readonly string[]>;
  /** False when a needed Deny also matches requests of a granted route (IAM's `*` is coarse). */
  readonly exact: boolean;
}

/** The caller's own part of a bound route: its values in place of the bound parameters. */
function grantedPart(route: MethodRoute, entitlement: Entitlement): Unit {
  const values = new Map(route.rule.bind.map((b, i) => [b.segment, entitlement.values[i] as string]));
  const template = specialise(route.rule.template, values);
  return { route, pattern: route.method + templateGlob(template), template, except: [] };
}

/** A method's routes for one caller, split into what it may and may not use. */
function splitUnits(index: RouteIndex, routes: readonly MethodRoute[], entitlements: readonly Entitlement[]) {
  const granted: Unit[] = [];
  const denied = new Map<MethodRoute, Unit>();
  for (const route of routes) {
    const entitlement = entitlements[route.rule.index] as Entitlement;
    if (!entitlement.granted) {
      denied.set(route, index.whole(route));
    } else if (route.rule.bind.length === 0) {
      granted.push(index.whole(route));
    } else {
      const part = grantedPart(route, entitlement);
      granted.push(part);
      denied.set(route, { route, pattern: route.pattern, template: route.rule.template, except: [part.template] });
    }
  }
  return { granted, denied };
}

function addTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/**
 * The plan for one caller. Every granted route's pattern is allowed; every denied route that a
 * granted pattern reaches is denied by its own pattern (IAM's `*` spans `/`, and Deny wins);
 * empty-segment and trailing-slash forms are denied whenever a wildcard is allowed. See
 * docs/cache-safety.md for why this is safe and when it is exact.
 */
export function planFor(index: RouteIndex, entitlements: readonly Entitlement[]): PolicyPlan {
  const allow: string[] = [];
  const allowed = new Set<string>();
  const deny: string[] = [];
  const denyFor = new Map<string, string[]>();
  let exact = true;
  for (const method of HTTP_METHODS) {
    const { granted, denied } = splitUnits(index, index.routesOf(method), entitlements);
    const needed = new Map<string, Unit>();
    for (const a of granted) {
      if (!allowed.has(a.pattern)) {
        allowed.add(a.pattern);
        allow.push(a.pattern);
      }
      if (denied.size === 0) continue;
      for (const route of index.related(a)) {
        const d = denied.get(route);
        if (d === undefined || !index.reaches(a, d)) continue;
        needed.set(d.pattern, d);
        addTo(denyFor, a.pattern, d.pattern);
      }
    }
    for (const d of needed.values()) {
      deny.push(d.pattern);
      // Exact unless this Deny also matches requests of a granted route (it then denies them too).
      if (exact && granted.some((a) => index.reaches(d, a))) exact = false;
    }
  }
  if (allow.some((p) => p.includes('*'))) {
    deny.push(...VARIANT_PATTERNS);
    for (const a of allow) if (a.includes('*')) for (const v of VARIANT_PATTERNS) addTo(denyFor, a, v);
  }
  return {
    allow,
    deny,
    allowSet: compileGlobs(allow),
    denySet: compileGlobs(deny),
    patternChars: [...allow, ...deny].reduce((n, p) => n + p.length, 0),
    denyFor,
    exact,
  };
}
