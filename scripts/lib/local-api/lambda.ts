// Invoking a Lambda handler in this process as the runtime would: a context object, async or callback style, a timeout.
import type { Context } from 'aws-lambda';

/** The handler took longer than its function's timeout. */
export class LambdaTimeout extends Error {
  override readonly name = 'LambdaTimeout';
}

/** A Lambda handler of either style (returns a promise, or calls back). */
export type LambdaHandler = (event: unknown, context: Context, callback: (err?: unknown, value?: unknown) => void) => unknown;

/** Where the local functions pretend to run. */
export interface FunctionHome {
  readonly region: string;
  readonly account: string;
}

/** The context object Lambda passes, for `functionName` with `timeoutMs` left. */
export function lambdaContext(functionName: string, awsRequestId: string, timeoutMs: number, home: FunctionHome): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('the legacy done/fail/succeed callbacks are not supported locally');
  };
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${home.region}:${home.account}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Invokes `fn` (async or callback style); rejects with LambdaTimeout after `timeoutMs`. */
export function invoke(fn: LambdaHandler, event: unknown, context: Context, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const run = new Promise<unknown>((resolve, reject) => {
    const returned = fn(event, context, (err, value) => {
      // Lambda's callback: an error first (any value, as the runtime takes it), else the result.
      if (err !== undefined && err !== null) reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err)));
      else resolve(value);
    });
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(resolve, reject);
    }
  });
  const expire = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeout(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([run, expire]).finally(() => clearTimeout(timer));
}
