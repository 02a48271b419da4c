// The sample protected backend: one Lambda proxy integration for every route of the sample REST and HTTP APIs.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json, noContent, problem } from './http';
import { checkNewPet, PetStore } from './pets';
import { readRequest, type BackendRequest, type ProxyEvent, type ReceivedContext } from './request';

export { receivedContext, type ReceivedContext, type ProxyEvent, type HttpProxyEvent, type RestProxyEvent } from './request';

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

/** The Lambda handler: a proxy event of either payload version in, a proxy result out (valid for both). */
export type BackendHandler = (event: ProxyEvent) => Promise<APIGatewayProxyResult>;

type Endpoint = (request: BackendRequest) => APIGatewayProxyResult;

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

function parseBody(request: BackendRequest): Parsed {
  if (request.body === undefined) {
    return { ok: false, message: 'a JSON body is required, like {"name": "Rex", "type": "dog"}' };
  }
  try {
    return { ok: true, value: JSON.parse(request.body) as unknown };
  } catch {
    return { ok: false, message: 'the body is not valid JSON' };
  }
}

/** Creates the backend with its own pet store (fresh per call, so tests do not share state). */
export function createBackend(store: PetStore = new PetStore()): BackendHandler {
  const petId = (request: BackendRequest): string => request.pathParameters['petId'] ?? '';
  const notFound = (id: string) => problem(404, `pet ${JSON.stringify(id)} not found`);

  /** The one endpoint table, keyed `METHOD /route` as both APIs name their routes. */
  const routes: Record<string, Endpoint> = {
    'GET /pets': () => json(200, { pets: store.list() }),

    'POST /pets': (request) => {
      const body = parseBody(request);
      if (!body.ok) return problem(400, body.message);
      const checked = checkNewPet(body.value);
      if (!checked.ok) return problem(400, checked.message);
      const pet = store.add(checked.value, request.context.sub);
      if (pet === undefined) return problem(409, `the pet store is full (${store.size} pets); delete some first`);
      const base = (request.urlPath || '/pets').replace(/\/+$/, '');
      return json(201, pet, { location: `${base}/${encodeURIComponent(pet.id)}` });
    },

    'GET /pets/{petId}': (request) => {
      const pet = store.get(petId(request));
      return pet === undefined ? notFound(petId(request)) : json(200, pet);
    },

    'DELETE /pets/{petId}': (request) => (store.remove(petId(request)) ? noContent() : notFound(petId(request))),

    // The authorizer lets a caller here only when {userId} is their own sub (rules: bind userId to sub).
    'GET /users/{userId}/pets': ({ pathParameters }) => json(200, { pets: store.ownedBy(pathParameters['userId'] ?? '') }),

    // The authorizer lets a caller here only when {tenantId} is their custom:tenant_id claim.
    'GET /tenants/{tenantId}/pets': ({ pathParameters }) => json(200, { pets: store.ofTenant(pathParameters['tenantId'] ?? '') }),

    'GET /me': ({ context }) => {
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

    'ANY /admin/{proxy+}': ({ method, pathParameters, context }) => {
      const proxy = pathParameters['proxy'] ?? '';
      return json(200, {
        area: 'admin',
        method,
        path: `/admin/${proxy}`,
        caller: context.username || context.sub || '',
        message: `admin ${method} /admin/${proxy} accepted`,
      });
    },

    // The HTTP API's credential-free route for browser preflights under the ANY route above:
    // API Gateway adds the CORS headers to this answer (the REST API answers preflights itself).
    'OPTIONS /admin/{proxy+}': () => noContent(),
  };

  function route(request: BackendRequest): APIGatewayProxyResult {
    const endpoint = routes[`${request.method} ${request.resource}`] ?? routes[`ANY ${request.resource}`];
    if (endpoint === undefined) return problem(404, `no route for ${request.method} ${request.path || request.resource}`);
    return endpoint(request);
  }

  return (event) => {
    let result: APIGatewayProxyResult;
    let request: BackendRequest | undefined;
    try {
      request = readRequest(event);
      result = route(request);
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
        method: request?.method,
        resource: request?.resource,
        status: result.statusCode,
        requestId: request?.requestId,
        principalId: request?.context.principalId ?? request?.context.sub,
      }),
    );
    return Promise.resolve(result);
  };
}

/** The Lambda entry point (Handler `handler.handler` in template.yaml). */
export const handler: BackendHandler = createBackend();
