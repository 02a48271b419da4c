// The check table: which requests each caller makes on each API, in which order, and the answer the rules and the sample backend promise.
import type { TokenUse } from '../../../src/config';
import { governingRoute, rulesAllow, type RulesDoc, type Who } from '../../../tests/helpers/oracle';
import type { ApiKind } from './target';
import type { Role } from './users';

/** A demo caller as the table sees it: facts, never a token. */
export interface CallerFacts {
  readonly role: Role;
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
  /** custom:tenant_id, when it was set. */
  readonly tenant?: string;
}

/** The credential a request carries; the runner turns it into an Authorization header. */
export type Credential =
  | { readonly kind: 'none' }
  /** `Bearer not-a-jwt`. */
  | { readonly kind: 'malformed' }
  /** The caller's token of the use the authorizer accepts. */
  | { readonly kind: 'token'; readonly role: Role }
  /** That token with `cognito:groups` rewritten to admins, its signature kept. */
  | { readonly kind: 'tampered'; readonly role: Role }
  /** The caller's other token: the ID token where access tokens are expected, or the reverse. */
  | { readonly kind: 'other-use'; readonly role: Role };

/** One HTTP request of a check. */
export interface Probe {
  readonly method: string;
  /** The concrete path after the API's base URL. */
  readonly path: string;
  /** The path as the report shows it: `/users/{own sub}/pets`. */
  readonly shown: string;
  readonly body?: unknown;
  /** A CORS preflight (OPTIONS, Origin, Access-Control-Request-Method: this method), sent without a token. */
  readonly preflightFor?: string;
}

/** What GET /me must echo: the authorizer's context, read back by the backend. */
export interface MeFacts {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly tokenUse: TokenUse;
  readonly groups: readonly string[];
}

/** The answer a check expects. */
export type Expectation =
  /** The authorizer allowed it: the sample backend's answer, with this status and a body that mentions `mentions`. */
  | { readonly kind: 'backend'; readonly status: number; readonly mentions?: string; readonly me?: MeFacts }
  /** The authorizer denied it: 403 from the gateway. */
  | { readonly kind: 'denied' }
  /** No usable credential: 401 from the gateway. */
  | { readonly kind: 'unauthorized' }
  /** No route: REST 403 Missing Authentication Token, HTTP 404 Not Found. */
  | { readonly kind: 'no-route' }
  /** The gateway's answer to a preflight: 2xx and the CORS headers. */
  | { readonly kind: 'preflight'; readonly method: string };

/** Where a request stands in its caller's sequence: the first one's answer is cached, the others reuse it within the TTL. */
export type CacheStep = 'first' | 'reuse';

export interface PlannedCheck {
  readonly api: ApiKind;
  /** Who asks: a role, `no token`, `malformed`, `tampered`, `wrong use`, `preflight`. */
  readonly who: string;
  readonly credential: Credential;
  readonly probe: Probe;
  readonly expect: Expectation;
  readonly cache?: CacheStep;
  /** Said after the expected answer: why it is that answer. */
  readonly why?: string;
  /** Said after the problems when the check fails: a likely cause. */
  readonly failHint?: string;
  /** The API's first check: with no answer at all, the API's other checks are skipped. */
  readonly reachability?: boolean;
}

/** Requests the table leaves out, and why. */
export interface Skipped {
  readonly api: ApiKind;
  readonly what: string;
  readonly why: string;
}

export interface CheckTable {
  readonly checks: readonly PlannedCheck[];
  readonly skipped: readonly Skipped[];
}

export interface PlanInput {
  readonly api: ApiKind;
  readonly rules: RulesDoc;
  /** For the report's skip lines. */
  readonly rulesLabel: string;
  readonly tokenUse: TokenUse;
  readonly clientId: string;
  /** The demo callers, in the order their checks run. */
  readonly callers: readonly CallerFacts[];
}

