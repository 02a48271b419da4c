// One request to a sample API, as a browser-based client sends it (Origin on every request), bounded in time.
import type { Probe } from './checks';
import type { Answer } from './judge';

/** How long one request may take before it counts as no answer. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** No answer at all: refused, timed out, a TLS or DNS failure. */
export interface NoAnswer {
  readonly problem: string;
}

/** The Origin a request names: the configured origin, or a made-up one where any origin may call. */
export const requestOrigin = (corsOrigin: string): string => (corsOrigin === '*' ? 'https://cra-smoke.example' : corsOrigin);

function headersFor(probe: Probe, authorization: string | undefined, origin: string): Record<string, string> {
  const headers: Record<string, string> = { origin, accept: 'application/json' };
  if (probe.preflightFor !== undefined) {
    headers['access-control-request-method'] = probe.preflightFor;
    headers['access-control-request-headers'] = 'authorization,content-type';
  }
  if (authorization !== undefined) headers['authorization'] = authorization;
  if (probe.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/** Why a request got no answer, in a few words (never the request's headers). */
function whyNoAnswer(err: unknown, base: string): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer from ${base} within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return `no answer from ${base} (${detail})`;
}

/** Sends `probe` to the API at `base`; redirects are answers, not followed. */
export async function send(base: string, probe: Probe, authorization: string | undefined, origin: string, signal: AbortSignal): Promise<Answer | NoAnswer> {
  try {
    const res = await fetch(base + probe.path, {
      method: probe.method,
      headers: headersFor(probe, authorization, origin),
      ...(probe.body === undefined ? {} : { body: JSON.stringify(probe.body) }),
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    return { status: res.status, headers, text: await res.text() };
  } catch (err) {
    return { problem: whyNoAnswer(err, base) };
  }
}
