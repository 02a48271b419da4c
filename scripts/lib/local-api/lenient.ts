// A request node's HTTP parser refused, read the forgiving way: a line that is no header continues the one before.
// (`TOKEN=$(npm run token)` without --silent puts npm's banner, newlines included, into the Authorization header.)

export interface LenientRequest {
  readonly method: string;
  readonly url: string;
  /** name, value, name, value… as node's rawHeaders. */
  readonly rawHeaders: string[];
}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

/** The request line and headers of a raw HTTP/1 request, or undefined when it has no request line. */
export function parseLeniently(raw: Buffer): LenientRequest | undefined {
  const text = raw.toString('latin1');
  // The head ends at the first CRLF CRLF; bare LFs (even two in a row) are taken as part of a value.
  const crlf = text.indexOf('\r\n\r\n');
  const end = crlf >= 0 ? crlf : text.indexOf('\n\n');
  const head = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const first = REQUEST_LINE.exec(head[0] ?? '');
  if (first === null) return undefined;
  const rawHeaders: string[] = [];
  for (const line of head.slice(1)) {
    const header = HEADER.exec(line);
    if (header !== null) rawHeaders.push(header[1] as string, (header[2] as string).trimEnd());
    else if (rawHeaders.length > 0) rawHeaders[rawHeaders.length - 1] += `\n${line}`;
  }
  return { method: first[1] as string, url: first[2] as string, rawHeaders };
}
