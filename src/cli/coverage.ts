// Coverage both ways between an API and the rules: protected API routes without a rule, rules
// without a protected API route, compared by method and shape (parameter names may differ) under
// the API's routing model; unprotected routes and the HTTP `$default` route are explained, not failed.
import { RulesError } from '../errors';
import type { CompiledRules, RouteRule, RoutingModel } from '../rules';
import { HTTP_METHODS, parseRoute, type HttpMethod, type RouteTemplate } from '../rules/route';
import { apiRouteText, type ApiDefinition, type ApiRoute } from './api';
import { examplePath } from './samples';

/** One thing `check` found: a problem (exit 1) or a note. */
export interface Finding {
  readonly kind: string;
  /** The route concerned: a rule's route as written, or an API route as `METHOD /path`. */
  readonly route?: string;
  readonly message: string;
}

/** What coverage found: problems, notes, and the routes the authorizer does not guard. */
export interface CoverageReport {
  readonly problems: Finding[];
  readonly notes: Finding[];
  readonly unprotected: Finding[];
}

/** An API route read as a route template (its parameter names erased in `shape`). */
interface ParsedRoute {
  readonly route: ApiRoute;
  readonly template: RouteTemplate;
}

/** The methods an API's ANY route takes on its path: those the API has no explicit route for there. */
function anyMethods(api: readonly ParsedRoute[], shape: string): HttpMethod[] {
  const explicit = new Set(api.filter((r) => r.template.shape === shape && r.template.method !== 'ANY').map((r) => r.template.method));
  return HTTP_METHODS.filter((m) => !explicit.has(m));
}

/** The rule at a shape for a method: the method's own rule, else (REST) the shape's ANY rule. */
function ruleFor(rules: CompiledRules, shape: string, method: HttpMethod, model: RoutingModel): RouteRule | undefined {
  const here = rules.routes.filter((r) => r.template.shape === shape);
  const own = here.find((r) => r.template.method === method);
  return own ?? (model === 'rest' ? here.find((r) => r.template.method === 'ANY') : undefined);
}

/** What happens to requests of an API route that has no rule of its own: another rule governs them, or none does. */
function fateOf(rules: CompiledRules, model: RoutingModel, template: RouteTemplate, method: HttpMethod): string {
  const governing = rules.route(model, method, examplePath(rules, template.segments));
  if (governing === undefined) return 'the authorizer denies them (no rule governs them)';
  if (model === 'http') return `the rules route them to ${governing.route}, which is not the route the API matched, so the authorizer denies them (route-mismatch)`;
  return `the rules route them to ${governing.route} instead, whose grants then decide`;
}

/** Protected API routes the rules do not cover, method by method. */
function uncoveredRoutes(rules: CompiledRules, model: RoutingModel, api: readonly ParsedRoute[], guarded: readonly ParsedRoute[]): Finding[] {
  const problems: Finding[] = [];
  for (const { route, template } of guarded) {
    const methods = template.method === 'ANY' ? anyMethods(api, template.shape) : [template.method];
    const missing =
      model === 'http' && template.method === 'ANY'
        ? rules.routes.some((r) => r.template.shape === template.shape && r.template.method === 'ANY') ? [] : methods
        : methods.filter((m) => ruleFor(rules, template.shape, m, model) === undefined);
    if (missing.length === 0) continue;
    const first = missing[0] as HttpMethod;
    let without: string;
    if (model === 'http' && template.method === 'ANY') without = `an "ANY ${template.path}" rule`;
    else if (template.method === 'ANY') without = `rules for ${missing.length === methods.length ? 'any method' : missing.join(', ')} on this path`;
    else without = 'a rule of this method and path';
    problems.push({
      kind: 'uncovered-route',
      route: apiRouteText(route),
      message: `protected API route (${route.where}) without ${without}: ${fateOf(rules, model, template, first)}`,
    });
  }
  return problems;
}

/** Whether a rule has a protected API route: same shape, and the method (REST: or the API's ANY taking it). */
function hasApiRoute(rule: RouteRule, model: RoutingModel, api: readonly ParsedRoute[], guarded: readonly ParsedRoute[]): boolean {
  const same = guarded.filter((r) => r.template.shape === rule.template.shape);
  if (model === 'http') return same.some((r) => r.template.method === rule.template.method);
  if (rule.template.method === 'ANY') return same.length > 0;
  const method = rule.template.method;
  return same.some((r) => r.template.method === method || (r.template.method === 'ANY' && anyMethods(api, r.template.shape).includes(method)));
}

