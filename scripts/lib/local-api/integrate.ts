// Stage 3, integrate: the backend invoked with the proxy event, its result turned into the answer API Gateway writes.
import type { Routed } from '../../../tests/helpers/oracle';
import { LambdaTimeout } from './lambda';
import type { Allowed, ApiModel, GatewayResponseName, HttpAnswer } from './model';
import type { IncomingRequest } from './request';

/** Invokes the backend function with a proxy event. */
export type InvokeBackend = (event: unknown) => Promise<unknown>;

export type IntegrateStep =
  | { readonly kind: 'answered'; readonly answer: HttpAnswer }
  | { readonly kind: 'refused'; readonly response: GatewayResponseName; readonly problem: string };

/** The backend's answer to an allowed request, or API Gateway's when the backend fails or answers nonsense. */
export async function integrateStage(
  model: ApiModel,
  request: IncomingRequest,
  routed: Routed,
  allowed: Allowed,
  invokeBackend: InvokeBackend,
): Promise<IntegrateStep> {
  try {
    return { kind: 'answered', answer: model.proxyAnswer(await invokeBackend(model.proxyEvent(request, routed, allowed))) };
  } catch (err) {
    const timeout = err instanceof LambdaTimeout;
    const why = err instanceof Error ? `${err.name}: ${err.message}` : 'a non-Error';
    return { kind: 'refused', response: timeout ? 'integrationTimeout' : 'integrationFailure', problem: `the backend failed (${why})` };
  }
}
