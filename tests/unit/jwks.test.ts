// The JWKS store alone (no HTTP, a clock of its own): keys validated on load, a broken set never
// replacing one that works, unusable keys as faults, and recovery within the retry window.
import { generateKeyPairSync } from 'node:crypto';
import { KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import type { Jwk } from 'aws-jwt-verify/jwk';
import { JwksFault } from '../../src/errors';
import { JwksStore, keyProblem, loadKeySet } from '../../src/jwks';

const URI = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1/.well-known/jwks.json';

function rsaJwk(kid: string, bits = 2048): Jwk {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' } as Jwk;
}

const GOOD = rsaJwk('real');
const OTHER = rsaJwk('other');
const body = (keys: unknown[]): ArrayBuffer => new TextEncoder().encode(JSON.stringify({ keys })).buffer;
const token = (kid: string) => ({ header: { kid } });

/** A store over a fetcher whose answer the test sets, with a clock the test moves. */
function harness(retryMs = 1000, unknownKidMs = 10_000) {
  const state = { answer: (): ArrayBuffer | Error => body([GOOD]), now: 0, fetches: 0, replaced: [] as string[] };
  const store = new JwksStore({
    fetcher: {
      fetch: () => {
        state.fetches++;
        const a = state.answer();
        return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
      },
    },
    retryMs,
    unknownKidMs,
    now: () => state.now,
    onReplace: (uri) => state.replaced.push(uri),
  });
  return { store, state };
}

describe('JWKS keys', () => {
  it('accepts a 2048-bit RSA signing key', () => {
    // Act
    const problem = keyProblem(GOOD);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    ['an encryption key', { ...GOOD, use: 'enc' }, 'use "enc"'],
    ['a symmetric key', { kty: 'oct', kid: 'real', k: 'c2VjcmV0' }, 'kty "oct"'],
    ['an EC key', { kty: 'EC', kid: 'real', crv: 'P-256', x: 'a', y: 'b' }, 'kty "EC"'],
    ['an HMAC algorithm', { ...GOOD, alg: 'HS256' }, 'alg "HS256"'],
    ['a modulus of three bytes', { ...GOOD, n: 'AAAA' }, 'RSA modulus has 0 bits'],
    ['a 1024-bit modulus', rsaJwk('real', 1024), 'RSA modulus has 1024 bits'],
    ['a modulus that is not base64url', { ...GOOD, n: 'a+b/c=' }, 'not base64url'],
  ])('refuses %s', (_name, jwk, problem) => {
    // Act
    const found = keyProblem(jwk);

    // Assess
    expect(found).toContain(problem);
  });

  it('keeps the usable keys of a set and says why the others are not', () => {
    // Act
    const set = loadKeySet(body([GOOD, { ...OTHER, use: 'enc' }]));

    // Assess
    expect([...set.keys.keys()]).toEqual(['real']);
    expect(set.unusable.get('other')).toContain('use "enc"');
  });

  it.each([
    ['no keys', body([])],
    ['only unusable keys', body([{ ...GOOD, n: 'AAAA' }])],
    ['not JSON', new TextEncoder().encode('<html>').buffer],
    ['keys that are not a list', new TextEncoder().encode('{"keys":{}}').buffer],
  ])('refuses a set with %s as a fault', (_name, bytes) => {
    // Act
    const load = () => loadKeySet(bytes);

    // Assess
    expect(load).toThrow(JwksFault);
  });
});

describe('JWKS store', () => {
  it('answers a fault, not a 401, while the key under the token’s kid is unusable, and recovers after the retry window', async () => {
    // Prepare
    const { store, state } = harness();
    state.answer = () => body([{ ...GOOD, use: 'enc' }, OTHER]);
    await store.getJwks(URI);

    // Act
    const during = await store.getJwk(URI, token('real')).catch((e: unknown) => e);
    state.answer = () => body([GOOD, OTHER]);
    const tooSoon = await store.getJwk(URI, token('real')).catch((e: unknown) => e);
    state.now += 1000;
    const after = await store.getJwk(URI, token('real'));

    // Assess
    expect(during).toBeInstanceOf(JwksFault);
    expect(tooSoon).toBeInstanceOf(JwksFault);
    expect(after.kid).toBe('real');
  });

  it('answers a fault while a set that has verified nothing lacks the kid, and takes the fixed set', async () => {
    // Prepare
    const { store, state } = harness();
    state.answer = () => body([OTHER]);
    await store.getJwks(URI);

    // Act
    const during = await store.getJwk(URI, token('real')).catch((e: unknown) => e);
    state.answer = () => body([GOOD, OTHER]);
    state.now += 1000;
    const after = await store.getJwk(URI, token('real'));

    // Assess
    expect(during).toBeInstanceOf(JwksFault);
    expect((during as JwksFault).causeName).toBe('KidNotFoundInJwksError');
    expect(after.kid).toBe('real');
  });

  it('answers unknown kids with a 401 once the set has verified a token', async () => {
    // Prepare
    const { store } = harness();
    await store.getJwks(URI);
    store.confirm(URI);

    // Act
    const outcome = await store.getJwk(URI, token('forged')).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBeInstanceOf(KidNotFoundInJwksError);
  });

  it('never lets a glitch replace a set that works, whatever kid asked for the fetch', async () => {
    // Prepare
    const { store, state } = harness();
    await store.getJwks(URI);
    store.confirm(URI);
    state.answer = () => body([rsaJwk('glitch')]);

    // Act
    await store.getJwk(URI, token('forged')).catch(() => undefined);
    const key = store.getCachedJwk(URI, token('real'));

    // Assess
    expect(key.kid).toBe('real');
    expect(state.replaced).toEqual([]);
  });

  it('replaces a set that works with one that has a newly published kid, and says so', async () => {
    // Prepare
    const { store, state } = harness();
    await store.getJwks(URI);
    store.confirm(URI);
    state.answer = () => body([GOOD, OTHER]);

    // Act
    const key = await store.getJwk(URI, token('other'));

    // Assess
    expect(key.kid).toBe('other');
    expect(state.replaced).toEqual([URI]);
  });

  it('fetches at most once per window for a flood of unknown kids', async () => {
    // Prepare
    const { store, state } = harness();
    await store.getJwks(URI);
    store.confirm(URI);
    const before = state.fetches;

    // Act
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.getJwk(URI, token(`forged-${i}`)).catch(() => undefined)));
    for (let i = 0; i < 50; i++) await store.getJwk(URI, token(`later-${i}`)).catch(() => undefined);

    // Assess
    expect(state.fetches - before).toBe(1);
  });

  it('refetches a set that has verified nothing when asked to doubt it, and replaces it', async () => {
    // Prepare
    const { store, state } = harness();
    state.answer = () => body([rsaJwk('real')]);
    await store.getJwks(URI);
    state.answer = () => body([GOOD]);

    // Act
    const changed = await store.refresh(URI);

    // Assess
    expect(changed).toBe(true);
    expect(store.getCachedJwk(URI, token('real'))).toEqual(GOOD);
  });

  it('answers a fault when the set cannot be had and nothing is cached', async () => {
    // Prepare
    const { store, state } = harness();
    state.answer = () => new Error('connect ECONNREFUSED');

    // Act
    const outcome = await store.getJwk(URI, token('real')).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBeInstanceOf(JwksFault);
  });
});
