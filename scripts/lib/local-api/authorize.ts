// Stage 2, authorize: the identity source checked, the authorizer's answer taken from the cache or from the authorizer,
// and applied to this request as API Gateway applies it.
import type { Routed } from '../../../tests/helpers/oracle';
import type { ResultCache } from './cache';
import { LambdaTimeout } from './lambda';
import type { Allowed, ApiModel, GatewayResponseName } from './model';
import type { IncomingRequest } from './request';

/** Invokes the authorizer function with an event (its Lambda context is the caller's business). */
export type InvokeAuthorizer = (event: unknown) => Promise<unknown>;

export interface AuthorizeDeps {
  /** Checked answers by cache key. */
  readonly cache: ResultCache<unknown>;
  readonly invokeAuthorizer: InvokeAuthorizer;
}

export type AuthorizeStep =
  | { readonly kind: 'allowed'; readonly allowed: Allowed; readonly cached: boolean }
  | {
      readonly kind: 'refused';
      readonly response: GatewayResponseName;
      readonly decision: string;
      /** What went wrong, for the operator (never a token or an event). */
      readonly problem?: string;
    };

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : 'a non-Error');

/** Whether API Gateway lets `request` through to the integration, and with which context. */
export async function authorizeStage(model: ApiModel, request: IncomingRequest, routed: Routed, deps: AuthorizeDeps): Promise<AuthorizeStep> {
  const identity = model.identity(request, routed);
  if (identity.kind === 'missing') return { kind: 'refused', response: 'unauthorized', decision: 'unauthorized (no identity source)' };
  if (identity.kind === 'refused') return { kind: 'refused', response: 'unauthorized', decision: 'unauthorized (identity validation expression)' };

  let answer = identity.cacheKey === undefined ? undefined : deps.cache.get(identity.cacheKey);
  const cached = answer !== undefined;
  let integrationLatency = 0;
  if (answer === undefined) {
    const started = performance.now();
    try {
      answer = await deps.invokeAuthorizer(model.authorizerEvent(request, routed));
    } catch (err) {
      if (err instanceof Error && err.message === 'Unauthorized' && !(err instanceof LambdaTimeout)) {
        return { kind: 'refused', response: 'unauthorized', decision: 'unauthorized' };
      }
      return { kind: 'refused', response: 'authorizerFailure', decision: 'authorizer error', problem: `the authorizer failed (${errorText(err)})` };
    }
    integrationLatency = Math.round(performance.now() - started);
    const problem = model.checkAnswer(answer);
    if (problem !== undefined) {
      return { kind: 'refused', response: 'authorizerFailure', decision: 'authorizer error', problem: `API Gateway would reject the authorizer's answer: ${problem}` };
    }
    if (identity.cacheKey !== undefined) deps.cache.set(identity.cacheKey, answer);
  }
  const { verdict, context, principalId } = model.verdict(answer, request);
  const tag = cached ? ' (cached)' : '';
  if (verdict === 'explicit-deny') return { kind: 'refused', response: 'explicitDeny', decision: `deny${tag}` };
  if (verdict === 'implicit-deny') return { kind: 'refused', response: 'implicitDeny', decision: cached ? 'deny (implicit, cached)' : 'deny (implicit)' };
  return { kind: 'allowed', allowed: { context, principalId, integrationLatency }, cached };
}
