// Stage 1, route: a CORS preflight the gateway answers itself, or the route the request reaches, or API Gateway's "no route" answer.
import { routedPath, type Routed } from '../../../tests/helpers/oracle';
import type { ApiModel, GatewayResponseName, HttpAnswer } from './model';
import type { IncomingRequest } from './request';

export type RouteStep =
  | { readonly kind: 'answered'; readonly answer: HttpAnswer; readonly decision: string }
  | { readonly kind: 'refused'; readonly response: GatewayResponseName; readonly decision: string }
  | { readonly kind: 'routed'; readonly routed: Routed };

/** Where API Gateway sends `request`, before any authorizer runs. */
export function routeStage(model: ApiModel, request: IncomingRequest): RouteStep {
  const preflight = model.preflight(request);
  if (preflight !== undefined) return { kind: 'answered', answer: preflight, decision: 'cors preflight' };
  const routed = model.router.resolve(request.method, routedPath(request.path, model.kind));
  return routed === undefined ? { kind: 'refused', response: 'noRoute', decision: 'no-route' } : { kind: 'routed', routed };
}
