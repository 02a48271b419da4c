// Token verification with aws-jwt-verify: one or many pools (every partition), JWKS validated,
// cached and hydrated, verified claims cached until expiry, and library errors sorted into bad
// credentials (401) and faults (500) by their base classes.
import { JwtVerifier } from 'aws-jwt-verify';
import {
  AlbJwksNotExposedError,
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
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  NonRetryableFetchError,
  NotSupportedError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { Config } from './config';
import { USER_POOL_ID } from './config';
import { CredentialError, CredentialProblem, JwksFault } from './errors';
import { JwksFetcher, type JwksFetcherOptions } from './jwks-fetcher';
import { createGenerations } from './generations';
import { JwksStore } from './jwks';

export type Claims = Readonly<Record<string, unknown>>;

/** Verifies Cognito tokens for one configuration. */
export interface TokenVerifier {
  /**
   * Verifies signature, issuer, client id, token use and expiry. Resolves with the claims;
   * rejects with CredentialError (bad credential) or JwksFault (key set unavailable).
   */
  verify(token: string): Promise<Claims>;
  /**
   * The claims of a token `verify` resolved before and that has not expired (verified-claims
   * cache), without a promise; undefined otherwise (then `verify`).
   */
  cached(token: string): Claims | undefined;
  /**
   * Verifies without a promise when the key set is at hand: the claims (remembered as verify()
   * remembers them), or the same CredentialError or JwksFault verify() would reject with; undefined
   * when only verify() can answer (a key set to fetch, a signature to doubt).
   */
  verifyNow(token: string): Claims | undefined;
  /**
   * Fetches every pool's JWKS (regional issuer), best effort per pool: resolves with the pools
   * that failed and why. A failure is not cached; a later verify fetches again.
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
  /** See JwksStoreOptions. */
  readonly jwksRetryMs?: number;
  readonly jwksUnknownKidMs?: number;
}

export const DEFAULT_CLAIMS_CACHE_SIZE = 1000;

/** Subclasses before their parents; the first match decides. */
type ErrorClass = abstract new (...args: never[]) => Error;

// Key-set and fetch errors are faults. They come first: JwkInvalidUseError and JwkInvalidKtyError
// are FailedAssertionErrors, which are otherwise a token's problem.
const FAULTS: readonly [ErrorClass, string][] = [
  [NonRetryableFetchError, 'NonRetryableFetchError'],
  [FetchError, 'FetchError'],
  [JwksValidationError, 'JwksValidationError'],
  [JwkValidationError, 'JwkValidationError'],
  [JwkInvalidUseError, 'JwkInvalidUseError'],
  [JwkInvalidKtyError, 'JwkInvalidKtyError'],
  [JwksNotAvailableInCacheError, 'JwksNotAvailableInCacheError'],
  [NotSupportedError, 'NotSupportedError'],
  [AlbJwksNotExposedError, 'AlbJwksNotExposedError'],
];
// The only errors that make a 401: the token itself is wrong. Anything else is a fault (500), so
// an error class a new aws-jwt-verify adds can never turn a key-set problem into a 401.
const BAD_CREDENTIALS: readonly [ErrorClass, CredentialProblem][] = [
  [JwtExpiredError, CredentialProblem.expired],
  [JwtNotBeforeError, CredentialProblem.notYetValid],
  [JwtInvalidIssuerError, CredentialProblem.wrongIssuer],
  [CognitoJwtInvalidClientIdError, CredentialProblem.wrongClient],
  [JwtInvalidAudienceError, CredentialProblem.wrongClient],
  [CognitoJwtInvalidTokenUseError, CredentialProblem.wrongTokenUse],
  [JwtInvalidClaimError, CredentialProblem.invalidClaims],
  [JwtInvalidSignatureAlgorithmError, CredentialProblem.badSignature],
  [FailedAssertionError, CredentialProblem.invalidClaims],
  [JwtInvalidSignatureError, CredentialProblem.badSignature],
  [KidNotFoundInJwksError, CredentialProblem.unknownKey],
  [WaitPeriodNotYetEndedJwkError, CredentialProblem.unknownKey],
  [JwtWithoutValidKidError, CredentialProblem.unknownKey],
  [JwtParseError, CredentialProblem.malformed],
  // "issuer not configured": the token's iss is none of ours.
  [ParameterValidationError, CredentialProblem.wrongIssuer],
];

/**
 * Sorts an error from aws-jwt-verify into a JwksFault (500: the key set could not be had, or
 * any error not known to be the token's) or a CredentialError (401). Errors from elsewhere are
 * returned unchanged (they are faults too, or already sorted).
 */
export function classifyVerifyError(err: unknown): unknown {
  if (!(err instanceof JwtBaseError)) return err;
  const fault = FAULTS.find(([cls]) => err instanceof cls);
  if (fault !== undefined) return new JwksFault(fault[1], err.message);
  const bad = BAD_CREDENTIALS.find(([cls]) => err instanceof cls);
  // The library's message is not kept: it can quote token contents.
  if (bad !== undefined) return new CredentialError(bad[1]);
  return new JwksFault('JwtBaseError', 'aws-jwt-verify failed in a way this authorizer does not know');
}

/** DNS suffix of a region's partition: Cognito's hosts there. */
function dnsSuffix(region: string): string {
  if (region.startsWith('eusc-')) return 'amazonaws.eu';
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  return 'amazonaws.com';
}

/** A pool's issuers (regional, and the multi-region form) with their JWKS URIs. */
export function poolIssuers(poolId: string): { issuer: string; jwksUri: string }[] {
  const region = (USER_POOL_ID.exec(poolId) as RegExpExecArray)[1] as string;
  const suffix = dnsSuffix(region);
  return [`https://cognito-idp.${region}.${suffix}/${poolId}`, `https://issuer-cognito-idp.${region}.${suffix}/${poolId}`].map(
    (issuer) => ({ issuer, jwksUri: `${issuer}/.well-known/jwks.json` }),
  );
}

/** Cognito's own checks on verified claims: the token use and the app client. */
function checkCognitoClaims(claims: Claims, config: Pick<Config, 'clientIds' | 'tokenUse'>): void {
  if (claims['token_use'] !== config.tokenUse) throw new CredentialError(CredentialProblem.wrongTokenUse);
  const client = config.tokenUse === 'id' ? claims['aud'] : claims['client_id'];
  if (typeof client !== 'string' || !config.clientIds.includes(client)) throw new CredentialError(CredentialProblem.wrongClient);
}

/**
 * Characters of a token's end the claims cache is keyed by: part of its signature, so tokens differ
 * there. Hashing a fresh 1 KB token for a Map lookup costs ~1.4 µs (each event is a new string);
 * its last 32 characters, ~0.1 µs. A hit still needs the whole token to be equal.
 */
const CACHE_KEY_CHARS = 32;

/** Verified claims kept until expiry, at most about `size` tokens. */
function claimsCache(size: number): { recall(token: string): Claims | undefined; remember(token: string, claims: Claims): void } {
  const entries = createGenerations<{ readonly token: string; readonly claims: Claims }>(size);
  const remember = (token: string, claims: Claims): void => entries.set(token.slice(-CACHE_KEY_CHARS), { token, claims });
  const recall = (token: string): Claims | undefined => {
    const key = token.slice(-CACHE_KEY_CHARS);
    const hit = entries.get(key);
    // Another token with the same end (a forged one, say) is a miss: it is verified in full.
    if (hit === undefined || hit.token !== token) return undefined;
    if ((hit.claims['exp'] as number) * 1000 > Date.now()) return hit.claims;
    entries.delete(key);
    return undefined;
  };
  return { recall, remember };
}

/** The JWKS URI of the issuer a token claims (unverified: only to pick the key set to doubt). */
function claimedJwksUri(uriOf: ReadonlyMap<string, string>, token: string): string | undefined {
  try {
    return uriOf.get(decomposeUnverifiedJwt(token).payload.iss as string);
  } catch {
    return undefined;
  }
}

/** verifySync could not answer because the key set (or its key for the token's kid) is not cached yet: verify() fetches it. */
function needsFetch(err: unknown): boolean {
  return err instanceof JwksNotAvailableInCacheError || err instanceof KidNotFoundInJwksError;
}

/** The pools' issuers, their key sets (fetched, cached, hydrated) and aws-jwt-verify's verifier over them. */
function keySets(config: Pick<Config, 'userPoolIds' | 'jwksEndpoint'>, options: VerifierOptions) {
  const fetcher = new JwksFetcher({ ...options, endpoint: config.jwksEndpoint });
  const issuers = config.userPoolIds.flatMap(poolIssuers);
  const issuerOf = new Map(issuers.map((i) => [i.jwksUri, i.issuer]));
  const uriOf: ReadonlyMap<string, string> = new Map(issuers.map((i) => [i.issuer, i.jwksUri]));
  // When a fetched set replaces a cached one, the keys the verifier imported from the old set go too.
  const store: JwksStore = new JwksStore({
    fetcher,
    retryMs: options.jwksRetryMs,
    unknownKidMs: options.jwksUnknownKidMs,
    onReplace: (uri, jwks) => verifier.cacheJwks(jwks, issuerOf.get(uri) as string),
  });
  const verifier = JwtVerifier.create(
    issuers.map(({ issuer, jwksUri }) => ({ issuer, jwksUri, audience: null, includeRawJwtInErrors: false })),
    { jwksCache: store },
  );
  return { store, verifier, uriOf };
}

/** Creates the verifier for a configuration (no network until hydrate or the first verify). */
export function createVerifier(
  config: Pick<Config, 'userPoolIds' | 'clientIds' | 'tokenUse' | 'jwksEndpoint'>,
  options: VerifierOptions = {},
): TokenVerifier {
  const { store, verifier, uriOf } = keySets(config, options);
  const cache = claimsCache(options.claimsCacheSize ?? DEFAULT_CLAIMS_CACHE_SIZE);
  const claimedUri = (token: string): string | undefined => claimedJwksUri(uriOf, token);
  /** The key set to doubt when a signature fails against one that has verified nothing yet (its URI), else undefined. */
  const doubtedKeySet = (token: string, err: unknown): string | undefined => {
    const uri = err instanceof JwtInvalidSignatureError ? claimedUri(token) : undefined;
    return uri === undefined || store.isProven(uri) ? undefined : uri;
  };
  /**
   * A signature that fails against a key set that has verified nothing yet may be the set's fault
   * (a glitch served a wrong key under the real kid): fetch again and retry once; if the set did
   * not change, that is a fault (500), not a 401 for every caller.
   */
  const verifyDoubting = async (token: string, retried = false): Promise<Claims> => {
    try {
      return await verifyFetching(token);
    } catch (err) {
      const uri = doubtedKeySet(token, err);
      if (uri === undefined) throw err;
      if (!retried && (await store.refresh(uri))) return verifyDoubting(token, true);
      throw new JwksFault('JwtInvalidSignatureError', 'the signature does not verify with a key set that has verified no token yet');
    }
  };
  // Verifies without awaiting when the key is cached; otherwise the store fetches (bounded).
  const verifyFetching = (token: string): Claims | Promise<Claims> => {
    try {
      return verifier.verifySync(token);
    } catch (err) {
      if (needsFetch(err)) return verifier.verify(token);
      throw err;
    }
  };

  /** A verified token: its key set proven, Cognito's checks, remembered until exp. */
  const accepted = (token: string, claims: Claims): Claims => {
    store.confirm(uriOf.get(claims['iss'] as string) as string);
    checkCognitoClaims(claims, config);
    if (typeof claims['exp'] === 'number') cache.remember(token, claims);
    return claims;
  };
  /** A refused token's error, sorted; claims are checked after the signature, so one refused for its claims proves the key set. */
  const refused = (token: string, err: unknown): unknown => {
    if (err instanceof JwtInvalidClaimError) store.confirm(claimedUri(token) ?? '');
    return classifyVerifyError(err);
  };

  return {
    get fetches() {
      return store.fetches;
    },
    cached: (token) => cache.recall(token),
    verifyNow(token) {
      let claims: Claims;
      try {
        claims = verifier.verifySync(token);
      } catch (err) {
        // A key set to fetch, or a signature refused by a key set that may be at fault: verify() answers.
        if (needsFetch(err) || doubtedKeySet(token, err) !== undefined) return undefined;
        throw refused(token, err);
      }
      return accepted(token, claims);
    },
    async verify(token) {
      const hit = cache.recall(token);
      if (hit !== undefined) return hit;
      let claims: Claims;
      try {
        claims = await verifyDoubting(token);
      } catch (err) {
        throw refused(token, err);
      }
      return accepted(token, claims);
    },
    async hydrate() {
      const pools = config.userPoolIds;
      const results = await Promise.allSettled(pools.map((poolId) => store.getJwks((poolIssuers(poolId)[0] as { jwksUri: string }).jwksUri)));
      return results.flatMap((r, i) => {
        if (r.status === 'fulfilled') return [];
        const err = classifyVerifyError(r.reason);
        const name = err instanceof JwksFault ? err.causeName : (err as Error).name;
        return [{ poolId: pools[i] as string, error: `${name}: ${(err as Error).message}` }];
      });
    },
  };
}
