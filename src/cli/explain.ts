// `explain`: one caller, one request — the decision, the governing route, the grant or deny that
// decided, the policy exactly as the authorizer answers it, and what a cached reuse of that policy
// answers on every other route next to what the rules answer.
import type { Caller } from '../caller';
import { createDecider, type Decider, type Decision } from '../decide';
import { EventError } from '../errors';
import type { AuthorizerRequest } from '../front-doors';
import { createPolicyBuilder, type PolicyDocument, type PolicyMode } from '../policy';
import { parseResourceArn, type ResourceArn } from '../policy/arn';
import { compileGlobs } from '../policy/glob';
import { estimatePolicyBytes } from '../policy/render';
import type { CompiledRules, RouteRule, RoutingModel, Signature } from '../rules';
import { canonicalPath } from '../rules/routing';
import { HTTP_METHODS, splitPath, type HttpMethod } from '../rules/route';
import { respond, type Rendered } from '../response';
import { API_OPTION, COMMON_OPTIONS, commaList, RULES_OPTION, type Command, type ParsedArgs } from './args';
import { callerFor, grantText, type CallerInput, type TokenUse } from './callers';
import { UsageError } from './errors';
import { loadRules, readRulesSource, requireRules } from './input';
import { indentLines, printJson, stylesFor, table, type Io } from './output';
import { governedRequest, requestText, type SampleRequest } from './samples';

/** The made-up API the tool's ARNs name: clearly not a real account or API. */
export const FAKE_ARN_BASE = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';
/** The stage a request is on unless `--stage` says otherwise: REST `prod` (the sample's), HTTP `$default`. */
export const DEFAULT_STAGE: Readonly<Record<RoutingModel, string>> = { rest: 'prod', http: '$default' };

const OPTIONS = {
  ...RULES_OPTION,
  groups: { kind: 'list', value: 'a,b', help: "the caller's cognito:groups (comma-separated; may repeat)" },
  scopes: { kind: 'list', value: 'x,y', help: "the caller's OAuth scopes (access tokens only)" },
  claim: { kind: 'list', value: 'NAME=VALUE', help: 'a claim of the token (may repeat; a name given twice makes an array)' },
  'token-use': { kind: 'value', value: 'access|id', choices: ['access', 'id'], help: 'which Cognito token the authorizer accepts (TOKEN_USE; default access)' },
  ...API_OPTION,
  stage: { kind: 'value', value: 'NAME', help: 'the stage in the ARN (default prod for REST, $default for HTTP)' },
  ...COMMON_OPTIONS,
} as const;

const DESCRIPTION = `Decides METHOD PATH for one caller with the authorizer's own code and shows why: the
governing route, the grant or deny that decided, the policy exactly as the authorizer answers it,
and what API Gateway answers when it reuses that cached policy for the same caller on a sample
request of every other route. The ARNs name a made-up API:
${FAKE_ARN_BASE}/<stage>/…

PATH is the path on the API, without the stage and without a query string. --api rest (default)
or http picks the routing model; for http the API is assumed to have the rules' routes.
--token-use id: the token is an ID token, which carries the user's attributes (custom:*) and
no scopes; access tokens carry scopes and client_id, and custom:* claims only when a pre token
generation trigger (V2) adds them.

Exit status: 0 explained (allow or deny), 1 invalid rules or a cached reuse that allows what the
rules deny, 2 usage error.`;

/** What decided a request: the kind of cause, the grant or claim involved, and a sentence. */
export interface Cause {
  readonly kind: 'allow-grant' | 'top-level-deny' | 'route-deny' | 'no-allow-grant' | 'bound-claim' | 'routing';
  readonly grant?: string;
  readonly claim?: string;
  readonly message: string;
}

/** One row of the cached-reuse table. */
export interface ReuseRow {
  /** `METHOD /path`. */
  readonly request: string;
  /** What the cached policy answers (IAM evaluation): the contract's `decision`. */
  readonly decision: 'allow' | 'deny';
  /** What the rules answer for this caller. */
  readonly rules: 'allow' | 'deny';
  readonly route: string;
  /** For bound routes: the sample uses the caller's own value, or another. */
  readonly sample?: 'own' | 'other';
  readonly agree: boolean;
  /** Why they disagree, when they do. */
  readonly note?: string;
}