/** A pet id the sample backend does not have: DELETE reaches it (404) without deleting anything. */
export const MISSING_PET = 'cra-smoke-none';
/** A path no rule of the sample governs. */
export const NO_ROUTE_PATH = '/cra-smoke-no-such-route';
/** The scope Cognito puts in access tokens issued through its user pool API (InitiateAuth). */
const USER_POOL_API_SCOPE = 'aws.cognito.signin.user.admin';

/** Sample-API request kinds, in the order each caller sends them after its first. */
export const REQUEST_KINDS = ['pet', 'delete', 'list', 'create', 'admin', 'me', 'own', 'others', 'ownTenant', 'otherTenant'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Each caller's first request, the one whose answer the gateway caches (the reader's is the example). */
export const FIRST_REQUEST: Readonly<Record<Role, RequestKind>> = { reader: 'pet', admin: 'list', nogroups: 'me', suspended: 'me' };

interface SampleRequest {
  readonly probe: Probe;
  /** The backend's status when the authorizer lets the request through. */
  readonly backend: number;
  /** Text the backend's answer holds (not some other answer with the same status). */
  readonly mentions?: string;
  readonly why?: string;
}

/** The caller whose sub and tenant the `others` and `otherTenant` requests name: the next one in the list. */
function otherCaller(caller: CallerFacts, callers: readonly CallerFacts[]): CallerFacts {
  const next = callers[(callers.indexOf(caller) + 1) % callers.length];
  return next ?? caller;
}

function otherTenant(caller: CallerFacts, callers: readonly CallerFacts[]): string | undefined {
  return callers.find((c) => c.tenant !== undefined && c.tenant !== caller.tenant)?.tenant;
}

/** The sample API's request of `kind` for `caller`; undefined when it cannot be made (no tenant was set). */
export function sampleRequest(kind: RequestKind, caller: CallerFacts, callers: readonly CallerFacts[]): SampleRequest | undefined {
  const get = (path: string, shown: string = path): Probe => ({ method: 'GET', path, shown });
  switch (kind) {
    case 'pet':
      return { probe: get('/pets/1'), backend: 200, mentions: '"id":"1"' };
    case 'delete':
      return { probe: { method: 'DELETE', path: `/pets/${MISSING_PET}`, shown: `/pets/${MISSING_PET}` }, backend: 404, mentions: MISSING_PET, why: 'no such pet: nothing deleted' };
    case 'list':
      return { probe: get('/pets'), backend: 200, mentions: '"pets"' };
    case 'create':
      return { probe: { method: 'POST', path: '/pets', shown: '/pets {}', body: {} }, backend: 400, mentions: 'name', why: 'an empty pet: nothing stored' };
    case 'admin':
      return { probe: get('/admin/cra-smoke'), backend: 200, mentions: '"area":"admin"' };
    case 'me':
      return { probe: get('/me'), backend: 200 };
    case 'own':
      return { probe: get(`/users/${caller.sub}/pets`, '/users/{own sub}/pets'), backend: 200, mentions: '"pets"' };
    case 'others': {
      const other = otherCaller(caller, callers);
      return { probe: get(`/users/${other.sub}/pets`, `/users/{${other.role}'s sub}/pets`), backend: 200, mentions: '"pets"' };
    }
    case 'ownTenant':
      return caller.tenant === undefined ? undefined : { probe: get(`/tenants/${caller.tenant}/pets`, '/tenants/{own tenant}/pets'), backend: 200, mentions: '"pets"' };
    case 'otherTenant': {
      const tenant = otherTenant(caller, callers);
      return tenant === undefined ? undefined : { probe: get(`/tenants/${tenant}/pets`, '/tenants/{other tenant}/pets'), backend: 200, mentions: '"pets"' };
    }
  }
}

