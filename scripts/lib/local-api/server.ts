// The local API's HTTP server on 127.0.0.1: each request described, run through the pipeline (or served the issuer's
// JWKS), answered, and logged in one access line — requests node's parser refuses included.
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseLeniently } from './lenient';
import type { ApiModel, HttpAnswer } from './model';
import { handleRequest, type Outcome, type PipelineDeps } from './pipeline';
import { describeRequest } from './request';
import { gatewayAnswer } from './respond';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_LOGGED_PATH = 200;

export interface LocalServerOptions {
  readonly model: ApiModel;
  readonly deps: PipelineDeps;
  /** The embedded issuer's JWKS, served beside the API. */
  readonly jwks?: { readonly path: string; readonly body: string };
  /** Where access lines go (stdout). */
  readonly log: (line: string) => void;
  /** Where problems go (stderr). */
  readonly warn: (line: string) => void;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new TooLarge());
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The access line: never the query string or a header (they may carry credentials). */
function accessLine(method: string, url: string, outcome: Outcome, started: number): string {
  const shown = (url.split('?')[0] ?? '').slice(0, MAX_LOGGED_PATH).replace(/[^\x21-\x7e]/g, '?');
  return `[local-api] ${method} ${shown} → ${outcome.answer.statusCode} ${outcome.decision} ${(performance.now() - started).toFixed(1)} ms`;
}

/** An answer as raw HTTP/1.1 bytes, connection closing (for sockets node's parser gave up on). */
function rawResponse(answer: HttpAnswer): string {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? ''}`];
  for (const [name, values] of Object.entries(answer.headers)) for (const v of values) lines.push(`${name}: ${v}`);
  lines.push(`content-length: ${answer.body.length}`, 'connection: close', '', '');
  return lines.join('\r\n');
}

/** The server; call `listen` on it. */
export function createLocalServer(options: LocalServerOptions): Server {
  const { model, deps, jwks } = options;
  const internalError = (requestId: string): Outcome => ({
    answer: {
      statusCode: 500,
      headers: { 'content-type': ['application/json'], [model.requestIdHeader]: [requestId] },
      body: Buffer.from('{"message":"Internal server error"}'),
    },
    decision: 'local-api error',
  });

  async function answer(method: string, url: string, rawHeaders: readonly string[], body: string, sourceIp: string): Promise<Outcome> {
    const request = describeRequest({ method, url, rawHeaders, body, sourceIp, requestId: randomUUID() });
    if (jwks !== undefined && method === 'GET' && request.path === jwks.path) {
      return { answer: { statusCode: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(jwks.body) }, decision: 'jwks' };
    }
    try {
      return await handleRequest(model, request, deps);
    } catch (err) {
      options.warn(`local-api: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return internalError(request.requestId);
    }
  }

  function report(method: string, url: string, outcome: Outcome, started: number): void {
    if (outcome.problem !== undefined) options.warn(`local-api: ${outcome.problem} → ${outcome.answer.statusCode}`);
    options.log(accessLine(method, url, outcome, started));
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    readBody(req)
      .then(
        (body) => answer(method, url, req.rawHeaders, body, req.socket.remoteAddress ?? '127.0.0.1'),
        (err: unknown) => {
          if (!(err instanceof TooLarge)) throw err;
          const request = describeRequest({ method, url, rawHeaders: req.rawHeaders, requestId: randomUUID() });
          return { answer: gatewayAnswer(model, request, 'tooLarge'), decision: 'too large' };
        },
      )
      .catch((err: unknown) => {
        options.warn(`local-api: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return internalError(randomUUID());
      })
      .then((outcome) => {
        if (!res.headersSent) {
          res.writeHead(outcome.answer.statusCode, outcome.answer.headers as Record<string, string[]>);
          res.end(outcome.answer.body);
        }
        report(method, url, outcome, started);
      }, options.warn);
  });

  // A request node's parser refuses (a header value with bare newlines, say) still gets API Gateway's answer and an access line.
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const started = performance.now();
    const parsed = err.rawPacket === undefined ? undefined : parseLeniently(err.rawPacket);
    if (parsed === undefined || !socket.writable) {
      const outcome: Outcome = {
        answer: { statusCode: 400, headers: { 'content-type': ['application/json'] }, body: Buffer.from('{"message":"Bad Request"}') },
        decision: `malformed request (${err.code ?? err.name})`,
      };
      if (socket.writable) socket.end(rawResponse(outcome.answer) + outcome.answer.body.toString());
      report('?', '?', outcome, started);
      return;
    }
    const remote = (socket as { remoteAddress?: string }).remoteAddress ?? '127.0.0.1';
    void answer(parsed.method, parsed.url, parsed.rawHeaders, '', remote).then((outcome) => {
      if (socket.writable) socket.end(Buffer.concat([Buffer.from(rawResponse(outcome.answer), 'latin1'), outcome.answer.body]));
      report(parsed.method, parsed.url, outcome, started);
    });
  });
  return server;
}
