// Verified claims → Caller: the identity facts rules and context use, type-checked claim by claim.
import { CredentialError, CredentialProblem } from './errors';

/** Who is calling, as far as the rules and the backend need to know. */
export interface Caller {
  readonly sub: string;
  /** `username` (access token) or `cognito:username` (ID token); empty for machine clients. */
  readonly username: string;
  /** `client_id` (access token) or `aud` (ID token). */
  readonly clientId: string;
  readonly tokenUse: 'access' | 'id';
  /** `cognito:groups`, only when it is an array of strings; otherwise no groups. */
  readonly groups: readonly string[];
  /** `scope` split on spaces, only when it is a string; otherwise no scopes. */
  readonly scopes: readonly string[];
  /** The `scope` claim exactly as in the token (empty when absent or not a string). */
  readonly scope: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Every verified claim, for `claim:` grants and bound routes (read, never copied into logs). */
  readonly claims: Readonly<Record<string, unknown>>;
}

function stringClaim(claims: Readonly<Record<string, unknown>>, name: string): string {
  const value = claims[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Builds the Caller from verified claims. Shapes are checked, not trusted: groups that are not an
 * array of strings, or a scope that is not a string, grant nothing (a string "admins" is not the
 * group admins). A token without `sub` is refused (CredentialError): the principal must be someone;
 * so is one without `exp` (aws-jwt-verify checks exp only when present): it would never expire.
 */
export function toCaller(claims: Readonly<Record<string, unknown>>): Caller {
  const sub = stringClaim(claims, 'sub');
  if (sub === '') throw new CredentialError(CredentialProblem.invalidClaims, 'no sub claim');
  const exp = claims['exp'];
  if (typeof exp !== 'number') throw new CredentialError(CredentialProblem.invalidClaims, 'no exp claim');
  const tokenUse = claims['token_use'] === 'id' ? 'id' : 'access';
  const rawGroups = claims['cognito:groups'];
  const groups =
    Array.isArray(rawGroups) && rawGroups.every((g): g is string => typeof g === 'string') ? [...rawGroups] : [];
  const scope = stringClaim(claims, 'scope');
  const scopes = scope === '' ? [] : scope.split(' ').filter((s) => s !== '');
  const aud = claims['aud'];
  return {
    sub,
    username: tokenUse === 'id' ? stringClaim(claims, 'cognito:username') : stringClaim(claims, 'username'),
    clientId: tokenUse === 'id' ? (typeof aud === 'string' ? aud : '') : stringClaim(claims, 'client_id'),
    tokenUse,
    groups,
    scopes,
    scope,
    exp,
    claims,
  };
}
