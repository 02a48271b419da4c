// API Gateway HTTP API with a Lambda REQUEST authorizer (payload 2.0 or 1.0; IAM policy or simple responses), its cache
// keyed by identity-source values, a Lambda proxy integration (payload 2.0) and a CorsConfiguration.
import { isRecord } from '../../../src/is-record';
import { createRouter, evaluatePolicy, type Routed } from '../../../tests/helpers/oracle';
import {
  checkContext,
  checkPolicyAnswer,
  domainName,
  executeApiArn,
  MalformedProxyResult,
  policyAnswerFields,
  proxyResultParts,
  type Allowed,
  type Api,
  type ApiModel,
  type GatewayResponseName,
  type HttpAnswer,
  type ModelOptions,
} from './model';
import { decodeParam, headerValue, headerValues, requestTime, type IncomingRequest } from './request';

/** The HTTP API the local server pretends to be: its `$default` stage, as SAM creates it. */
export const LOCAL_HTTP_API: Api = Object.freeze({ region: 'us-east-1', account: '123456789012', apiId: 'localapi01', stage: '$default' });

/** The CorsConfiguration the local HTTP API has (the REST API's settings, in HTTP API form). */
export const HTTP_CORS = Object.freeze({
  allowHeaders: 'authorization,content-type',
  allowMethods: 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
  maxAge: '600',
});

/** HTTP APIs' own answers: `{"message": …}` and nothing else (no error type header). */
const RESPONSES: Readonly<Record<GatewayResponseName, readonly [number, string]>> = {
  noRoute: [404, 'Not Found'],
  unauthorized: [401, 'Unauthorized'],
  explicitDeny: [403, 'Forbidden'],
  implicitDeny: [403, 'Forbidden'],
  authorizerFailure: [500, 'Internal Server Error'],
  integrationFailure: [500, 'Internal Server Error'],
  integrationTimeout: [503, 'Service Unavailable'],
  tooLarge: [413, 'Request Entity Too Large'],
};

export interface HttpOptions extends ModelOptions {
  /** The authorizer payload format version. */
  readonly payload: '2.0' | '1.0';
  /** Simple responses (`{isAuthorized, context}`; payload 2.0 only): then `$context.routeKey` is an identity source too. */
  readonly simple: boolean;
}

/** The route ARN of a request: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD><path>`, the concrete method and path. */
export function routeArn(method: string, path: string, api: Api = LOCAL_HTTP_API): string {
  return executeApiArn(method, path, api);
}

/** Header names lower-cased, repeated values joined by commas; the Cookie header goes to `cookies`. */
function v2Headers(request: IncomingRequest): { headers: Record<string, string>; cookies: string[] | undefined } {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.multiValueHeaders)) {
    const key = name.toLowerCase();
    if (key === 'cookie') cookies = values.flatMap((v) => v.split(/;\s*/)).filter((c) => c !== '');
    else headers[key] = headers[key] === undefined ? values.join(',') : `${headers[key]},${values.join(',')}`;
  }
  return { headers, cookies };
}

/** Fields left out when empty, as payload 2.0 does. */
const unlessEmpty = <T extends object>(name: string, o: T | undefined): Record<string, T> =>
  o === undefined || Object.keys(o).length === 0 ? {} : { [name]: o };

function v2Query(request: IncomingRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.multiValueQuery).map(([k, v]) => [k, v.join(',')]));
}

function pathParameters(routed: Routed): Record<string, string> {
  return Object.fromEntries(Object.entries(routed.params).map(([k, v]) => [k, decodeParam(v)]));
}

function v2Context(request: IncomingRequest, routed: Routed, api: Api): Record<string, unknown> {
  return {
    accountId: api.account,
    apiId: api.apiId,
    domainName: domainName(request, api),
    domainPrefix: api.apiId,
    http: {
      method: request.method,
      path: request.path,
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: headerValue(request, 'user-agent') ?? '',
    },
    requestId: request.requestId,
    routeKey: routed.route,
    stage: api.stage,
    time: requestTime(request.now),
    timeEpoch: request.now,
  };
}

