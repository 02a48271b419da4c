// The rules' meaning, independent of src/: which route governs a request and whether a caller may
// use it — groups, scopes, claims, deny lists and claim-bound path parameters.
import { createRouter, METHODS, routedPath, type ApiKind, type Router } from './routing';

export interface RouteRuleDoc {
  readonly route: string;
  readonly allow: readonly string[];
  readonly deny?: readonly string[];
  /** Path parameter → claim name: granted only when the parameter's segment is the caller's claim value. */
  readonly bind?: Readonly<Record<string, string>>;
}

export interface RulesDoc {
  readonly routes: readonly RouteRuleDoc[];
  readonly deny?: readonly string[];
}

/** A verified caller as the rules see it. */
export interface Who {
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
  /** The token's claims (for `claim:` grants and `bind`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** A claim value a bound path segment may equal: IAM and routing read it literally (no `*`, `?`, `/`, `%`, no space, no dot segment). */
const BINDABLE = /^(?!\.{1,2}$)[A-Za-z0-9._~@+=,:-]{1,128}$/;

/**
 * `claim:<name>=<value>`: the claim is that string (a number or boolean compared by its JSON text), or a list
 * of strings holding it. The value follows the last `=`.
 */
function claimHolds(grant: string, who: Who): boolean {
  const body = grant.slice('claim:'.length);
  const eq = body.lastIndexOf('=');
  if (eq <= 0) return false;
  const claim = who.claims?.[body.slice(0, eq)];
  const value = body.slice(eq + 1);
  if (typeof claim === 'string') return claim === value;
  if (typeof claim === 'number' || typeof claim === 'boolean') return JSON.stringify(claim) === value;
  return Array.isArray(claim) && claim.every((c) => typeof c === 'string') && claim.includes(value);
}

/** Whether `who` holds one grant of an allow or deny list. */
export function holds(grant: string, who: Who): boolean {
  if (grant === 'authenticated') return true;
  if (grant.startsWith('group:')) return (who.groups ?? []).includes(grant.slice('group:'.length));
  if (grant.startsWith('scope:')) return (who.scopes ?? []).includes(grant.slice('scope:'.length));
  if (grant.startsWith('claim:')) return claimHolds(grant, who);
  return false;
}

/** Whether each bound parameter's raw segment is exactly the caller's claim, a value IAM and routing read literally. */
export function bindHolds(bind: RouteRuleDoc['bind'], who: Who, params: Readonly<Record<string, string>>): boolean {
  return Object.entries(bind ?? {}).every(([param, claimName]) => {
    const claim = who.claims?.[claimName];
    return typeof claim === 'string' && BINDABLE.test(claim) && params[param] === claim;
  });
}

// One router per rules object and API kind: property tests ask thousands of requests of one.
const routers = new WeakMap<RulesDoc, Partial<Record<ApiKind, Router>>>();

/** The router for the rules' routes, as a REST API (default) or an HTTP API routes. */
export function routerFor(rules: RulesDoc, kind: ApiKind = 'rest'): Router {
  const byKind = routers.get(rules) ?? {};
  routers.set(rules, byKind);
  return (byKind[kind] ??= createRouter(
    rules.routes.map((r) => r.route),
    { kind },
  ));
}

/** The index of the route that governs `method path`, or -1 when none does. */
export function governingRoute(rules: RulesDoc, method: string, path: string, kind: ApiKind = 'rest'): number {
  return routerFor(rules, kind).resolve(method, path)?.index ?? -1;
}

/**
 * Whether the rules let `who` use route `index` (-1: no route, denied) with these path parameters
 * (raw segments, for `bind`): no top-level or route deny holds, an allow holds, every binding holds.
 */
export function routeAllows(rules: RulesDoc, who: Who, index: number, params: Readonly<Record<string, string>> = {}): boolean {
  const route = rules.routes[index];
  if (route === undefined) return false;
  if ((rules.deny ?? []).some((g) => holds(g, who))) return false;
  if ((route.deny ?? []).some((g) => holds(g, who))) return false;
  return route.allow.some((g) => holds(g, who)) && bindHolds(route.bind, who, params);
}

/** Whether the rules let `who` make the request, asked as API Gateway asks it (a REST API routes `/pets/` as `/pets`). */
export function rulesAllow(rules: RulesDoc, who: Who, method: string, path: string, kind: ApiKind = 'rest'): boolean {
  const routed = routerFor(rules, kind).resolve(method, routedPath(path, kind));
  return routed !== undefined && routeAllows(rules, who, routed.index, routed.params);
}

/** Concrete requests that exercise every route: each template filled with several values, and one segment more. */
export function sampleRequests(rules: RulesDoc, values: readonly string[] = ['17', 'export', 'owner', 'x.y']): [string, string][] {
  const out = new Set<string>();
  for (const r of rules.routes) {
    const path = r.route.slice(r.route.indexOf(' ') + 1);
    let paths = [''];
    for (const seg of path === '/' ? [] : path.slice(1).split('/')) {
      const fills = !seg.startsWith('{') ? [seg] : seg.endsWith('+}') ? [...values, `${values[0]}/${values[1]}`, 'a/b/c'] : values;
      paths = paths.flatMap((p) => fills.map((f) => `${p}/${f}`));
    }
    for (const p of paths.length === 1 && paths[0] === '' ? ['/'] : paths) {
      for (const m of METHODS) {
        out.add(`${m} ${p}`);
        out.add(`${m} ${p}/extra`);
      }
    }
  }
  return [...out].map((s) => s.split(' ') as [string, string]);
}
