// Bench child (forked, stdout on /dev/null): the built handler's warm decisions as in Lambda — a Lambda context and a new
// X-Ray trace header per request, the decision line written at INFO — against its yardsticks, in interleaved rounds.
// Reports over IPC: WarmReport.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { authorizerEnv, CLIENT_ID, cognitoClaims, JwksServer, makeKey, POOL_ID, signJwt, type CallerSpec, type SigningKey } from '../../tests/helpers/issuer';
import { benchChild, type Handler } from './bench-child';
import { timeInterleaved, type TimedTask } from './bench-timer';
import { createHttpModel } from './local-api/http';
import type { ApiModel } from './local-api/model';
import { describeRequest } from './local-api/request';
import { createRestModel } from './local-api/rest';
import { routeStage } from './local-api/route';
import { DOORS, type Door, type WarmArgs, type WarmReport } from './bench-warm-report';

// Callers and requests over the bundled sample rules (config/rules.json): allows and denies mixed.
const CALLERS: CallerSpec[] = [{ groups: ['admins'] }, { groups: ['readers'] }, { scopes: ['pets/read'] }, { scopes: ['pets/read', 'pets/write'] }, {}, { groups: ['admins', 'suspended'] }];
const REQUESTS: readonly [string, string][] = [
  ['GET', '/pets'],
  ['GET', '/pets/17'],
  ['DELETE', '/pets/17'],
  ['POST', '/pets'],
  ['GET', '/me'],
  ['GET', '/admin/users/3'],
  ['PUT', '/admin/users/3'],
];

const ROUTES = ['GET /pets', 'POST /pets', 'GET /pets/{petId}', 'DELETE /pets/{petId}', 'GET /me', 'ANY /admin/{proxy+}'];
const MODELS: Record<Door, ApiModel> = {
  'rest-token': createRestModel({ routes: ROUTES, type: 'TOKEN', ttlSeconds: 300, corsOrigin: '*' }),
  'rest-request': createRestModel({ routes: ROUTES, type: 'REQUEST', ttlSeconds: 300, corsOrigin: '*' }),
  'http-2.0': createHttpModel({ routes: ROUTES, payload: '2.0', simple: false, corsOrigin: '*' }),
  'http-1.0': createHttpModel({ routes: ROUTES, payload: '1.0', simple: false, corsOrigin: '*' }),
};

/** A copy of a string, as each event's JSON parse makes its own (a reused string keeps its hash and flatters caches). */
const copy = (text: string): string => Buffer.from(text).toString();

/** The authorizer event `door` receives for a request carrying `token`, every string in it fresh. */
function doorEvent(door: Door, token: string, i: number): unknown {
  const [method, path] = REQUESTS[i % REQUESTS.length] as [string, string];
  const model = MODELS[door];
  const request = describeRequest({ method, url: path, rawHeaders: ['Host', 'api.example.com', 'Authorization', copy(`Bearer ${token}`)], requestId: `bench-${i}` });
  const route = routeStage(model, request);
  if (route.kind !== 'routed') throw new Error(`bench-warm: ${method} ${path} is not routed`);
  return JSON.parse(JSON.stringify(model.authorizerEvent(request, route.routed))) as unknown;
}

/** What the Lambda runtime hands each invocation: a context with its own request id. */
function lambdaContext(i: number): Record<string, unknown> {
  return {
    functionName: 'bench-authorizer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-authorizer',
    memoryLimitInMB: '256',
    awsRequestId: `8f5e2c1a-0000-4000-8000-${String(i).padStart(12, '0')}`,
    logGroupName: '/aws/lambda/bench-authorizer',
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 5000,
  };
}

/** The runtime's new trace header (Tracing: Active sets one per invocation whether or not the SDK is loaded; the bench, per batch). */
function newTrace(): void {
  process.env['_X_AMZN_TRACE_ID'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
}

/** The environment Lambda gives the function; tracing as POWERTOOLS_TRACE_ENABLED says, segments to a local socket. */
async function lambdaEnvironment(jwksEndpoint: string, tracing: boolean): Promise<Socket | undefined> {
  Object.assign(process.env, authorizerEnv(jwksEndpoint), {
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: process.cwd(),
    POWERTOOLS_TRACE_ENABLED: tracing ? 'true' : 'false',
  });
  newTrace();
  if (!tracing) return undefined;
  // A stand-in for the X-Ray daemon, never read: what is measured is the sending.
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  process.env['AWS_XRAY_DAEMON_ADDRESS'] = `127.0.0.1:${socket.address().port}`;
  return socket;
}

/** The floor: split, decode and parse header and payload, RS256-verify with a key imported in advance. No verifier does less. */
function floorVerifier(key: SigningKey): (token: string) => boolean {
  const publicKey = createPublicKey({ key: { ...key.jwk }, format: 'jwk' });
  return (token) => {
    const [h, p, s] = token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: string };
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { exp: number };
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) throw new Error('floor: bad signature');
    return header.kid === key.kid && payload.exp > 0;
  };
}