/** The request as payload 2.0 events carry it (authorizer and integration alike). */
function v2Fields(request: IncomingRequest, routed: Routed): Record<string, unknown> {
  const { headers, cookies } = v2Headers(request);
  return {
    routeKey: routed.route,
    rawPath: request.path,
    rawQueryString: request.rawQuery,
    ...unlessEmpty('cookies', cookies),
    headers,
    ...unlessEmpty('queryStringParameters', v2Query(request)),
  };
}

/** The payload 2.0 authorizer event. */
export function authorizerEventV2(request: IncomingRequest, routed: Routed, identitySource: readonly string[], api: Api = LOCAL_HTTP_API): Record<string, unknown> {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: routeArn(request.method, request.path, api),
    identitySource: [...identitySource],
    ...v2Fields(request, routed),
    requestContext: v2Context(request, routed, api),
    ...unlessEmpty('pathParameters', pathParameters(routed)),
  };
}

/** The payload 1.0 authorizer event: a REST REQUEST event with `version`, `identitySource` and the route ARN as `methodArn`. */
export function authorizerEventV1(request: IncomingRequest, routed: Routed, identitySource: readonly string[], api: Api = LOCAL_HTTP_API): Record<string, unknown> {
  const { headers } = v2Headers(request);
  const params = pathParameters(routed);
  const joined = identitySource.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: routeArn(request.method, request.path, api),
    identitySource: joined,
    authorizationToken: joined,
    resource: routed.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(request.query).length === 0 ? null : request.query,
    multiValueQueryStringParameters: Object.keys(request.multiValueQuery).length === 0 ? null : request.multiValueQuery,
    pathParameters: Object.keys(params).length === 0 ? null : params,
    stageVariables: null,
    requestContext: {
      accountId: api.account,
      apiId: api.apiId,
      domainName: domainName(request, api),
      domainPrefix: api.apiId,
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp, userAgent: headerValue(request, 'user-agent') ?? '' },
      path: request.path,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: requestTime(request.now),
      requestTimeEpoch: request.now,
      resourceId: routed.route,
      resourcePath: routed.resource,
      routeKey: routed.route,
      stage: api.stage,
    },
  };
}

/** The payload 2.0 proxy integration event: the authorizer's context under `requestContext.authorizer.lambda`. */
export function proxyEventV2(request: IncomingRequest, routed: Routed, allowed: Allowed, api: Api = LOCAL_HTTP_API): Record<string, unknown> {
  return {
    version: '2.0',
    ...v2Fields(request, routed),
    requestContext: { ...v2Context(request, routed, api), authorizer: { lambda: { ...allowed.context } } },
    ...(request.body === null ? {} : { body: request.body }),
    ...unlessEmpty('pathParameters', pathParameters(routed)),
    isBase64Encoded: false,
  };
}

/**
 * A payload 2.0 result as the HTTP answer: a `statusCode` result gives status, headers, cookies
 * (as Set-Cookie) and body; any other JSON value is the body of a 200 application/json answer.
 * Throws MalformedProxyResult where API Gateway answers 500.
 */
export function proxyAnswerV2(result: unknown): HttpAnswer {
  if (!isRecord(result) || !('statusCode' in result)) {
    if (result === undefined) throw new MalformedProxyResult('the function returned nothing');
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { statusCode: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(body, 'utf8') };
  }
  const answer = proxyResultParts(result);
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const cookies = result['cookies'];
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) throw new MalformedProxyResult('cookies is not a list of strings');
    if (cookies.length > 0) headers['set-cookie'] = cookies;
  }
  return { ...answer, headers };
}

