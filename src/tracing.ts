// Powertools Tracer, loaded only when tracing is on: X-Ray's SDK costs cold start and is useless otherwise.
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type * as TracerModule from '@aws-lambda-powertools/tracer';

type Subsegment = ReturnType<NonNullable<ReturnType<Tracer['getSegment']>>['addNewSubsegment']>;

/** The little of tracing the handler uses; a no-op when tracing is off. */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` in a subsegment named `name` (under the current one); off, just calls it (no extra promise). */
  span<T>(name: string, fn: () => Promise<T> | T): Promise<T> | T;
  /** Opens the handler's subsegment; returns a function that closes it. */
  begin(): () => void;
  annotate(key: string, value: string | number | boolean): void;
  error(err: Error): void;
}

/** True when traces would go anywhere: in Lambda (not SAM local) unless POWERTOOLS_TRACE_ENABLED=false. */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  return (
    env['POWERTOOLS_TRACE_ENABLED']?.toLowerCase() !== 'false' &&
    env['AWS_LAMBDA_FUNCTION_NAME'] !== undefined &&
    env['AWS_SAM_LOCAL'] !== 'true'
  );
}

const OFF: Tracing = {
  enabled: false,
  span: (_name, fn) => fn(),
  begin: () => () => undefined,
  annotate: () => undefined,
  error: () => undefined,
};

/** Creates tracing for the environment; loads Powertools Tracer only when it will be used. */
export function createTracing(env: NodeJS.ProcessEnv, serviceName: string): Tracing {
  if (!tracingWanted(env)) return OFF;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose: see file comment
  const { Tracer: TracerClass } = require('@aws-lambda-powertools/tracer') as typeof TracerModule;
  const tracer = new TracerClass({ serviceName, captureHTTPsRequests: true });
  if (!tracer.isTracingEnabled()) return OFF;
  const open = (name: string): [Subsegment | undefined, ReturnType<Tracer['getSegment']>] => {
    const parent = tracer.getSegment();
    const sub = parent?.addNewSubsegment(name);
    if (sub !== undefined) tracer.setSegment(sub);
    return [sub, parent];
  };
  const close = (sub: Subsegment | undefined, parent: ReturnType<Tracer['getSegment']>): void => {
    sub?.close();
    if (parent !== undefined) tracer.setSegment(parent);
  };
  return {
    enabled: true,
    async span(name, fn) {
      const [sub, parent] = open(name);
      try {
        return await fn();
      } finally {
        close(sub, parent);
      }
    },
    begin() {
      const [sub, parent] = open(`## ${env['_HANDLER'] ?? 'handler'}`);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      return () => close(sub, parent);
    },
    annotate: (key, value) => tracer.putAnnotation(key, value),
    error: (err) => tracer.addErrorAsMetadata(err),
  };
}
