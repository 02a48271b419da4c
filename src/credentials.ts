// Token extraction from TOKEN and REQUEST authorizer events: exactly one Bearer JWT, or a 401.
import { CredentialError, CredentialProblem, EventError } from './errors';

/** Longest credential accepted; Cognito tokens are a few KB and API Gateway caps headers at 10 KB. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// No pattern here may backtrack over the value: it can be far longer than MAX_TOKEN_LENGTH.
const BEARER = /^bearer +/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strips spaces and tabs at both ends in linear time (a `[ \t]+$` regex is quadratic on long runs). */
function trimSpacesAndTabs(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}

/**
 * Reads one credential value: `Bearer <jwt>` (scheme in any case) or a bare JWT. Anything else —
 * empty, another scheme, two tokens, trailing text, control characters — is a CredentialError.
 */
export function parseCredential(value: unknown): string {
  if (value === undefined || value === null) throw new CredentialError(CredentialProblem.missing);
  if (typeof value !== 'string') throw new CredentialError(CredentialProblem.malformed, 'credential is not a string');
  const trimmed = trimSpacesAndTabs(value);
  if (trimmed === '') throw new CredentialError(CredentialProblem.missing);
  if (trimmed.length > MAX_TOKEN_LENGTH) {
    throw new CredentialError(CredentialProblem.malformed, `credential longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  const bearer = BEARER.exec(trimmed);
  const token = bearer === null ? trimmed : trimmed.slice(bearer[0].length);
  if (!JWT.test(token)) {
    throw new CredentialError(
      CredentialProblem.malformed,
      bearer === null ? 'not a Bearer credential or a JWT' : 'Bearer value is not one JWT',
    );
  }
  return token;
}

function headerValues(headers: unknown, multi: boolean): unknown[] {
  if (headers === undefined || headers === null) return [];
  if (!isRecord(headers)) throw new CredentialError(CredentialProblem.malformed, 'headers are not an object');
  const values: unknown[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    if (multi) {
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) throw new CredentialError(CredentialProblem.malformed, 'multi-value header is not a list');
      values.push(...(value as unknown[]));
    } else if (value !== null && value !== undefined) {
      values.push(value);
    }
  }
  return values;
}

/**
 * Pulls the JWT out of an authorizer event: `authorizationToken` for TOKEN events, the
 * `Authorization` header (any letter case; one value only) for REQUEST events. Throws
 * CredentialError (401) for a missing or bad credential and EventError (500) for an event type
 * API Gateway does not send.
 */
export function extractToken(event: unknown): string {
  if (!isRecord(event)) throw new EventError('event is not an object');
  switch (event['type']) {
    case 'TOKEN':
      return parseCredential(event['authorizationToken']);
    case 'REQUEST': {
      const single = headerValues(event['headers'], false);
      const multiple = headerValues(event['multiValueHeaders'], true);
      const distinct = [...new Set([...single, ...multiple])];
      if (distinct.length > 1) {
        throw new CredentialError(CredentialProblem.malformed, 'more than one Authorization header');
      }
      if (multiple.length > 1) throw new CredentialError(CredentialProblem.malformed, 'more than one Authorization header');
      return parseCredential(distinct[0]);
    }
    default:
      throw new EventError('event type is neither TOKEN nor REQUEST');
  }
}
