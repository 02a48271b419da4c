// API Gateway authorizer events as API Gateway builds them, for any method, path, API and stage.
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

export const API = { region: 'us-east-1', account: '123456789012', apiId: 'a1b2c3d4e5', stage: 'prod' } as const;

export interface Target {
  region?: string;
  account?: string;
  apiId?: string;
  stage?: string;
}

/** The methodArn API Gateway sends for `method path` on an API and stage. */
export function methodArn(method: string, path: string, target: Target = {}): string {
  const t = { ...API, ...target };
  return `arn:aws:execute-api:${t.region}:${t.account}:${t.apiId}/${t.stage}/${method}${path}`;
}

export function tokenEvent(authorizationToken: string | undefined, method: string, path: string, target: Target = {}): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: authorizationToken as string, methodArn: methodArn(method, path, target) };
}

export function requestEvent(
  authorization: string | undefined,
  method: string,
  path: string,
  options: { resource?: string; headerName?: string; target?: Target } = {},
): APIGatewayRequestAuthorizerEvent {
  const target = { ...API, ...options.target };
  const headers: Record<string, string> = {
    accept: 'application/json',
    Host: `${target.apiId}.execute-api.${target.region}.amazonaws.com`,
    'User-Agent': 'curl/8.5.0',
    'X-Forwarded-For': '203.0.113.10',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
  if (authorization !== undefined) headers[options.headerName ?? 'Authorization'] = authorization;
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    type: 'REQUEST',
    methodArn: methodArn(method, path, target),
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    pathParameters: {},
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: {
      accountId: target.account,
      apiId: target.apiId,
      httpMethod: method,
      identity: { sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
      path: `/${target.stage}${path}`,
      stage: target.stage,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      resourceId: 'abc123',
      resourcePath: options.resource ?? path,
    },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

export interface HttpEventOptions {
  /** The matched route key (default: `METHOD path`, i.e. a route without parameters); `$default` allowed. */
  readonly routeKey?: string;
  /** Identity sources as resolved values; default: the Authorization value alone. */
  readonly identitySource?: readonly string[] | null;
  readonly target?: Target;
}

/** An HTTP API payload 2.0 authorizer event, shaped like a real capture (stage `$default` unless given). */
export function httpEvent(authorization: string | undefined, method: string, path: string, options: HttpEventOptions = {}): Record<string, unknown> {
  const target = { ...API, stage: '$default', ...options.target };
  const rawPath = target.stage === '$default' ? path : `/${target.stage}${path}`;
  const headers: Record<string, string> = {
    accept: '*/*',
    'content-length': '0',
    host: `${target.apiId}.execute-api.${target.region}.amazonaws.com`,
    'user-agent': 'HTTPie/3.2.2',
    'x-amzn-trace-id': 'Root=1-66705bc7-2b4257df30cbee696ef2cf28',
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (authorization !== undefined) headers['authorization'] = authorization;
  const routeKey = options.routeKey ?? `${method} ${path}`;
  const identitySource = options.identitySource === undefined ? (authorization === undefined ? [] : [authorization]) : options.identitySource;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: methodArn(method, path, target),
    identitySource,
    routeKey,
    rawPath,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: target.account,
      apiId: target.apiId,
      domainName: `${target.apiId}.execute-api.${target.region}.amazonaws.com`,
      domainPrefix: target.apiId,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'HTTPie/3.2.2' },
      requestId: 'ZhNHJhhLjoEEPiw=',
      routeKey,
      stage: target.stage,
      time: '17/Jun/2024:15:52:39 +0000',
      timeEpoch: 1718639559080,
    },
  };
}

/** An HTTP API payload 1.0 authorizer event (REST REQUEST shape plus `version`, `identitySource` as one string). */
export function http1Event(authorization: string | undefined, method: string, path: string, target: Target = {}): Record<string, unknown> {
  const event = requestEvent(authorization, method, path, { target: { stage: '$default', ...target } }) as unknown as Record<string, unknown>;
  return { version: '1.0', ...event, identitySource: authorization ?? '', authorizationToken: authorization ?? '' };
}
