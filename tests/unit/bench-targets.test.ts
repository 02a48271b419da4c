// The bench's room: how `npm run bench` turns figures into verdicts (targets, their "at least" bounds, ratios within
// rounds, the front doors' spread, --strict), how it reads the deployment from template.yaml, and the cache-effect
// replay (fixed seed, checked against the oracle). Nothing here is timed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAuthorizer } from '../../src/authorizer';
import { cacheEffect, headline, naiveAuthorizer, perThousand, replay, replayModels, seededRandom, sessionMix, type SessionMix } from '../../scripts/lib/bench-cache-effect';
import { deploymentOf } from '../../scripts/lib/bench-deployed';
import { exitCode, median, ratioOfRounds, spread, TARGETS, verdict, type Target } from '../../scripts/lib/bench-targets';
import { authorizerEnv, JwksServer, makeKey, signJwt, cognitoClaims } from '../helpers/issuer';
import type { RulesDoc } from '../helpers/oracle';
import { loadTemplate, ROOT, type Template } from '../helpers/template';

const RULES = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as RulesDoc;

describe('bench targets: verdicts', () => {
  const target: Target = { name: 't', label: 'l', aim: 1.15, atLeast: 1.3 };

  it.each([
    [1.0, 'PASS'],
    [1.15, 'PASS'],
    [1.16, 'AT LEAST'],
    [1.3, 'AT LEAST'],
    [1.31, 'FAIL'],
    [Number.NaN, 'FAIL'],
    [Number.POSITIVE_INFINITY, 'FAIL'],
  ])('judges %d against ≤ 1.15 (at least ≤ 1.3) as %s', (value, expected) => {
    // Act
    const result = verdict(value, target);

    // Assess
    expect(result).toBe(expected);
  });

  it('states every target with an aim no looser than its "at least" bound', () => {
    // Act
    const targets = Object.values(TARGETS);

    // Assess
    expect(targets.map((t) => t.name)).toEqual([
      'new token, decision line on',
      'repeated token, decision line on',
      'cold start as deployed',
      'bundle',
      'HTTP API and REST front doors',
    ]);
    for (const t of targets) expect(t.aim).toBeLessThanOrEqual(t.atLeast);
    expect([TARGETS.newToken.aim, TARGETS.repeatedToken.aim, TARGETS.coldStart.atLeast, TARGETS.bundle.aim, TARGETS.doors.aim]).toEqual([1.15, 0.3, 5, 200 * 1024, 0.05]);
  });

  it('judges a cold start over the libraries in ms: none PASS, up to 5 ms AT LEAST', () => {
    // Act
    const results = [-1.2, 0, 4.9, 5.1].map((ms) => verdict(ms, TARGETS.coldStart));

    // Assess
    expect(results).toEqual(['PASS', 'PASS', 'AT LEAST', 'FAIL']);
  });

  it('exits non-zero on a FAIL only with --strict, never on AT LEAST', () => {
    // Act
    const codes = [exitCode(['PASS', 'FAIL', ''], false), exitCode(['PASS', 'FAIL'], true), exitCode(['PASS', 'AT LEAST', ''], true)];

    // Assess
    expect(codes).toEqual([0, 1, 0]);
  });
});

