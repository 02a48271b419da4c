// IAM policy documents that stay right when API Gateway's cache reuses them for other routes.
import type { CompiledRules, RouteRule } from '../rules';
import { comparePrecedence, HTTP_METHODS, type HttpMethod, type RouteTemplate } from '../rules/route';
import type { MethodArn } from './arn';
import { compileGlobs, hasWildcard, overlaps, templateGlob, type GlobSet } from './glob';

export interface Statement {
  readonly Action: 'execute-api:Invoke';
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: Statement[];
}

/** A rule as it applies to one concrete method (ANY expanded), with its IAM pattern. */
interface MethodRoute {
  readonly rule: RouteRule;
  readonly method: HttpMethod;
  /** `METHOD` + path wildcard pattern, e.g. `GET/pets/*`. */
  readonly pattern: string;
}

/** What a caller may do, independent of API and stage: computed once per caller signature. */
export interface PolicyPlan {
  readonly allow: readonly MethodRoute[];
  readonly deny: readonly MethodRoute[];
  readonly allowRe: GlobSet;
  readonly denyRe: GlobSet;
  /** Characters in the patterns, to check the size budget without rendering. */
  readonly patternChars: number;
  /** Deny patterns needed because of each allow pattern: undone together if the asked route needs it. */
  readonly denyFor: ReadonlyMap<MethodRoute, readonly MethodRoute[]>;
  /** False when a needed Deny pattern also matches requests of a granted route (IAM's `*` is coarse). */
  readonly exact: boolean;
}

/** Why the policy says what it says about the asked request. */
export type PolicyMode =
  /** Every route of the rules described exactly (cache-safe, and every grant allowed). */
  | 'full'
  /**
   * Cache-safe, but some cached reuses deny more than the rules: a Deny the caller needs also
   * matches requests of a granted route, or the asked route needed its own exact statement.
   */
  | 'adjusted'
  /** Over the size budget: only the asked request is described (needs a per-route cache key). */
  | 'route-only';

export interface PolicyAnswer {
  readonly policyDocument: PolicyDocument;
  /** Whether the asked request is allowed by the document (always equal to the rules' decision, or Deny). */
  readonly allowed: boolean;
  readonly mode: PolicyMode;
  /** Set when the rules grant the request but IAM cannot say so exactly; the answer denies. */
  readonly unrepresentable?: 'wildcard-in-path' | 'resource-too-long';
}

/** IAM's limit on one Resource ARN in an authorizer policy. */
export const MAX_RESOURCE_LENGTH = 512;
/** Policy size above which only the asked request is described (API Gateway keeps answers ≤ 8 KB). */
export const DEFAULT_POLICY_BUDGET_BYTES = 6144;
const ACTION = 'execute-api:Invoke';
// JSON around the resources: {"Version":"2012-10-17","Statement":[{"Action":…,"Effect":…,"Resource":[]}…]}
const DOCUMENT_OVERHEAD = 160;

export interface PolicyBuilder {
  /** The caller's plan from the per-route grants of CompiledRules.grants(). */
  plan(granted: readonly boolean[]): PolicyPlan;
  /** The policy for one request: the plan scoped to the API and stage, exact for the asked route. */
  answer(plan: PolicyPlan, arn: MethodArn, rulesAllow: boolean): PolicyAnswer;
  /** The size in bytes of the largest plan (all allowed), before the ARN prefix; for a cold-start warning. */
  readonly largestPatternChars: number;
  readonly budgetBytes: number;
}

function statement(effect: 'Allow' | 'Deny', resources: string[]): Statement {
  return { Action: ACTION, Effect: effect, Resource: resources };
}

