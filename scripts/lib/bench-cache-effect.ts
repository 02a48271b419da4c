// Bench: the cache effect. A fixed-seed session mix replayed through the local API's model of API Gateway (routing,
// the authorizer result cache, IAM evaluation of cached policies: scripts/lib/local-api/) in-process, for this
// authorizer and for one whose policy names only the asked route; every answer checked against the oracle's rules.
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { rulesAllow, type ApiKind, type RulesDoc, type Who } from '../../tests/helpers/oracle';
import { cognitoClaims, signJwt, type CallerSpec, type SigningKey } from '../../tests/helpers/issuer';
import { authorizeStage, type InvokeAuthorizer } from './local-api/authorize';
import { createResultCache } from './local-api/cache';
import { createHttpModel } from './local-api/http';
import type { ApiModel } from './local-api/model';
import { describeRequest } from './local-api/request';
import { createRestModel } from './local-api/rest';
import { routeStage } from './local-api/route';

/** The replay's size and seed. */
export interface SessionMix {
  readonly users: number;
  readonly requestsPerUser: number;
  readonly seed: number;
  /** The authorizer cache's TTL for the cached runs (every request falls within one TTL). */
  readonly ttlSeconds: number;
}

export const DEFAULT_MIX: SessionMix = { users: 200, requestsPerUser: 40, seed: 20260101, ttlSeconds: 300 };

/** Who the users are: a share of the sessions each (the rest of the weights), and their token's groups. */
const PEOPLE: readonly { readonly name: string; readonly weight: number; readonly spec: CallerSpec }[] = [
  { name: 'admins', weight: 15, spec: { groups: ['admins'] } },
  { name: 'readers', weight: 45, spec: { groups: ['readers'] } },
  { name: 'no group', weight: 30, spec: {} },
  { name: 'suspended', weight: 10, spec: { groups: ['readers', 'suspended'] } },
];

/**
 * Requests over every sample route (config/rules.json), by weight: `{id}` is a pet or user number drawn per
 * request, `{own}` the user's own sub and `{other}` another user's (the owner route), `{tenant}` a tenant
 * (the tenant route: access tokens carry no custom:tenant_id, so the rules deny it to everyone).
 */
const REQUESTS: readonly { readonly method: string; readonly path: string; readonly weight: number }[] = [
  { method: 'GET', path: '/pets', weight: 30 },
  { method: 'GET', path: '/pets/{id}', weight: 30 },
  { method: 'POST', path: '/pets', weight: 8 },
  { method: 'DELETE', path: '/pets/{id}', weight: 5 },
  { method: 'GET', path: '/me', weight: 15 },
  { method: 'GET', path: '/admin/users/{id}', weight: 6 },
  { method: 'POST', path: '/admin/users/{id}/disable', weight: 3 },
  { method: 'DELETE', path: '/admin/users/{id}', weight: 3 },
  { method: 'GET', path: '/users/{own}/pets', weight: 6 },
  { method: 'GET', path: '/users/{other}/pets', weight: 2 },
  { method: 'GET', path: '/tenants/{tenant}/pets', weight: 2 },
];

/** The sub of user `index` in the replay (so a request can name its own user's, or another's). */
export const subOf = (index: number): string => `replay-user-${index}`;

/** mulberry32: a small, fixed-seed PRNG, so every run replays the same mix. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends { readonly weight: number }>(items: readonly T[], random: () => number): T {
  let r = random() * items.reduce((n, i) => n + i.weight, 0);
  for (const item of items) if ((r -= item.weight) < 0) return item;
  return items[items.length - 1] as T;
}

/** One request of the replay: whose token, and what it asks. */
export interface MixRequest {
  readonly user: number;
  readonly method: string;
  readonly path: string;
}

/** The users' kinds and the interleaved request sequence of a mix (deterministic for a seed). */
export function sessionMix(mix: SessionMix): { kinds: string[]; requests: MixRequest[] } {
  const random = seededRandom(mix.seed);
  const kinds = Array.from({ length: mix.users }, () => pick(PEOPLE, random).name);
  const requests: MixRequest[] = [];
  for (let user = 0; user < mix.users; user++) {
    for (let i = 0; i < mix.requestsPerUser; i++) {
      const { method, path } = pick(REQUESTS, random);
      const filled = path
        .replace('{id}', String(1 + Math.floor(random() * 50)))
        .replace('{own}', subOf(user))
        .replace('{other}', subOf((user + 1) % mix.users))
        .replace('{tenant}', 'acme');
      requests.push({ user, method, path: filled });
    }
  }
  // Sessions overlap: the requests of all users interleaved (Fisher–Yates), each user's own order kept.
  const order = requests.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const perUser = new Map<number, MixRequest[]>();
  for (const r of requests) {
    const list = perUser.get(r.user) ?? [];
    list.push(r);
    perUser.set(r.user, list);
  }
  const next = new Map<number, number>();
  const interleaved = order.map((i) => {
    const user = (requests[i] as MixRequest).user;
    const k = next.get(user) ?? 0;
    next.set(user, k + 1);
    return (perUser.get(user) as MixRequest[])[k] as MixRequest;
  });
  return { kinds, requests: interleaved };
}

