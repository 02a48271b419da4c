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