/** The caller as the rules see the token Cognito issues it: groups, scopes and the claims rules may grant or bind on. */
export function whoOf(caller: CallerFacts, tokenUse: TokenUse, clientId: string): Who {
  const claims: Record<string, unknown> = { sub: caller.sub, token_use: tokenUse };
  if (caller.groups.length > 0) claims['cognito:groups'] = [...caller.groups];
  if (tokenUse === 'access') {
    Object.assign(claims, { username: caller.username, client_id: clientId, scope: USER_POOL_API_SCOPE });
  } else {
    Object.assign(claims, { 'cognito:username': caller.username, aud: clientId });
    // Cognito writes custom attributes into ID tokens only (access tokens need a pre token generation trigger).
    if (caller.tenant !== undefined) claims['custom:tenant_id'] = caller.tenant;
  }
  return { groups: caller.groups, scopes: tokenUse === 'access' ? [USER_POOL_API_SCOPE] : [], claims };
}

/** The requests of `caller` in sending order: the first one, then the others. */
function requestOrder(caller: CallerFacts): RequestKind[] {
  const first = FIRST_REQUEST[caller.role];
  return [first, ...REQUEST_KINDS.filter((k) => k !== first)];
}

const governed = (input: PlanInput, probe: Probe): boolean => governingRoute(input.rules, probe.method, probe.path, input.api) >= 0;

/** Why a caller gets the answer it gets, where the route alone does not say. */
function whyOf(kind: RequestKind, input: PlanInput, sample: SampleRequest, allowed: boolean): string | undefined {
  if (kind === 'ownTenant' && !allowed && input.tokenUse === 'access') return 'access tokens carry no custom:tenant_id';
  return allowed ? sample.why : undefined;
}

/** The sample backend's answer to an allowed request; GET /me's echoes the caller. */
function backendAnswer(kind: RequestKind, sample: SampleRequest, caller: CallerFacts, input: PlanInput): Expectation {
  const me: MeFacts = { sub: caller.sub, username: caller.username, clientId: input.clientId, tokenUse: input.tokenUse, groups: caller.groups };
  return { kind: 'backend', status: sample.backend, ...(sample.mentions === undefined ? {} : { mentions: sample.mentions }), ...(kind === 'me' ? { me } : {}) };
}

/** The skip line of a request kind: bound routes once per template, not once per value. */
function skipFor(kind: RequestKind, probe: Probe | undefined): { readonly key: string; readonly what: string } {
  if (kind === 'own' || kind === 'others') return { key: 'users', what: 'GET /users/{sub}/pets' };
  if (kind === 'ownTenant' || kind === 'otherTenant') return { key: 'tenants', what: 'GET /tenants/{tenant}/pets' };
  return { key: kind, what: probe === undefined ? kind : `${probe.method} ${probe.shown}` };
}

/** One caller's checks, in order; requests no rule governs (or that cannot be made) go to `skipped`. */
function callerChecks(input: PlanInput, caller: CallerFacts, skipped: Map<string, Skipped>): PlannedCheck[] {
  const who = whoOf(caller, input.tokenUse, input.clientId);
  const checks: PlannedCheck[] = [];
  for (const kind of requestOrder(caller)) {
    const sample = sampleRequest(kind, caller, input.callers);
    const skip = skipFor(kind, sample?.probe);
    if (sample === undefined || !governed(input, sample.probe)) {
      const why = sample === undefined ? 'no demo user has custom:tenant_id' : `no route in the rules (${input.rulesLabel})`;
      if (!skipped.has(skip.key)) skipped.set(skip.key, { api: input.api, what: skip.what, why });
      continue;
    }
    const { probe } = sample;
    const allowed = rulesAllow(input.rules, who, probe.method, probe.path, input.api);
    const why = whyOf(kind, input, sample, allowed);
    const expect = allowed ? backendAnswer(kind, sample, caller, input) : ({ kind: 'denied' } as const);
    checks.push({ api: input.api, who: caller.role, credential: { kind: 'token', role: caller.role }, probe, expect, cache: checks.length === 0 ? 'first' : 'reuse', ...(why === undefined ? {} : { why }) });
  }
  return checks;
}