/** Why a simple response (`{isAuthorized, context}`) is malformed, or undefined. */
export function checkSimpleAnswer(answer: unknown): string | undefined {
  if (!isRecord(answer)) return 'the answer is not an object';
  if (typeof answer['isAuthorized'] !== 'boolean') return 'isAuthorized is missing or not a boolean';
  return checkContext(answer['context']);
}

/** The HTTP API of `options`: payload 2.0 or 1.0 authorizer, IAM policy or simple responses, CorsConfiguration. */
export function createHttpModel(options: HttpOptions): ApiModel {
  if (options.simple && options.payload !== '2.0') throw new Error('simple responses need authorizer payload 2.0');
  const api = options.api ?? LOCAL_HTTP_API;
  const router = createRouter(options.routes, { kind: 'http' });
  const identityValues = (request: IncomingRequest, routed: Routed): string[] | undefined => {
    const header = headerValues(request, 'authorization').join(',');
    if (header.trim() === '') return undefined;
    return options.simple ? [header, routed.route] : [header];
  };
  const allowedOrigin = (request: IncomingRequest): string | undefined => {
    const origin = headerValue(request, 'origin');
    if (origin === undefined) return undefined;
    return options.corsOrigin === '*' ? '*' : origin === options.corsOrigin ? origin : undefined;
  };
  return {
    kind: 'http',
    api,
    router,
    authorizerLabel: `Lambda authorizer (payload ${options.payload}, ${options.simple ? 'simple responses' : 'IAM policy'})`,
    cacheKeyLabel: options.simple ? 'Authorization header and route' : 'Authorization header',
    requestIdHeader: 'apigw-requestid',
    identity(request, routed) {
      const values = identityValues(request, routed);
      return values === undefined ? { kind: 'missing' } : { kind: 'present', cacheKey: JSON.stringify(values) };
    },
    authorizerEvent(request, routed) {
      const values = identityValues(request, routed) ?? [];
      return options.payload === '2.0' ? authorizerEventV2(request, routed, values, api) : authorizerEventV1(request, routed, values, api);
    },
    checkAnswer: (answer) => (options.simple ? checkSimpleAnswer(answer) : checkPolicyAnswer(answer)),
    verdict(answer, request) {
      if (options.simple) {
        const a = answer as { isAuthorized: boolean; context?: Record<string, unknown> | null };
        return { verdict: a.isAuthorized ? 'allow' : 'implicit-deny', context: a.context ?? {}, principalId: undefined };
      }
      const { principalId, policyDocument, context } = policyAnswerFields(answer);
      return { verdict: evaluatePolicy(policyDocument, routeArn(request.method, request.path, api)), context, principalId };
    },
    proxyEvent: (request, routed, allowed) => proxyEventV2(request, routed, allowed, api),
    proxyAnswer: proxyAnswerV2,
    response(name) {
      const [statusCode, message] = RESPONSES[name];
      return { statusCode, message, headers: {} };
    },
    preflight(request) {
      // With a CorsConfiguration, API Gateway answers a preflight itself, whatever the routes.
      if (request.method !== 'OPTIONS' || headerValue(request, 'origin') === undefined || headerValue(request, 'access-control-request-method') === undefined) {
        return undefined;
      }
      const origin = allowedOrigin(request);
      const headers: Record<string, string[]> =
        origin === undefined
          ? {}
          : {
              'access-control-allow-origin': [origin],
              'access-control-allow-methods': [HTTP_CORS.allowMethods],
              'access-control-allow-headers': [HTTP_CORS.allowHeaders],
              'access-control-max-age': [HTTP_CORS.maxAge],
            };
      return { statusCode: 204, headers, body: Buffer.alloc(0) };
    },
    cors(request, answer) {
      // The configuration's headers, not the backend's: API Gateway ignores those.
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !k.toLowerCase().startsWith('access-control-')));
      const origin = allowedOrigin(request);
      if (origin !== undefined) headers['access-control-allow-origin'] = [origin];
      return { ...answer, headers };
    },
  };
}
