// The decision line (one per request): Powertools Logger's JSON shape and destination, without its per-line machinery.
import type { Context } from 'aws-lambda';
import { LogLevelThreshold, type Logger } from '@aws-lambda-powertools/logger';

/** The decision's own fields; null, undefined and '' values are left out, as Powertools does. */
export type DecisionFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * Writes one INFO line with message `decision`. `context` and `coldStart` are the invocation's,
 * as given to `logger.addContext` (called on every invocation, so Powertools' cold_start is true
 * exactly on the first one).
 */
export type DecisionLog = (fields: DecisionFields, context: Partial<Context> | undefined, coldStart: boolean) => void;

export interface DecisionLogOptions {
  /** The authorizer made `logger` itself (no custom formatter, console or keys): the lean line may stand in for it. */
  readonly ownLogger: boolean;
  readonly serviceName: string;
  /** Where lean lines go; Powertools writes to process.stdout through its own Console, byte for byte the same. */
  readonly write?: (line: string) => void;
}

/** True when Powertools would add or change something the lean line does not reproduce. */
function powertoolsNeeded(env: NodeJS.ProcessEnv): boolean {
  const set = (key: string): boolean => (env[key]?.trim() ?? '') !== '';
  const tz = env['TZ']?.trim() ?? '';
  return (
    set('POWERTOOLS_DEV') || // pretty-printed through the global console
    set('POWERTOOLS_LOGGER_SAMPLE_RATE') || // sampling_rate other than 0
    set('AWS_LAMBDA_MAX_CONCURRENCY') || // per-invocation stores
    (tz !== '' && !tz.includes('UTC')) // timestamps with a local offset
  );
}

/** X-Ray's Root id as Powertools reads it: the runtime's invoke store, else `_X_AMZN_TRACE_ID`. */
function traceRoot(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } }).awslambda
    ?.InvokeStore;
  const raw = (store?.getXRayTraceId?.() ?? process.env['_X_AMZN_TRACE_ID'] ?? '').trim();
  if (raw === '') return undefined;
  if (!raw.includes('=')) return raw;
  for (const field of raw.split(';')) {
    const [key, value] = field.split('=');
    if (key === 'Root') return value;
  }
  return undefined;
}

/**
 * The decision line for `logger`. Powertools Logger spends about 7 µs a line (environment reads,
 * attribute stores, deep merges, a replacer, a Console) — half of a decision on a cached token.
 * When the authorizer owns the logger and the environment asks for nothing more, the same line
 * (same keys, order, values and empties left out) is built with one JSON.stringify and one write;
 * otherwise `logger.info` writes it. Either way the logger's level decides whether it is written.
 */
export function createDecisionLog(logger: Logger, options: DecisionLogOptions): DecisionLog {
  if (!options.ownLogger || powertoolsNeeded(process.env)) {
    return (fields) => logger.info('decision', fields);
  }
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const onDemand = process.env['AWS_LAMBDA_INITIALIZATION_TYPE']?.trim() === 'on-demand';
  return (fields, context, coldStart) => {
    if (logger.level > LogLevelThreshold.INFO) return;
    const line: Record<string, unknown> = {};
    put(line, 'level', 'INFO');
    put(line, 'message', 'decision');
    put(line, 'timestamp', new Date().toISOString());
    put(line, 'service', options.serviceName);
    if (context !== undefined) {
      put(line, 'cold_start', coldStart && onDemand);
      put(line, 'function_arn', context.invokedFunctionArn);
      put(line, 'function_memory_size', context.memoryLimitInMB);
      put(line, 'function_name', context.functionName);
      put(line, 'function_request_id', context.awsRequestId);
    }
    put(line, 'sampling_rate', 0);
    put(line, 'xray_trace_id', traceRoot());
    if (context !== undefined) put(line, 'tenant_id', (context as { tenantId?: unknown }).tenantId);
    for (const key in fields) put(line, key, fields[key]);
    write(JSON.stringify(line) + '\n');
  };
}

/** Sets a key unless the value is one Powertools leaves out (undefined, null, ''). */
function put(line: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') line[key] = value;
}
