// Bench child (forked, stdout on /dev/null): the floor and the built handler's warm decisions, with logs written.
// Reports over IPC: { floor, library, warmNew, warmRepeated, jwks, logs }.
import { createRequire } from 'node:module';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Bench } from 'tinybench';
import { accessClaims, authorizerEnv, CLIENT_ID, makeKey, POOL_ID, signJwt, startJwksServer } from './bench-issuer.mjs';

// A failure prints its stack only (an uncaught error would also print the minified bundle's source line).
const fail = (err) => {
  process.stderr.write(`bench-warm: ${err?.stack ?? err}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail).on('unhandledRejection', fail);
const require = createRequire(import.meta.url);
const { bundle, newTokens, repeatTokens, rounds, tracing } = JSON.parse(process.argv[2]);

// Callers and requests over the bundled sample rules (config/rules.json): allows and denies mixed.
const CALLERS = [
  { groups: ['admins'] },
  { groups: ['readers'] },
  { scopes: ['pets/read'] },
  { scopes: ['pets/read', 'pets/write'] },
  {},
  { groups: ['admins', 'suspended'] },
];
const REQUESTS = ['GET/pets', 'GET/pets/17', 'DELETE/pets/17', 'POST/pets', 'GET/me', 'GET/admin/users/3', 'PUT/pets/17'];
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/';

// Every line the authorizer logs still goes through Powertools' Console and a write(2) to /dev/null;
// only counted on the way.
let logLines = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  logLines++;
  return write(chunk, ...rest);
};

const key = makeKey();
const jwks = await startJwksServer([key]);
Object.assign(process.env, authorizerEnv(jwks.endpoint));

// Tracing on, as in Lambda with active tracing: X-Ray in Lambda mode, a new trace header before
// each request (set outside the timed call, as the runtime does), segments sent over UDP to a
// local socket standing in for the X-Ray daemon (never read: what is measured is the sending).
let daemon;
const newTrace = () => {
  process.env['_X_AMZN_TRACE_ID'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
};
if (tracing) {
  daemon = createSocket('udp4');
  await new Promise((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: process.cwd(),
    POWERTOOLS_TRACE_ENABLED: 'true',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
  });
  newTrace();
}
const perRequest = tracing ? { beforeEach: newTrace } : {};
const built = require(bundle);
let calls = 0;
const handler = (event) => {
  calls++;
  return built.handler(event);
};

const warmupCount = Math.max(100, Math.round(newTokens / 5));
const SPARE = 1; // the first request
const events = Array.from({ length: newTokens + warmupCount + SPARE }, (_, i) => ({
  type: 'TOKEN',
  authorizationToken: `Bearer ${signJwt(key, accessClaims(CALLERS[i % CALLERS.length]))}`,
  methodArn: ARN + REQUESTS[i % REQUESTS.length],
}));

// First request: waits for hydration (as a cold start's first request does); not measured.
let next = 0;
await handler(events[next++]);
const jwksAtStart = jwks.requests();

const publicKey = createPublicKey({ key: key.jwk, format: 'jwk' });
const floorTokens = events.slice(0, 1000).map((e) => e.authorizationToken.slice('Bearer '.length));
let f = 0;
function floor() {
  const token = floorTokens[f++ % floorTokens.length];
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) throw new Error('floor: bad signature');
  return header.kid === key.kid && payload.exp > 0;
}

// The library the authorizer verifies with, alone: what is left of the gap to the floor is the authorizer's.
const { CognitoJwtVerifier } = require('aws-jwt-verify');
const library = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'access' });
library.cacheJwks({ keys: [key.jwk] });
let l = 0;
const libraryAlone = () => library.verifySync(floorTokens[l++ % floorTokens.length]);

/** Latency statistics of a finished tinybench task, in µs. */
function stats(task) {
  const { latency } = task.result;
  return { mean: latency.mean * 1000, p50: latency.p50 * 1000, p99: latency.p99 * 1000, samples: task.runs };
}

// The most recent tokens (well inside the verified-claims cache), asked again about other routes.
// Each call gets its own copy of the token string, as each Lambda event is freshly parsed JSON (a
// reused string would carry its hash from the last lookup, flattering the cache).
let r = 0;
let recent = [];
const repeated = () => handler(recent[r++]);
const copy = (text) => Buffer.from(text).toString();
const remember = (count) => () => {
  const seen = events.slice(Math.max(1, next - repeatTokens), next);
  r = 0;
  recent = Array.from({ length: count }, (_, i) => ({
    ...seen[i % seen.length],
    authorizationToken: copy(seen[i % seen.length].authorizationToken),
    methodArn: ARN + REQUESTS[(i + 3) % REQUESTS.length],
  }));
};

/**
 * One round: the floor, the handler on fresh tokens, the handler on repeated tokens, back to back
 * (tinybench, fixed iteration counts). Rounds are compared by their ratios, so drift on a shared
 * machine moves floor and handler together.
 */
async function round(perRound) {
  const bench = new Bench({ iterations: perRound, time: 0, warmup: false, throws: true });
  // `async` given: otherwise tinybench calls each task once to find out, spending a fresh token.
  bench.add('floor', floor, { async: false });
  bench.add('aws-jwt-verify alone', libraryAlone, { async: false });
  bench.add('warm new token', () => handler(events[next++]), { async: true, ...perRequest });
  bench.add('warm repeated token', repeated, { async: true, beforeAll: remember(perRound), ...perRequest });
  await bench.run();
  const [fl, lib, nw, rp] = bench.tasks.map(stats);
  return { floor: fl, library: lib, warmNew: nw, warmRepeated: rp };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
await round(warmupCount);
const [logsBefore, callsBefore] = [logLines, calls];
const results = [];
for (let i = 0; i < rounds; i++) results.push(await round(Math.floor(newTokens / rounds)));
if (next > events.length) throw new Error(`bench-warm: ran out of fresh tokens (${next} > ${events.length})`);

const summary = (pick) => ({
  mean: median(results.map((x) => pick(x).mean)),
  p50: median(results.map((x) => pick(x).p50)),
  p99: median(results.map((x) => pick(x).p99)),
  samples: results.reduce((n, x) => n + pick(x).samples, 0),
});
process.send({
  rounds,
  floor: summary((x) => x.floor),
  library: { ...summary((x) => x.library), ratio: median(results.map((x) => x.library.mean / x.floor.mean)) },
  warmNew: { ...summary((x) => x.warmNew), ratio: median(results.map((x) => x.warmNew.mean / x.floor.mean)) },
  warmRepeated: { ...summary((x) => x.warmRepeated), ratio: median(results.map((x) => x.warmRepeated.mean / x.floor.mean)) },
  jwks: { atStart: jwksAtStart, warmPath: jwks.requests() - jwksAtStart },
  logs: { linesPerDecision: (logLines - logsBefore) / (calls - callsBefore) },
});
await jwks.close();
daemon?.close();
process.disconnect();
