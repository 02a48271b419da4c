// Bench child (forked, stdout on /dev/null): the floor and the built handler's warm decisions, with logs written.
// Reports over IPC: { floor, library, warmNew, warmRepeated, jwks, logs }.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { authorizerEnv, CLIENT_ID, cognitoClaims, JwksServer, makeKey, POOL_ID, signJwt, type CallerSpec } from '../../tests/helpers/issuer';
import { latencyOf, loadTinybench } from './bench-rules';
import { benchChild, type Handler } from './bench-child';

interface Args {
  readonly bundle: string;
  readonly newTokens: number;
  readonly repeatTokens: number;
  readonly rounds: number;
  readonly tracing?: boolean;
}

// Callers and requests over the bundled sample rules (config/rules.json): allows and denies mixed.
const CALLERS: CallerSpec[] = [
  { groups: ['admins'] },
  { groups: ['readers'] },
  { scopes: ['pets/read'] },
  { scopes: ['pets/read', 'pets/write'] },
  {},
  { groups: ['admins', 'suspended'] },
];
const REQUESTS = ['GET/pets', 'GET/pets/17', 'DELETE/pets/17', 'POST/pets', 'GET/me', 'GET/admin/users/3', 'PUT/pets/17'];
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/';

interface Stats {
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
}

benchChild('bench-warm', async ({ bundle, newTokens, repeatTokens, rounds, tracing }: Args, loadHandler) => {
  // Every line the authorizer logs still goes through Powertools' Console and a write(2) to /dev/null;
  // only counted on the way.
  let logLines = 0;
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    logLines++;
    return write(chunk, ...rest);
  });

  const key = makeKey();
  const jwks = await new JwksServer([key]).start();
  Object.assign(process.env, authorizerEnv(jwks.endpoint), { POWERTOOLS_LOG_LEVEL: 'INFO' });

  // Tracing on, as in Lambda with active tracing: X-Ray in Lambda mode, a new trace header before
  // each request (set outside the timed call, as the runtime does), segments sent over UDP to a
  // local socket standing in for the X-Ray daemon (never read: what is measured is the sending).
  let daemon: Socket | undefined;
  const newTrace = (): void => {
    process.env['_X_AMZN_TRACE_ID'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
  };
  if (tracing === true) {
    const socket = createSocket('udp4');
    daemon = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: process.cwd(),
      POWERTOOLS_TRACE_ENABLED: 'true',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(socket.address()).port}`,
    });
    newTrace();
  }
  const perRequest = tracing === true ? { beforeEach: newTrace } : {};
  const built: Handler = loadHandler(bundle);
  let calls = 0;
  const handler: Handler = (event) => {
    calls++;
    return built(event);
  };

  const warmupCount = Math.max(100, Math.round(newTokens / 5));
  const SPARE = 1; // the first request
  const events = Array.from({ length: newTokens + warmupCount + SPARE }, (_, i) => ({
    type: 'TOKEN',
    authorizationToken: `Bearer ${signJwt(key, cognitoClaims(CALLERS[i % CALLERS.length]))}`,
    methodArn: ARN + (REQUESTS[i % REQUESTS.length] as string),
  }));

  // First request: waits for hydration (as a cold start's first request does); not measured.
  let next = 0;
  await handler(events[next++]);
  const jwksAtStart = jwks.requests;

  const publicKey = createPublicKey({ key: { ...key.jwk }, format: 'jwk' });
  const floorTokens = events.slice(0, 1000).map((e) => e.authorizationToken.slice('Bearer '.length));
  let f = 0;
  function floor(): boolean {
    const token = floorTokens[f++ % floorTokens.length] as string;
    const [h, p, s] = token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: string };
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { exp: number };
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) throw new Error('floor: bad signature');
    return header.kid === key.kid && payload.exp > 0;
  }

  // The library the authorizer verifies with, alone: what is left of the gap to the floor is the authorizer's.
  const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'access' });
  library.cacheJwks({ keys: [key.jwk as never] });
  let l = 0;
  const libraryAlone = (): unknown => library.verifySync(floorTokens[l++ % floorTokens.length] as string);

  // The most recent tokens (well inside the verified-claims cache), asked again about other routes.
  // Each call gets its own copy of the token string, as each Lambda event is freshly parsed JSON (a
  // reused string would carry its hash from the last lookup, flattering the cache).
  let r = 0;
  let recent: typeof events = [];
  const repeated = (): Promise<unknown> => handler(recent[r++]);
  const copy = (text: string): string => Buffer.from(text).toString();
  const remember = (count: number) => (): void => {
    const seen = events.slice(Math.max(1, next - repeatTokens), next);
    r = 0;
    recent = Array.from({ length: count }, (_, i) => {
      const e = seen[i % seen.length] as (typeof events)[number];
      return { ...e, authorizationToken: copy(e.authorizationToken), methodArn: ARN + (REQUESTS[(i + 3) % REQUESTS.length] as string) };
    });
  };

  const { Bench } = await loadTinybench();
  /**
   * One round: the floor, the handler on fresh tokens, the handler on repeated tokens, back to back
   * (tinybench, fixed iteration counts). Rounds are compared by their ratios, so drift on a shared
   * machine moves floor and handler together.
   */
  async function round(perRound: number): Promise<Record<'floor' | 'library' | 'warmNew' | 'warmRepeated', Stats>> {
    const bench = new Bench({ iterations: perRound, time: 0, warmup: false, throws: true });
    // `async` given: otherwise tinybench calls each task once to find out, spending a fresh token.
    bench.add('floor', floor, { async: false });
    bench.add('aws-jwt-verify alone', libraryAlone, { async: false });
    bench.add('warm new token', () => handler(events[next++]), { async: true, ...perRequest });
    bench.add('warm repeated token', repeated, { async: true, beforeAll: remember(perRound), ...perRequest });
    await bench.run();
    const [fl, lib, nw, rp] = bench.tasks.map((task) => ({ ...latencyOf(task), samples: task.runs })) as [Stats, Stats, Stats, Stats];
    return { floor: fl, library: lib, warmNew: nw, warmRepeated: rp };
  }

  const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  await round(warmupCount);
  const [logsBefore, callsBefore] = [logLines, calls];
  const results: Awaited<ReturnType<typeof round>>[] = [];
  for (let i = 0; i < rounds; i++) results.push(await round(Math.floor(newTokens / rounds)));
  if (next > events.length) throw new Error(`bench-warm: ran out of fresh tokens (${next} > ${events.length})`);

  type Name = keyof (typeof results)[number];
  const summary = (name: Name) => ({
    mean: median(results.map((x) => x[name].mean)),
    p50: median(results.map((x) => x[name].p50)),
    p99: median(results.map((x) => x[name].p99)),
    samples: results.reduce((n, x) => n + x[name].samples, 0),
  });
  const ratio = (name: Name): number => median(results.map((x) => x[name].mean / x.floor.mean));
  const report = {
    rounds,
    floor: summary('floor'),
    library: { ...summary('library'), ratio: ratio('library') },
    warmNew: { ...summary('warmNew'), ratio: ratio('warmNew') },
    warmRepeated: { ...summary('warmRepeated'), ratio: ratio('warmRepeated') },
    jwks: { atStart: jwksAtStart, warmPath: jwks.requests - jwksAtStart },
    logs: { linesPerDecision: (logLines - logsBefore) / (calls - callsBefore) },
  };
  await jwks.stop();
  daemon?.close();
  return report;
});
