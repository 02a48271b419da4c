// The rules file: its JSON schema, checked with precise errors, turned into typed rules.
import { RulesError } from '../errors';
import { parseRoute, type RouteTemplate } from './route';

/** A grant or deny entry: `group:<name>`, `scope:<name>` or `authenticated`. */
export type Principal =
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'scope'; readonly name: string }
  | { readonly kind: 'authenticated' };

/** One validated route rule. */
export interface RouteRule {
  readonly index: number;
  /** The route as written, e.g. `GET /pets/{petId}`; logged as the governing route. */
  readonly route: string;
  readonly template: RouteTemplate;
  readonly allow: readonly Principal[];
  readonly deny: readonly Principal[];
}

/** The whole validated rules file. */
export interface RuleSet {
  readonly routes: readonly RouteRule[];
  readonly deny: readonly Principal[];
}

const TOP_KEYS = new Set(['routes', 'deny', 'description']);
const ROUTE_KEYS = new Set(['route', 'allow', 'deny', 'description']);
const NAME = /^[\x21-\x7e]+$/; // printable ASCII without spaces: group names and scope tokens

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function parsePrincipal(value: unknown, where: string): Principal {
  if (typeof value !== 'string') throw new RulesError(where, 'must be a string like "group:admins"');
  if (value === 'authenticated') return { kind: 'authenticated' };
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const name = colon < 0 ? '' : value.slice(colon + 1);
  if (kind !== 'group' && kind !== 'scope') {
    throw new RulesError(where, `unknown grant "${value}" (use "group:<name>", "scope:<name>" or "authenticated")`);
  }
  if (!NAME.test(name)) {
    throw new RulesError(where, `"${value}" needs a ${kind} name without spaces after "${kind}:"`);
  }
  return { kind, name };
}

function parsePrincipals(value: unknown, where: string): Principal[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RulesError(where, 'must be an array of grants');
  return value.map((item, i) => parsePrincipal(item, `${where}[${i}]`));
}

/**
 * Validates a parsed rules document and returns typed rules. Throws a RulesError whose setting
 * is the JSON path of the first problem (unknown key, bad route, unknown grant, duplicate route).
 */
export function parseRuleSet(doc: unknown): RuleSet {
  if (!isPlainObject(doc)) throw new RulesError('rules', 'must be a JSON object with a "routes" array');
  checkKeys(doc, TOP_KEYS, 'rules');
  const rawRoutes = doc['routes'];
  if (!Array.isArray(rawRoutes) || rawRoutes.length === 0) {
    throw new RulesError('routes', 'must be a non-empty array of { "route", "allow" } objects');
  }
  const seen = new Map<string, string>();
  const routes = rawRoutes.map((raw: unknown, index): RouteRule => {
    const where = `routes[${index}]`;
    if (!isPlainObject(raw)) throw new RulesError(where, 'must be an object like { "route": "GET /pets", "allow": [...] }');
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
      allow: parsePrincipals(raw['allow'], `${where}.allow`),
      deny: parsePrincipals(raw['deny'], `${where}.deny`),
    };
  });
  return { routes, deny: parsePrincipals(doc['deny'], 'deny') };
}
