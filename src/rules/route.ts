// Route templates in API Gateway resource syntax: parsing, matching and routing precedence.
import { RulesError } from '../errors';

/** HTTP methods API Gateway REST routes (ANY expands to all of them). */
export const HTTP_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type RouteMethod = HttpMethod | 'ANY';

export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'proxy'; readonly name: string };

/** A parsed `METHOD /path` route template. */
export interface RouteTemplate {
  readonly method: RouteMethod;
  /** The path as written, e.g. `/pets/{petId}`. */
  readonly path: string;
  readonly segments: readonly Segment[];
  /** Per-segment rank (literal 0, `{param}` 1, `{proxy+}` 2): lower sorts first, wins routing. */
  readonly rank: readonly number[];
  /** The path with parameter names erased (`/pets/{}`): equal shapes are the same resource. */
  readonly shape: string;
}

const METHOD_SET: ReadonlySet<string> = new Set<string>([...HTTP_METHODS, 'ANY']);
// Characters API Gateway allows in a literal path part, minus IAM's wildcards `*` and `?`.
const LITERAL = /^[A-Za-z0-9._~:@!$&'()+,;=-]+$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/**
 * Parses `METHOD /path` in API Gateway route syntax. Throws a RulesError naming `where` and the
 * problem when the text is not a route.
 */
export function parseRoute(text: unknown, where: string): RouteTemplate {
  if (typeof text !== 'string') throw new RulesError(where, 'must be a string like "GET /pets/{petId}"');
  const match = /^([A-Za-z]+) (\/\S*)$/.exec(text);
  if (match === null) {
    throw new RulesError(where, `"${text}" is not "METHOD /path" (one space, path starting with "/")`);
  }
  const method = (match[1] as string).toUpperCase();
  if (method !== match[1]) throw new RulesError(where, `method "${match[1]}" must be upper case`);
  if (!METHOD_SET.has(method)) {
    throw new RulesError(where, `unknown method "${method}" (use one of ${[...HTTP_METHODS, 'ANY'].join(', ')})`);
  }
  const path = match[2] as string;
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const names = new Set<string>();
  const segments = parts.map((part, index): Segment => {
    if (part === '') throw new RulesError(where, `"${path}" has an empty path segment`);
    const param = PARAM.exec(part);
    if (param !== null) {
      const name = param[1] as string;
      if (names.has(name)) throw new RulesError(where, `"${path}" uses the parameter {${name}} twice`);
      names.add(name);
      if (param[2] === '+') {
        if (index !== parts.length - 1) {
          throw new RulesError(where, `"${path}": a greedy {${name}+} must be the last segment`);
        }
        return { kind: 'proxy', name };
      }
      return { kind: 'param', name };
    }
    if (part.includes('{') || part.includes('}')) {
      throw new RulesError(where, `"${path}": "${part}" must be a whole {param} or {proxy+} segment`);
    }
    if (!LITERAL.test(part)) {
      throw new RulesError(where, `"${path}": segment "${part}" has characters a route cannot use`);
    }
    return { kind: 'literal', value: part };
  });
  const rank = segments.map((s) => (s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 2));
  const shape = '/' + segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? '{}' : '{+}')).join('/');
  return { method: method as RouteMethod, path, segments, rank, shape };
}

/** True when the template's path matches the concrete path segments (segment by segment). */
export function matchesPath(template: RouteTemplate, parts: readonly string[]): boolean {
  const segments = template.segments;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    if (seg.kind === 'proxy') {
      if (parts.length <= i) return false;
      for (let j = i; j < parts.length; j++) if (parts[j] === '') return false;
      return true;
    }
    const part = parts[i];
    if (part === undefined || part === '') return false;
    if (seg.kind === 'literal' && seg.value !== part) return false;
  }
  return parts.length === segments.length;
}

/** True when the template ends in a greedy `{proxy+}`. */
export function isGreedy(template: RouteTemplate): boolean {
  return template.segments[template.segments.length - 1]?.kind === 'proxy';
}

/**
 * Compares two templates that match the same path by API Gateway's precedence: negative when `a`
 * wins. Literal beats `{param}` beats `{proxy+}`, segment by segment; then a method beats ANY.
 * HTTP APIs first prefer any full match to any greedy one (the developer guide's "1. Full match
 * for a route and method. 2. Match … with a greedy path variable").
 */
export function comparePrecedence(a: RouteTemplate, b: RouteTemplate, model: 'rest' | 'http' = 'rest'): number {
  if (model === 'http' && isGreedy(a) !== isGreedy(b)) return isGreedy(a) ? 1 : -1;
  const n = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const d = (a.rank[i] as number) - (b.rank[i] as number);
    if (d !== 0) return d;
  }
  if (a.rank.length !== b.rank.length) return a.rank.length - b.rank.length;
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/** Splits a concrete request path into segments (`/` is the root: no segments). */
export function splitPath(path: string): string[] {
  return path === '/' || path === '' ? [] : path.replace(/^\//, '').split('/');
}
