// An API as `check` compares it with the rules: its kind (REST or HTTP: the routing model) and its
// routes, each with the authorizer that protects it, whatever file they were read from.
import type { RoutingModel } from '../rules';
import type { RouteMethod } from '../rules/route';

/** Who guards a route: a Lambda authorizer (this one, presumably), another kind of authorizer, or nobody. */
export type Protection =
  | { readonly kind: 'lambda'; readonly authorizer: string }
  | { readonly kind: 'other'; readonly authorizer: string; readonly type: string }
  | { readonly kind: 'none'; readonly why: string };

/** One route of the API. */
export interface ApiRoute {
  /** `ANY` or an HTTP method. */
  readonly method: RouteMethod;
  /** The path as the API writes it (`/pets/{petId}`); `$default` for an HTTP API's default route. */
  readonly path: string;
  readonly protection: Protection;
  /** Where it was read: `paths./pets.get`, `Resources.BackendFunction.Events.ListPets`. */
  readonly where: string;
  /** An HTTP API's `$default` route: requests no other route matches. */
  readonly isDefault?: boolean;
}

/** One API read from an export or a template. */
export interface ApiDefinition {
  /** For messages: the API's logical id or title. */
  readonly name: string;
  readonly kind: RoutingModel;
  /** Why this kind (the markers seen), or that `--api` said so. */
  readonly kindEvidence: string;
  readonly routes: readonly ApiRoute[];
  /** What the reader noticed that is worth saying (CORS handled by the API, a definition not read …). */
  readonly notes: readonly string[];
}

/** The HTTP methods an OpenAPI path item may hold, with API Gateway's ANY extension. */
export const OPERATION_KEYS: Readonly<Record<string, RouteMethod>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** `METHOD /path` of an API route (`$default` for the default route). */
export function apiRouteText(route: ApiRoute): string {
  return route.isDefault === true ? '$default' : `${route.method} ${route.path}`;
}
