// API Gateway REST API, as template.yaml sets it up: a TOKEN or REQUEST authorizer, the authorizer cache, a Lambda proxy
// integration (payload 1.0), SAM's CORS preflight mocks and the template's gateway responses.
import { isRecord } from '../../../src/is-record';
import { createRouter, evaluatePolicy, type Routed } from '../../../tests/helpers/oracle';
import {
  checkPolicyAnswer,
  domainName,
  executeApiArn,
  MalformedProxyResult,
  policyAnswerFields,
  proxyResultParts,
  type Allowed,
  type Api,
  type ApiModel,
  type GatewayResponse,
  type GatewayResponseName,
  type HttpAnswer,
  type ModelOptions,
} from './model';
import { decodeParam, headerValue, headerValues, requestTime, type IncomingRequest } from './request';

/** The REST API the local server pretends to be. */
export const LOCAL_REST_API: Api = Object.freeze({ region: 'us-east-1', account: '123456789012', apiId: 'localapi01', stage: 'local' });

/**
 * The sample API's TOKEN authorizer validation expression (template.yaml): API Gateway answers 401
 * itself, without invoking the authorizer, when the Authorization header does not match it.
 */
export const TOKEN_VALIDATION_EXPRESSION = '^([Bb][Ee][Aa][Rr][Ee][Rr] +)?[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+$';

/** The sample API's CORS settings (template.yaml): SAM answers preflights with a mock OPTIONS method. */
export const REST_CORS = Object.freeze({
  allowHeaders: 'Authorization,Content-Type',
  allowMethods: 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
  maxAge: '600',
});

/** API Gateway REST's own answers: status, message and error type. */
const RESPONSES: Readonly<Record<GatewayResponseName, readonly [number, string | null, string]>> = {
  noRoute: [403, 'Missing Authentication Token', 'MissingAuthenticationTokenException'],
  unauthorized: [401, 'Unauthorized', 'UnauthorizedException'],
  explicitDeny: [403, 'User is not authorized to access this resource with an explicit deny', 'AccessDeniedException'],
  implicitDeny: [403, 'User is not authorized to access this resource', 'AccessDeniedException'],
  authorizerFailure: [500, null, 'AuthorizerConfigurationException'],
  integrationFailure: [502, 'Internal server error', 'InternalServerErrorException'],
  integrationTimeout: [504, 'Endpoint request timed out', 'InternalServerErrorException'],
  tooLarge: [413, 'Request Too Long', 'RequestEntityTooLargeException'],
};

export interface RestOptions extends ModelOptions {
  readonly type: 'TOKEN' | 'REQUEST';
  /** The authorizer cache's TTL: a REQUEST authorizer needs its identity source only when caching. */
  readonly ttlSeconds: number;
}

/** The methodArn API Gateway sends: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD><path>`. */
export function methodArn(method: string, path: string, api: Api = LOCAL_REST_API): string {
  return executeApiArn(method, path, api);
}

