// execute-api ARNs (a REST methodArn, an HTTP API routeArn): the API, stage, method and the
// concrete path API Gateway asks about.
import { EventError } from '../errors';
import { HTTP_METHODS, type HttpMethod } from '../rules/route';

/** A parsed `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`. */
export interface ResourceArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  /** The stage name; `$default` on HTTP APIs' default stage. */
  readonly stage: string;
  readonly method: HttpMethod;
  /** The concrete request path, starting with `/` (the root is `/`). */
  readonly path: string;
  /** Everything before the method: `arn:…:<apiId>/<stage>/`; every policy resource starts with it. */
  readonly prefix: string;
}

/** API Gateway sends methodArns up to 1,600 bytes. */
export const MAX_ARN_LENGTH = 1600;
const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
// Regions as user pool ids have them (us-east-1, us-gov-west-1, eusc-de-east-1); any aws partition
// (aws, aws-cn, aws-us-gov, aws-eusc); stage names of REST and HTTP APIs, and `$default`.
const ARN =
  /^arn:(aws(?:-[a-z]+)*):execute-api:((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d+):(\d{12}):([a-z0-9]{1,64})\/(\$default|[A-Za-z0-9_-]{1,128})\/([A-Z]+)(\/.*)?$/s;

/**
 * Parses a methodArn or routeArn (`field` names it in errors). Throws EventError for anything API
 * Gateway would not send for a real request: wrong shape, wildcards in the API, stage or method,
 * or an over-long ARN.
 */
export function parseResourceArn(text: unknown, field = 'methodArn'): ResourceArn {
  if (typeof text !== 'string' || text === '') throw new EventError(`event has no ${field}`);
  if (text.length > MAX_ARN_LENGTH) throw new EventError(`${field} is longer than ${MAX_ARN_LENGTH} characters`);
  const m = ARN.exec(text);
  if (m === null) {
    throw new EventError(`${field} is not arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`);
  }
  const method = m[6] as string;
  if (!METHODS.has(method)) throw new EventError(`${field} has an unknown HTTP method "${method.slice(0, 16)}"`);
  return {
    partition: m[1] as string,
    region: m[2] as string,
    account: m[3] as string,
    apiId: m[4] as string,
    stage: m[5] as string,
    method: method as HttpMethod,
    path: m[7] ?? '/',
    prefix: `arn:${m[1]}:execute-api:${m[2]}:${m[3]}:${m[4]}/${m[5]}/`,
  };
}
