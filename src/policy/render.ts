// IAM policy documents: statements, the rendered document, and the one estimate of its size.

export interface Statement {
  readonly Action: 'execute-api:Invoke';
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: Statement[];
}

/**
 * The ARN prefix length size estimates assume when no request is at hand (the cold-start warning,
 * the rules tool): `arn:aws:execute-api:<region>:<account>:<api>/<stage>/` with a short stage.
 */
export const TYPICAL_PREFIX_LENGTH = 64;
/** IAM's limit on one Resource ARN in an authorizer policy. */
export const MAX_RESOURCE_LENGTH = 512;
/** Policy size above which only the asked request is described (API Gateway keeps answers ≤ 8 KB). */
export const DEFAULT_POLICY_BUDGET_BYTES = 6144;
/**
 * Patterns (after the ARN prefix) for request paths with an empty segment or a trailing slash:
 * `GET/pets//17`, `DELETE/pets/17/`. IAM's `*` matches the empty string, so a granted
 * `GET/pets/*` would match `GET/pets/` too, and API Gateway is reported to route such paths to
 * another route. Every policy with a wildcard Allow denies them (the root `GET/` is not matched).
 */
export const VARIANT_PATTERNS: readonly string[] = ['*//*', '*/*/'];

const ACTION = 'execute-api:Invoke';
// JSON around the resources: {"Version":"2012-10-17","Statement":[{"Action":…,"Effect":…,"Resource":[]}…]}
const DOCUMENT_OVERHEAD = 160;
// Per resource: its quotes and comma.
const PER_RESOURCE = 3;

export function statement(effect: 'Allow' | 'Deny', resources: string[]): Statement {
  return { Action: ACTION, Effect: effect, Resource: resources };
}

export function documentOf(statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The document for patterns under one ARN prefix: at most one Allow and one Deny; never empty. */
export function render(prefix: string, allow: readonly string[], deny: readonly string[]): PolicyDocument {
  const statements: Statement[] = [];
  if (allow.length > 0) statements.push(statement('Allow', allow.map((p) => prefix + p)));
  if (deny.length > 0) statements.push(statement('Deny', deny.map((p) => prefix + p)));
  if (statements.length === 0) statements.push(statement('Deny', [prefix + '*']));
  return documentOf(statements);
}

/** A Deny resource for exactly this request, or a broader one (`…*`) when it is too long to say. */
export function denyResource(prefix: string, asked: string): string {
  const room = MAX_RESOURCE_LENGTH - prefix.length - 1;
  return asked.length <= room + 1 ? prefix + asked : prefix + asked.slice(0, room) + '*';
}

/**
 * The size in bytes of a policy naming `count` patterns of `chars` characters in all under an ARN
 * prefix of `prefixLength` characters — the one estimate the budget, the cold-start warning and
 * the rules tool use. It errs high (it counts both statements' framing always).
 */
export function estimatePolicyBytes(prefixLength: number, count: number, chars: number): number {
  return DOCUMENT_OVERHEAD + chars + count * (prefixLength + PER_RESOURCE);
}
