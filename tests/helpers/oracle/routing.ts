// API Gateway routing, the slow obvious way, independent of src/: which route a request reaches on
// a REST API (resource tree first, then the method) and on an HTTP API (route keys, then `$default`).

/** The HTTP methods API Gateway routes; `ANY` in a route stands for all of them. */
export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
export type Method = (typeof METHODS)[number];

/** REST API (resources and methods) or HTTP API (routes). */
export type ApiKind = 'rest' | 'http';

/** The HTTP API route that catches what no other route matches. */
export const DEFAULT_ROUTE = '$default';

type Segment = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'param' | 'proxy'; readonly name: string };

/** A segment's rank: literal beats `{param}` beats `{proxy+}`. */
const RANK = { literal: 0, param: 1, proxy: 2 } as const;

interface Template {
  readonly index: number;
  readonly route: string;
  readonly method: Method | 'ANY' | typeof DEFAULT_ROUTE;
  readonly path: string;
  readonly segments: readonly Segment[];
}

/** Where a request goes. `params` holds each path parameter's raw text (a greedy one joined by `/`), not decoded. */
export interface Routed {
  /** The route's index in the list given to createRouter (a rules document's `routes`). */
  readonly index: number;
  /** The route as written: `GET /pets/{petId}`, or `$default`. */
  readonly route: string;
  /** The resource path template (`/pets/{petId}`); `$default` for the default route. */
  readonly resource: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface Router {
  readonly kind: ApiKind;
  /** The routes as given. */
  readonly routes: readonly string[];
  /**
   * The route API Gateway sends `method path` to, or undefined (REST: 403 Missing Authentication Token;
   * HTTP: 404 Not Found). `path` as routedPath gives it: no empty segment routes.
   */
  resolve(method: string, path: string): Routed | undefined;
  /**
   * The methods routed at `path` whatever the method: REST, those of the most specific resource it
   * reaches (SAM gives such a resource a CORS preflight); HTTP, those of every route whose path matches.
   */
  methodsAt(path: string): readonly string[];
}

const ROUTE = /^([A-Z]+) (\/\S*)$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/**
 * The path as the API routes it: a REST API routes `/pets/` as `/pets` (one trailing slash goes: reported
 * from deployed APIs, not documented); an HTTP API does not (its route keys cannot end in `/`). Any other
 * empty segment stays, and no route matches it.
 */
export function routedPath(path: string, kind: ApiKind = 'rest'): string {
  return kind === 'rest' && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The segments of a request path; undefined when it is not one a route can match (no leading `/`, an empty segment). */
export function splitRequestPath(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path === '/' ? [] : path.slice(1).split('/');
  return parts.includes('') ? undefined : parts;
}

function parseTemplate(route: string, index: number): Template {
  if (route === DEFAULT_ROUTE) return { index, route, method: DEFAULT_ROUTE, path: DEFAULT_ROUTE, segments: [] };
  const m = ROUTE.exec(route);
  const method = m?.[1] as Method | 'ANY' | undefined;
  if (m === null || method === undefined || (method !== 'ANY' && !(METHODS as readonly string[]).includes(method))) {
    throw new Error(`routes[${index}] ${JSON.stringify(route)} is not "METHOD /path"`);
  }
  const path = m[2] as string;
  const segments = (path === '/' ? [] : path.slice(1).split('/')).map((text, i, all): Segment => {
    const param = PARAM.exec(text);
    if (param === null) return { kind: 'literal', value: text };
    if (param[2] === '+' && i !== all.length - 1) throw new Error(`routes[${index}] ${JSON.stringify(route)}: {${param[1]}+} is not last`);
    return { kind: param[2] === '+' ? 'proxy' : 'param', name: param[1] as string };
  });
  return { index, route, method, path, segments };
}

/** Whether `segments` match the request's `parts` (a greedy parameter takes one segment or more). */
function matches(segments: readonly Segment[], parts: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    if (seg.kind === 'proxy') return parts.length > i;
    if (i >= parts.length) return false;
    if (seg.kind === 'literal' && seg.value !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

/** Negative when `a` is more specific than `b`: the first segment where their ranks differ decides, else the shorter. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = RANK[(a[i] as Segment).kind] - RANK[(b[i] as Segment).kind];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const shapeOf = (segments: readonly Segment[]): string =>
  segments.map((s) => (s.kind === 'literal' ? `=${s.value}` : s.kind === 'param' ? '{}' : '{+}')).join('/');

function paramsOf(segments: readonly Segment[], parts: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  segments.forEach((seg, i) => {
    if (seg.kind === 'param') params[seg.name] = parts[i] as string;
    if (seg.kind === 'proxy') params[seg.name] = parts.slice(i).join('/');
  });
  return params;
}

const routed = (t: Template, parts: readonly string[]): Routed => ({
  index: t.index,
  route: t.route,
  resource: t.path,
  params: paramsOf(t.segments, parts),
});

interface Resource {
  readonly segments: readonly Segment[];
  readonly methods: Map<string, Template>;
}

/**
 * REST API: every route's path is a resource, and so is every parent of one (API Gateway creates
 * them). The most specific resource matching the path wins; then its method, else its `ANY`, else
 * nothing (a less specific resource is never tried).
 */
function restRouter(templates: readonly Template[]): Pick<Router, 'resolve' | 'methodsAt'> {
  const resources = new Map<string, Resource>();
  for (const t of templates) {
    if (t.method === DEFAULT_ROUTE) throw new Error(`routes[${t.index}]: $default is an HTTP API route, not a REST resource`);
    for (let n = 0; n <= t.segments.length; n++) {
      const segments = t.segments.slice(0, n);
      const key = shapeOf(segments);
      if (!resources.has(key)) resources.set(key, { segments, methods: new Map() });
    }
    const own = resources.get(shapeOf(t.segments));
    if (own !== undefined && !own.methods.has(t.method)) own.methods.set(t.method, t);
  }
  const resourceOf = (parts: readonly string[]): Resource | undefined => {
    let best: Resource | undefined;
    for (const resource of resources.values()) {
      if (matches(resource.segments, parts) && (best === undefined || compareSpecificity(resource.segments, best.segments) < 0)) best = resource;
    }
    return best;
  };
  return {
    resolve(method, path) {
      const parts = splitRequestPath(path);
      if (parts === undefined || !(METHODS as readonly string[]).includes(method)) return undefined;
      const resource = resourceOf(parts);
      const hit = resource?.methods.get(method) ?? resource?.methods.get('ANY');
      return hit === undefined ? undefined : routed(hit, parts);
    },
    methodsAt(path) {
      const parts = splitRequestPath(path);
      return parts === undefined ? [] : [...(resourceOf(parts)?.methods.keys() ?? [])];
    },
  };
}

/**
 * HTTP API, by the developer guide's priorities ("Routing API requests"): 1. a full match for the route and
 * method, 2. a match with a greedy path variable, 3. the `$default` route. Within a class the most specific
 * path wins (literal, then `{param}`, segment by segment), then the route's own method over `ANY` ("ANY
 * matches all methods that you haven't defined for a route").
 */
function httpRouter(templates: readonly Template[]): Pick<Router, 'resolve' | 'methodsAt'> {
  const fallback = templates.find((t) => t.method === DEFAULT_ROUTE);
  const routes = templates.filter((t) => t.method !== DEFAULT_ROUTE);
  return {
    resolve(method, path) {
      const parts = splitRequestPath(path);
      const greedy = (t: Template): boolean => t.segments.at(-1)?.kind === 'proxy';
      let best: Template | undefined;
      if (parts !== undefined && (METHODS as readonly string[]).includes(method)) {
        for (const t of routes) {
          if ((t.method !== method && t.method !== 'ANY') || !matches(t.segments, parts)) continue;
          if (best !== undefined && greedy(t) !== greedy(best)) {
            if (!greedy(t)) best = t;
            continue;
          }
          const d = best === undefined ? -1 : compareSpecificity(t.segments, best.segments);
          if (d < 0 || (d === 0 && best?.method === 'ANY' && t.method === method)) best = t;
        }
      }
      if (best !== undefined) return routed(best, parts ?? []);
      return fallback === undefined ? undefined : { index: fallback.index, route: DEFAULT_ROUTE, resource: DEFAULT_ROUTE, params: {} };
    },
    methodsAt(path) {
      const parts = splitRequestPath(path);
      return parts === undefined ? [] : routes.filter((t) => matches(t.segments, parts)).map((t) => t.method);
    },
  };
}

/**
 * A router over `routes` (`METHOD /path` in API Gateway syntax; `$default` too on HTTP APIs), as a
 * REST API (default) or an HTTP API routes requests. Throws on a route that is not `METHOD /path`.
 */
export function createRouter(routes: readonly string[], options: { readonly kind?: ApiKind } = {}): Router {
  const kind = options.kind ?? 'rest';
  const templates = routes.map(parseTemplate);
  return { kind, routes: [...routes], ...(kind === 'rest' ? restRouter(templates) : httpRouter(templates)) };
}
