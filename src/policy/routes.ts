// The routes as IAM patterns, per concrete method, and the memoised question the plans ask most:
// does one route's pattern reach requests another route governs?
import type { RouteRule } from '../rules';
import { comparePrecedence, HTTP_METHODS, type HttpMethod, type RouteTemplate, type Segment } from '../rules/route';
import type { RoutingModel } from '../rules/routing';
import { overlaps } from './overlap';

/** A rule as it applies to one concrete method (ANY expanded), with its IAM pattern. */
export interface MethodRoute {
  readonly rule: RouteRule;
  readonly method: HttpMethod;
  /** `METHOD` + path wildcard pattern, e.g. `GET/pets/*`. */
  readonly pattern: string;
}

/**
 * Part of a route as one caller's policy sees it: the requests it stands for (`template`, less
 * those of `except`) and the pattern that names them. For most routes the whole route; for a
 * bound route the caller's own value (granted) and the rest (denied).
 */
export interface Unit {
  readonly route: MethodRoute;
  readonly pattern: string;
  readonly template: RouteTemplate;
  readonly except: readonly RouteTemplate[];
}

/** The IAM wildcard pattern for a template's path: `{param}` and `{proxy+}` become `*`. */
export function templateGlob(template: RouteTemplate): string {
  if (template.segments.length === 0) return '/';
  return template.segments.map((s) => (s.kind === 'literal' ? '/' + s.value : '/*')).join('');
}

/** The pattern up to its first wildcard, after the method (the whole path when it has none). */
export function literalPrefix(pattern: string, method: string): string {
  const glob = pattern.slice(method.length);
  const star = glob.indexOf('*');
  return star < 0 ? glob : glob.slice(0, star);
}

/** Two patterns can only match a common text when one's literal prefix starts with the other's. */
function prefixesMeet(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** A template with some `{param}` segments replaced by literal values (segment index → value). */
export function specialise(template: RouteTemplate, values: ReadonlyMap<number, string>): RouteTemplate {
  const segments = template.segments.map((s, i): Segment => {
    const value = values.get(i);
    return value === undefined ? s : { kind: 'literal', value };
  });
  const path = '/' + segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/');
  return { ...template, segments, path };
}

/** The routes of one rule set as one routing model sees them, per method, with the reach test. */
export interface RouteIndex {
  readonly model: RoutingModel;
  /** Each method's routes: which rules can govern a request with that method. */
  routesOf(method: HttpMethod): readonly MethodRoute[];
  /** The whole route, as a unit (shared, so its reach answers are memoised). */
  whole(route: MethodRoute): Unit;
  /** The routes of `unit`'s method whose literal prefix meets its route's (a superset for a bound unit). */
  related(unit: Unit): readonly MethodRoute[];
  /**
   * True when `glob`'s pattern matches some request that `target` stands for and that `glob`'s
   * own route does not take by routing precedence: `glob` reaches `target`.
   */
  reaches(glob: Unit, target: Unit): boolean;
  /** Every method's routes, for size estimates. */
  readonly all: readonly MethodRoute[];
}

/**
 * The routes per method. REST: a method's own rules, plus ANY rules where no rule of that method
 * has the same path (the resource's method wins over its ANY). HTTP: the method's rules and every
 * ANY rule (precedence settles equal paths).
 */
function routesByMethod(routes: readonly RouteRule[], model: RoutingModel): Map<HttpMethod, MethodRoute[]> {
  const byMethod = new Map<HttpMethod, MethodRoute[]>();
  for (const method of HTTP_METHODS) {
    const explicit = new Set(routes.filter((r) => r.template.method === method).map((r) => r.template.shape));
    const applies = (r: RouteRule): boolean =>
      r.template.method === method || (r.template.method === 'ANY' && (model === 'http' || !explicit.has(r.template.shape)));
    byMethod.set(
      method,
      routes.filter(applies).map((rule) => ({ rule, method, pattern: method + templateGlob(rule.template) })),
    );
  }
  return byMethod;
}

/** Builds the index; its memo tables fill on first use, not at cold start. */
export function createRouteIndex(routes: readonly RouteRule[], model: RoutingModel): RouteIndex {
  const byMethod = routesByMethod(routes, model);
  const wholes = new Map<MethodRoute, Unit>();
  const whole = (route: MethodRoute): Unit => {
    let unit = wholes.get(route);
    if (unit === undefined) wholes.set(route, (unit = { route, pattern: route.pattern, template: route.rule.template, except: [] }));
    return unit;
  };

  // Each method's routes grouped by literal prefix, and for each prefix asked about, the
  // prefixes that meet it: plans look only at pairs that can overlap, not at every pair.
  const byPrefix = new Map<HttpMethod, Map<string, MethodRoute[]>>();
  const prefixIndex = (method: HttpMethod): Map<string, MethodRoute[]> => {
    let index = byPrefix.get(method);
    if (index === undefined) {
      byPrefix.set(method, (index = new Map<string, MethodRoute[]>()));
      for (const r of byMethod.get(method) as MethodRoute[]) {
        const prefix = literalPrefix(r.pattern, r.method);
        const list = index.get(prefix);
        if (list === undefined) index.set(prefix, [r]);
        else list.push(r);
      }
    }
    return index;
  };
  // Keyed by the whole route's prefix, never a bound value's (one entry per route, however many
  // callers): the routes meeting a caller's longer prefix are among those meeting the route's.
  const relatedMemo = new Map<string, readonly MethodRoute[]>();
  const related = (unit: Unit): readonly MethodRoute[] => {
    const method = unit.route.method;
    const prefix = literalPrefix(unit.route.pattern, method);
    const memoKey = `${method} ${prefix}`;
    let list = relatedMemo.get(memoKey);
    if (list === undefined) {
      const index = prefixIndex(method);
      list = [...index.keys()].filter((k) => prefixesMeet(k, prefix)).flatMap((k) => index.get(k) as MethodRoute[]);
      relatedMemo.set(memoKey, list);
    }
    return list;
  };

  // reaches() between whole routes is memoised (the rules never change); between parts of bound
  // routes it depends on the caller's values and is computed each time a plan needs it.
  const memo = new Map<Unit, Map<Unit, boolean>>();
  const compute = (glob: Unit, target: Unit): boolean => {
    const globPath = glob.pattern.slice(glob.route.method.length);
    if (!prefixesMeet(literalPrefix(glob.pattern, glob.route.method), literalPrefix(target.pattern, target.route.method))) {
      return false;
    }
    const globWins = comparePrecedence(glob.route.rule.template, target.route.rule.template, model) < 0;
    return overlaps(target.template, globPath, globWins ? [...target.except, glob.template] : target.except);
  };
  const reaches = (glob: Unit, target: Unit): boolean => {
    if (wholes.get(glob.route) !== glob || wholes.get(target.route) !== target) return compute(glob, target);
    let row = memo.get(glob);
    if (row === undefined) memo.set(glob, (row = new Map<Unit, boolean>()));
    let hit = row.get(target);
    if (hit === undefined) row.set(target, (hit = compute(glob, target)));
    return hit;
  };

  return {
    model,
    routesOf: (method) => byMethod.get(method) as MethodRoute[],
    whole,
    related,
    reaches,
    all: [...byMethod.values()].flat(),
  };
}
