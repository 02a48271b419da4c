// The rules' meaning, written the slow obvious way, independent of src/: which route governs a
// request (API Gateway: resource first, most specific; then the method, else ANY) and who may use it.

export interface RulesDoc {
  readonly routes: readonly { readonly route: string; readonly allow: readonly string[]; readonly deny?: readonly string[] }[];
  readonly deny?: readonly string[];
}
export interface Who {
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
}
export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

const kind = (seg: string): number => (seg.endsWith('+}') ? 2 : seg.startsWith('{') ? 1 : 0);

function segMatches(template: string[], parts: string[]): boolean {
  if (parts.some((p) => p === '')) return false;
  for (let i = 0; i < template.length; i++) {
    const k = kind(template[i] as string);
    if (k === 2) return parts.length > i;
    if (i >= parts.length) return false;
    if (k === 0 && template[i] !== parts[i]) return false;
  }
  return parts.length === template.length;
}

const split = (path: string): string[] => (path === '/' ? [] : path.slice(1).split('/'));

interface Parsed {
  readonly parsed: { m: string; segs: string[] }[];
  readonly resources: Map<string, string[]>;
}
// The rules' own structure, kept per rules object: property tests ask thousands of requests of one.
const prepared = new WeakMap<RulesDoc, Parsed>();

function prepare(rules: RulesDoc): Parsed {
  let done = prepared.get(rules);
  if (done !== undefined) return done;
  const parsed = rules.routes.map((r) => {
    const [m, p] = r.route.split(' ') as [string, string];
    return { m, segs: split(p) };
  });
  // Every prefix of every template is a resource (API Gateway creates the parents too).
  const resources = new Map<string, string[]>();
  for (const { segs } of parsed) {
    for (let n = 0; n <= segs.length; n++) {
      const prefix = segs.slice(0, n);
      resources.set(prefix.map((s) => '{' + kind(s) + (kind(s) === 0 ? s : '') + '}').join('/'), prefix);
    }
  }
  done = { parsed, resources };
  prepared.set(rules, done);
  return done;
}

/** The index of the governing route, or -1. */
export function governingRoute(rules: RulesDoc, method: string, path: string): number {
  const { parsed, resources } = prepare(rules);
  const parts = split(path);
  let best: string[] | undefined;
  for (const segs of resources.values()) {
    if (!segMatches(segs, parts)) continue;
    if (best === undefined || compareRank(segs, best) < 0) best = segs;
  }
  if (best === undefined) return -1;
  const shape = (segs: string[]): string => segs.map((s) => (kind(s) === 0 ? s : kind(s))).join('/');
  const bestShape = shape(best);
  const here = parsed.map((r, i) => ({ ...r, i })).filter((r) => shape(r.segs) === bestShape);
  const exact = here.find((r) => r.m === method) ?? here.find((r) => r.m === 'ANY');
  return exact === undefined ? -1 : exact.i;
}

function compareRank(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = kind(a[i] as string) - kind(b[i] as string);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function holds(entry: string, who: Who): boolean {
  if (entry === 'authenticated') return true;
  if (entry.startsWith('group:')) return (who.groups ?? []).includes(entry.slice(6));
  if (entry.startsWith('scope:')) return (who.scopes ?? []).includes(entry.slice(6));
  return false;
}

/**
 * The path a REST API routes: API Gateway is reported to route `/pets/` as `/pets`, so one
 * trailing slash goes; any other empty segment is not routed (undefined).
 */
export function routedPath(path: string): string | undefined {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return p !== '/' && (p.includes('//') || p.endsWith('/')) ? undefined : p;
}

/** Whether the rules let `who` make the request (asked directly, so a trailing slash is routed). */
export function rulesAllow(rules: RulesDoc, who: Who, method: string, path: string): boolean {
  const p = routedPath(path);
  return p !== undefined && routeAllows(rules, who, governingRoute(rules, method, p));
}

/** Whether the rules let `who` use route `i` (a governingRoute index; -1 is no route, denied). */
export function routeAllows(rules: RulesDoc, who: Who, i: number): boolean {
  if (i < 0) return false;
  const route = rules.routes[i] as RulesDoc['routes'][number];
  if ((rules.deny ?? []).some((e) => holds(e, who))) return false;
  if ((route.deny ?? []).some((e) => holds(e, who))) return false;
  return route.allow.some((e) => holds(e, who));
}

/** Concrete requests that exercise every route: each template filled with several values. */
export function sampleRequests(rules: RulesDoc, values: readonly string[] = ['17', 'export', 'owner', 'x.y']): [string, string][] {
  const out = new Set<string>();
  for (const r of rules.routes) {
    const [, path] = r.route.split(' ') as [string, string];
    let paths = [''];
    for (const seg of split(path)) {
      const k = kind(seg);
      const fills = k === 0 ? [seg] : k === 1 ? values : [...values, `${values[0]}/${values[1]}`, `a/b/c`];
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
