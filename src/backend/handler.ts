// The sample protected backend: one Lambda proxy integration for every route of the sample API.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { json, noContent, problem } from './http';
import { checkNewPet, PetStore } from './pets';

/** The authorizer context keys the backend reads (API Gateway adds principalId itself). */
const CONTEXT_KEYS = ['principalId', 'sub', 'username', 'clientId', 'tokenUse', 'scopes', 'groups'] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The authorizer context as received: string values, only the keys above. */
export type ReceivedContext = Partial<Record<ContextKey, string>>;

/** What GET /me answers: the context, read back into lists. */
export interface MeAnswer {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly tokenUse: string;
  /** `groups` parsed from its JSON array string. */
  readonly groups: string[];
  /** `scopes` split on spaces. */
  readonly scopes: string[];
  /** The context exactly as the backend received it. */
  readonly authorizerContext: ReceivedContext;
}

export type BackendHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

type Endpoint = (event: APIGatewayProxyEvent, context: ReceivedContext) => APIGatewayProxyResult;

/** The context values the authorizer passed, via `requestContext.authorizer`; nothing else. */
export function receivedContext(event: APIGatewayProxyEvent): ReceivedContext {
  const raw: unknown = event.requestContext?.authorizer;
  const context: ReceivedContext = {};
  if (typeof raw !== 'object' || raw === null) return context;
  for (const key of CONTEXT_KEYS) {
    const value: unknown = Object.hasOwn(raw, key) ? (raw as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string') context[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') context[key] = String(value);
  }
  return context;
}

/** `groups` is a JSON array string; anything else (or a malformed one) means no groups. */
function parseGroups(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

function parseBody(event: APIGatewayProxyEvent): Parsed {
  if (event.body === null || event.body === undefined || event.body === '') {
    return { ok: false, message: 'a JSON body is required, like {"name": "Rex", "type": "dog"}' };
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'the body is not valid JSON' };
  }
}

/** Creates the backend with its own pet store (fresh per call, so tests do not share state). */
export function createBackend(store: PetStore = new PetStore()): BackendHandler {
  const petId = (event: APIGatewayProxyEvent): string => event.pathParameters?.['petId'] ?? '';
  const notFound = (id: string) => problem(404, `pet ${JSON.stringify(id)} not found`);

  const routes: Record<string, Endpoint> = {
    'GET /pets': () => json(200, { pets: store.list() }),

    'POST /pets': (event, context) => {
      const body = parseBody(event);
      if (!body.ok) return problem(400, body.message);
      const checked = checkNewPet(body.value);
      if (!checked.ok) return problem(400, checked.message);
      const pet = store.add(checked.value, context.sub);
      if (pet === undefined) return problem(409, `the pet store is full (${store.size} pets); delete some first`);
      const base = (event.requestContext?.path ?? event.path ?? '/pets').replace(/\/+$/, '');
      return json(201, pet, { location: `${base}/${encodeURIComponent(pet.id)}` });
    },

    'GET /pets/{petId}': (event) => {
      const pet = store.get(petId(event));
      return pet === undefined ? notFound(petId(event)) : json(200, pet);
    },

    'DELETE /pets/{petId}': (event) => (store.remove(petId(event)) ? noContent() : notFound(petId(event))),

    'GET /me': (_event, context) => {
      // Behind the API the authorizer always passes a sub; without one this backend was reached
      // some other way, and it says nothing about anyone.
      if (!context.sub) return problem(401, 'Unauthorized');
      const me: MeAnswer = {
        sub: context.sub,
        username: context.username ?? '',
        clientId: context.clientId ?? '',
        tokenUse: context.tokenUse ?? '',
        groups: parseGroups(context.groups),
        scopes: (context.scopes ?? '').split(' ').filter((s) => s !== ''),
        authorizerContext: context,
      };
      return json(200, me);
    },

    'ANY /admin/{proxy+}': (event, context) => {
      const proxy = event.pathParameters?.['proxy'] ?? '';
      return json(200, {
        area: 'admin',
        method: event.httpMethod,
        path: `/admin/${proxy}`,
        caller: context.username || context.sub || '',
        message: `admin ${event.httpMethod} /admin/${proxy} accepted`,
      });
    },
  };

  function route(event: APIGatewayProxyEvent): APIGatewayProxyResult {
    const method = String(event.httpMethod ?? '').toUpperCase();
    const resource = String(event.resource ?? '');
    const endpoint = routes[`${method} ${resource}`] ?? routes[`ANY ${resource}`];
    if (endpoint === undefined) return problem(404, `no route for ${method} ${event.path ?? resource}`);
    return endpoint(event, receivedContext(event));
  }

  return (event) => {
    let result: APIGatewayProxyResult;
    try {
      result = route(event);
    } catch (err) {
      // Name and message only: never the event (it holds the caller's headers).
      const error = err instanceof Error ? { name: err.name, message: err.message } : { name: typeof err };
      console.error(JSON.stringify({ level: 'ERROR', message: 'backend failed', error }));
      result = problem(500, 'Internal server error');
    }
    console.log(
      JSON.stringify({
        level: 'INFO',
        message: 'request',
        method: event.httpMethod,
        resource: event.resource,
        status: result.statusCode,
        requestId: event.requestContext?.requestId,
        principalId: receivedContext(event).principalId,
      }),
    );
    return Promise.resolve(result);
  };
}

/** The Lambda entry point (Handler `handler.handler` in template.yaml). */
export const handler: BackendHandler = createBackend();
