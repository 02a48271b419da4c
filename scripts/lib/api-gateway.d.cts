// Types for api-gateway.cjs, so the TypeScript tests that exercise it are type-checked.

export declare const HTTP_METHODS: readonly ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

export interface Api {
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  readonly stage: string;
}
export declare const LOCAL_API: Api;
export declare const TOKEN_VALIDATION_EXPRESSION: string;
export declare const CORS: { readonly allowHeaders: string; readonly allowMethods: string; readonly maxAge: string };

export interface GatewayResponse {
  readonly statusCode: number;
  readonly errorType: string;
  readonly message: string | null;
}
export declare const GATEWAY_RESPONSES: {
  readonly missingAuthenticationToken: GatewayResponse;
  readonly unauthorized: GatewayResponse;
  readonly explicitDeny: GatewayResponse;
  readonly implicitDeny: GatewayResponse;
  readonly authorizerFailure: GatewayResponse;
  readonly integrationFailure: GatewayResponse;
  readonly integrationTimeout: GatewayResponse;
  readonly requestTooLarge: GatewayResponse;
};

export interface Routed {
  /** The rule's route text, e.g. `GET /pets/{petId}`. */
  readonly route: string;
  /** The resource path template, e.g. `/pets/{petId}`. */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
}
export interface Router {
  readonly routes: readonly string[];
  resolve(method: string, path: string): Routed | undefined;
  preflight(path: string): boolean;
}
export declare function createRouter(doc: unknown): Router;

export declare function methodArn(method: string, path: string, api?: Api): string;
export declare function iamMatch(pattern: string, text: string): boolean;

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}
export type Verdict = 'allow' | 'explicit-deny' | 'implicit-deny';
export declare function evaluatePolicy(policyDocument: { readonly Statement: readonly PolicyStatement[] }, arn: string): Verdict;
export declare function checkAuthorizerResult(result: unknown): string | undefined;

export interface ResultCache<T> {
  readonly size: number;
  get(key: string, now?: number): T | undefined;
  set(key: string, result: T, now?: number): void;
}
export declare function createResultCache<T = unknown>(ttlSeconds: number, maxEntries?: number): ResultCache<T>;

export interface RequestInput {
  method: string;
  path: string;
  query?: string;
  rawHeaders?: readonly string[];
  body?: string;
  sourceIp?: string;
  requestId: string;
  now?: number;
}
export interface DescribedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly body: string | null;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly now: number;
}
export declare function describeRequest(input: RequestInput): DescribedRequest;
export declare function headerValue(request: DescribedRequest, name: string): string | undefined;

export interface TokenAuthorizerEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken: string;
  readonly methodArn: string;
}
export declare function tokenAuthorizerEvent(authorizationToken: string, request: DescribedRequest, api?: Api): TokenAuthorizerEvent;
export declare function requestAuthorizerEvent(request: DescribedRequest, routed: Routed, api?: Api): Record<string, unknown> & {
  readonly type: 'REQUEST';
  readonly methodArn: string;
  readonly requestContext: Record<string, unknown>;
};

export interface AuthorizerAnswer {
  readonly principalId: string;
  readonly context?: Record<string, string | number | boolean> | null;
  readonly integrationLatency?: number;
}
export interface ProxyEvent {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: Record<string, string> | null;
  readonly stageVariables: null;
  readonly requestContext: Record<string, unknown> & { readonly authorizer: Record<string, string | number> };
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}
export declare function proxyEvent(request: DescribedRequest, routed: Routed, authorizer: AuthorizerAnswer, api?: Api): ProxyEvent;

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}
export declare function proxyResponse(result: unknown): HttpAnswer;