/** No token at all: the gateway refuses it (401) before the authorizer runs; it also tells whether the API answers. */
function anonymousCheck(input: PlanInput): PlannedCheck {
  return { api: input.api, who: 'no token', credential: { kind: 'none' }, probe: { method: 'GET', path: '/pets', shown: '/pets' }, expect: { kind: 'unauthorized' }, reachability: true };
}

/**
 * Credentials the authorizer must refuse (401). They run after the callers' checks: the authorizer
 * answers 500, not 401, to a bad signature while its key set has verified no token yet (a cold
 * instance doubts its keys before it doubts the token; src/verifier.ts).
 */
function refusedChecks(input: PlanInput): PlannedCheck[] {
  const api = input.api;
  const list: Probe = { method: 'GET', path: '/pets', shown: '/pets' };
  const deletion: Probe = { method: 'DELETE', path: `/pets/${MISSING_PET}`, shown: `/pets/${MISSING_PET}` };
  const otherUse = input.tokenUse === 'access' ? 'ID token' : 'access token';
  const coldHint = 'a cold authorizer instance answers 500 to a bad signature until a token has verified';
  return [
    { api, who: 'malformed', credential: { kind: 'malformed' }, probe: list, expect: { kind: 'unauthorized' }, why: 'Bearer not-a-jwt' },
    { api, who: 'tampered', credential: { kind: 'tampered', role: 'reader' }, probe: deletion, expect: { kind: 'unauthorized' }, why: "the reader's token claiming admins", failHint: coldHint },
    { api, who: 'wrong use', credential: { kind: 'other-use', role: 'reader' }, probe: list, expect: { kind: 'unauthorized' }, why: `the reader's ${otherUse}` },
  ];
}

/** CORS preflights, which browsers send without a token: one on a plain route, one under the ANY route. */
function preflightChecks(input: PlanInput, skipped: Map<string, Skipped>): PlannedCheck[] {
  const asks: Probe[] = [
    { method: 'OPTIONS', path: '/pets', shown: '/pets', preflightFor: 'POST' },
    { method: 'OPTIONS', path: '/admin/cra-smoke', shown: '/admin/cra-smoke', preflightFor: 'DELETE' },
  ];
  return asks.flatMap((probe): PlannedCheck[] => {
    const method = probe.preflightFor as string;
    if (governingRoute(input.rules, method, probe.path, input.api) < 0) {
      skipped.set(`preflight ${probe.path}`, { api: input.api, what: `OPTIONS ${probe.shown}`, why: `no route for ${method} ${probe.shown} in the rules (${input.rulesLabel})` });
      return [];
    }
    return [{ api: input.api, who: 'preflight', credential: { kind: 'none' }, probe, expect: { kind: 'preflight', method } }];
  });
}

/** A path no rule governs, asked by the admin: the gateway's own "no such route". */
function noRouteChecks(input: PlanInput, skipped: Map<string, Skipped>): PlannedCheck[] {
  const probe: Probe = { method: 'GET', path: NO_ROUTE_PATH, shown: NO_ROUTE_PATH };
  if (governed(input, probe)) {
    skipped.set('no route', { api: input.api, what: `GET ${NO_ROUTE_PATH}`, why: `the rules (${input.rulesLabel}) govern every path` });
    return [];
  }
  return [{ api: input.api, who: 'admin', credential: { kind: 'token', role: 'admin' }, probe, expect: { kind: 'no-route' } }];
}

/**
 * The checks of one API, in the order they run: no token (which also tells whether the API answers
 * at all), preflights, each caller's sequence (its first answer cached, the rest within the TTL),
 * the credentials the authorizer must refuse, then a route that does not exist.
 */
export function planChecks(input: PlanInput): CheckTable {
  const skipped = new Map<string, Skipped>();
  const checks = [
    anonymousCheck(input),
    ...preflightChecks(input, skipped),
    ...input.callers.flatMap((caller) => callerChecks(input, caller, skipped)),
    ...refusedChecks(input),
    ...noRouteChecks(input, skipped),
  ];
  return { checks, skipped: [...skipped.values()] };
}
