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
  return rootField(raw);
}

/**
 * The value of the first `Root` field of `key=value;key=value…`, as `field.split('=')[1]` reads
 * it (up to a second `=`), found with indexOf: splitting allocated arrays on every line.
 */
function rootField(raw: string): string | undefined {
  for (let start = 0; start <= raw.length; ) {
    const semicolon = raw.indexOf(';', start);
    const stop = semicolon < 0 ? raw.length : semicolon;
    const eq = raw.indexOf('=', start);
    const keyEnd = eq < 0 || eq > stop ? stop : eq;
    if (keyEnd - start === 4 && raw.startsWith('Root', start)) {
      if (keyEnd === stop) return undefined;
      const next = raw.indexOf('=', keyEnd + 1);
      return raw.slice(keyEnd + 1, next < 0 || next > stop ? stop : next);
    }
    start = stop + 1;
  }
  return undefined;
}

/** Keys Powertools writes before the fields: a field named like one is Powertools' business (it drops or merges it). */
const BASE_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'tenant_id',
]);

/** Characters JSON.stringify escapes in a string (surrogates: it escapes lone ones; either way it decides). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A value as JSON.stringify writes it (strings escaped, non-finite numbers as null); undefined for objects but lists of strings. */
function jsonValue(value: unknown): string | undefined {
  // A string with nothing to escape is quoted as it is: half the cost of JSON.stringify.
  if (typeof value === 'string') return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  // Anything else is Powertools' business (its replacer treats errors, bigints and cycles its own way).
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? JSON.stringify(value) : undefined;
}

/** `,"key":` for each key written so far (the fields' keys are few and the same on every line). */
const keyTexts = new Map<string, string>();

/** `,"key":value`, '' for a value Powertools leaves out (undefined, null, ''), undefined for one it must write. */
function member(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return '';
  let keyText = keyTexts.get(key);
  if (keyText === undefined) {
    keyText = `,${JSON.stringify(key)}:`;
    if (keyTexts.size < 64) keyTexts.set(key, keyText);
  }
  const json = jsonValue(value);
  return json === undefined ? undefined : keyText + json;
}

/**
 * `Date#toISOString()` of now, as Powertools stamps a line (UTC): the part up to the second is
 * formatted once a second, the milliseconds appended (toISOString costs ~0.5 µs a call).
 */
function isoClock(): () => string {
  let second = NaN;
  let head = '';
  return () => {
    const now = Date.now();
    const s = Math.floor(now / 1000);
    if (s !== second) {
      second = s;
      head = new Date(s * 1000).toISOString().slice(0, 20);
    }
    const ms = now - s * 1000;
    return `${head}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
}

/** Lines' fields: the decision's, or the cold-start line's (lists of strings too). */
type Fields = Readonly<Record<string, unknown>>;

/** The line Powertools would write, member by member; undefined when a field is Powertools' to write (see member, BASE_KEYS). */
function textLine(message: string, service: string, timestamp: string, fields: Fields, context: Partial<Context> | undefined, coldStart: boolean): string | undefined {
  let text = `{"level":"INFO","message":${jsonValue(message) as string},"timestamp":"${timestamp}"${service}`;
  if (context !== undefined) {
    text +=
      (member('cold_start', coldStart) as string) +
      (member('function_arn', context.invokedFunctionArn) ?? '') +
      (member('function_memory_size', context.memoryLimitInMB) ?? '') +
      (member('function_name', context.functionName) ?? '') +
      (member('function_request_id', context.awsRequestId) ?? '');
  }
  text += `,"sampling_rate":0${member('xray_trace_id', traceRoot()) ?? ''}`;
  if (context !== undefined) text += member('tenant_id', (context as { tenantId?: unknown }).tenantId) ?? '';
  for (const key in fields) {
    const json = BASE_KEYS.has(key) ? undefined : member(key, fields[key]);
    if (json === undefined) return undefined;
    text += json;
  }
  return `${text}}`;
}

/** Writes one INFO line the lean way and says so; false when Powertools must write it. */
type LeanWriter = (message: string, fields: Fields, context: Partial<Context> | undefined, coldStart: boolean) => boolean;

/**
 * The lean writer for `logger`, or undefined when Powertools must write every line (a logger the
 * authorizer did not make, or an environment that asks for more than the lean line reproduces).
 */
function leanWriter(logger: Logger, options: DecisionLogOptions): LeanWriter | undefined {
  if (!options.ownLogger || powertoolsNeeded(process.env)) return undefined;
  // Read once: a logger the authorizer made is seen by nothing that could change its level (reading
  // it costs an environment read per line, a twentieth of a cached decision).
  if (logger.level > LogLevelThreshold.INFO) return () => true;
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const onDemand = process.env['AWS_LAMBDA_INITIALIZATION_TYPE']?.trim() === 'on-demand';
  const service = member('service', options.serviceName) ?? '';
  const clock = isoClock();
  return (message, fields, context, coldStart) => {
    const text = textLine(message, service, clock(), fields, context, coldStart && onDemand);
    if (text === undefined) return false;
    write(`${text}\n`);
    return true;
  };
}

/**
 * The decision line for `logger`. Powertools Logger spends about 7 µs a line (environment reads,
 * attribute stores, deep merges, a replacer, a Console) — half of a decision on a cached token.
 * When the authorizer owns the logger and the environment asks for nothing more, the same line
 * (same keys, order, values and empties left out, byte for byte) is written as text, member by
 * member, with one write; otherwise `logger.info` writes it. Either way the logger's level decides
 * whether it is written (read once here when the authorizer owns the logger).
 */
export function createDecisionLog(logger: Logger, options: DecisionLogOptions): DecisionLog {
  const lean = leanWriter(logger, options);
  if (lean === undefined) return (fields) => logger.info('decision', fields);
  return (fields, context, coldStart) => {
    if (!lean('decision', fields, context, coldStart)) logger.info('decision', fields);
  };
}

/** An INFO line outside an invocation (the cold-start line). */
export type InfoLog = (message: string, fields: Fields) => void;

/**
 * INFO lines outside invocations, written as createDecisionLog writes the decision line: at cold
 * start Powertools' first line costs a few milliseconds (its formatter's code run for the first
 * time); the lean line, the same bytes, a fraction of one.
 */
export function createInfoLog(logger: Logger, options: DecisionLogOptions): InfoLog {
  const lean = leanWriter(logger, options);
  return (message, fields) => {
    if (lean === undefined || !lean(message, fields, undefined, false)) logger.info(message, fields);
  };
}
