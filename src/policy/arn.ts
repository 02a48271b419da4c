// methodArn parsing: the API, stage, method and concrete path API Gateway asks about.
import { EventError } from '../errors';
import { HTTP_METHODS, type HttpMethod } from '../rules/route';

/** A parsed `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`. */
export interface MethodArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  readonly stage: string;
  readonly method: HttpMethod;
  /** The concrete request path, starting with `/` (the root is `/`). */
  readonly path: string;
  /** Everything before the method: `arn:…:<apiId>/<stage>/`; every policy resource starts with it. */
  readonly prefix: string;
}

/** API Gateway sends methodArns up to 1,600 bytes. */
export const MAX_METHOD_ARN_LENGTH = 1600;
const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
const HEAD = /^arn:(aws(?:-[a-z]+)*):execute-api:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):([a-z0-9]{1,64})\/([A-Za-z0-9_-]{1,128})\/([A-Z]+)(\/.*)?$/s;

/**
 * Parses a methodArn. Throws EventError for anything API Gateway would not send for a real
 * request: wrong shape, wildcards in the API, stage or method, or an over-long ARN.
 */
export function parseMethodArn(methodArn: unknown): MethodArn {
  if (typeof methodArn !== 'string' || methodArn === '') throw new EventError('event has no methodArn');
  if (methodArn.length > MAX_METHOD_ARN_LENGTH) {
    throw new EventError(`methodArn is longer than ${MAX_METHOD_ARN_LENGTH} characters`);
  }
  const m = HEAD.exec(methodArn);
  if (m === null) {
    throw new EventError('methodArn is not arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>');
  }
  const method = m[6] as string;
  if (!METHODS.has(method)) throw new EventError(`methodArn has an unknown HTTP method "${method.slice(0, 16)}"`);
  const path = m[7] ?? '/';
  return {
    partition: m[1] as string,
    region: m[2] as string,
    account: m[3] as string,
    apiId: m[4] as string,
    stage: m[5] as string,
    method: method as HttpMethod,
    path,
    prefix: `arn:${m[1]}:execute-api:${m[2]}:${m[3]}:${m[4]}/${m[5]}/`,
  };
}
