// Log lines captured where Powertools Logger writes them, on process.stdout and process.stderr (through their public
// write method), and routed by their `service` key: each capturing logger gets a service name of its own.

/** Where the lines of one service go: parsed, and as written (without the newline). */
export interface LogSink {
  readonly logs: Record<string, unknown>[];
  readonly raw: string[];
}

/**
 * One registry per process, kept on the stream object (shared by every test file a jest worker runs, each
 * in its own module registry): a line an authorizer writes after its test file ended — a late hydration
 * warning, say — still reaches its sink, not the terminal.
 */
const REGISTRY = Symbol.for('cognito-route-authorizer/log-capture');
type Stream = NodeJS.WriteStream & { [REGISTRY]?: Map<string, LogSink> };

/** The sink of a JSON log line's service, when a capturing logger owns that service. */
function sinkOf(sinks: Map<string, LogSink>, line: string): LogSink | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const service = (JSON.parse(line) as { service?: unknown }).service;
    return typeof service === 'string' ? sinks.get(service) : undefined;
  } catch {
    return undefined;
  }
}

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;

/** Wraps a stream's write once: captured lines go to their sinks (and not to the terminal), everything else through. */
function registryOf(stream: Stream): Map<string, LogSink> {
  const existing = stream[REGISTRY];
  if (existing !== undefined) return existing;
  const sinks = new Map<string, LogSink>();
  stream[REGISTRY] = sinks;
  const original = stream.write.bind(stream) as Write;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    const lines = text?.split('\n').filter((l) => l !== '') ?? [];
    const owners = lines.map((line) => sinkOf(sinks, line));
    if (lines.length === 0 || owners.some((o) => o === undefined)) return original(chunk, ...rest);
    lines.forEach((line, i) => {
      owners[i]?.raw.push(line);
      owners[i]?.logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (done !== undefined) process.nextTick(done);
    return true;
  });
  return sinks;
}

/** Routes the lines `service` writes to stdout or stderr into `sink`. */
export function captureService(service: string, sink: LogSink): void {
  registryOf(process.stdout).set(service, sink);
  registryOf(process.stderr).set(service, sink);
}
