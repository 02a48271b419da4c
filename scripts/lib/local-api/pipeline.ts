// One request through API Gateway's stages: route, authorize (with the cache), integrate, respond.
import type { AuthorizeDeps } from './authorize';
import { authorizeStage } from './authorize';
import type { InvokeBackend } from './integrate';
import { integrateStage } from './integrate';
import type { ApiModel, HttpAnswer } from './model';
import type { IncomingRequest } from './request';
import { finish, gatewayAnswer, withRequestId } from './respond';
import { routeStage } from './route';

export interface PipelineDeps extends AuthorizeDeps {
  readonly invokeBackend: InvokeBackend;
}

/** The answer to one request, the decision for the access log, and what went wrong for the operator. */
export interface Outcome {
  readonly answer: HttpAnswer;
  readonly decision: string;
  readonly problem?: string;
}

/** Runs `request` through the stages of `model`. */
export async function handleRequest(model: ApiModel, request: IncomingRequest, deps: PipelineDeps): Promise<Outcome> {
  const route = routeStage(model, request);
  if (route.kind === 'answered') return { answer: withRequestId(model, request, route.answer), decision: route.decision };
  if (route.kind === 'refused') return { answer: gatewayAnswer(model, request, route.response), decision: route.decision };

  const auth = await authorizeStage(model, request, route.routed, deps);
  if (auth.kind === 'refused') {
    return { answer: gatewayAnswer(model, request, auth.response), decision: auth.decision, ...(auth.problem === undefined ? {} : { problem: auth.problem }) };
  }

  const decision = auth.cached ? 'allow (cached)' : 'allow';
  const integrated = await integrateStage(model, request, route.routed, auth.allowed, deps.invokeBackend);
  if (integrated.kind === 'refused') {
    return { answer: gatewayAnswer(model, request, integrated.response), decision: `${decision}, backend error`, problem: integrated.problem };
  }
  return { answer: finish(model, request, integrated.answer, true), decision };
}
