// JWKS faults: a key set that cannot be had is a logged 500 within a bound — never an Allow,
// never 'Unauthorized' for a valid caller — and is never cached; rotation and kid floods are cheap.
import { randomUUID } from 'node:crypto';
import type { Authorizer } from '../../src/authorizer';
import { DEFAULT_ATTEMPT_TIMEOUT_MS } from '../../src/jwks-fetcher';
import { setup, type TestSetup } from '../helpers/authorizer';
import { tokenEvent } from '../helpers/events';
import { cognitoClaims, makeKey, signJwt, type JwksMode, type SigningKey } from '../helpers/issuer';
import { outcomeOf, type Outcome } from '../helpers/outcome';

const ADMIN = { groups: ['admins'], sub: 'sub-admin' } as const;
/** Short attempts and retry window keep the table fast; tests below measure the shipped defaults. */
const FAST = { attemptTimeoutMs: 200, jwksRetryMs: 100 } as const;
/** Longer than FAST's retry window: a fetch that failed may be tried again after it. */
const AFTER_RETRY_WINDOW_MS = 150;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The documented bound with the defaults: two attempts of 1 s, plus scheduling slack. */
const BOUND_MS = 3000;

type Fault = Exclude<JwksMode, 'ok'> | 'down';
const FAULTS: [Fault, string][] = [
  ['down', 'FetchError'],
  ['status-500', 'NonRetryableFetchError'],
  ['invalid-json', 'JwksValidationError'],
  ['huge', 'NonRetryableFetchError'],
  ['hang', 'FetchError'],
  ['empty-keys', 'JwksValidationError'], // {"keys":[]} is a broken key set, not one to cache
];

let port = 0;
let down = false;

/** Puts the JWKS server into a failure mode; returns how to bring it back to 'ok'. */
async function breakJwks(t: TestSetup, fault: Fault): Promise<() => Promise<void>> {
  if (fault === 'down') {
    await t.jwks.stop();
    down = true;
  } else {
    t.jwks.mode = fault;
  }
  return () => repairJwks(t);
}

/** Back to 'ok' (same keys), listening where it was. */
async function repairJwks(t: TestSetup): Promise<void> {
  t.jwks.mode = 'ok';
  if (down) {
    await t.jwks.start(port);
    down = false;
  }
}

async function timed(authorizer: Authorizer, token: string): Promise<Outcome & { ms: number }> {
  const started = performance.now();
  const outcome = await outcomeOf(authorizer.handler, tokenEvent(`Bearer ${token}`, 'DELETE', '/pets/17'));
  return { ...outcome, ms: performance.now() - started };
}

