// Which rule governs a request: API Gateway's routing, for REST APIs and for HTTP APIs.
import type { HttpMethod, RouteMethod } from './route';
import { splitPath } from './route';
import type { RouteRule } from './schema';

/**
 * How the API routes. REST: the most specific *resource* first (literal beats `{param}` beats
 * `{proxy+}`, segment by segment; every prefix of a route is a resource), then its method, else
 * its ANY — a resource without the method is no route. HTTP: the most specific *route whose
 * method matches* (the method or ANY), any full match before any greedy `{proxy+}` one, so a
 * request falls through to a less specific route when the more specific path lacks its method.
 */
export type RoutingModel = 'rest' | 'http';

interface Node {
  readonly literal: Map<string, Node>;
  param: Node | null;
  proxy: Node | null;
  readonly methods: Map<RouteMethod, RouteRule>;
}

const newNode = (): Node => ({ literal: new Map(), param: null, proxy: null, methods: new Map() });

/** A compiled route tree that answers "which rule governs `method path`?". */
export interface Router {
  /** The governing rule, or undefined when no route governs the request (denied). `path` must be canonical. */
  readonly route: (model: RoutingModel, method: HttpMethod, path: string) => RouteRule | undefined;
}

/** The rule a node answers for a method: the method's own, else ANY. */
function ruleAt(node: Node, method: HttpMethod): RouteRule | undefined {
  return node.methods.get(method) ?? node.methods.get('ANY');
}

/**
 * Depth-first in precedence order (literal, `{param}`, `{proxy+}`), so the first accepted node is
 * the most specific one. `accept` decides whether a node ends the search (REST: any resource;
 * HTTP: a node with a rule for the method).
 */
function find(node: Node, parts: readonly string[], i: number, accept: (n: Node) => boolean, greedy = true): Node | undefined {
  if (i === parts.length) return accept(node) ? node : undefined;
  const part = parts[i] as string;
  if (part === '') return undefined;
  const lit = node.literal.get(part);
  const viaLiteral = lit === undefined ? undefined : find(lit, parts, i + 1, accept, greedy);
  if (viaLiteral !== undefined) return viaLiteral;
  const viaParam = node.param === null ? undefined : find(node.param, parts, i + 1, accept, greedy);
  if (viaParam !== undefined) return viaParam;
  if (greedy && node.proxy !== null) {
    for (let j = i; j < parts.length; j++) if (parts[j] === '') return undefined;
    return accept(node.proxy) ? node.proxy : undefined;
  }
  return undefined;
}

/** Builds the route tree of a rule set. */
export function createRouter(routes: readonly RouteRule[]): Router {
  const root = newNode();
  for (const rule of routes) {
    let node = root;
    for (const seg of rule.template.segments) {
      if (seg.kind === 'literal') {
        let next = node.literal.get(seg.value);
        if (next === undefined) node.literal.set(seg.value, (next = newNode()));
        node = next;
      } else if (seg.kind === 'param') {
        node = node.param ??= newNode();
      } else {
        node = node.proxy ??= newNode();
      }
    }
    node.methods.set(rule.template.method, rule);
  }
  const anyResource = (): boolean => true;
  return {
    route(model, method, path) {
      const parts = splitPath(path);
      if (model === 'rest') {
        const node = find(root, parts, 0, anyResource);
        return node === undefined ? undefined : ruleAt(node, method);
      }
      const hasMethod = (n: Node): boolean => ruleAt(n, method) !== undefined;
      const node = find(root, parts, 0, hasMethod, false) ?? find(root, parts, 0, hasMethod, true);
      return node === undefined ? undefined : ruleAt(node, method);
    },
  };
}

/** Why an asked path cannot be routed as it is. */
export type PathProblem = 'empty-segment';

/**
 * The path as the API routes it. REST APIs are reported to route `/pets/` to `/pets`, so one
 * trailing slash is dropped there; HTTP APIs do not match it (their routes cannot end in `/`).
 * Any other empty segment (`/pets//17`) is not routed by this authorizer: its routing is not
 * documented, so it is denied.
 */
export function canonicalPath(model: RoutingModel, path: string): { readonly path: string } | { readonly problem: PathProblem } {
  let canonical = path;
  if (model === 'rest' && canonical.length > 1 && canonical.endsWith('/')) canonical = canonical.slice(0, -1);
  if (canonical !== '/' && (canonical.includes('//') || canonical.endsWith('/'))) return { problem: 'empty-segment' };
  return { path: canonical };
}

/** The rule governing `method path` once the path is made canonical (and that path), or why the path cannot be routed. */
export function governingRoute(
  router: Router,
  model: RoutingModel,
  method: HttpMethod,
  path: string,
): { readonly path: string; readonly route: RouteRule | undefined } | { readonly problem: PathProblem } {
  const canonical = canonicalPath(model, path);
  return 'problem' in canonical ? canonical : { path: canonical.path, route: router.route(model, method, canonical.path) };
}
