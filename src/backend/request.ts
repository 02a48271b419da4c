// What the sample backend reads from a Lambda proxy event, the same for REST (payload 1.0) and HTTP APIs (payload 2.0).
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';

/** The authorizer context keys the backend reads (REST adds principalId itself). */
export const CONTEXT_KEYS = ['principalId', 'sub', 'username', 'clientId', 'tokenUse', 'scopes', 'groups'] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The authorizer context as received: string values, only the keys above. */
export type ReceivedContext = Partial<Record<ContextKey, string>>;

/** A REST API proxy event (payload 1.0): the authorizer context sits in `requestContext.authorizer`. */
export type RestProxyEvent = APIGatewayProxyEvent;

/** An HTTP API proxy event (payload 2.0): a Lambda authorizer's context sits in `requestContext.authorizer.lambda`. */
export type HttpProxyEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>>;

/** Either proxy event the sample APIs send. */
export type ProxyEvent = RestProxyEvent | HttpProxyEvent;

/** One request, whichever API sent it. */
export interface BackendRequest {
  /** The proxy payload version: REST sends 1.0, the sample HTTP API 2.0. */
  readonly version: '1.0' | '2.0';
  /** The HTTP method the caller used, upper-case. */
  readonly method: string;
  /** The API's route template (`/pets/{petId}`, `/admin/{proxy+}`), or `$default`; '' when unknown. */
  readonly resource: string;
  /** The path within the API (`/pets/4`), the stage left out. */
  readonly path: string;
  /** The path of the URL the caller used, the stage included when the URL has one (`/prod/pets/4`). */
  readonly urlPath: string;
  readonly pathParameters: Readonly<Record<string, string | undefined>>;
  /** The body as text (base64 decoded), or undefined when there is none. */
  readonly body: string | undefined;
  readonly context: ReceivedContext;
  readonly requestId: string | undefined;
}

/** True for a payload 2.0 event (HTTP APIs); REST proxy events carry no such version. */
export function isHttpEvent(event: ProxyEvent): event is HttpProxyEvent {
  return (event as { version?: unknown }).version === '2.0';
}

/** String context values of `raw`, only the keys the backend reads; numbers and booleans as text. */
function pickContext(raw: unknown): ReceivedContext {
  const context: ReceivedContext = {};
  if (typeof raw !== 'object' || raw === null) return context;
  for (const key of CONTEXT_KEYS) {
    const value: unknown = Object.hasOwn(raw, key) ? (raw as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string') context[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') context[key] = String(value);
  }
  return context;
}

/**
 * The context values the authorizer passed, and nothing else: REST puts them in
 * `requestContext.authorizer`, HTTP APIs (Lambda authorizer) in `requestContext.authorizer.lambda`.
 */
export function receivedContext(event: ProxyEvent): ReceivedContext {
  const authorizer: unknown = event.requestContext?.authorizer;
  if (!isHttpEvent(event)) return pickContext(authorizer);
  return typeof authorizer === 'object' && authorizer !== null && Object.hasOwn(authorizer, 'lambda')
    ? pickContext((authorizer as { lambda: unknown }).lambda)
    : {};
}

function decodeBody(body: string | null | undefined, isBase64Encoded: boolean | undefined): string | undefined {
  if (body === null || body === undefined || body === '') return undefined;
  return isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** The route key's template: `GET /pets/{petId}` → `/pets/{petId}`; `$default` stays. */
function routeTemplate(routeKey: string | undefined): string {
  if (typeof routeKey !== 'string') return '';
  const space = routeKey.indexOf(' ');
  return space < 0 ? routeKey : routeKey.slice(space + 1);
}

/** Reads either proxy event into one request. Never throws on missing fields: they come out empty. */
export function readRequest(event: ProxyEvent): BackendRequest {
  if (isHttpEvent(event)) {
    return {
      version: '2.0',
      method: String(event.requestContext?.http?.method ?? '').toUpperCase(),
      resource: routeTemplate(event.routeKey ?? event.requestContext?.routeKey),
      // The sample HTTP API serves its $default stage, whose URLs carry no stage segment.
      path: event.rawPath ?? event.requestContext?.http?.path ?? '',
      urlPath: event.rawPath ?? event.requestContext?.http?.path ?? '',
      pathParameters: event.pathParameters ?? {},
      body: decodeBody(event.body, event.isBase64Encoded),
      context: receivedContext(event),
      requestId: event.requestContext?.requestId,
    };
  }
  return {
    version: '1.0',
    method: String(event.httpMethod ?? '').toUpperCase(),
    resource: String(event.resource ?? ''),
    path: event.path ?? '',
    urlPath: event.requestContext?.path ?? event.path ?? '',
    pathParameters: event.pathParameters ?? {},
    body: decodeBody(event.body, event.isBase64Encoded),
    context: receivedContext(event),
    requestId: event.requestContext?.requestId,
  };
}
