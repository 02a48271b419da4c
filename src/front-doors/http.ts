// Front doors for HTTP API events: payload 2.0 (routeArn, routeKey, identitySource as a list) and
// payload 1.0 (shaped like a REST REQUEST event, identitySource as one string).
import { authorizationHeader } from '../credentials';
import { DeploymentError, EventError } from '../errors';
import { isRecord } from '../is-record';
import { parseResourceArn, type ResourceArn } from '../policy/arn';
import { HTTP_METHODS, splitPath } from '../rules/route';
import type { AuthorizerRequest } from './request';

type Event = Readonly<Record<string, unknown>>;

const ROUTE_KEY = /^([A-Z]+) (\/\S*)$/;
const ROUTE_METHODS: ReadonlySet<string> = new Set([...HTTP_METHODS, 'ANY']);
const SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_]*(\+?)\}$/;

/** How to configure an HTTP API authorizer so its answers are safe to cache (logged with faults). */
export const HTTP_IDENTITY_ADVICE =
  'set the authorizer identity sources to $request.header.Authorization (and $context.routeKey for simple responses)';

/** A route key's parts: its method, each segment (a literal, `{name}` or a final `{name+}`), and its `METHOD shape`. */
interface RouteKeyParts {
  readonly method: string;
  /** Per segment: the literal, or null for a variable; `greedy` for `{name+}`. */
  readonly segments: readonly { readonly literal: string | null; readonly greedy: boolean }[];
  readonly shape: string;
}

/** Route keys seen, parsed (an API has a few; bounded all the same, as the keys come in events). */
const routeKeys = new Map<string, RouteKeyParts>();
const MAX_ROUTE_KEYS = 256;

/** Parses `METHOD /path` once; throws EventError for anything else. */
function routeKeyParts(routeKey: unknown): RouteKeyParts {
  const known = typeof routeKey === 'string' ? routeKeys.get(routeKey) : undefined;
  if (known !== undefined) return known;
  const m = typeof routeKey === 'string' ? ROUTE_KEY.exec(routeKey) : null;
  if (m === null || !ROUTE_METHODS.has(m[1] as string)) throw new EventError('routeKey is neither "$default" nor "METHOD /path"');
  const method = m[1] as string;
  const template = m[2] === '/' ? [] : (m[2] as string).slice(1).split('/');
  const segments = template.map((seg) => {
    const variable = SEGMENT.exec(seg);
    return { literal: variable === null ? seg : null, greedy: variable?.[1] === '+' };
  });
  const last = segments.length - 1;
  const shape = segments.map((seg, i) => (seg.literal ?? (seg.greedy && i === last ? '{+}' : '{}'))).join('/');
  const parts = { method, segments, shape: `${method} /${shape}` };
  if (routeKeys.size >= MAX_ROUTE_KEYS) routeKeys.clear();
  routeKeys.set(routeKey as string, parts);
  return parts;
}

/** `METHOD shape` of a route key (`GET /pets/{}`), after checking it can govern the asked request. */
function matchedRoute(routeKey: unknown, arn: ResourceArn): string {
  if (routeKey === '$default') return '$default';
  const key = routeKeyParts(routeKey);
  if (key.method !== 'ANY' && key.method !== arn.method) throw new EventError('routeKey has another method than routeArn');
  const parts = splitPath(arn.path);
  const last = key.segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const seg = key.segments[i] as RouteKeyParts['segments'][number];
    if (seg.greedy && i === last) {
      // Empty segments under a greedy route are left to decide (denied as `empty-segment`).
      if (parts.length <= i) throw new EventError('routeKey does not match the request path');
      return key.shape;
    }
    const part = parts[i];
    if (part === undefined || part === '' || (seg.literal !== null && seg.literal !== part) || seg.greedy) {
      throw new EventError('routeKey does not match the request path');
    }
  }
  if (parts.length !== key.segments.length) throw new EventError('routeKey does not match the request path');
  return key.shape;
}

