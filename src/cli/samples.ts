// Concrete requests for route templates: a request each rule governs (by the product's own
// routing), which shows whether a rule can govern any request at all.
import type { CompiledRules, RouteRule, RoutingModel } from '../rules';
import { HTTP_METHODS, type HttpMethod, type Segment } from '../rules/route';

/** A concrete request: method and path. */
export interface SampleRequest {
  readonly method: HttpMethod;
  readonly path: string;
}

/** `METHOD /path` of a request. */
export function requestText(request: SampleRequest): string {
  return `${request.method} ${request.path}`;
}

/** Every literal segment of the rules: a sample value must be none of them to route like any value. */
function literalsOf(rules: CompiledRules): Set<string> {
  const literals = new Set<string>();
  for (const r of rules.routes) for (const s of r.template.segments) if (s.kind === 'literal') literals.add(s.value);
  return literals;
}

/** `base`, or `base-2`, `base-3` … — the first that is no literal of the rules. */
function fresh(base: string, literals: ReadonlySet<string>): string {
  let value = base;
  for (let n = 2; literals.has(value); n++) value = `${base}-${n}`;
  return value;
}

/** The methods a rule may govern, its own first (ANY: every method, GET first). */
function methodsOf(rule: RouteRule): readonly HttpMethod[] {
  return rule.template.method === 'ANY' ? HTTP_METHODS.slice().sort((a, b) => (a === 'GET' ? -1 : b === 'GET' ? 1 : 0)) : [rule.template.method];
}

/** The most segments any route has: a greedy segment longer than this routes like this plus one. */
function longestRoute(rules: CompiledRules): number {
  return Math.max(...rules.routes.map((r) => r.template.segments.length));
}

/** A path for a template: literals as written, `{param}` from `values` or a fresh value, `{proxy+}` as `spans` segments. */
function fillPath(segments: readonly Segment[], values: ReadonlyMap<number, string>, spans: number, literals: ReadonlySet<string>): string {
  const parts = segments.flatMap((s, i): string[] => {
    if (s.kind === 'literal') return [s.value];
    if (s.kind === 'param') return [values.get(i) ?? fresh(`${s.name}-1`, literals)];
    return Array.from({ length: spans }, (_, k) => fresh(`${s.name}-${k + 1}`, literals));
  });
  return '/' + parts.join('/');
}

/** The greedy spans to try: two first (it shows that `{proxy+}` spans `/`), then one, then longer ones. */
function spansToTry(rules: CompiledRules, segments: readonly Segment[]): number[] {
  if (!segments.some((s) => s.kind === 'proxy')) return [0];
  const most = longestRoute(rules) + 1 - (segments.length - 1);
  return [2, 1, ...Array.from({ length: Math.max(0, most - 2) }, (_, k) => k + 3)];
}

/**
 * A request the rule governs under the routing model, with `values` (segment index → value) at
 * its `{param}` segments, or undefined when it governs none (with any of `methods`, by default
 * every method it may govern). Exact for the rule's own values: fresh values match no literal,
 * so no other route matches them unless it matches every value there; a greedy segment is tried
 * at every length up to one past the longest route (longer paths route alike).
 */
export function governedRequest(
  rules: CompiledRules,
  model: RoutingModel,
  rule: RouteRule,
  values: ReadonlyMap<number, string> = new Map(),
  methods: readonly HttpMethod[] = methodsOf(rule),
): SampleRequest | undefined {
  const literals = literalsOf(rules);
  const segments = rule.template.segments;
  for (const method of methods) {
    for (const span of spansToTry(rules, segments)) {
      const path = fillPath(segments, values, span, literals);
      if (rules.route(model, method, path) === rule) return { method, path };
    }
  }
  return undefined;
}

/** The methods for which the rule governs some request (an ANY rule: those no explicit rule takes). */
export function governedMethods(rules: CompiledRules, model: RoutingModel, rule: RouteRule): HttpMethod[] {
  return methodsOf(rule).filter((method) => governedRequest(rules, model, rule, new Map(), [method]) !== undefined);
}

/** A concrete path a template matches: fresh values at `{param}`, two at `{proxy+}` (no literal of the rules). */
export function examplePath(rules: CompiledRules, segments: readonly Segment[]): string {
  const greedy = segments.some((s) => s.kind === 'proxy');
  return fillPath(segments, new Map(), greedy ? 2 : 0, literalsOf(rules));
}