/** The whole explanation, as `--json` prints it (the contract's fields first). */
export interface Explanation {
  readonly decision: 'allow' | 'deny';
  readonly route: string | null;
  readonly reason: string;
  readonly policy: PolicyDocument;
  readonly reuse: readonly ReuseRow[];
  /** Where the governing route is in the rules file, e.g. `routes[2]`. */
  readonly routeIndex: string | null;
  readonly request: { readonly method: HttpMethod; readonly path: string; readonly arn: string };
  readonly api: RoutingModel;
  readonly stage: string;
  readonly rules: string;
  readonly rulesDecision: 'allow' | 'deny';
  readonly because: Cause;
  readonly policyMode: PolicyMode;
  readonly unrepresentable?: string;
  readonly policyBytes: number;
  readonly budgetBytes: number;
  readonly principalId: string;
  readonly context: Readonly<Record<string, string>>;
  readonly caller: { readonly tokenUse: TokenUse; readonly groups: readonly string[]; readonly scopes: readonly string[]; readonly claims: Readonly<Record<string, unknown>> };
  /** Routes no request reaches under this routing model (no sample row for them). */
  readonly neverGoverned: readonly string[];
  readonly notes: readonly string[];
}

/** `--claim name=value` pairs as claims; the value follows the last `=`, as in `claim:` grants. */
export function parseClaims(pairs: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`explain: --claim "${pair}" is not NAME=VALUE`);
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const earlier = claims[name];
    claims[name] = earlier === undefined ? value : Array.isArray(earlier) ? [...(earlier as string[]), value] : [earlier, value];
  }
  return claims;
}

/** The caller the options describe; scopes with an ID token are a usage error (ID tokens have none). */
export function callerInputOf(args: ParsedArgs): CallerInput {
  const tokenUse = (args.value('token-use') ?? 'access') as TokenUse;
  const scopes = commaList(args.list('scopes'));
  if (tokenUse === 'id' && scopes.length > 0) {
    throw new UsageError('explain: --scopes with --token-use id: Cognito puts OAuth scopes in access tokens only, so an ID token has none');
  }
  return { groups: commaList(args.list('groups')), scopes, claims: parseClaims(args.list('claim')), tokenUse };
}

/** The request positionals: an HTTP method (not ANY) and a path starting with `/`. */
function requestOf(positionals: readonly string[]): SampleRequest {
  if (positionals.length !== 2) {
    throw new UsageError(`explain: give METHOD and PATH, like "explain --groups readers GET /pets/17" (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'})`);
  }
  const method = (positionals[0] as string).toUpperCase();
  const path = positionals[1] as string;
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`explain: METHOD must be one of ${HTTP_METHODS.join(', ')} (a request has one method; got "${positionals[0] as string}")`);
  }
  if (!path.startsWith('/') || /[\s?#]/.test(path)) {
    throw new UsageError(`explain: PATH must start with "/" and have no spaces, query string or fragment (got "${path}")`);
  }
  return { method: method as HttpMethod, path };
}

/** The ARN API Gateway would send, parsed by the product (the same checks as a real event). */
function arnFor(stage: string, request: SampleRequest): ResourceArn {
  try {
    return parseResourceArn(`${FAKE_ARN_BASE}/${stage}/${request.method}${request.path}`);
  } catch (err) {
    if (err instanceof EventError) throw new UsageError(`explain: --stage or PATH cannot be in an execute-api ARN: ${err.message}`);
    throw err;
  }
}

/** What API Gateway does with a policy for a request ARN: an explicit Deny wins, else any Allow, else deny. */
export function evaluatePolicy(policy: PolicyDocument, arn: string): 'allow' | 'deny' {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!compileGlobs(statement.Resource).test(arn)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}

/** Whether a grant holds for the caller, read from the product's signature. */
function holds(rules: CompiledRules, signature: Signature, text: string): boolean {
  if (text === 'authenticated') return true;
  const i = rules.atoms.findIndex((a) => grantText(a) === text);
  return i >= 0 && signature.holds[i] === true;
}

/** The path as the API routes it (a REST path without its trailing `/`); as asked when it cannot be routed. */
function routedPath(model: RoutingModel, path: string): string {
  const canonical = canonicalPath(model, path);
  return 'problem' in canonical ? path : canonical.path;
}

