// JWKS fetching with hard bounds (time, size), the endpoint override, and http only to loopback.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

/** Bounds for one JWKS fetch: an attempt gives up after `attemptTimeoutMs`; one retry at most. */
export interface JwksFetcherOptions {
  /** JWKS are then fetched from `<endpoint>/<poolId>/.well-known/jwks.json`. */
  readonly endpoint?: URL | undefined;
  readonly attemptTimeoutMs?: number;
  readonly maxBytes?: number;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 1000;
export const DEFAULT_MAX_JWKS_BYTES = 256 * 1024;
// Both issuer forms Cognito uses: cognito-idp.<region> and the multi-region issuer-cognito-idp.<region>.
const COGNITO_JWKS = /^https:\/\/(?:issuer-)?cognito-idp\.[a-z0-9-]+\.amazonaws\.(?:com|com\.cn|eu)\/([^/]+)\/\.well-known\/jwks\.json$/;

/**
 * A Fetcher for aws-jwt-verify's JWKS cache. Every attempt ends within `attemptTimeoutMs` (the
 * whole response, not just idle time), bodies over `maxBytes` are refused, and a failure is
 * retried once, so a fetch never costs more than about twice the attempt timeout.
 */
export class JwksFetcher implements Fetcher {
  private readonly endpoint: string | undefined;
  private readonly attemptTimeoutMs: number;
  private readonly maxBytes: number;

  constructor(options: JwksFetcherOptions = {}) {
    this.endpoint = options.endpoint?.href.replace(/\/+$/, '');
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_JWKS_BYTES;
  }

  /** Maps a Cognito JWKS URI to where it is actually fetched from. */
  resolve(uri: string): string {
    if (this.endpoint === undefined) return uri;
    const match = COGNITO_JWKS.exec(uri);
    if (match === null) return uri;
    return `${this.endpoint}/${match[1] as string}/.well-known/jwks.json`;
  }

  async fetch(uri: string): Promise<ArrayBuffer> {
    const target = this.resolve(uri);
    try {
      return await this.attempt(target);
    } catch (err) {
      if (err instanceof NonRetryableFetchError) throw err;
      return this.attempt(target);
    }
  }

  private attempt(uri: string): Promise<ArrayBuffer> {
    return new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        reject(new NonRetryableFetchError(uri, 'not a URL'));
        return;
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.endpoint !== undefined)) {
        reject(new NonRetryableFetchError(uri, `refusing to fetch a JWKS over ${url.protocol}`));
        return;
      }
      let settled = false;
      const finish = (err: Error | undefined, body?: ArrayBuffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err !== undefined) {
          req.destroy();
          reject(err instanceof FetchError ? err : new FetchError(uri, err.message));
        } else {
          resolve(body!);
        }
      };
      const onResponse = (res: IncomingMessage): void => {
        if (res.statusCode !== 200) {
          res.resume();
          finish(new NonRetryableFetchError(uri, `Status code is ${res.statusCode ?? '?'}, expected 200`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBytes) {
            finish(new NonRetryableFetchError(uri, `JWKS response is larger than ${this.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          finish(undefined, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        });
        res.on('error', (err) => finish(err));
      };
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(url, { method: 'GET', headers: { accept: 'application/json' } }, onResponse);
      const timer = setTimeout(
        () => finish(new FetchError(uri, `no complete response within ${this.attemptTimeoutMs} ms`)),
        this.attemptTimeoutMs,
      );
      timer.unref();
      req.on('error', (err) => finish(err));
      req.end();
    });
  }
}