/** Counts the lines written to stdout (still written, to /dev/null) and keeps the last one. */
function countLines(): { lines: () => number; last: () => string } {
  let lines = 0;
  let last = '';
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    lines++;
    last = String(chunk);
    return write(chunk, ...rest);
  });
  return { lines: () => lines, last: () => last };
}

benchChild('bench-warm', async (args: WarmArgs, loadHandler) => {
  const out = countLines();
  const key = makeKey();
  const jwks = await new JwksServer([key]).start();
  const daemon = await lambdaEnvironment(jwks.endpoint, args.tracing === true);
  const handler: Handler = loadHandler(args.bundle);
  const invoke = (event: unknown, i: number): Promise<unknown> => (handler as (e: unknown, c: unknown) => Promise<unknown>)(event, lambdaContext(i));

  // Tokens: fresh ones for every new-token call of every round (and the warm-up), a pool for repeats.
  const perRound = args.perRound;
  const mint = (_: unknown, i: number): string => signJwt(key, cognitoClaims(CALLERS[i % CALLERS.length]));
  const fresh = Array.from({ length: perRound * (args.rounds + 1) }, mint);
  const pool = Array.from({ length: 300 }, mint);
  // First request: waits for hydration (as a cold start's first request does); not measured.
  await invoke(doorEvent('rest-token', pool[0] as string, 0), 0);
  const jwksAtStart = jwks.requests;
  for (const token of pool) await invoke(doorEvent('rest-token', token, 1), 1);
  const line = out.last();

  const floor = floorVerifier(key);
  const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'access' });
  library.cacheJwks({ keys: [key.jwk as never] });
  let seq = 1000;
  // Tokens the handler verified, the latest last: a repeated call asks one of the latest 200, so it
  // is in the verified-claims cache (1,000 entries) however the batches of new tokens fall.
  const verified: string[] = [...pool];
  const RECENT = 200;

  /** A repeated-token task for a door: each batch's events made before it (outside the timing) from recent tokens. */
  function repeatedTask(door: Door): TimedTask {
    let events: unknown[] = [];
    let first = 0;
    return {
      name: `repeated ${door}`,
      before: (i) => {
        newTrace();
        first = i;
        events = Array.from({ length: args.batchSize }, (_, k) => {
          const back = ((i + k) * 7) % Math.min(RECENT, verified.length);
          return doorEvent(door, verified[verified.length - 1 - back] as string, i + k);
        });
      },
      call: (i) => invoke(events[i - first], seq++),
    };
  }

  async function round(r: number): Promise<Record<string, number>> {
    const newTokens = fresh.slice(perRound * r, perRound * (r + 1));
    let newEvents: unknown[] = [];
    let firstNew = 0;
    const tasks: TimedTask[] = [
      { name: 'floor', call: (i) => floor(newTokens[i] as string) },
      { name: 'library', call: (i) => library.verifySync(newTokens[i] as string) },
      // The yardstick of the new-token target: the library and one line write, as a handler (async, as Lambda calls it).
      {
        name: 'library+line',
        call: (i) => {
          library.verifySync(newTokens[i] as string);
          process.stdout.write(line);
          return Promise.resolve();
        },
      },
      {
        name: 'new',
        // Events made per batch, as for repeated tokens (not a round's worth kept alive across it).
        before: (i) => {
          newTrace();
          firstNew = i;
          newEvents = newTokens.slice(i, i + args.batchSize).map((t, k) => doorEvent('rest-token', t, i + k));
        },
        call: (i) => {
          verified.push(newTokens[i] as string);
          return invoke(newEvents[i - firstNew], seq++);
        },
      },
      ...(args.doors === true ? DOORS : (['rest-token'] as const)).map(repeatedTask),
    ];
    return timeInterleaved(tasks, perRound / args.batchSize, args.batchSize);
  }

  await round(args.rounds); // warm-up, on the spare tokens
  const [linesBefore, seqBefore] = [out.lines(), seq];
  const rounds: Record<string, number>[] = [];
  for (let r = 0; r < args.rounds; r++) rounds.push(await round(r));
  const handlerCalls = seq - seqBefore;
  // The yardstick writes one line per call too.
  const linesPerDecision = (out.lines() - linesBefore - args.rounds * perRound) / handlerCalls;
  const report: WarmReport = { rounds, lineBytes: Buffer.byteLength(line), jwks: { atStart: jwksAtStart, warmPath: jwks.requests - jwksAtStart }, linesPerDecision };
  await jwks.stop();
  daemon?.close();
  return report;
});
