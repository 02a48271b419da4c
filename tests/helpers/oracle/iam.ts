// IAM policy evaluation for execute-api:Invoke, as API Gateway applies an authorizer's (possibly cached) policy:
// `*` is any run of characters (`/` included), `?` exactly one, an explicit Deny wins, no matching Allow denies.
// Written from IAM's documentation, independently of src/.

/**
 * IAM wildcard matching: `*` stands for any run of characters (none, and `/`, included), `?` for
 * exactly one, everything else for itself. Linear, backtracking only to the last `*`: long ARNs stay cheap.
 */
export function iamMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A policy statement as an authorizer writes it (only Effect, Action and Resource are read). */
export interface Statement {
  readonly Effect: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

/** An authorizer answer with a policy: `{ policyDocument: { Statement } }`. */
export interface PolicyAnswer {
  readonly principalId?: string;
  readonly policyDocument: { readonly Statement: readonly unknown[] };
}

/** What API Gateway makes of a policy for one request. */
export type Verdict = 'allow' | 'explicit-deny' | 'implicit-deny';

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value]).filter((v): v is string => typeof v === 'string');

/** Action names are case-insensitive in IAM, and may carry wildcards (`execute-api:*`, `*`). */
const invokes = (statement: Statement): boolean => strings(statement.Action).some((a) => iamMatch(a.toLowerCase(), 'execute-api:invoke'));

interface Compiled {
  readonly deny: boolean;
  readonly resources: readonly string[];
}

function compile(policyDocument: PolicyAnswer['policyDocument']): Compiled[] {
  return (policyDocument.Statement as Statement[])
    .filter((s) => (s.Effect === 'Allow' || s.Effect === 'Deny') && invokes(s))
    .map((s) => ({ deny: s.Effect === 'Deny', resources: strings(s.Resource) }));
}

function verdictOf(statements: readonly Compiled[], arn: string): Verdict {
  let allowed = false;
  for (const s of statements) {
    if (!s.resources.some((r) => iamMatch(r, arn))) continue;
    if (s.deny) return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * The verdict on `arn` (a methodArn or routeArn): `explicit-deny` when a statement denies
 * execute-api:Invoke on it, else `allow` when one allows it, else `implicit-deny`.
 */
export function evaluatePolicy(policyDocument: PolicyAnswer['policyDocument'], arn: string): Verdict {
  return verdictOf(compile(policyDocument), arn);
}

/** `evaluatePolicy` as API Gateway's two outcomes: Allow, or Deny (403) whichever way it was denied. */
export function evaluate(answer: PolicyAnswer, arn: string): 'Allow' | 'Deny' {
  return evaluatePolicy(answer.policyDocument, arn) === 'allow' ? 'Allow' : 'Deny';
}

/** `evaluate` for many requests against one answer: the statements read once. */
export function evaluator(answer: PolicyAnswer): (arn: string) => 'Allow' | 'Deny' {
  const statements = compile(answer.policyDocument);
  return (arn) => (verdictOf(statements, arn) === 'allow' ? 'Allow' : 'Deny');
}