function requestContext(request: IncomingRequest, routed: Routed, api: Api): Record<string, unknown> {
  return {
    accountId: api.account,
    apiId: api.apiId,
    domainName: domainName(request, api),
    domainPrefix: api.apiId,
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headerValue(request, 'user-agent') ?? null,
      userArn: null,
    },
    path: `/${api.stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.now),
    requestTimeEpoch: request.now,
    resourceId: 'local00',
    resourcePath: routed.resource,
    stage: api.stage,
  };
}

const nullIfEmpty = <T extends object>(o: T): T | null => (Object.keys(o).length === 0 ? null : o);

/** Path parameters as the integration and a REQUEST authorizer get them: decoded, null when there are none. */
function pathParameters(routed: Routed): Record<string, string> | null {
  return nullIfEmpty(Object.fromEntries(Object.entries(routed.params).map(([k, v]) => [k, decodeParam(v)])));
}

/** The request as both the REQUEST authorizer event and the proxy event carry it. */
function requestFields(request: IncomingRequest, routed: Routed): Record<string, unknown> {
  return {
    resource: routed.resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: nullIfEmpty(request.query),
    multiValueQueryStringParameters: nullIfEmpty(request.multiValueQuery),
    pathParameters: pathParameters(routed),
    stageVariables: null,
  };
}

/** The TOKEN authorizer event: the identity source's value and the methodArn, nothing else. */
export function tokenAuthorizerEvent(authorizationToken: string, request: IncomingRequest, api: Api = LOCAL_REST_API): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken, methodArn: methodArn(request.method, request.path, api) };
}

/** The REQUEST authorizer event: the request's headers, query, path parameters and context. */
export function requestAuthorizerEvent(request: IncomingRequest, routed: Routed, api: Api = LOCAL_REST_API): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn: methodArn(request.method, request.path, api),
    ...requestFields(request, routed),
    requestContext: requestContext(request, routed, api),
  };
}

/**
 * The Lambda proxy integration event (REST, payload 1.0), `requestContext.authorizer` holding the
 * authorizer's context (values as strings, as API Gateway passes them) and its principalId.
 */
export function proxyEventV1(request: IncomingRequest, routed: Routed, allowed: Allowed, api: Api = LOCAL_REST_API): Record<string, unknown> {
  const authorizer: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(allowed.context)) authorizer[k] = String(v);
  return {
    ...requestFields(request, routed),
    requestContext: {
      ...requestContext(request, routed, api),
      authorizer: { ...authorizer, principalId: allowed.principalId, integrationLatency: allowed.integrationLatency },
    },
    body: request.body,
    isBase64Encoded: false,
  };
}

/**
 * A Lambda proxy result (payload 1.0) as the HTTP answer API Gateway writes: status, headers
 * (single and multi-value merged), body (base64-decoded when flagged). Throws MalformedProxyResult
 * where API Gateway answers 502 (Malformed Lambda proxy response).
 */
export function proxyAnswerV1(result: unknown): HttpAnswer {
  if (!isRecord(result)) throw new MalformedProxyResult('the proxy result is not an object');
  const answer = proxyResultParts(result, 200);
  const headers = answer.headers;
  const multi = result['multiValueHeaders'];
  if (multi !== undefined && multi !== null) {
    if (!isRecord(multi)) throw new MalformedProxyResult('multiValueHeaders is not an object');
    for (const [k, v] of Object.entries(multi)) {
      if (!Array.isArray(v)) throw new MalformedProxyResult(`multiValueHeaders.${k} is not a list`);
      headers[k] = v.map(String);
    }
  }
  return answer;
}

/** The REST API of `options`: TOKEN or REQUEST authorizer, SAM's CORS, the template's gateway responses. */
export function createRestModel(options: RestOptions): ApiModel {
  const api = options.api ?? LOCAL_REST_API;
  const router = createRouter(options.routes, { kind: 'rest' });
  const validation = new RegExp(TOKEN_VALIDATION_EXPRESSION);
  // The template's gateway responses carry these on every answer of API Gateway's own.
  const corsHeaders = { 'Access-Control-Allow-Origin': options.corsOrigin, 'Access-Control-Allow-Headers': REST_CORS.allowHeaders };
  const token = options.type === 'TOKEN';
  return {
    kind: 'rest',
    api,
    router,
    authorizerLabel: `${options.type} authorizer`,
    cacheKeyLabel: token ? 'token' : 'Authorization header',
    requestIdHeader: 'x-amzn-RequestId',
    identity(request) {
      const values = headerValues(request, 'authorization');
      const missing = values.every((v) => v.trim() === '');
      if (token) {
        const value = values.at(-1) ?? '';
        if (missing) return { kind: 'missing' };
        return validation.test(value) ? { kind: 'present', cacheKey: value } : { kind: 'refused' };
      }
      // REQUEST: API Gateway checks the identity source only when caching (it is the cache key).
      if (missing) return options.ttlSeconds > 0 ? { kind: 'missing' } : { kind: 'present', cacheKey: undefined };
      return { kind: 'present', cacheKey: values.join(',') };
    },
    authorizerEvent(request, routed) {
      return token ? tokenAuthorizerEvent(headerValue(request, 'authorization') ?? '', request, api) : requestAuthorizerEvent(request, routed, api);
    },
    checkAnswer: checkPolicyAnswer,
    verdict(answer, request) {
      const { principalId, policyDocument, context } = policyAnswerFields(answer);
      return { verdict: evaluatePolicy(policyDocument, methodArn(request.method, request.path, api)), context, principalId };
    },
    proxyEvent: (request, routed, allowed) => proxyEventV1(request, routed, allowed, api),
    proxyAnswer: proxyAnswerV1,
    response(name) {
      const [statusCode, message, errorType] = RESPONSES[name];
      const headers: Record<string, string> = { 'x-amzn-ErrorType': errorType };
      if (name === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
      return { statusCode, message, headers } satisfies GatewayResponse;
    },
    preflight(request) {
      // SAM's CORS support: a mock OPTIONS method on every resource with methods and no OPTIONS of its own.
      if (request.method !== 'OPTIONS') return undefined;
      const methods = router.methodsAt(request.path);
      if (methods.length === 0 || methods.includes('OPTIONS')) return undefined;
      return {
        statusCode: 200,
        headers: {
          'Access-Control-Allow-Origin': [options.corsOrigin],
          'Access-Control-Allow-Headers': [REST_CORS.allowHeaders],
          'Access-Control-Allow-Methods': [REST_CORS.allowMethods],
          'Access-Control-Max-Age': [REST_CORS.maxAge],
        },
        body: Buffer.alloc(0),
      };
    },
    cors(_request, answer, integration) {
      // The backend adds its own (CORS_ALLOW_ORIGIN in its environment); the gateway responses add these.
      if (integration) return answer;
      const headers = { ...answer.headers };
      for (const [k, v] of Object.entries(corsHeaders)) headers[k] = [v];
      return { ...answer, headers };
    },
  };
}