/** Rules without a protected API route (through `$default` they may still be reached: then a note). */
function rulesWithoutRoutes(rules: CompiledRules, model: RoutingModel, api: readonly ParsedRoute[], guarded: readonly ParsedRoute[], viaDefault: boolean): { problems: Finding[]; notes: Finding[] } {
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  for (const rule of rules.routes) {
    if (hasApiRoute(rule, model, api, guarded)) continue;
    const takes = (r: ParsedRoute): boolean =>
      rule.template.method === 'ANY' || r.template.method === rule.template.method || (r.template.method === 'ANY' && anyMethods(api, r.template.shape).includes(rule.template.method));
    const unguarded = api.some((r) => r.template.shape === rule.template.shape && !guarded.includes(r) && takes(r));
    const anyThere = model === 'http' && guarded.some((r) => r.template.shape === rule.template.shape && r.template.method === 'ANY');
    const where = `routes[${rule.index}]`;
    if (viaDefault && !anyThere) {
      notes.push({ kind: 'reached-through-default', route: rule.route, message: `${where} has no API route of its own; requests reach it through the protected $default route` });
    } else if (anyThere) {
      problems.push({ kind: 'rule-without-route', route: rule.route, message: `${where}: the API routes these requests to "ANY ${rule.template.path}" (by shape), not to a route of this method, so the authorizer denies them (route-mismatch); add the route to the API or make the rule ANY` });
    } else {
      const why = unguarded ? 'the API has this path only on routes the authorizer does not guard, so it is never asked' : 'the API has no route of this method and path (compared by shape; parameter names may differ)';
      problems.push({ kind: 'rule-without-route', route: rule.route, message: `${where}: ${why}` });
    }
  }
  return { problems, notes };
}

/** Unprotected routes, listed (not failures); the `$default` route explained. */
function describeUnguarded(api: ApiDefinition): { unprotected: Finding[]; notes: Finding[] } {
  const unprotected: Finding[] = [];
  const notes: Finding[] = [];
  for (const route of api.routes) {
    const p = route.protection;
    if (route.isDefault === true) {
      notes.push({
        kind: 'default-route',
        route: '$default',
        message:
          p.kind === 'lambda'
            ? 'the $default route takes every request no other route matches; the authorizer decides those by the rules\' own routing (a request no rule governs is denied), so rules without an API route are reached through it'
            : 'the $default route takes every request no other route matches, and the authorizer does not guard it: those requests reach the backend unchecked',
      });
    }
    if (p.kind === 'lambda') continue;
    const message = p.kind === 'none' ? p.why : `guarded by ${p.authorizer} (${p.type}), not by a Lambda authorizer: the rules do not apply`;
    unprotected.push({ kind: 'unprotected-route', route: apiRouteText(route), message: `${message} — ${route.where}` });
  }
  return { unprotected, notes };
}

/** Compares one API with the rules under the API's routing model. */
export function coverage(rules: CompiledRules, api: ApiDefinition): CoverageReport {
  const problems: Finding[] = [];
  const parsed: ParsedRoute[] = [];
  for (const route of api.routes) {
    if (route.isDefault === true) continue;
    try {
      parsed.push({ route, template: parseRoute(`${route.method} ${route.path}`, route.where) });
    } catch (err) {
      if (!(err instanceof RulesError)) throw err;
      problems.push({ kind: 'api-route', route: apiRouteText(route), message: `${err.message}: no rule can name this API route` });
    }
  }
  const guarded = parsed.filter((r) => r.route.protection.kind === 'lambda');
  const viaDefault = api.kind === 'http' && api.routes.some((r) => r.isDefault === true && r.protection.kind === 'lambda');
  const rulesSide = rulesWithoutRoutes(rules, api.kind, parsed, guarded, viaDefault);
  const unguarded = describeUnguarded(api);
  return {
    problems: [...problems, ...uncoveredRoutes(rules, api.kind, parsed, guarded), ...rulesSide.problems],
    notes: [...unguarded.notes, ...rulesSide.notes, ...api.notes.map((message) => ({ kind: 'api', message }))],
    unprotected: unguarded.unprotected,
  };
}