/** What one authorizer did over the replay on one API. */
export interface ReplayFigures {
  readonly requests: number;
  readonly invocations: number;
  /** Requests the rules allow that API Gateway refused (403). */
  readonly wrongDenies: number;
  /** Requests the rules deny that API Gateway let through. */
  readonly wrongAllows: number;
}

/** Invocations and wrong answers per 1,000 requests. */
export function perThousand(f: ReplayFigures): { invocations: number; wrong: number } {
  return { invocations: (1000 * f.invocations) / f.requests, wrong: (1000 * (f.wrongDenies + f.wrongAllows)) / f.requests };
}

/** The claims a token carries (read without verifying: the naive authorizer is a model, and every token here is good). */
const claimsOf = (token: string): Record<string, unknown> => decomposeUnverifiedJwt(token).payload;

function whoOf(claims: Record<string, unknown>): Who {
  const groups = claims['cognito:groups'];
  const scope = claims['scope'];
  return { groups: Array.isArray(groups) ? (groups as string[]) : [], scopes: typeof scope === 'string' ? scope.split(' ') : [], claims };
}

/**
 * An authorizer that decides as the rules do (the oracle) and answers a policy naming only the
 * asked request's ARN — the common hand-written authorizer. TOKEN and HTTP payload 2.0 events.
 */
export function naiveAuthorizer(rules: RulesDoc): InvokeAuthorizer {
  return (event) => {
    const e = event as { authorizationToken?: string; methodArn?: string; routeArn?: string; headers?: Record<string, string> };
    const token = (e.authorizationToken ?? e.headers?.['authorization'] ?? '').replace(/^Bearer +/i, '');
    const arn = (e.methodArn ?? e.routeArn) as string;
    const [, method, path] = /^arn:[^/]+\/[^/]+\/([A-Z]+)(\/.*)$/.exec(arn) as RegExpExecArray;
    const claims = claimsOf(token);
    const kind: ApiKind = e.routeArn === undefined ? 'rest' : 'http';
    const allowed = rulesAllow(rules, whoOf(claims), method as string, path as string, kind);
    const Statement = [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: arn }];
    return Promise.resolve({ principalId: claims['sub'], policyDocument: { Version: '2012-10-17', Statement } });
  };
}

/** The local API models the replay goes through: the template's REST API (TOKEN) and its HTTP API (payload 2.0, IAM policy). */
export function replayModels(rules: RulesDoc, ttlSeconds: number): Record<ApiKind, ApiModel> {
  const routes = rules.routes.map((r) => r.route);
  return {
    rest: createRestModel({ routes, type: 'TOKEN', ttlSeconds, corsOrigin: '*' }),
    http: createHttpModel({ routes, payload: '2.0', simple: false, corsOrigin: '*' }),
  };
}

/** Replays `requests` (users' tokens by index) through `model` with an authorizer cache of `ttlSeconds`. */
export async function replay(
  model: ApiModel,
  rules: RulesDoc,
  tokens: readonly string[],
  requests: readonly MixRequest[],
  invoke: InvokeAuthorizer,
  ttlSeconds: number,
): Promise<ReplayFigures> {
  const cache = createResultCache<unknown>(ttlSeconds);
  let invocations = 0;
  const counted: InvokeAuthorizer = (event) => {
    invocations++;
    return invoke(event);
  };
  let wrongDenies = 0;
  let wrongAllows = 0;
  for (const [i, r] of requests.entries()) {
    const token = tokens[r.user] as string;
    const request = describeRequest({ method: r.method, url: r.path, rawHeaders: ['Authorization', `Bearer ${token}`], requestId: `replay-${i}` });
    const route = routeStage(model, request);
    if (route.kind !== 'routed') throw new Error(`cache effect: ${r.method} ${r.path} is not a route of the sample API`);
    const step = await authorizeStage(model, request, route.routed, { cache, invokeAuthorizer: counted });
    if (step.kind === 'refused' && step.response !== 'explicitDeny' && step.response !== 'implicitDeny') {
      throw new Error(`cache effect: ${r.method} ${r.path} got ${step.decision}${step.problem === undefined ? '' : ` (${step.problem})`}`);
    }
    const expected = rulesAllow(rules, whoOf(claimsOf(token)), r.method, r.path, model.kind);
    if (expected && step.kind === 'refused') wrongDenies++;
    if (!expected && step.kind === 'allowed') wrongAllows++;
  }
  return { requests: requests.length, invocations, wrongDenies, wrongAllows };
}