describe('JWKS faults', () => {
  let t: TestSetup;
  // The endpoint, kept: while the server is down it cannot be asked for it.
  let env: Record<string, string>;

  let rotated: SigningKey;

  beforeAll(async () => {
    t = await setup();
    env = { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: t.jwks.endpoint };
    port = Number(new URL(t.jwks.endpoint).port);
    rotated = makeKey();
  });
  afterEach(async () => {
    await repairJwks(t);
    t.jwks.keys = [t.key];
    t.logs.length = 0;
  });
  afterAll(() => t.stop());

  const faultLine = () => t.logs.find((l) => l['message'] === 'fault');

  describe.each(FAULTS)('JWKS %s', (fault, errorClass) => {
    it('at cold start answers a valid caller with a logged fault, not Unauthorized and not an Allow', async () => {
      // Prepare
      await breakJwks(t, fault);
      const authorizer = t.make(env, FAST);

      // Act
      const outcome = await timed(authorizer, signJwt(t.key, cognitoClaims(ADMIN)));

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(outcome.kind === 'fault' && outcome.error.message).not.toBe('Unauthorized');
      expect(faultLine()).toMatchObject({ level: 'ERROR', decision: 'error', reason: 'jwks', error: errorClass });
      expect(faultLine()?.['errorMessage']).toEqual(expect.any(String));
      expect(t.logs.filter((l) => l['message'] === 'fault')).toHaveLength(1);
      expect(t.logs.filter((l) => String(l['message']).includes('reserved key'))).toEqual([]);
    });

    it('logs the failed cold-start hydration as a warning', async () => {
      // Prepare
      await breakJwks(t, fault);

      // Act
      await t.make(env, FAST).ready;

      // Assess
      expect(t.logs.find((l) => l['message'] === 'JWKS hydration failed; will retry on demand')).toMatchObject({ level: 'WARN', error: expect.stringMatching(/^(NonRetryable)?FetchError|^JwksValidationError/) });
    });

    it('recovers by itself within the retry window once the JWKS is back, without a new authorizer', async () => {
      // Prepare
      const repair = await breakJwks(t, fault);
      const authorizer = t.make(env, FAST);
      const token = signJwt(t.key, cognitoClaims(ADMIN));
      const first = await timed(authorizer, token);
      await repair();
      await sleep(AFTER_RETRY_WINDOW_MS);

      // Act
      const second = await timed(authorizer, token);

      // Assess
      expect(first.kind).toBe('fault');
      expect(second.kind).toBe('allow');
    });

    it('answers a token with a newly published kid with a fault, while the cached key still allows', async () => {
      // Prepare
      const authorizer = t.make(env, FAST);
      await authorizer.ready;
      t.jwks.keys = [t.key, rotated];
      await breakJwks(t, fault);

      // Act
      const fresh = await timed(authorizer, signJwt(rotated, cognitoClaims(ADMIN)));
      const cached = await timed(authorizer, signJwt(t.key, cognitoClaims(ADMIN)));

      // Assess
      expect(fresh.kind).toBe('fault');
      expect(faultLine()).toMatchObject({ reason: 'jwks', error: errorClass });
      expect(cached.kind).toBe('allow');
    });

    it('accepts the newly published kid once the JWKS is back', async () => {
      // Prepare
      const authorizer = t.make(env, FAST);
      await authorizer.ready;
      t.jwks.keys = [t.key, rotated];
      const repair = await breakJwks(t, fault);
      const token = signJwt(rotated, cognitoClaims(ADMIN));
      await timed(authorizer, token);
      await repair();
      await sleep(AFTER_RETRY_WINDOW_MS);

      // Act
      const outcome = await timed(authorizer, token);

      // Assess
      expect(outcome.kind).toBe('allow');
    });
  });

  describe.each([
    ['an encryption key', (k: SigningKey) => ({ ...k.jwk, use: 'enc' })],
    ['a symmetric key', (k: SigningKey) => ({ kty: 'oct', kid: k.kid, k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' })],
    ['a three-byte RSA modulus', (k: SigningKey) => ({ ...k.jwk, n: 'AAAA' })],
    ['another valid key', (k: SigningKey) => ({ ...makeKey(k.kid).jwk })],
    ['no key', undefined],
  ])('a cold start whose key set has %s under the real kid', (_name, glitch) => {
    it('answers valid callers with a fault, never 401, and recovers by itself once the endpoint is fixed', async () => {
      // Prepare
      t.jwks.keys = glitch === undefined ? [rotated] : [{ ...t.key, jwk: glitch(t.key) }];
      const authorizer = t.make(env, FAST);
      await authorizer.ready;
      const token = signJwt(t.key, cognitoClaims(ADMIN));

      // Act
      const during = await timed(authorizer, token);
      t.jwks.keys = [t.key];
      await sleep(AFTER_RETRY_WINDOW_MS);
      const after = await timed(authorizer, token);

      // Assess
      expect(during.kind).toBe('fault');
      expect(faultLine()).toMatchObject({ reason: 'jwks' });
      expect(after.kind).toBe('allow');
    });
  });

  it('answers a bad signature with a fault, and fetches the key set again, while the set has verified nothing', async () => {
    // Prepare
    const authorizer = t.make(env, FAST);
    await authorizer.ready;
    const good = signJwt(t.key, cognitoClaims(ADMIN));
    const before = t.jwks.requests;

    // Act
    const tampered = await timed(authorizer, good.slice(0, -4) + 'AAAA');
    const valid = await timed(authorizer, good);
    const tamperedAgain = await timed(authorizer, good.slice(0, -6) + 'AAAAAA');

    // Assess
    expect([tampered.kind, valid.kind, tamperedAgain.kind]).toEqual(['fault', 'allow', 'unauthorized']);
    expect(t.jwks.requests - before).toBe(1);
  });

  it('keeps a key set that works when a glitch coincides with an unknown-kid token', async () => {
    // Prepare: a warm instance whose set has verified a token
    const authorizer = t.make(env, FAST);
    const token = signJwt(t.key, cognitoClaims(ADMIN));
    expect((await timed(authorizer, token)).kind).toBe('allow');
    t.jwks.keys = [rotated];

    // Act
    const forged = await timed(authorizer, signJwt({ ...rotated, kid: randomUUID() }, cognitoClaims(ADMIN)));
    const valid = await timed(authorizer, signJwt(t.key, cognitoClaims({ ...ADMIN, sub: 'another' })));

    // Assess
    expect([forged.kind, valid.kind]).toEqual(['unauthorized', 'allow']);
  });

  describe('with the shipped timeouts (1 s an attempt, one retry)', () => {
    it(`answers within ${BOUND_MS} ms when the JWKS hangs at cold start`, async () => {
      // Prepare
      t.jwks.mode = 'hang';
      const authorizer = t.make(env);

      // Act
      const outcome = await timed(authorizer, signJwt(t.key, cognitoClaims(ADMIN)));

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(outcome.ms).toBeGreaterThanOrEqual(2 * DEFAULT_ATTEMPT_TIMEOUT_MS - 50);
      expect(outcome.ms).toBeLessThan(BOUND_MS);
    });

    it(`answers within ${BOUND_MS} ms when the JWKS hangs as a new kid appears`, async () => {
      // Prepare
      const authorizer = t.make(env);
      await authorizer.ready;
      t.jwks.mode = 'hang';

      // Act
      const outcome = await timed(authorizer, signJwt(rotated, cognitoClaims(ADMIN)));

      // Assess
      expect(outcome.kind).toBe('fault');
      expect(outcome.ms).toBeGreaterThanOrEqual(2 * DEFAULT_ATTEMPT_TIMEOUT_MS - 50);
      expect(outcome.ms).toBeLessThan(BOUND_MS);
    });
  });

  describe('rotation and kid floods', () => {
    it('fetches nothing on the warm path', async () => {
      // Prepare
      const authorizer = t.make(env);
      await authorizer.ready;
      const before = [authorizer.verifier.fetches, t.jwks.requests];

      // Act
      for (let i = 0; i < 20; i++) await timed(authorizer, signJwt(t.key, cognitoClaims({ ...ADMIN, sub: `s-${i}` })));

      // Assess
      expect([authorizer.verifier.fetches, t.jwks.requests]).toEqual(before);
    });

    it('accepts a token signed by a newly published key with exactly one extra fetch', async () => {
      // Prepare
      const authorizer = t.make(env);
      await authorizer.ready;
      t.jwks.keys = [t.key, rotated];
      const before = [authorizer.verifier.fetches, t.jwks.requests];

      // Act
      const first = await timed(authorizer, signJwt(rotated, cognitoClaims(ADMIN)));
      const again = await timed(authorizer, signJwt(rotated, cognitoClaims({ ...ADMIN, sub: 'other' })));

      // Assess
      expect([first.kind, again.kind]).toEqual(['allow', 'allow']);
      expect([authorizer.verifier.fetches, t.jwks.requests]).toEqual(before.map((n) => n + 1));
    });

    it('costs a bounded number of fetches for a flood of unknown kids, sequential or concurrent', async () => {
      // Prepare: a warm instance, whose key set has verified a token
      const authorizer = t.make(env);
      await authorizer.ready;
      expect((await timed(authorizer, signJwt(t.key, cognitoClaims(ADMIN)))).kind).toBe('allow');
      const forged = Array.from({ length: 200 }, () => signJwt({ ...rotated, kid: randomUUID() }, cognitoClaims(ADMIN)));
      const before = t.jwks.requests;

      // Act
      const sequential: Outcome[] = [];
      for (const token of forged.slice(0, 100)) sequential.push(await timed(authorizer, token));
      const concurrent = await Promise.all(forged.slice(100).map((token) => timed(authorizer, token)));

      // Assess
      expect([...sequential, ...concurrent].every((o) => o.kind === 'unauthorized')).toBe(true);
      expect(t.jwks.requests - before).toBeLessThanOrEqual(2);
    });

    it('answers unknown kids with a fault, not Unauthorized, while the key set has verified nothing yet', async () => {
      // Prepare: a set that lacks the kid of every real token would otherwise make them all 401s
      const authorizer = t.make(env);
      await authorizer.ready;
      const forged = Array.from({ length: 20 }, () => signJwt({ ...rotated, kid: randomUUID() }, cognitoClaims(ADMIN)));
      const before = t.jwks.requests;

      // Act
      const outcomes = await Promise.all(forged.map((token) => timed(authorizer, token)));

      // Assess
      expect(outcomes.every((o) => o.kind === 'fault')).toBe(true);
      expect(faultLine()).toMatchObject({ reason: 'jwks', error: 'KidNotFoundInJwksError' });
      expect(t.jwks.requests - before).toBe(1);
    });

    it('shares one fetch among concurrent first requests at cold start', async () => {
      // Prepare
      const authorizer = t.make(env);
      const tokens = Array.from({ length: 50 }, (_, i) => signJwt(t.key, cognitoClaims({ ...ADMIN, sub: `s-${i}` })));
      const before = t.jwks.requests;

      // Act
      const outcomes = await Promise.all(tokens.map((token) => timed(authorizer, token)));

      // Assess
      expect(outcomes.every((o) => o.kind === 'allow')).toBe(true);
      expect(t.jwks.requests - before).toBe(1);
    });
  });
});