/** Why a bound route grants nothing, or why the path's value is not the caller's. */
function boundCause(rules: CompiledRules, route: RouteRule, signature: Signature, path: string): Cause {
  const parts = splitPath(path);
  for (const b of route.bind) {
    const bound = signature.bound[rules.boundClaims.indexOf(b.claim)];
    if (bound === undefined) continue;
    if ('problem' in bound) {
      const what = bound.problem === 'missing-claim' ? 'is not in the token' : 'is not a value a policy can name (empty, not a string, too long, or with *, ?, / or other unsafe characters)';
      return { kind: 'bound-claim', claim: b.claim, message: `{${b.param}} is bound to the claim ${b.claim}, which ${what}` };
    }
    if (parts[b.segment] !== bound.value) {
      return { kind: 'bound-claim', claim: b.claim, message: `{${b.param}} is "${parts[b.segment] ?? ''}" but the caller's ${b.claim} is "${bound.value}": only the caller's own value is granted` };
    }
  }
  return { kind: 'bound-claim', message: 'a bound claim decided' };
}

/** Why the rules said what they said about the request. */
export function causeOf(rules: CompiledRules, topDeny: readonly string[], decision: Decision, caller: Caller, request: SampleRequest, model: RoutingModel): Cause {
  const route = decision.route;
  const signature = rules.signature(caller);
  switch (decision.reason) {
    case 'granted': {
      const grant = (route?.allow ?? []).map(grantText).find((g) => holds(rules, signature, g)) as string;
      const bound = route !== undefined && route.bind.length > 0 ? `, and ${route.bind.map((b) => `{${b.param}} is the caller's own ${b.claim}`).join(' and ')}` : '';
      return { kind: 'allow-grant', grant, message: `the allow grant ${grant} holds${bound}` };
    }
    case 'not-granted': {
      const top = topDeny.find((g) => holds(rules, signature, g));
      if (top !== undefined) return { kind: 'top-level-deny', grant: top, message: `the top-level deny ${top} holds: it denies every route` };
      const own = (route?.deny ?? []).map(grantText).find((g) => holds(rules, signature, g));
      if (own !== undefined) return { kind: 'route-deny', grant: own, message: `the route's deny ${own} holds (deny wins)` };
      const allow = (route?.allow ?? []).map(grantText);
      return {
        kind: 'no-allow-grant',
        message: allow.length === 0 ? 'the route allows nobody (allow: [])' : `none of the route's allow grants holds: ${allow.join(', ')}`,
      };
    }
    case 'missing-claim':
    case 'unsafe-claim':
    case 'bound-mismatch':
      return boundCause(rules, route as RouteRule, signature, routedPath(model, request.path));
    case 'no-route': {
      const path = routedPath(model, request.path);
      const other = HTTP_METHODS.find((m) => m !== request.method && rules.route(model, m, path) !== undefined);
      const resource = model === 'rest' && other !== undefined ? ` (the path is routed for ${other}, but its resource has no ${request.method} or ANY rule: REST APIs pick the resource first)` : '';
      return { kind: 'routing', message: `no route of the rules governs ${requestText(request)}${resource}` };
    }
    case 'empty-segment':
      return { kind: 'routing', message: 'the path has an empty segment (// or, on an HTTP API, a trailing /): its routing is not documented, so it is denied' };
    case 'route-mismatch':
      return { kind: 'routing', message: 'the route API Gateway matched is not the rules\' governing route' };
  }
}

/** Why a policy's mode makes cached reuses deny more than the rules, in words. */
function overDenyNote(mode: PolicyMode): string {
  switch (mode) {
    case 'route-only':
      return 'over-deny: the policy names only the asked request (over the size budget)';
    case 'adjusted':
      return 'over-deny: a Deny the policy needs for another route also matches this one (mode adjusted)';
    case 'full':
      return 'over-deny, which a full policy should not do: please report it';
  }
}

/** Samples for a route: one it governs, or for a bound route one with the caller's own values and one with another. */
function samplesFor(rules: CompiledRules, model: RoutingModel, route: RouteRule, signature: Signature): { request: SampleRequest; sample?: 'own' | 'other' }[] {
  if (route.bind.length === 0) {
    const request = governedRequest(rules, model, route);
    return request === undefined ? [] : [{ request }];
  }
  const out: { request: SampleRequest; sample?: 'own' | 'other' }[] = [];
  const own = new Map<number, string>();
  for (const b of route.bind) {
    const bound = signature.bound[rules.boundClaims.indexOf(b.claim)];
    if (bound !== undefined && 'value' in bound) own.set(b.segment, bound.value);
  }
  if (own.size === route.bind.length) {
    const request = governedRequest(rules, model, route, own);
    if (request !== undefined) out.push({ request, sample: 'own' });
  }
  const other = new Map(route.bind.map((b) => [b.segment, `other-${b.param}`]));
  const request = governedRequest(rules, model, route, other);
  if (request !== undefined) out.push({ request, sample: 'other' });
  return out;
}