describe('bench targets: ratios and spreads', () => {
  it('takes a ratio within each round, then the median over rounds', () => {
    // Prepare: the machine slows down in rounds 3 and 5; handler and yardstick slow down together
    const handler = [11, 11, 36, 11.5, 20];
    const yardstick = [10, 10, 30, 10, 20];

    // Act
    const ratio = ratioOfRounds(handler, yardstick);

    // Assess: not the ratio of the medians, which mixes rounds
    expect(ratio).toBeCloseTo(1.1);
    expect(median(handler) / median(yardstick)).toBeCloseTo(1.15);
  });

  it('refuses rounds without a yardstick each', () => {
    // Act
    const act = (): number => ratioOfRounds([1, 2], [1]);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('gives the medians of odd and even counts, and NaN for none', () => {
    // Act
    const medians = [median([3, 1, 2]), median([4, 1, 3, 2]), median([])];

    // Assess
    expect(medians).toEqual([2, 2.5, Number.NaN]);
  });

  it('measures how far apart the front doors are from the fastest', () => {
    // Act
    const within = spread([10, 10.4, 10.2]);
    const apart = spread([10, 11]);

    // Assess
    expect(verdict(within, TARGETS.doors)).toBe('PASS');
    expect(apart).toBeCloseTo(0.1);
    expect(verdict(apart, TARGETS.doors)).toBe('FAIL');
  });
});

describe('bench: the deployment as template.yaml says', () => {
  const withAuthorizer = (metadata: Record<string, unknown>, variables: Record<string, unknown>, tracing?: string): Template => ({
    Parameters: {},
    Globals: { Function: tracing === undefined ? {} : { Tracing: tracing } },
    Resources: {
      AuthorizerFunction: { Type: 'AWS::Serverless::Function', Metadata: { BuildProperties: metadata }, Properties: { Environment: { Variables: variables } } },
    },
  });

  it('sets NODE_OPTIONS=--enable-source-maps when the template ships source maps, as sam build does', () => {
    // Act
    const on = deploymentOf(withAuthorizer({ Sourcemap: true, Minify: true }, {}));
    const off = deploymentOf(withAuthorizer({ Sourcemap: false, Minify: true }, { NODE_OPTIONS: '--max-old-space-size=200' }));

    // Assess
    expect([on.sourcemap, on.nodeOptions, on.buildOptions.sourcemap]).toEqual([true, '--enable-source-maps', true]);
    expect([off.sourcemap, off.nodeOptions, off.buildOptions.sourcemap]).toEqual([false, '--max-old-space-size=200', false]);
  });

  it.each([
    ['true', 'Active', true],
    ['false', 'Active', false],
    ['FALSE', 'PassThrough', false],
    [undefined, 'Active', true],
  ])('loads the X-Ray SDK with POWERTOOLS_TRACE_ENABLED=%s (Tracing %s): %s', (value, tracing, loads) => {
    // Act
    const d = deploymentOf(withAuthorizer({}, value === undefined ? {} : { POWERTOOLS_TRACE_ENABLED: value }, tracing));

    // Assess
    expect(d.tracerLoads).toBe(loads);
    expect(d.activeTracing).toBe(tracing === 'Active');
  });

  it('reads the repository’s template.yaml', () => {
    // Act
    const d = deploymentOf(loadTemplate());

    // Assess
    expect(d.buildOptions).toMatchObject({ bundle: true, platform: 'node', format: 'cjs' });
    expect(d.nodeOptions === undefined || d.nodeOptions.includes('--enable-source-maps') === d.sourcemap).toBe(true);
  });
});

describe('bench: the cache effect', () => {
  const mix: SessionMix = { users: 12, requestsPerUser: 15, seed: 7, ttlSeconds: 300 };

  it('replays the same session mix for the same seed, each user’s requests in order', () => {
    // Act
    const [a, b] = [sessionMix(mix), sessionMix(mix)];
    const other = sessionMix({ ...mix, seed: 8 });

    // Assess
    expect(a).toEqual(b);
    expect(other.requests).not.toEqual(a.requests);
    expect(a.requests).toHaveLength(mix.users * mix.requestsPerUser);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it('counts a naive authorizer’s cached answers for other routes as wrong 403s, and TTL 0 as one invocation a request', async () => {
    // Prepare
    const key = makeKey();
    const { kinds, requests } = sessionMix(mix);
    const tokens = kinds.map(() => signJwt(key, cognitoClaims({ groups: ['admins'] })));
    const naive = naiveAuthorizer(RULES);

    // Act
    const cached = await replay(replayModels(RULES, 300).rest, RULES, tokens, requests, naive, 300);
    const uncached = await replay(replayModels(RULES, 0).rest, RULES, tokens, requests, naive, 0);

    // Assess: admins may do everything, so every refusal is wrong
    expect(cached.wrongAllows).toBe(0);
    expect(cached.wrongDenies).toBeGreaterThan(0);
    expect(cached.invocations).toBe(mix.users);
    expect(uncached).toEqual({ requests: requests.length, invocations: requests.length, wrongDenies: 0, wrongAllows: 0 });
    expect(perThousand(uncached)).toEqual({ invocations: 1000, wrong: 0 });
  });

  it('finds this authorizer right on every request with one invocation per caller and API', async () => {
    // Prepare
    const key = makeKey();
    const jwks = await new JwksServer([key]).start();
    const authorizer = createAuthorizer({ env: { ...authorizerEnv(jwks.endpoint), POWERTOOLS_LOG_LEVEL: 'ERROR' } });

    // Act
    const effects = await cacheEffect(RULES, key, (event) => authorizer.handler(event), mix).finally(() => jwks.stop());

    // Assess
    for (const e of effects) {
      expect(e.ours).toEqual({ requests: mix.users * mix.requestsPerUser, invocations: mix.users, wrongDenies: 0, wrongAllows: 0 });
      expect(e.naiveUncached.invocations).toBe(mix.users * mix.requestsPerUser);
    }
    expect(headline(effects, mix)).toMatch(/^Replaying 12 users × 15 requests .* invoked 66\.7 times per 1,000 requests with 0 wrong answers/);
  });
});
