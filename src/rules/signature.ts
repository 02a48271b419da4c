// What the rules read of a caller, and nothing else: the caller's signature (the plan-cache key)
// and, per route, whether the caller is granted it and with which bound values.
import type { Binding, Grant, RouteRule, RuleSet } from './schema';

/** The facts about a caller that grants can read. */
export interface CallerFacts {
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  /** The verified token's claims. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Why a bound route grants nothing to a caller the rules would otherwise allow. */
export type BindProblem = 'missing-claim' | 'unsafe-claim';

/** A bound claim's value as the policy may name it, or why it may not. */
export type BoundValue = { readonly value: string } | { readonly problem: BindProblem };

/**
 * Everything the rules read of one caller. Two callers with equal keys get the same answer from
 * every rule, so their plans are the same: it is the plan cache's key.
 */
export interface Signature {
  readonly key: string;
  /** Per atom of the rules (see RuleReader.atoms): whether the caller holds it. */
  readonly holds: readonly boolean[];
  /** Per bound claim name (see RuleReader.boundClaims): the caller's value or the problem. */
  readonly bound: readonly BoundValue[];
}

/** A route as granted to one caller. */
export interface Entitlement {
  readonly granted: boolean;
  /** For a granted bound route: the literal value of each of `rule.bind`, in order. */
  readonly values: readonly string[];
  /** Set when the route's grants hold but a bound claim is unusable. */
  readonly problem?: BindProblem;
}

/** Reads callers for one rule set. */
export interface RuleReader {
  /** Every distinct group, scope and claim grant the rules name, in first-seen order. */
  readonly atoms: readonly Grant[];
  /** Every claim name a `bind` reads, in first-seen order. */
  readonly boundClaims: readonly string[];
  readonly signature: (caller: CallerFacts) => Signature;
  /** Per route (by index): what the signature's caller is granted. */
  readonly entitlements: (signature: Signature) => readonly Entitlement[];
}

/** Longest claim value a bound route will put in a policy. */
export const MAX_BOUND_VALUE_LENGTH = 128;
/** Characters a bound value may have: none that IAM (`*`, `?`) or routing (`/`, `%`, spaces) could read differently. */
const SAFE_BOUND_VALUE = /^[A-Za-z0-9._~@+=,:-]+$/;

/** The value a bound route may name in a policy, or why not (dot segments are refused too). */
export function boundValue(raw: unknown): BoundValue {
  if (raw === undefined || raw === null) return { problem: 'missing-claim' };
  if (
    typeof raw !== 'string' ||
    raw.length > MAX_BOUND_VALUE_LENGTH ||
    !SAFE_BOUND_VALUE.test(raw) ||
    raw === '.' ||
    raw === '..'
  ) {
    return { problem: 'unsafe-claim' };
  }
  return { value: raw };
}

/**
 * Whether a claim grant holds: the claim equals the value (strings; numbers and booleans by their
 * JSON text, so `claim:email_verified=true` works), or is an array of strings containing it (an
 * array holding anything but strings grants nothing).
 */
export function claimHolds(claim: unknown, value: string): boolean {
  if (typeof claim === 'string') return claim === value;
  if (typeof claim === 'number' || typeof claim === 'boolean') return JSON.stringify(claim) === value;
  return Array.isArray(claim) && claim.every((item) => typeof item === 'string') && claim.includes(value);
}

function atomKey(grant: Grant): string {
  switch (grant.kind) {
    case 'claim':
      return `claim:${grant.name}=${grant.value}`;
    case 'authenticated':
      return 'authenticated';
    default:
      return `${grant.kind}:${grant.name}`;
  }
}

/** The entitlements of routes without bound parameters: shared, since they carry nothing of the caller. */
const GRANTED: Entitlement = Object.freeze({ granted: true, values: Object.freeze([]) });
const NOT_GRANTED: Entitlement = Object.freeze({ granted: false, values: Object.freeze([]) });

function holdsAtom(atom: Grant, caller: CallerFacts, groups: ReadonlySet<string>, scopes: ReadonlySet<string>): boolean {
  switch (atom.kind) {
    case 'authenticated':
      return true;
    case 'group':
      return groups.has(atom.name);
    case 'scope':
      return scopes.has(atom.name);
    case 'claim':
      return Object.hasOwn(caller.claims, atom.name) && claimHolds(caller.claims[atom.name], atom.value);
  }
}

/** Compiles how a rule set reads callers: its atoms, its bound claims, grants per route. */
export function createRuleReader(ruleSet: RuleSet): RuleReader {
  const atoms: Grant[] = [];
  const atomIndex = new Map<string, number>();
  const indexOf = (grant: Grant): number => {
    if (grant.kind === 'authenticated') return -1;
    const key = atomKey(grant);
    let i = atomIndex.get(key);
    if (i === undefined) {
      atomIndex.set(key, (i = atoms.length));
      atoms.push(grant);
    }
    return i;
  };
  const compileList = (grants: readonly Grant[]): number[] => grants.map(indexOf);
  const topDeny = compileList(ruleSet.deny);
  const perRoute = ruleSet.routes.map((rule) => ({ allow: compileList(rule.allow), deny: compileList(rule.deny) }));
  const boundClaims = [...new Set(ruleSet.routes.flatMap((r) => r.bind.map((b) => b.claim)))];
  const boundIndex = new Map(boundClaims.map((claim, i) => [claim, i]));
  // A list holds when any entry does; -1 stands for `authenticated`, which every verified caller is.
  const anyHolds = (list: readonly number[], holds: readonly boolean[]): boolean =>
    list.some((i) => i < 0 || holds[i] === true);

  function entitlement(rule: RouteRule, i: number, signature: Signature, deniedEverywhere: boolean): Entitlement {
    const lists = perRoute[i] as { allow: number[]; deny: number[] };
    if (deniedEverywhere || anyHolds(lists.deny, signature.holds) || !anyHolds(lists.allow, signature.holds)) {
      return NOT_GRANTED;
    }
    if (rule.bind.length === 0) return GRANTED;
    const values: string[] = [];
    for (const b of rule.bind as Binding[]) {
      const bound = signature.bound[boundIndex.get(b.claim) as number] as BoundValue;
      if ('problem' in bound) return { granted: false, values: [], problem: bound.problem };
      values.push(bound.value);
    }
    return { granted: true, values };
  }

  return {
    atoms,
    boundClaims,
    signature(caller) {
      const groups = new Set(caller.groups);
      const scopes = new Set(caller.scopes);
      const holds = atoms.map((atom) => holdsAtom(atom, caller, groups, scopes));
      const bound = boundClaims.map((claim) =>
        boundValue(Object.hasOwn(caller.claims, claim) ? caller.claims[claim] : undefined),
      );
      // Values are from SAFE_BOUND_VALUE, which has no `|` or `!`: the key is unambiguous.
      let key = holds.map((h) => (h ? '1' : '0')).join('');
      for (const b of bound) key += 'value' in b ? `|${b.value}` : `|!${b.problem}`;
      return { key, holds, bound };
    },
    entitlements(signature) {
      const deniedEverywhere = anyHolds(topDeny, signature.holds);
      return ruleSet.routes.map((rule, i) => entitlement(rule, i, signature, deniedEverywhere));
    },
  };
}
