// What the local API needs to know of an API Gateway flavour (REST or HTTP API): its events, answers and rules, behind one interface.
import { isRecord } from '../../../src/is-record';
import type { Routed, Router } from '../../../tests/helpers/oracle';
import { headerValue, type IncomingRequest } from './request';

/** The API the local server pretends to be: every ARN and event names it. */
export interface Api {
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  readonly stage: string;
}

/** What every API flavour is made from. */
export interface ModelOptions {
  /** The rules' routes, `METHOD /path`. */
  readonly routes: readonly string[];
  /** Access-Control-Allow-Origin: `*` or one origin (the template's CorsAllowOrigin). */
  readonly corsOrigin: string;
  /** The API the events name (default: the local one of the flavour). */
  readonly api?: Api;
}

/** The answers API Gateway gives itself, by what happened. */
export type GatewayResponseName =
  | 'noRoute'
  | 'unauthorized'
  | 'explicitDeny'
  | 'implicitDeny'
  | 'authorizerFailure'
  | 'integrationFailure'
  | 'integrationTimeout'
  | 'tooLarge';

/** One of API Gateway's own answers: status, `{"message": …}` body, and headers of its own (REST's error type, say). */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly message: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** An HTTP answer as the server writes it; a header may have several values. */
export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
}

/** The identity source of a request, as API Gateway checks it before invoking the authorizer. */
export type Identity =
  /** Missing (or empty): 401 without invoking the authorizer. */
  | { readonly kind: 'missing' }
  /** Refused by the TOKEN authorizer's validation expression: 401 without invoking it. */
  | { readonly kind: 'refused' }
  /** Present: the authorizer's answer is cached under `cacheKey` (none: not cached). */
  | { readonly kind: 'present'; readonly cacheKey: string | undefined };

/** What API Gateway makes of an authorizer's (possibly cached) answer for one request. */
export interface Verdict {
  readonly verdict: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** The context the integration receives. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly principalId: string | undefined;
}

/** The request, allowed, as the integration is told about it. */
export interface Allowed {
  readonly context: Readonly<Record<string, unknown>>;
  readonly principalId: string | undefined;
  readonly integrationLatency: number;
}

/** A proxy result API Gateway cannot turn into an answer (502 on REST, 500 on HTTP APIs). */
export class MalformedProxyResult extends Error {
  override readonly name = 'MalformedProxyResult';
}

/** One API Gateway flavour: how it routes, authorizes, integrates and answers. */
export interface ApiModel {
  readonly kind: 'rest' | 'http';
  readonly api: Api;
  readonly router: Router;
  /** The authorizer's set-up in words, for the banner: `TOKEN authorizer`, `Lambda authorizer (payload 2.0, simple responses)`. */
  readonly authorizerLabel: string;
  /** What the authorizer cache is keyed by, in words. */
  readonly cacheKeyLabel: string;
  /** The response header that carries the request id. */
  readonly requestIdHeader: string;
  /** The identity source of a routed request. */
  identity(request: IncomingRequest, routed: Routed): Identity;
  /** The event the authorizer is invoked with. */
  authorizerEvent(request: IncomingRequest, routed: Routed): unknown;
  /** Why API Gateway would reject the authorizer's answer (then 500), or undefined when it is well formed. */
  checkAnswer(answer: unknown): string | undefined;
  /** A well-formed answer (checkAnswer passed), applied to this request. */
  verdict(answer: unknown, request: IncomingRequest): Verdict;
  /** The event the backend (a Lambda proxy integration) is invoked with. */
  proxyEvent(request: IncomingRequest, routed: Routed, allowed: Allowed): unknown;
  /** The backend's result as the HTTP answer; throws MalformedProxyResult. */
  proxyAnswer(result: unknown): HttpAnswer;
  response(name: GatewayResponseName): GatewayResponse;
  /** A CORS preflight the gateway answers itself (not routed, no authorizer), or undefined. */
  preflight(request: IncomingRequest): HttpAnswer | undefined;
  /** CORS headers for an answer to `request`; `integration` says whether the backend wrote the rest of it. */
  cors(request: IncomingRequest, answer: HttpAnswer, integration: boolean): HttpAnswer;
}

const isStringOrStrings = (v: unknown): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string'));

/** Why an IAM-policy answer (`{principalId, policyDocument, context}`) is malformed, or undefined. */
export function checkPolicyAnswer(answer: unknown): string | undefined {
  if (!isRecord(answer)) return 'the answer is not an object';
  if (typeof answer['principalId'] !== 'string') return 'principalId is missing or not a string';
  const policy = answer['policyDocument'];
  if (!isRecord(policy) || !Array.isArray(policy['Statement'])) return 'policyDocument.Statement is missing or not a list';
  if (policy['Statement'].length === 0) return 'policyDocument.Statement is empty';
  for (const [i, s] of (policy['Statement'] as unknown[]).entries()) {
    if (!isRecord(s)) return `Statement[${i}] is not an object`;
    if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') return `Statement[${i}].Effect is neither Allow nor Deny`;
    if (!isStringOrStrings(s['Action'])) return `Statement[${i}].Action is not a string or a list of strings`;
    if (!isStringOrStrings(s['Resource'])) return `Statement[${i}].Resource is not a string or a list of strings`;
  }
  return checkContext(answer['context']);
}

/** Why an authorizer's context is malformed (not a flat map of strings, numbers and booleans), or undefined. */
export function checkContext(context: unknown): string | undefined {
  if (context === undefined || context === null) return undefined;
  if (!isRecord(context)) return 'context is not an object';
  for (const [k, v] of Object.entries(context)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) return `context.${k} is not a string, number or boolean`;
  }
  return undefined;
}

/** The fields of a checked IAM-policy answer. */
export function policyAnswerFields(answer: unknown): { principalId: string; policyDocument: { Statement: unknown[] }; context: Record<string, unknown> } {
  const a = answer as { principalId: string; policyDocument: { Statement: unknown[] }; context?: Record<string, unknown> | null };
  return { principalId: a.principalId, policyDocument: a.policyDocument, context: a.context ?? {} };
}

/** The execute-api ARN of a request (a REST methodArn, an HTTP API routeArn): `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD><path>`. */
export function executeApiArn(method: string, path: string, api: Api): string {
  return `arn:aws:execute-api:${api.region}:${api.account}:${api.apiId}/${api.stage}/${method}${path}`;
}

/** The request's domain as the events name it: its Host, else the API's default domain. */
export function domainName(request: IncomingRequest, api: Api): string {
  return headerValue(request, 'host') ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`;
}

/**
 * The parts of a proxy result both payload versions share, checked: the status (`fallback` when
 * absent), the single-value headers (names as given) and the body (base64-decoded when flagged).
 * Throws MalformedProxyResult.
 */
export function proxyResultParts(result: Record<string, unknown>, fallback?: number): { statusCode: number; headers: Record<string, string[]>; body: Buffer } {
  const status = result['statusCode'] ?? fallback;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedProxyResult('statusCode is not an HTTP status');
  }
  const body = result['body'];
  if (body !== undefined && body !== null && typeof body !== 'string') throw new MalformedProxyResult('body is not a string');
  const headers: Record<string, string[]> = {};
  const given = result['headers'];
  if (given !== undefined && given !== null) {
    if (!isRecord(given)) throw new MalformedProxyResult('headers is not an object');
    for (const [k, v] of Object.entries(given)) headers[k] = [String(v)];
  }
  return { statusCode: status, headers, body: Buffer.from(body ?? '', result['isBase64Encoded'] === true ? 'base64' : 'utf8') };
}
