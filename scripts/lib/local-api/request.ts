// An incoming HTTP request as data, in the forms API Gateway hands on: headers as sent (last value and every value), query, body.

/** A request as the local API received it. Paths and queries are raw (as sent); nothing is decoded yet. */
export interface IncomingRequest {
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly path: string;
  /** The query string as sent, without the `?`. */
  readonly rawQuery: string;
  /** Each header once, with the letter case the client sent, the last value when repeated. */
  readonly headers: Readonly<Record<string, string>>;
  /** Each header with every value, in order. */
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  /** Query parameters, decoded: the last value, and every value. */
  readonly query: Readonly<Record<string, string>>;
  readonly multiValueQuery: Readonly<Record<string, readonly string[]>>;
  readonly body: string | null;
  readonly sourceIp: string;
  readonly requestId: string;
  /** Milliseconds since the epoch, when the request arrived. */
  readonly now: number;
}

export interface RequestInput {
  readonly method: string;
  /** The request target as sent: path and query (`/pets?limit=2`). */
  readonly url: string;
  /** Header names and values as node gives them: name, value, name, value… */
  readonly rawHeaders?: readonly string[];
  readonly body?: string;
  readonly sourceIp?: string;
  readonly requestId: string;
  readonly now?: number;
}

/** The request described once, for every stage and event shape. */
export function describeRequest(input: RequestInput): IncomingRequest {
  const q = input.url.indexOf('?');
  const path = q < 0 ? input.url : input.url.slice(0, q);
  const rawQuery = q < 0 ? '' : input.url.slice(q + 1);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = input.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    // The first spelling of a header names it; later ones, in any case, add values.
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    (multiValueHeaders[existing] ??= []).push(raw[i + 1] as string);
    headers[existing] = raw[i + 1] as string;
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    (multiValueQuery[k] ??= []).push(v);
    query[k] = v;
  }
  return {
    method: input.method,
    path,
    rawQuery,
    headers,
    multiValueHeaders,
    query,
    multiValueQuery,
    body: input.body === undefined || input.body === '' ? null : input.body,
    sourceIp: input.sourceIp ?? '127.0.0.1',
    requestId: input.requestId,
    now: input.now ?? Date.now(),
  };
}

/** Every value of a header, any letter case (none: an empty list). */
export function headerValues(request: IncomingRequest, name: string): readonly string[] {
  const key = Object.keys(request.multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? [] : (request.multiValueHeaders[key] ?? []);
}

/** One header's value, any letter case; the last one when repeated. */
export function headerValue(request: IncomingRequest, name: string): string | undefined {
  return headerValues(request, name).at(-1);
}

/** A path parameter as API Gateway hands it to an integration: percent-decoded where it decodes. */
export function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** API Gateway's request time format: `02/Jan/2025:03:04:05 +0000`. */
export function requestTime(now: number): string {
  const d = new Date(now);
  const month = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
