// Rules compiled once at cold start: a route tree for API Gateway's routing, and grant decisions.
import type { Caller } from '../caller';
import { splitPath, type HttpMethod, type RouteMethod } from './route';
import { parseRuleSet, type Principal, type RouteRule, type RuleSet } from './schema';

export type { RouteRule, RuleSet, Principal } from './schema';

interface Node {
  readonly literal: Map<string, Node>;
  param: Node | null;
  proxy: Node | null;
  readonly methods: Map<RouteMethod, RouteRule>;
}

const newNode = (): Node => ({ literal: new Map(), param: null, proxy: null, methods: new Map() });

/** Rules ready for the warm path. */
export interface CompiledRules {
  readonly routes: readonly RouteRule[];
  /**
   * The rule API Gateway would route `method path` to: the most specific resource (literal beats
   * `{param}` beats `{proxy+}`, segment by segment), then its method or else its ANY. Undefined
   * when no route governs the request.
   */
  route(method: HttpMethod, path: string): RouteRule | undefined;
  /** For each route (by index), whether the caller is granted it (deny lists win). */
  grants(caller: Pick<Caller, 'groups' | 'scopes'>): boolean[];
}

function holds(principal: Principal, groups: ReadonlySet<string>, scopes: ReadonlySet<string>): boolean {
  switch (principal.kind) {
    case 'authenticated':
      return true;
    case 'group':
      return groups.has(principal.name);
    case 'scope':
      return scopes.has(principal.name);
  }
}

function find(node: Node, parts: readonly string[], i: number): Node | undefined {
  if (i === parts.length) return node;
  const part = parts[i] as string;
  if (part === '') return undefined;
  const lit = node.literal.get(part);
  const viaLiteral = lit === undefined ? undefined : find(lit, parts, i + 1);
  if (viaLiteral !== undefined) return viaLiteral;
  const viaParam = node.param === null ? undefined : find(node.param, parts, i + 1);
  if (viaParam !== undefined) return viaParam;
  if (node.proxy !== null) {
    for (let j = i; j < parts.length; j++) if (parts[j] === '') return undefined;
    return node.proxy;
  }
  return undefined;
}

/** Compiles a validated rule set. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRules {
  const root = newNode();
  for (const rule of ruleSet.routes) {
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
  const topDeny = ruleSet.deny;
  return {
    routes: ruleSet.routes,
    route(method, path) {
      const node = find(root, splitPath(path), 0);
      return node === undefined ? undefined : (node.methods.get(method) ?? node.methods.get('ANY'));
    },
    grants(caller) {
      const groups = new Set(caller.groups);
      const scopes = new Set(caller.scopes);
      const deniedEverywhere = topDeny.some((p) => holds(p, groups, scopes));
      return ruleSet.routes.map(
        (rule) =>
          !deniedEverywhere &&
          !rule.deny.some((p) => holds(p, groups, scopes)) &&
          rule.allow.some((p) => holds(p, groups, scopes)),
      );
    },
  };
}

/** Validates and compiles a rules document (already JSON-parsed). Throws RulesError when invalid. */
export function compileRules(doc: unknown): CompiledRules {
  return compileRuleSet(parseRuleSet(doc));
}
