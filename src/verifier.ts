// Token verification with aws-jwt-verify: one or many pools, JWKS cached and hydrated, verified
// claims cached until expiry, and library errors sorted into bad credentials (401) and faults (500).
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FailedAssertionError,
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  NonRetryableFetchError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { assertIsJwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import type { Config } from './config';
import { CredentialError, CredentialProblem, JwksFault } from './errors';
import { JwksFetcher, type JwksFetcherOptions } from './jwks-fetcher';

export type Claims = Readonly<Record<string, unknown>>;

/** Verifies Cognito tokens for one configuration. */
export interface TokenVerifier {
  /**
   * Verifies signature, issuer, client id, token use and expiry. Resolves with the claims;
   * rejects with CredentialError (bad credential) or JwksFault (key set unavailable).
   */
  verify(token: string): Promise<Claims>;
  /**
   * Fetches every pool's JWKS (standard issuer form), best effort per pool: resolves with the
   * pools that failed and why. A failure is not cached; the next verify fetches again.
   */
  hydrate(): Promise<{ poolId: string; error: string }[]>;
  /** JWKS fetches started so far (for tests and benchmarks). */
  readonly fetches: number;
}

export interface VerifierOptions extends JwksFetcherOptions {
  /**
   * Verified tokens remembered until their `exp`: at most this many (rounded up to even), the
   * older half dropped at once when full. 0 disables.
   */
  readonly claimsCacheSize?: number;
}

export const DEFAULT_CLAIMS_CACHE_SIZE = 1000;

// aws-jwt-verify's error classes do not set `name` (and minification renames classes), so the
// names logged are spelled out here. Subclasses come before their parents.
const FAULTS: readonly [new (...args: never[]) => Error, string][] = [
  [NonRetryableFetchError, 'NonRetryableFetchError'],
  [FetchError, 'FetchError'],
  [JwksValidationError, 'JwksValidationError'],
  [JwkValidationError, 'JwkValidationError'],
  [JwkInvalidUseError, 'JwkInvalidUseError'],
  [JwkInvalidKtyError, 'JwkInvalidKtyError'],
  [JwksNotAvailableInCacheError, 'JwksNotAvailableInCacheError'],
];
const BAD_CREDENTIALS: readonly [new (...args: never[]) => Error, CredentialProblem][] = [
  [JwtExpiredError, CredentialProblem.expired],
  [JwtNotBeforeError, CredentialProblem.notYetValid],
  [JwtInvalidIssuerError, CredentialProblem.wrongIssuer],
  [ParameterValidationError, CredentialProblem.wrongIssuer], // "issuer not configured"
  [CognitoJwtInvalidClientIdError, CredentialProblem.wrongClient],
  [JwtInvalidAudienceError, CredentialProblem.wrongClient],
  [CognitoJwtInvalidTokenUseError, CredentialProblem.wrongTokenUse],
  [JwtInvalidSignatureError, CredentialProblem.badSignature],
  [JwtInvalidSignatureAlgorithmError, CredentialProblem.badSignature],
  [KidNotFoundInJwksError, CredentialProblem.unknownKey],
  [WaitPeriodNotYetEndedJwkError, CredentialProblem.unknownKey],
  [JwtWithoutValidKidError, CredentialProblem.unknownKey],
  [JwtParseError, CredentialProblem.malformed],
  [FailedAssertionError, CredentialProblem.invalidClaims],
];

/**
 * Sorts an error from aws-jwt-verify into a JwksFault (500: the key set could not be had) or a
 * CredentialError (401). Errors from elsewhere are returned unchanged (they are faults too).
 */
export function classifyVerifyError(err: unknown): unknown {
  if (!(err instanceof JwtBaseError)) return err;
  const fault = FAULTS.find(([cls]) => err instanceof cls);
  if (fault !== undefined) return new JwksFault(fault[1], err.message);
  const bad = BAD_CREDENTIALS.find(([cls]) => err instanceof cls);
  // The library's message is not kept: it can quote token contents.
  return new CredentialError(bad === undefined ? CredentialProblem.invalidClaims : bad[1]);
}

/**
 * aws-jwt-verify's JWKS parsing, plus one rule: a key set without keys is a broken JWKS (a fault,
 * not cached), not a key set that makes every valid caller's token a 401 until it is refetched.
 */
export function parseNonEmptyJwks(body: ArrayBuffer): Jwks {
  let jwks: unknown;
  try {
    jwks = safeJsonParse(new TextDecoder('utf8', { fatal: true, ignoreBOM: true }).decode(body));
  } catch (err) {
    throw new JwksValidationError(`JWKS could not be parsed as JSON: ${(err as Error).message}`);
  }
  assertIsJwks(jwks as Parameters<typeof assertIsJwks>[0]);
  if ((jwks as Jwks).keys.length === 0) throw new JwksValidationError('JWKS has no keys');
  return jwks as Jwks;
}

/** Creates the verifier for a configuration (no network until hydrate or the first verify). */
export function createVerifier(
  config: Pick<Config, 'userPoolIds' | 'clientIds' | 'tokenUse' | 'jwksEndpoint'>,
  options: VerifierOptions = {},
): TokenVerifier {
  const fetcher = new JwksFetcher({ ...options, endpoint: config.jwksEndpoint });
  let fetches = 0;
  const counting = {
    fetch: (uri: string) => {
      fetches++;
      return fetcher.fetch(uri);
    },
  };
  const jwksCache = new SimpleJwksCache({ fetcher: counting, jwksParser: parseNonEmptyJwks });
  const verifier = CognitoJwtVerifier.create(
    config.userPoolIds.map((userPoolId) => ({
      userPoolId,
      clientId: [...config.clientIds],
      tokenUse: config.tokenUse,
      includeRawJwtInErrors: false,
    })),
    { jwksCache },
  );
  const cacheSize = options.claimsCacheSize ?? DEFAULT_CLAIMS_CACHE_SIZE;
  // Two generations instead of evicting one entry at a time: deleting a Map's oldest key on every
  // insert made V8 skip the deleted slots each time (1.7 µs per new token at 1,000 entries).
  const generation = Math.ceil(cacheSize / 2);
  let young = new Map<string, Claims>();
  let old = new Map<string, Claims>();
  const remember = (token: string, claims: Claims): void => {
    if (young.size >= generation) {
      old = young;
      young = new Map<string, Claims>();
    }
    young.set(token, claims);
  };
  const recall = (token: string): Claims | undefined => {
    let hit = young.get(token);
    if (hit === undefined) {
      hit = old.get(token);
      if (hit === undefined) return undefined;
      remember(token, hit);
    }
    if ((hit['exp'] as number) * 1000 > Date.now()) return hit;
    young.delete(token);
    old.delete(token);
    return undefined;
  };
  // Verifies without awaiting when the key is already cached; when it is not (first use of a pool,
  // or a kid the cached JWKS lacks) the asynchronous path fetches, with its refetch penalty box.
  const verifyNow = (token: string): Claims | Promise<Claims> => {
    try {
      return verifier.verifySync(token);
    } catch (err) {
      if (err instanceof JwksNotAvailableInCacheError || err instanceof KidNotFoundInJwksError) {
        return verifier.verify(token);
      }
      throw err;
    }
  };

  return {
    get fetches() {
      return fetches;
    },
    async verify(token) {
      const hit = recall(token);
      if (hit !== undefined) return hit;
      let claims: Claims;
      try {
        claims = await verifyNow(token);
      } catch (err) {
        throw classifyVerifyError(err);
      }
      if (cacheSize > 0 && typeof claims['exp'] === 'number') remember(token, claims);
      return claims;
    },
    async hydrate() {
      const results = await Promise.allSettled(
        config.userPoolIds.map((poolId) => jwksCache.getJwks(CognitoJwtVerifier.parseUserPoolId(poolId).jwksUri)),
      );
      return results.flatMap((r, i) => {
        if (r.status === 'fulfilled') return [];
        // Named like the fault lines (aws-jwt-verify's classes all call themselves "Error").
        const err = classifyVerifyError(r.reason);
        const name = err instanceof JwksFault ? err.causeName : (err as Error).name;
        return [{ poolId: config.userPoolIds[i] as string, error: `${name}: ${(err as Error).message}` }];
      });
    },
  };
}