/** Every other route's sample requests, answered by the cached policy and by the rules. */
function reuseRows(
  rules: CompiledRules,
  decide: Decider,
  caller: Caller,
  model: RoutingModel,
  arn: ResourceArn,
  rendered: Rendered,
  policy: PolicyDocument,
): { rows: ReuseRow[]; never: string[] } {
  const signature = rules.signature(caller);
  const rows: ReuseRow[] = [];
  const never: string[] = [];
  for (const route of rules.routes) {
    const samples = samplesFor(rules, model, route, signature);
    if (samples.length === 0 && governedRequest(rules, model, route) === undefined) never.push(route.route);
    for (const { request, sample } of samples) {
      if (request.method === arn.method && request.path === arn.path) continue;
      const cached = evaluatePolicy(policy, `${arn.prefix}${request.method}${request.path}`);
      const ruled = decide(caller, { model, method: request.method, path: request.path }).allowed ? 'allow' : 'deny';
      const row: ReuseRow = { request: requestText(request), decision: cached, rules: ruled, route: route.route, agree: cached === ruled };
      const withSample = sample === undefined ? row : { ...row, sample };
      rows.push(
        cached === ruled
          ? withSample
          : { ...withSample, note: cached === 'allow' ? 'UNSAFE: the cached policy allows what the rules deny' : overDenyNote(rendered.mode ?? 'full') },
      );
    }
  }
  return { rows, never };
}

/** Notes on the caller's claims that the token use makes unlikely. */
function claimNotes(input: CallerInput): string[] {
  if (input.tokenUse !== 'access') return [];
  const custom = Object.keys(input.claims).filter((name) => name.startsWith('custom:'));
  return custom.map(
    (name) => `${name}: Cognito puts custom attributes in ID tokens; an access token carries it only when a pre token generation trigger (V2) adds it`,
  );
}

/** What the policy's mode means for cached reuse. */
function modeText(mode: PolicyMode): string {
  switch (mode) {
    case 'full':
      return 'full: every route of the rules is described exactly, so a cached reuse answers as the rules do';
    case 'adjusted':
      return 'adjusted: cache-safe, but some cached reuses deny what the rules allow (IAM wildcards cannot say it exactly)';
    case 'route-only':
      return 'route-only: over the size budget, the policy names the asked request only; cached reuses on other routes deny';
  }
}

/** Explains one request for one caller (the whole computation, no printing). */
export function explain(args: ParsedArgs, io: Io): Explanation {
  const request = requestOf(args.positionals);
  const input = callerInputOf(args);
  const model = (args.value('api') ?? 'rest') as RoutingModel;
  const stage = args.value('stage') ?? DEFAULT_STAGE[model];
  const arn = arnFor(stage, request);
  const { rules, ruleSet, source } = requireRules(loadRules(readRulesSource(args.value('rules'), io)));
  const caller = callerFor(input);
  const policies = createPolicyBuilder(rules);
  const decide = createDecider(rules, policies);
  const decision = decide(caller, { model, method: request.method, path: request.path });
  const door: AuthorizerRequest = { door: model === 'rest' ? 'rest-token' : 'http-2.0', api: model, answer: 'policy', credential: undefined, arn };
  const rendered = respond(door, caller, decision, policies);
  const body = rendered.body as { principalId: string; policyDocument: PolicyDocument; context: Record<string, string> };
  const plan = decision.plan();
  const { rows, never } = reuseRows(rules, decide, caller, model, arn, rendered, body.policyDocument);
  const explanation: Explanation = {
    decision: rendered.allowed ? 'allow' : 'deny',
    route: decision.route?.route ?? null,
    reason: rendered.unrepresentable ?? decision.reason,
    policy: body.policyDocument,
    reuse: rows,
    routeIndex: decision.route === undefined ? null : `routes[${decision.route.index}]`,
    request: { method: request.method, path: request.path, arn: `${arn.prefix}${arn.method}${arn.path}` },
    api: model,
    stage,
    rules: source.label,
    rulesDecision: decision.allowed ? 'allow' : 'deny',
    because: causeOf(rules, ruleSet.deny.map(grantText), decision, caller, request, model),
    policyMode: rendered.mode ?? 'full',
    policyBytes: estimatePolicyBytes(arn.prefix.length, plan.allow.length + plan.deny.length, plan.patternChars),
    budgetBytes: policies.budgetBytes,
    principalId: body.principalId,
    context: body.context,
    caller: { tokenUse: input.tokenUse, groups: caller.groups, scopes: caller.scopes, claims: input.claims },
    neverGoverned: never,
    notes: claimNotes(input),
  };
  return rendered.unrepresentable === undefined ? explanation : { ...explanation, unrepresentable: rendered.unrepresentable };
}

