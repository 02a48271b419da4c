// Outcomes → what API Gateway expects back, per answer kind: an IAM policy with context, a simple
// response, or the thrown errors it maps to 401 and 500.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { Caller } from './caller';
import { buildContext, type AuthorizerContext } from './context';
import type { Decision } from './decide';
import { DeploymentError } from './errors';
import type { AuthorizerRequest } from './front-doors';
import type { PolicyBuilder, PolicyMode, Unrepresentable } from './policy';

/** An HTTP API simple response (payload 2.0, simple responses enabled). */
export interface SimpleResponse {
  readonly isAuthorized: boolean;
  readonly context: AuthorizerContext;
}

export type AuthorizerResponse = APIGatewayAuthorizerResult | SimpleResponse;

/** The answer and what the decision line says about it. */
export interface Rendered {
  readonly body: AuthorizerResponse;
  /** Whether API Gateway will let the asked request through. */
  readonly allowed: boolean;
  /** Policy answers only. */
  readonly mode?: PolicyMode;
  readonly unrepresentable?: Unrepresentable;
}

/** The advice logged when a simple response cannot be cached safely. */
export const PER_PATH_ADVICE =
  'this route decides by path values (a bound route, or the $default route): add $context.path to the identity ' +
  'sources, or use IAM policy responses (SIMPLE_RESPONSES=false)';

/**
 * A simple response is cached per identity-source values and says nothing of the path: it may
 * answer only when the cache key is as fine as the decision.
 */
function simple(request: AuthorizerRequest, caller: Caller, decision: Decision): Rendered {
  const byPath = request.matchedRoute === '$default' || (decision.route?.bind.length ?? 0) > 0;
  if (byPath && request.cachedPerPath !== true) {
    throw new DeploymentError('a simple response would be reused for other paths of this route', PER_PATH_ADVICE);
  }
  return { body: { isAuthorized: decision.allowed, context: buildContext(caller) }, allowed: decision.allowed };
}

/** Renders a decision for the request's answer kind. */
export function respond(request: AuthorizerRequest, caller: Caller, decision: Decision, policies: PolicyBuilder): Rendered {
  if (request.answer === 'simple') return simple(request, caller, decision);
  const { prefix, method, path } = request.arn;
  const answer = policies.answer(decision.plan(), { prefix, asked: method + path }, decision.allowed);
  const body: APIGatewayAuthorizerResult = {
    principalId: caller.sub,
    policyDocument: answer.policyDocument,
    context: buildContext(caller),
  };
  return answer.unrepresentable === undefined
    ? { body, allowed: answer.allowed, mode: answer.mode }
    : { body, allowed: answer.allowed, mode: answer.mode, unrepresentable: answer.unrepresentable };
}

/** What API Gateway turns into a 401 (REST; HTTP APIs, see README "Outcomes"). Carries nothing of the request. */
export function unauthorized(): Error {
  return new Error('Unauthorized');
}

/** What API Gateway turns into a 500. Carries nothing of the request. */
export function fault(): Error {
  return new Error('Internal authorizer error');
}
