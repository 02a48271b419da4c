// What API Gateway makes of one authorizer invocation: Allow, Deny (403), Unauthorized (401) or a fault (500).
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { AuthorizerHandler } from '../../src/authorizer';
import { evaluate } from './oracle';
import { policyOf } from './policy';

export type Outcome =
  | { readonly kind: 'allow' | 'deny'; readonly result: APIGatewayAuthorizerResult }
  | { readonly kind: 'unauthorized'; readonly error: Error }
  | { readonly kind: 'fault'; readonly error: Error };

/**
 * Runs the handler and sorts the answer as API Gateway would: a thrown `Unauthorized` is a 401,
 * any other throw a 500; a policy is an Allow only when it allows the event's own methodArn (or routeArn).
 */
export async function outcomeOf(handler: AuthorizerHandler, event: unknown): Promise<Outcome> {
  try {
    const result = policyOf(await handler(event));
    // The ARN API Gateway evaluates the policy against: methodArn (REST, HTTP 1.0) or routeArn (HTTP 2.0).
    const arn = askedArn(event);
    return { kind: arn !== undefined && evaluate(result, arn) === 'Allow' ? 'allow' : 'deny', result };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return error.message === 'Unauthorized' ? { kind: 'unauthorized', error } : { kind: 'fault', error };
  }
}

/** The ARN API Gateway evaluates an IAM policy answer against: methodArn (REST, HTTP 1.0) or routeArn (HTTP 2.0). */
function askedArn(event: unknown): string | undefined {
  const e = event as { methodArn?: unknown; routeArn?: unknown } | null;
  const arn = e?.methodArn ?? e?.routeArn;
  return typeof arn === 'string' ? arn : undefined;
}

/**
 * One word for what API Gateway does with the handler's answer to `event`, either answer kind: `allow` or
 * `deny` (a policy evaluated against the event's own ARN, or a simple response's isAuthorized),
 * `unauthorized` (401) or `fault: <message>` (500).
 */
export async function decisionOf(handler: AuthorizerHandler, event: unknown): Promise<string> {
  try {
    const answer = await handler(event);
    if ('isAuthorized' in answer) return answer.isAuthorized ? 'allow' : 'deny';
    const arn = askedArn(event);
    return arn !== undefined && evaluate(answer, arn) === 'Allow' ? 'allow' : 'deny';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return message === 'Unauthorized' ? 'unauthorized' : `fault: ${message}`;
  }
}
