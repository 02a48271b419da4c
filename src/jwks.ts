// The JWKS cache behind aws-jwt-verify: key sets validated when loaded, a broken set never
// replacing a good one, and a bounded refetch that lets every instance recover by itself.
import { createPublicKey } from 'node:crypto';
import {
  JwtWithoutValidKidError,
  JwksNotAvailableInCacheError,
  KidNotFoundInJwksError,
  NonRetryableFetchError,
} from 'aws-jwt-verify/error';
import { assertIsJwks, type Jwk, type JwksCache, type Jwks, type JwkWithKid } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import { JwksFault } from './errors';

/** Smallest RSA modulus accepted: NIST's floor since 2013, and what Cognito uses. */
export const MIN_RSA_BITS = 2048;
const RSA_ALGS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Why a key cannot verify a Cognito token, or undefined when it can. */
export function keyProblem(jwk: Jwk): string | undefined {
  if (jwk.kty !== 'RSA') return `kty "${String(jwk.kty).slice(0, 16)}" is not RSA`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return `use "${String(jwk.use).slice(0, 16)}" is not sig`;
  if (jwk.alg !== undefined && !RSA_ALGS.has(jwk.alg)) return `alg "${String(jwk.alg).slice(0, 16)}" is not RS256, RS384 or RS512`;
  if (typeof jwk.n !== 'string' || !BASE64URL.test(jwk.n) || typeof jwk.e !== 'string' || !BASE64URL.test(jwk.e)) {
    return 'n or e is not base64url';
  }
  const n = Buffer.from(jwk.n, 'base64url');
  let first = 0;
  while (first < n.length && n[first] === 0) first++;
  const bits = n.length === first ? 0 : (n.length - first - 1) * 8 + (32 - Math.clz32(n[first] as number));
  if (bits < MIN_RSA_BITS) return `RSA modulus has ${bits} bits (at least ${MIN_RSA_BITS})`;
  try {
    createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    return 'not an RSA public key';
  }
  return undefined;
}

/** A loaded key set: the usable keys by kid, and why the others are not. */
interface KeySet {
  readonly jwks: Jwks;
  readonly keys: ReadonlyMap<string, JwkWithKid>;
  readonly unusable: ReadonlyMap<string, string>;
  /** A token has verified against this set (so a kid it lacks is the token's fault, not the set's). */
  proven: boolean;
}

/** Parses and validates a JWKS body. Throws JwksFault when nothing in it can verify a token. */
export function loadKeySet(body: ArrayBuffer): KeySet {
  let jwks: unknown;
  try {
    jwks = safeJsonParse(new TextDecoder('utf8', { fatal: true, ignoreBOM: true }).decode(body));
    assertIsJwks(jwks as Parameters<typeof assertIsJwks>[0]);
  } catch (err) {
    throw new JwksFault('JwksValidationError', `JWKS is not a key set: ${(err as Error).message.slice(0, 200)}`);
  }
  const keys = new Map<string, JwkWithKid>();
  const unusable = new Map<string, string>();
  for (const jwk of (jwks as Jwks).keys) {
    if (typeof jwk.kid !== 'string' || jwk.kid === '') continue; // cannot be looked up: never used
    const problem = keyProblem(jwk);
    if (problem === undefined) keys.set(jwk.kid, jwk as JwkWithKid);
    else unusable.set(jwk.kid, problem);
  }
  if (keys.size === 0) {
    throw new JwksFault('JwksValidationError', unusable.size === 0 ? 'JWKS has no keys' : `JWKS has no usable key (${[...unusable.values()][0] as string})`);
  }
  return { jwks: jwks as Jwks, keys, unusable, proven: false };
}

export interface JwksStoreOptions {
  readonly fetcher: Fetcher;
  /** Least time between two fetches of one URI while it cannot answer (no set, unusable key, unproven set). */
  readonly retryMs?: number;
  /** Least time between two fetches of one URI for a kid a proven set lacks (kid floods). */
  readonly unknownKidMs?: number;
  /** Called when a fetched set replaces what was cached for a URI (the verifier drops its imported keys). */
  readonly onReplace?: (jwksUri: string, jwks: Jwks) => void;
  readonly now?: () => number;
}

export const DEFAULT_RETRY_MS = 2_000;
export const DEFAULT_UNKNOWN_KID_MS = 10_000;

interface DecomposedJwt {
  readonly header: { readonly kid?: unknown };
}

function kidOf(jwt: DecomposedJwt): string {
  const kid = jwt.header.kid;
  if (typeof kid !== 'string') throw new JwtWithoutValidKidError('JWT header does not have a valid kid');
  return kid;
}

/**
 * A JwksCache for aws-jwt-verify. Per JWKS URI it keeps the last good key set. A fetched set is
 * used only when it has a usable key (and, when the cached set has verified tokens, the kid that
 * was asked for), so a glitch never replaces a set that works. While a URI cannot answer a token — no set, the
 * token's key unusable, or a set that lacks the kid and has verified nothing yet — that is a
 * JwksFault (500, never 401 for everyone), and the next request after `retryMs` fetches again.
 */
export class JwksStore implements JwksCache {
  private readonly sets = new Map<string, KeySet>();
  /** When a fetch last failed, or last brought a set without the kid that asked for it. */
  private readonly lastMiss = new Map<string, number>();
  private readonly lastProblem = new Map<string, JwksFault>();
  private readonly inflight = new Map<string, Promise<KeySet>>();
  private readonly retryMs: number;
  private readonly unknownKidMs: number;
  private readonly now: () => number;
  /** Fetches started so far. */
  fetches = 0;

  constructor(private readonly options: JwksStoreOptions) {
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.unknownKidMs = options.unknownKidMs ?? DEFAULT_UNKNOWN_KID_MS;
    this.now = options.now ?? Date.now;
  }