/** The three authorizers of the headline, on one API. */
export interface CacheEffect {
  readonly api: ApiKind;
  readonly ours: ReplayFigures;
  readonly naiveCached: ReplayFigures;
  readonly naiveUncached: ReplayFigures;
}

/** The session mix through each API, for this authorizer (`ours`) and the naive one with the cache on and with TTL 0. */
export async function cacheEffect(rules: RulesDoc, key: SigningKey, ours: InvokeAuthorizer, mix: SessionMix = DEFAULT_MIX): Promise<CacheEffect[]> {
  const { kinds, requests } = sessionMix(mix);
  const specs = new Map(PEOPLE.map((p) => [p.name, p.spec]));
  const tokens = kinds.map((kind, i) => signJwt(key, cognitoClaims({ ...specs.get(kind), sub: subOf(i) })));
  const naive = naiveAuthorizer(rules);
  const cached = replayModels(rules, mix.ttlSeconds);
  const uncached = replayModels(rules, 0);
  const results: CacheEffect[] = [];
  for (const api of ['rest', 'http'] as const) {
    results.push({
      api,
      ours: await replay(cached[api], rules, tokens, requests, ours, mix.ttlSeconds),
      naiveCached: await replay(cached[api], rules, tokens, requests, naive, mix.ttlSeconds),
      naiveUncached: await replay(uncached[api], rules, tokens, requests, naive, 0),
    });
  }
  return results;
}

const API_NAMES: Record<ApiKind, string> = { rest: 'REST API (TOKEN authorizer)', http: 'HTTP API (payload 2.0, IAM policy)' };
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
/** `a` or, when they differ, `a–b`. */
const range = (a: number, b: number): string => (fmt(a) === fmt(b) ? fmt(a) : `${fmt(a)}–${fmt(b)}`);

/** The headline: one sentence from the REST and HTTP figures (the worse of the two where they differ). */
export function headline(effects: readonly CacheEffect[], mix: SessionMix = DEFAULT_MIX): string {
  const worst = (f: (e: CacheEffect) => number): number => Math.max(...effects.map(f));
  const best = (f: (e: CacheEffect) => number): number => Math.min(...effects.map(f));
  const ours = (e: CacheEffect): ReturnType<typeof perThousand> => perThousand(e.ours);
  const naiveWrong = (e: CacheEffect): number => perThousand(e.naiveCached).wrong;
  return (
    `Replaying ${mix.users} users × ${mix.requestsPerUser} requests over the sample routes within one ${mix.ttlSeconds} s TTL, ` +
    `this authorizer is invoked ${fmt(worst((e) => ours(e).invocations))} times per 1,000 requests with ` +
    `${fmt(worst((e) => ours(e).wrong))} wrong answers; an authorizer whose policy names only the asked route answers ` +
    `${range(best(naiveWrong), worst(naiveWrong))} wrong 403s per 1,000 with the cache on, or needs ` +
    `${fmt(best((e) => perThousand(e.naiveUncached).invocations))} invocations per 1,000 with TTL 0 (REST and HTTP APIs alike).`
  );
}

/** The cache effect as table rows: per API and authorizer, invocations and wrong answers per 1,000 requests. */
export function cacheEffectRows(effects: readonly CacheEffect[]): { api: string; authorizer: string; invocations: string; wrong: string }[] {
  return effects.flatMap((e) =>
    (
      [
        ['this authorizer, cache on', e.ours],
        ['asked route only, cache on', e.naiveCached],
        ['asked route only, TTL 0', e.naiveUncached],
      ] as const
    ).map(([authorizer, f]) => ({
      api: API_NAMES[e.api],
      authorizer,
      invocations: `${fmt(perThousand(f).invocations)} / 1,000`,
      wrong: `${fmt(perThousand(f).wrong)} / 1,000 (${f.wrongDenies} wrong 403, ${f.wrongAllows} wrong allow of ${f.requests})`,
    })),
  );
}
