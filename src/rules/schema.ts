// The rules file: its JSON schema, checked with precise errors, turned into typed rules.
import { RulesError } from '../errors';
import { isRecord } from '../is-record';
import { parseRoute, type RouteTemplate } from './route';

/** A grant or deny entry: `group:<name>`, `scope:<name>`, `claim:<name>=<value>` or `authenticated`. */
export type Grant =
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'scope'; readonly name: string }
  | { readonly kind: 'claim'; readonly name: string; readonly value: string };

/** A path parameter of a route bound to a claim of the caller (`"bind": { "tenantId": "custom:tenant_id" }`). */
export interface Binding {
  readonly param: string;
  /** Index of the parameter's segment in the route template. */
  readonly segment: number;
  readonly claim: string;
}

/** One validated route rule. */
export interface RouteRule {
  readonly index: number;
  /** The route as written, e.g. `GET /pets/{petId}`; logged as the governing route. */
  readonly route: string;
  readonly template: RouteTemplate;
  readonly allow: readonly Grant[];
  readonly deny: readonly Grant[];
  /** Bound parameters, in segment order; empty for most routes. */
  readonly bind: readonly Binding[];
}

/** The whole validated rules file. */
export interface RuleSet {
  readonly routes: readonly RouteRule[];
  readonly deny: readonly Grant[];
}

const TOP_KEYS = new Set(['routes', 'deny', 'description']);
const ROUTE_KEYS = new Set(['route', 'allow', 'deny', 'bind', 'description']);
/** Printable ASCII without spaces: group names, scope tokens and claim names. */
const NAME = /^[\x21-\x7e]+$/;
/** A claim value to compare with: printable ASCII, spaces allowed inside. */
const CLAIM_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const GRANT_HELP = 'use "group:<name>", "scope:<name>", "claim:<name>=<value>" or "authenticated"';

function checkKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new RulesError(where, `unknown key "${key}" (allowed: ${[...allowed].join(', ')})`);
    }
  }
  if (value['description'] !== undefined && typeof value['description'] !== 'string') {
    throw new RulesError(`${where === 'rules' ? '' : where + '.'}description`, 'must be a string');
  }
}

function parseClaimGrant(value: string, where: string): Grant {
  const body = value.slice('claim:'.length);
  const eq = body.lastIndexOf('=');
  if (eq < 0) throw new RulesError(where, `"${value}" needs a value: "claim:<name>=<value>"`);
  const name = body.slice(0, eq);
  const claimValue = body.slice(eq + 1);
  if (!NAME.test(name)) throw new RulesError(where, `"${value}" needs a claim name without spaces before "="`);
  if (!CLAIM_VALUE.test(claimValue)) {
    throw new RulesError(where, `"${value}" needs a value after the last "=" (printable, no spaces at either end)`);
  }
  return { kind: 'claim', name, value: claimValue };
}

function parseGrant(value: unknown, where: string): Grant {
  if (typeof value !== 'string') throw new RulesError(where, `must be a string (${GRANT_HELP})`);
  if (value === 'authenticated') return { kind: 'authenticated' };
  if (value.startsWith('claim:')) return parseClaimGrant(value, where);
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const name = colon < 0 ? '' : value.slice(colon + 1);
  if (kind !== 'group' && kind !== 'scope') throw new RulesError(where, `unknown grant "${value}" (${GRANT_HELP})`);
  if (!NAME.test(name)) throw new RulesError(where, `"${value}" needs a ${kind} name without spaces after "${kind}:"`);
  return { kind, name };
}

function parseGrants(value: unknown, where: string): Grant[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RulesError(where, 'must be an array of grants');
  return value.map((item, i) => parseGrant(item, `${where}[${i}]`));
}

/**
 * Reads `bind`: each key a `{param}` of the route (not a greedy `{proxy+}`: it spans several
 * segments, so its value could not be named exactly in a policy), each value a claim name.
 */
function parseBindings(value: unknown, template: RouteTemplate, where: string): Binding[] {
  if (value === undefined) return [];
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new RulesError(where, 'must be an object mapping path parameters to claim names, like { "userId": "sub" }');
  }
  const bindings = Object.entries(value).map(([param, claim]): Binding => {
    const at = `${where}.${param}`;
    const segment = template.segments.findIndex((s) => s.kind !== 'literal' && s.name === param);
    const seg = template.segments[segment];
    if (seg === undefined) throw new RulesError(at, `the route "${template.path}" has no {${param}} parameter`);
    if (seg.kind === 'proxy') {
      throw new RulesError(
        at,
        `{${param}+} is greedy (one or more segments), so no single value could be named in a policy; bind a {param} segment`,
      );
    }
    if (typeof claim !== 'string' || claim === '') throw new RulesError(at, 'must be a claim name, like "sub" or "custom:tenant_id"');
    if (!NAME.test(claim)) throw new RulesError(at, `claim name "${claim}" must be printable ASCII without spaces`);
    return { param, segment, claim };
  });
  return bindings.sort((a, b) => a.segment - b.segment);
}

function parseRouteRule(raw: unknown, index: number, seen: Map<string, string>): RouteRule {
  const where = `routes[${index}]`;
  if (!isRecord(raw)) throw new RulesError(where, 'must be an object like { "route": "GET /pets", "allow": [...] }');
  checkKeys(raw, ROUTE_KEYS, where);
  const template = parseRoute(raw['route'], `${where}.route`);
  const key = `${template.method} ${template.shape}`;
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    throw new RulesError(`${where}.route`, `"${raw['route'] as string}" duplicates "${earlier}" (same method and path)`);
  }
  seen.set(key, raw['route'] as string);
  if (raw['allow'] === undefined) throw new RulesError(`${where}.allow`, 'is required (use [] to allow nobody)');
  return {
    index,
    route: raw['route'] as string,
    template,
    allow: parseGrants(raw['allow'], `${where}.allow`),
    deny: parseGrants(raw['deny'], `${where}.deny`),
    bind: parseBindings(raw['bind'], template, `${where}.bind`),
  };
}

/**
 * Validates a parsed rules document and returns typed rules. Throws a RulesError whose setting
 * is the JSON path of the first problem (unknown key, bad route, unknown grant, bad binding,
 * duplicate route).
 */
export function parseRuleSet(doc: unknown): RuleSet {
  if (!isRecord(doc)) throw new RulesError('rules', 'must be a JSON object with a "routes" array');
  checkKeys(doc, TOP_KEYS, 'rules');
  const rawRoutes = doc['routes'];
  if (!Array.isArray(rawRoutes) || rawRoutes.length === 0) {
    throw new RulesError('routes', 'must be a non-empty array of { "route", "allow" } objects');
  }
  const seen = new Map<string, string>();
  const routes = rawRoutes.map((raw: unknown, index) => parseRouteRule(raw, index, seen));
  return { routes, deny: parseGrants(doc['deny'], 'deny') };
}
