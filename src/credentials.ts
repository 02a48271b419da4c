// The bearer credential: exactly one `Bearer <jwt>` (or bare JWT) from what the front door found, or a 401.
import { CredentialError, CredentialProblem } from './errors';
import { isRecord } from './is-record';

/** Longest credential accepted, as sent; Cognito tokens are a few KB and API Gateway caps headers at 10 KB. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// No pattern here may backtrack over the value: it can be far longer than MAX_TOKEN_LENGTH.
const BEARER = /^bearer +/i;

/** Strips spaces and tabs at both ends in linear time (a `[ \t]+$` regex is quadratic on long runs). */
function trimSpacesAndTabs(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}

/**
 * The token a credential value names — `Bearer <token>` (scheme in any case) or the value itself,
 * spaces and tabs trimmed — without checking its shape; undefined when the value is no string or
 * too long. For a quick look-up of tokens already verified: parseCredential says what is wrong.
 */
export function credentialToken(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_TOKEN_LENGTH) return undefined;
  const trimmed = trimSpacesAndTabs(value);
  const bearer = BEARER.exec(trimmed);
  return bearer === null ? trimmed : trimmed.slice(bearer[0].length);
}

/**
 * Reads one credential value: `Bearer <jwt>` (scheme in any case) or a bare JWT. Anything else —
 * empty, another scheme, two tokens, trailing text, control characters, over MAX_TOKEN_LENGTH
 * characters as sent (padding included) — is a CredentialError.
 */
export function parseCredential(value: unknown): string {
  if (value === undefined || value === null) throw new CredentialError(CredentialProblem.missing);
  if (typeof value !== 'string') throw new CredentialError(CredentialProblem.malformed, 'credential is not a string');
  if (value.length > MAX_TOKEN_LENGTH) {
    throw new CredentialError(CredentialProblem.malformed, `credential longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  const token = credentialToken(value) as string;
  if (token === '') throw new CredentialError(CredentialProblem.missing);
  if (!JWT.test(token)) {
    const bearer = BEARER.test(trimSpacesAndTabs(value));
    throw new CredentialError(
      CredentialProblem.malformed,
      bearer ? 'Bearer value is not one JWT' : 'not a Bearer credential or a JWT',
    );
  }
  return token;
}

/** Every value of the `Authorization` header (any letter case) in a header map. */
function headerValues(headers: unknown, multi: boolean): unknown[] {
  if (headers === undefined || headers === null) return [];
  if (!isRecord(headers)) throw new CredentialError(CredentialProblem.malformed, 'headers are not an object');
  const values: unknown[] = [];
  for (const name of Object.keys(headers)) {
    // Only a 13-character name can be `authorization` in any letter case: the rest are not lower-cased.
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    const value = headers[name];
    if (value === null || value === undefined) continue;
    if (!multi) {
      values.push(value);
    } else if (Array.isArray(value)) {
      values.push(...(value as unknown[]));
    } else {
      throw new CredentialError(CredentialProblem.malformed, 'multi-value header is not a list');
    }
  }
  return values;
}

/**
 * The one `Authorization` header value of an event's `headers` and `multiValueHeaders` (either
 * may be absent). More than one distinct value is a CredentialError: which one would API Gateway
 * have cached the answer under?
 */
export function authorizationHeader(headers: unknown, multiValueHeaders?: unknown): unknown {
  const single = headerValues(headers, false);
  const multiple = headerValues(multiValueHeaders, true);
  // Compared pairwise, not through a Set: a Set hashes each ~1 KB value (1.4 µs apiece), and there are one or two.
  const first = single[0] ?? multiple[0];
  if (multiple.length > 1 || [...single, ...multiple].some((v) => !sameValueZero(v, first))) {
    throw new CredentialError(CredentialProblem.malformed, 'more than one Authorization header');
  }
  return first;
}

/** Equality as a Set sees it (NaN equals NaN). */
function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}
