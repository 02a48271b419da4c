// The request as every step after the front door sees it, whatever event shape it came in.
import type { ResourceArn } from '../policy/arn';

/** Which kind of API sent the event; also its routing model. */
export type ApiKind = 'rest' | 'http';
/** The event shapes the authorizer accepts, one front door each. */
export type DoorName = 'rest-token' | 'rest-request' | 'http-2.0' | 'http-1.0';
/** How the answer is shaped: an IAM policy, or an HTTP API simple response. */
export type AnswerKind = 'policy' | 'simple';

/** One normalised authorizer request. */
export interface AuthorizerRequest {
  readonly door: DoorName;
  readonly api: ApiKind;
  readonly answer: AnswerKind;
  /** The credential as sent (one header value or the TOKEN field), for credentials.parseCredential. */
  readonly credential: unknown;
  /** The asked request: API, stage, method, concrete path. */
  readonly arn: ResourceArn;
  /** HTTP 2.0: the route API Gateway matched, as `METHOD shape` (`GET /pets/{}`), or `$default`. */
  readonly matchedRoute?: string;
  /**
   * Simple responses only: whether API Gateway caches the answer per request path (an identity
   * source equals the path), so an answer may depend on path values and not only on the route.
   */
  readonly cachedPerPath?: boolean;
}
