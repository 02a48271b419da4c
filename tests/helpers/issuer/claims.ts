// Cognito-shaped claims: the pools and app clients of the test, bench and local issuers, and access or ID token claims in Cognito's order.
import { randomUUID } from 'node:crypto';
import { USER_POOL_ID } from '../../../src/config';

export const REGION = 'us-east-1';
/** The pool and client the tests' and the bench's authorizers trust. */
export const POOL_ID = `${REGION}_TestPool1`;
export const CLIENT_ID = 'testclient0000000000000001';
/** A pool and a client no authorizer here trusts. */
export const OTHER_POOL_ID = `${REGION}_OtherPool2`;
export const OTHER_CLIENT_ID = 'otherclient000000000000002';
/** The embedded issuer's pool and client (`npm start`, `npm run token`, `npm run events`). */
export const LOCAL_POOL_ID = `${REGION}_LocalPool1`;
export const LOCAL_CLIENT_ID = 'localclient000000000000001';

/** A token's caller and shape. Everything is optional; `extra` claims are added last and win. */
export interface CallerSpec {
  /** `cognito:groups`; left out when undefined (as Cognito does for a user in no group). */
  readonly groups?: readonly string[] | undefined;
  /** Access tokens: the `scope` claim, space-joined; default `aws.cognito.signin.user.admin`. */
  readonly scopes?: readonly string[] | undefined;
  /** Default: a fresh UUID. */
  readonly sub?: string | undefined;
  /** `username` (access) or `cognito:username` (ID); default `user-<first 8 of sub>`. */
  readonly username?: string | undefined;
  readonly tokenUse?: 'access' | 'id' | undefined;
  /** The issuer follows it; default POOL_ID. */
  readonly poolId?: string | undefined;
  /** `client_id` (access) or `aud` (ID); default CLIENT_ID. */
  readonly clientId?: string | undefined;
  /** Seconds from now until `exp` (default 3600); negative makes an expired token. */
  readonly ttl?: number | undefined;
  /** `exp` − `iat` in seconds; default `ttl` when positive, else 3600. */
  readonly lifetime?: number | undefined;
  /** More claims, or claims replaced (custom attributes such as `custom:tenant_id`, odd values for attacks). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The issuer (`iss`) Cognito uses for a pool: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
 * Throws TypeError when `poolId` is not a user pool id.
 */
export function issuerUrl(poolId: string): string {
  const match = USER_POOL_ID.exec(poolId);
  if (match === null) throw new TypeError(`"${poolId}" is not a user pool id (like ${POOL_ID})`);
  return `https://cognito-idp.${match[1] as string}.amazonaws.com/${poolId}`;
}

/** Claims shaped like an Amazon Cognito user-pool access token (or ID token), in Cognito's order. */
export function cognitoClaims(spec: CallerSpec = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const ttl = spec.ttl ?? 3600;
  const exp = now + ttl;
  const iat = exp - (spec.lifetime ?? (ttl > 0 ? ttl : 3600));
  const sub = spec.sub ?? randomUUID();
  const username = spec.username ?? `user-${sub.slice(0, 8)}`;
  const clientId = spec.clientId ?? CLIENT_ID;
  const iss = issuerUrl(spec.poolId ?? POOL_ID);
  const claims: Record<string, unknown> = { sub };
  if (spec.groups !== undefined) claims['cognito:groups'] = [...spec.groups];
  if ((spec.tokenUse ?? 'access') === 'access') {
    Object.assign(claims, {
      iss,
      version: 2,
      client_id: clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: (spec.scopes ?? ['aws.cognito.signin.user.admin']).join(' '),
      auth_time: iat,
      exp,
      iat,
      jti: randomUUID(),
      username,
    });
  } else {
    Object.assign(claims, {
      email_verified: true,
      iss,
      'cognito:username': username,
      origin_jti: randomUUID(),
      aud: clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: iat,
      exp,
      iat,
      jti: randomUUID(),
      email: `${username}@example.com`,
    });
  }
  return { ...claims, ...spec.extra };
}