/** The raw path names the same request as the ARN (on a named stage it starts with the stage). */
function checkRawPath(rawPath: unknown, arn: ResourceArn): void {
  if (typeof rawPath !== 'string') throw new EventError('event has no rawPath');
  const stage = `/${arn.stage}`;
  const names = (p: string): boolean => p === arn.path || p === stage + (arn.path === '/' ? '' : arn.path) || p === stage + arn.path;
  // The raw form first: it is the usual match, and decoding costs an allocation a request.
  if (names(rawPath)) return;
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // not percent-encoded text: only the raw form can match
  }
  if (decoded === undefined || !names(decoded)) throw new EventError('rawPath and routeArn name different paths');
}

/** identitySource of a 2.0 event: absent (no identity sources, no cache) or a list of strings. */
function identityList(value: unknown): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new EventError('identitySource is not a list of strings');
  }
  return value;
}

/**
 * The cache key must hold the credential: were it keyed on something else, one caller's answer
 * would be served to another. An empty list means no identity sources, so no cache.
 */
function checkCredentialIsKey(identity: readonly string[], credential: unknown): void {
  if (identity.length > 0 && typeof credential === 'string' && !identity.includes(credential)) {
    throw new DeploymentError('the identity sources do not include the Authorization header', HTTP_IDENTITY_ADVICE);
  }
}

/** An HTTP API payload 2.0 event; `simple` is SIMPLE_RESPONSES. */
export function http2Door(event: Event, simple: boolean): AuthorizerRequest {
  if (event['type'] !== 'REQUEST') throw new EventError('a version 2.0 event must have type REQUEST');
  const arn = parseResourceArn(event['routeArn'], 'routeArn');
  const context = event['requestContext'];
  const http = isRecord(context) ? context['http'] : undefined;
  if (!isRecord(http) || http['method'] !== arn.method) {
    throw new EventError('requestContext.http.method is missing or differs from routeArn');
  }
  checkRawPath(event['rawPath'], arn);
  const matched = matchedRoute(event['routeKey'], arn);
  const identity = identityList(event['identitySource']);
  const credential = authorizationHeader(event['headers']);
  checkCredentialIsKey(identity, credential);
  if (!simple) return { door: 'http-2.0', api: 'http', answer: 'policy', credential, arn, matchedRoute: matched };
  if (!identity.includes(event['routeKey'] as string)) {
    throw new DeploymentError(
      'simple responses are cached for every route unless $context.routeKey is an identity source',
      'add $context.routeKey to the authorizer identity sources (or set SIMPLE_RESPONSES=false and return IAM policies)',
    );
  }
  const paths = [event['rawPath'], http['path'], arn.path];
  return {
    door: 'http-2.0',
    api: 'http',
    answer: 'simple',
    credential,
    arn,
    matchedRoute: matched,
    cachedPerPath: identity.some((v) => paths.includes(v)),
  };
}

/** An HTTP API payload 1.0 event: IAM policy answers only. */
export function http1Door(event: Event): AuthorizerRequest {
  if (event['type'] !== 'REQUEST') throw new EventError('a version 1.0 event must have type REQUEST');
  const arn = parseResourceArn(event['methodArn']);
  const method = event['httpMethod'];
  if (method !== undefined && method !== arn.method) throw new EventError('httpMethod differs from methodArn');
  const source = event['identitySource'];
  if (source !== undefined && source !== null && typeof source !== 'string') throw new EventError('identitySource is not a string');
  const credential = authorizationHeader(event['headers'], event['multiValueHeaders']);
  // Version 1.0 joins the identity source values with commas; a JWT has none.
  checkCredentialIsKey(typeof source === 'string' && source !== '' ? source.split(',').map((v) => v.trim()) : [], typeof credential === 'string' ? credential.trim() : credential);
  return { door: 'http-1.0', api: 'http', answer: 'policy', credential, arn };
}