function documentOf(statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function render(prefix: string, allow: readonly string[], deny: readonly string[]): PolicyDocument {
  const statements: Statement[] = [];
  if (allow.length > 0) statements.push(statement('Allow', allow.map((p) => prefix + p)));
  if (deny.length > 0) statements.push(statement('Deny', deny.map((p) => prefix + p)));
  if (statements.length === 0) statements.push(statement('Deny', [prefix + '*']));
  return documentOf(statements);
}

/** A Deny resource for exactly this request, or a broader one (`…*`) when it is too long to say. */
function denyResource(prefix: string, asked: string): string {
  const room = MAX_RESOURCE_LENGTH - prefix.length - 1;
  return asked.length <= room + 1 ? prefix + asked : prefix + asked.slice(0, room) + '*';
}

/** Builds policies for one compiled rule set. */
export function createPolicyBuilder(rules: CompiledRules, budgetBytes = DEFAULT_POLICY_BUDGET_BYTES): PolicyBuilder {
  // Each method's routes: its explicit rules, plus ANY rules where no explicit rule of that shape exists.
  const byMethod = new Map<HttpMethod, MethodRoute[]>();
  for (const method of HTTP_METHODS) {
    const explicit = new Set(rules.routes.filter((r) => r.template.method === method).map((r) => r.template.shape));
    byMethod.set(
      method,
      rules.routes
        .filter((r) => r.template.method === method || (r.template.method === 'ANY' && !explicit.has(r.template.shape)))
        .map((rule) => ({ rule, method, pattern: method + templateGlob(rule.template) })),
    );
  }
  const largestPatternChars = [...byMethod.values()].flat().reduce((n, r) => n + r.pattern.length, 0);

  // reaches(g, t): some request of t's template is matched by g's IAM pattern (requests that g
  // itself wins by precedence do not count). Memoised: the rules never change. Two uses:
  // - reaches(a, d) for granted a, denied d: d's pattern must be denied explicitly, since IAM's
  //   `*` spans `/`;
  // - reaches(d, a): d's needed Deny also matches some of a's requests, so cached reuses deny
  //   more than the rules (over-approximated, so `exact` is never claimed wrongly).
  const reachMemo = new Map<MethodRoute, Map<MethodRoute, boolean>>();
  function reaches(globRoute: MethodRoute, templateRoute: MethodRoute): boolean {
    let row = reachMemo.get(globRoute);
    if (row === undefined) reachMemo.set(globRoute, (row = new Map<MethodRoute, boolean>()));
    let hit = row.get(templateRoute);
    if (hit === undefined) {
      const glob = globRoute.pattern.slice(globRoute.method.length);
      hit =
        glob.includes('*') &&
        prefixesMeet(templateRoute, glob) &&
        overlaps(templateRoute.rule.template, glob, winner(globRoute, templateRoute));
      row.set(templateRoute, hit);
    }
    return hit;
  }

  // Two routes of a method can only overlap when the literal text before the first wildcard of
  // one pattern starts with the other's (prefixesMeet), so plans look only at such pairs instead
  // of every pair: each method's routes grouped by literal prefix, and for each prefix the
  // prefixes that meet it. Built on first use, not at cold start.
  const byPrefix = new Map<HttpMethod, Map<string, MethodRoute[]>>();
  function prefixIndex(method: HttpMethod): Map<string, MethodRoute[]> {
    let index = byPrefix.get(method);
    if (index === undefined) {
      byPrefix.set(method, (index = new Map<string, MethodRoute[]>()));
      for (const r of byMethod.get(method) as MethodRoute[]) {
        const prefix = literalPrefix(r);
        const list = index.get(prefix);
        if (list === undefined) index.set(prefix, [r]);
        else list.push(r);
      }
    }
    return index;
  }
  const meeting = new Map<HttpMethod, Map<string, readonly string[]>>();
  function meetingPrefixes(method: HttpMethod, prefix: string): readonly string[] {
    let memo = meeting.get(method);
    if (memo === undefined) meeting.set(method, (memo = new Map<string, readonly string[]>()));
    let keys = memo.get(prefix);
    if (keys === undefined) {
      keys = [...prefixIndex(method).keys()].filter((k) => k.startsWith(prefix) || prefix.startsWith(k));
      memo.set(prefix, keys);
    }
    return keys;
  }
  /** The routes of r's method whose literal prefix meets r's (r included). */
  function* related(r: MethodRoute): Generator<MethodRoute> {
    const index = prefixIndex(r.method);
    for (const key of meetingPrefixes(r.method, literalPrefix(r))) yield* index.get(key) as MethodRoute[];
  }

  return {
    largestPatternChars,
    budgetBytes,
    plan(granted) {
      const allow: MethodRoute[] = [];
      const deny: MethodRoute[] = [];
      const denyFor = new Map<MethodRoute, MethodRoute[]>();
      const isGranted = (r: MethodRoute): boolean => granted[r.rule.index] === true;
      for (const routes of byMethod.values()) {
        // The granted routes each denied one needs denying for, then both lists in route order.
        const needers = new Map<MethodRoute, MethodRoute[]>();
        const anyDenied = !routes.every(isGranted);
        for (const a of routes) {
          if (!isGranted(a)) continue;
          allow.push(a);
          if (!anyDenied || !a.pattern.includes('*')) continue;
          for (const d of related(a)) {
            if (isGranted(d) || !reaches(a, d)) continue;
            const list = needers.get(d);
            if (list === undefined) needers.set(d, [a]);
            else list.push(a);
          }
        }
        for (const d of routes) {
          const needed = needers.get(d);
          if (needed === undefined) continue;
          deny.push(d);
          for (const a of needed) {
            const list = denyFor.get(a);
            if (list === undefined) denyFor.set(a, [d]);
            else list.push(d);
          }
        }
      }
      const patternChars = [...allow, ...deny].reduce((n, r) => n + r.pattern.length, 0);
      const clobbersAny = (d: MethodRoute): boolean => {
        for (const a of related(d)) if (isGranted(a) && reaches(d, a)) return true;
        return false;
      };
      const exact = !deny.some((d) => d.pattern.includes('*') && clobbersAny(d));
      return {
        allow,
        deny,
        allowRe: compileGlobs(allow.map((r) => r.pattern)),
        denyRe: compileGlobs(deny.map((r) => r.pattern)),
        patternChars,
        denyFor,
        exact,
      };
    },
    answer(plan, arn, rulesAllow) {
      const asked = arn.method + arn.path;
      const count = plan.allow.length + plan.deny.length;
      const bytes = DOCUMENT_OVERHEAD + plan.patternChars + count * (arn.prefix.length + 3);
      const exactAllowed = !hasWildcard(asked) && arn.prefix.length + asked.length <= MAX_RESOURCE_LENGTH;
      const unrepresentable = hasWildcard(asked) ? 'wildcard-in-path' : 'resource-too-long';

      if (bytes > budgetBytes) {
        if (rulesAllow && exactAllowed) {
          return { policyDocument: render(arn.prefix, [asked], []), allowed: true, mode: 'route-only' };
        }
        const policyDocument = documentOf([statement('Deny', [denyResource(arn.prefix, asked)])]);
        return rulesAllow
          ? { policyDocument, allowed: false, mode: 'route-only', unrepresentable }
          : { policyDocument, allowed: false, mode: 'route-only' };
      }

      const allowPatterns = plan.allow.map((r) => r.pattern);
      const denyPatterns = plan.deny.map((r) => r.pattern);
      const policyAllows = plan.allowRe.test(asked) && !plan.denyRe.test(asked);
      if (policyAllows === rulesAllow) {
        return {
          policyDocument: render(arn.prefix, allowPatterns, denyPatterns),
          allowed: rulesAllow,
          mode: plan.exact ? 'full' : 'adjusted',
        };
      }
      if (!rulesAllow) {
        // A granted pattern reaches a request no granted route governs: deny it by name.
        const policyDocument = documentOf([
          ...render(arn.prefix, allowPatterns, denyPatterns).Statement.filter((s) => s.Effect === 'Allow'),
          statement('Deny', [...denyPatterns.map((p) => arn.prefix + p), denyResource(arn.prefix, asked)]),
        ]);
        return { policyDocument, allowed: false, mode: 'adjusted' };
      }
      if (!exactAllowed) {
        return {
          policyDocument: render(arn.prefix, allowPatterns, denyPatterns),
          allowed: false,
          mode: plan.exact ? 'full' : 'adjusted',
          unrepresentable,
        };
      }
      // The rules grant the request, but a Deny needed elsewhere also matches it (IAM's Deny wins).
      // Drop those Denies together with every Allow that needed them, then allow the request by name.
      const dropDeny = new Set(plan.deny.filter((d) => compileGlobs([d.pattern]).test(asked)));
      const keepAllow = plan.allow.filter((a) => !(plan.denyFor.get(a) ?? []).some((d) => dropDeny.has(d)));
      const keptDeny = new Set(keepAllow.flatMap((a) => plan.denyFor.get(a) ?? []));
      const policyDocument = render(
        arn.prefix,
        [...keepAllow.map((r) => r.pattern), asked],
        plan.deny.filter((d) => keptDeny.has(d) && !dropDeny.has(d)).map((r) => r.pattern),
      );
      return { policyDocument, allowed: true, mode: 'adjusted' };
    },
  };
}

/** The template that wins routing between two routes of one method (null when `b` does, or neither). */
function winner(a: MethodRoute, b: MethodRoute): RouteTemplate | null {
  return comparePrecedence(a.rule.template, b.rule.template) < 0 ? a.rule.template : null;
}

/** A route's IAM pattern up to its first wildcard (the whole path when it has none). */
function literalPrefix(route: MethodRoute): string {
  const glob = route.pattern.slice(route.method.length);
  const star = glob.indexOf('*');
  return star < 0 ? glob : glob.slice(0, star);
}

/** Cheap pre-check: the literal text before the first wildcard of each must agree. */
function prefixesMeet(route: MethodRoute, glob: string): boolean {
  const star = glob.indexOf('*');
  const a = star < 0 ? glob : glob.slice(0, star);
  const d = literalPrefix(route);
  return a.startsWith(d) || d.startsWith(a);
}