/** The caller in one line: groups, scopes, claims, token use. */
function callerLine(e: Explanation): string {
  const list = (items: readonly string[]): string => (items.length === 0 ? '(none)' : items.join(', '));
  const claims = Object.entries(e.caller.claims).map(([k, v]) => `${k}=${Array.isArray(v) ? (v as string[]).join('|') : String(v)}`);
  const parts = [`groups ${list(e.caller.groups)}`];
  if (e.caller.tokenUse === 'access') parts.push(`scopes ${list(e.caller.scopes)}`);
  if (claims.length > 0) parts.push(`claims ${claims.join(', ')}`);
  return `${parts.join('; ')}; ${e.caller.tokenUse} token`;
}

/** Prints an explanation for a terminal. */
function printExplanation(e: Explanation, io: Io): void {
  const s = stylesFor(io);
  const verdict = e.decision === 'allow' ? s.green('ALLOW') : s.red('DENY');
  const route = e.route === null ? '(none)' : e.route;
  io.out(`${s.bold(`${e.request.method} ${e.request.path}`)} on a ${e.api === 'rest' ? 'REST' : 'HTTP'} API, stage ${e.stage} (rules: ${e.rules})`);
  io.out(
    table([
      ['caller', callerLine(e)],
      ['decision', `${verdict} (${e.reason})${e.rulesDecision !== e.decision ? ` — the rules allow, but ${e.reason}` : ''}`],
      ['route', e.route === null ? route : `${route}  (${e.routeIndex})`],
      ['because', e.because.message],
      ['policy', modeText(e.policyMode)],
      ['size', `about ${e.policyBytes} bytes of the ${e.budgetBytes}-byte budget`],
    ]).join('\n'),
  );
  for (const note of e.notes) io.out(s.yellow(`  note: ${note}`));
  io.out('');
  io.out(`The answer (principalId ${e.principalId}), as the authorizer returns it for ${e.request.arn}:`);
  io.out(indentLines(JSON.stringify(e.policy, null, 2), '  '));
  io.out('');
  io.out('Cached reuse: API Gateway reuses this answer for the same caller on other requests. Each row');
  io.out('is a sample request of another route: what the cached policy answers, and what the rules answer.');
  const header = ['REQUEST', 'ROUTE', 'CACHED', 'RULES', ''];
  const body = e.reuse.map((r) => [
    r.request + (r.sample === undefined ? '' : s.dim(` (${r.sample} value)`)),
    r.route,
    r.decision,
    r.rules,
    r.agree ? '' : r.decision === 'allow' ? s.red(r.note ?? '') : s.yellow(r.note ?? ''),
  ]);
  io.out(table([header.map((h) => s.dim(h)), ...body]).join('\n'));
  for (const route of e.neverGoverned) io.out(s.dim(`  ${route}: no request reaches this route under ${e.api} routing (see check)`));
  const unsafe = e.reuse.filter((r) => r.decision === 'allow' && r.rules === 'deny').length;
  const over = e.reuse.filter((r) => r.decision === 'deny' && r.rules === 'allow').length;
  io.out('');
  if (unsafe > 0) io.out(s.red(`${unsafe} cached reuse(s) allow what the rules deny: this is a bug in the authorizer, please report it`));
  else if (over > 0) io.out(`No cached reuse allows what the rules deny; ${over} deny what the rules allow (${e.policyMode} policy).`);
  else io.out('Every cached reuse answers as the rules do.');
}

/** The `explain` command. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'decide one request for one caller, show the policy and its cached reuse',
  usage: 'cognito-route-authorizer explain [--rules FILE] [--groups a,b] [--scopes x,y] [--claim NAME=VALUE]… [--token-use access|id] [--api rest|http] [--stage NAME] [--json] METHOD PATH',
  description: DESCRIPTION,
  options: OPTIONS,
  run(args, io) {
    const e = explain(args, io);
    if (args.flag('json')) printJson(io, e);
    else printExplanation(e, io);
    return e.reuse.some((r) => r.decision === 'allow' && r.rules === 'deny') ? 1 : 0;
  },
};