  /** The key for a token from the cache, synchronously; throws so that the caller goes asynchronous. */
  getCachedJwk(jwksUri: string, jwt: DecomposedJwt): JwkWithKid {
    const kid = kidOf(jwt);
    const set = this.sets.get(jwksUri);
    if (set === undefined) throw new JwksNotAvailableInCacheError(`JWKS for ${jwksUri} not yet cached`);
    const key = set.keys.get(kid);
    if (key === undefined) throw new KidNotFoundInJwksError('kid not in the cached JWKS');
    return key;
  }

  /** The key for a token, fetching (bounded) when the cache cannot answer. */
  async getJwk(jwksUri: string, jwt: DecomposedJwt): Promise<JwkWithKid> {
    const kid = kidOf(jwt);
    const cached = this.sets.get(jwksUri)?.keys.get(kid);
    if (cached !== undefined) return cached;
    if (this.inflight.has(jwksUri) || this.mayFetch(jwksUri)) {
      try {
        const set = await this.fetch(jwksUri, kid);
        if (!set.keys.has(kid)) this.lastMiss.set(jwksUri, this.now());
      } catch (err) {
        // The key set could not be had: whatever the cache holds, this kid cannot be checked.
        throw toFault(err);
      }
    }
    const set = this.sets.get(jwksUri);
    const key = set?.keys.get(kid);
    if (key !== undefined) return key;
    if (set === undefined) throw this.lastProblem.get(jwksUri) ?? new JwksFault('JwksNotAvailableInCacheError', 'no JWKS loaded yet');
    const unusable = set.unusable.get(kid);
    if (unusable !== undefined) throw new JwksFault('JwkValidationError', `the JWKS key for this kid is unusable: ${unusable}`);
    if (!set.proven) throw new JwksFault('KidNotFoundInJwksError', 'the JWKS lacks this kid and has verified no token yet');
    throw new KidNotFoundInJwksError('kid not in the JWKS');
  }

  /** Fetches and caches a URI's key set (hydration). Rejects with JwksFault when it is unusable. */
  async getJwks(jwksUri: string): Promise<Jwks> {
    return (await this.fetch(jwksUri, undefined)).jwks;
  }

  /** Caches a key set given directly (validated like a fetched one). */
  addJwks(jwksUri: string, jwks: Jwks): void {
    this.sets.set(jwksUri, loadKeySet(new TextEncoder().encode(JSON.stringify(jwks)).buffer));
  }

  /** Records that a token verified against the URI's current set. */
  confirm(jwksUri: string): void {
    const set = this.sets.get(jwksUri);
    if (set !== undefined) set.proven = true;
  }

  /** Whether the URI's current set has verified a token (a set that has not may simply be wrong). */
  isProven(jwksUri: string): boolean {
    return this.sets.get(jwksUri)?.proven === true;
  }

  /**
   * Fetches the URI's set again when allowed (a signature failed against a set that has verified
   * nothing yet: the set may be the glitch, not the token). Resolves true when the cached set changed.
   */
  async refresh(jwksUri: string): Promise<boolean> {
    const before = this.sets.get(jwksUri);
    if (!this.inflight.has(jwksUri) && !this.mayFetch(jwksUri)) return false;
    try {
      await this.fetch(jwksUri, undefined);
    } catch {
      return false;
    }
    const after = this.sets.get(jwksUri);
    const changed = after !== before && JSON.stringify(after?.jwks) !== JSON.stringify(before?.jwks);
    if (!changed) this.lastMiss.set(jwksUri, this.now());
    return changed;
  }

  /** A fetch that did not help (failed, or lacked the kid) holds the next one back for a while. */
  private mayFetch(jwksUri: string): boolean {
    const last = this.lastMiss.get(jwksUri);
    if (last === undefined) return true;
    const set = this.sets.get(jwksUri);
    const wait = set !== undefined && set.proven ? this.unknownKidMs : this.retryMs;
    return this.now() - last >= wait;
  }

  /** One fetch per URI at a time; later callers join it. */
  private fetch(jwksUri: string, kid: string | undefined): Promise<KeySet> {
    let pending = this.inflight.get(jwksUri);
    if (pending === undefined) {
      this.fetches++;
      pending = this.load(jwksUri, kid).finally(() => this.inflight.delete(jwksUri));
      this.inflight.set(jwksUri, pending);
    }
    return pending;
  }

  private async load(jwksUri: string, kid: string | undefined): Promise<KeySet> {
    let set: KeySet;
    try {
      set = loadKeySet(await this.options.fetcher.fetch(jwksUri));
    } catch (err) {
      const problem = toFault(err);
      this.lastProblem.set(jwksUri, problem);
      this.lastMiss.set(jwksUri, this.now());
      throw problem;
    }
    const current = this.sets.get(jwksUri);
    // A set that has verified tokens is replaced only by one that can verify the token that asked
    // for the fetch; one that has verified nothing yet, by any usable set.
    if (current === undefined || !current.proven || (kid !== undefined && set.keys.has(kid))) {
      this.sets.set(jwksUri, set);
      this.lastProblem.delete(jwksUri);
      if (current !== undefined) this.options.onReplace?.(jwksUri, set.jwks);
    }
    return this.sets.get(jwksUri) as KeySet;
  }
}

/**
 * A failure to have a key set as a JwksFault. aws-jwt-verify's fetch errors do not set `name` (and
 * minifying renames classes), so it is named here.
 */
function toFault(err: unknown): JwksFault {
  if (err instanceof JwksFault) return err;
  const name = err instanceof NonRetryableFetchError ? 'NonRetryableFetchError' : 'FetchError';
  return new JwksFault(name, (err as Error).message.slice(0, 300));
}
