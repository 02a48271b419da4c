// `npm start`: the sample API on 127.0.0.1 as API Gateway REST serves it — built authorizer (with its result cache), backend, local issuer.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import gw from './lib/api-gateway.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const HOST = '127.0.0.1';
/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** How long the authorizer and the backend may take before the request is answered with an error. */
const AUTHORIZER_TIMEOUT_MS = 10_000;
const BACKEND_TIMEOUT_MS = 29_000;
const MAX_LOGGED_PATH = 200;

const USAGE = `Usage: npm start [-- options]

Serves the sample API on http://${HOST}:\${PORT:-3000} the way API Gateway REST serves template.yaml:
routes from the rules, the built Lambda authorizer (dist/authorizer.js) with API Gateway's result
cache, then the sample backend (dist/backend.js) through a Lambda proxy event; CORS preflights. Builds dist/ first when it is
missing or older than src/.

Options:
  --request        use a REQUEST authorizer (identity source: the Authorization header)
  --token          use a TOKEN authorizer (the default)
  --no-build       fail instead of building when dist/ is missing or stale
  -h, --help       show this help

Environment:
  PORT                        port on ${HOST} (default 3000; 0 picks a free one)
  AUTHORIZER_TYPE             TOKEN (default) or REQUEST
  AUTHORIZER_TTL              seconds API Gateway caches an authorizer answer (default 300, 0 = off, max 3600)
  USER_POOL_IDS, CLIENT_IDS   set both to trust that issuer instead of the embedded one: with the
                              endpoint below for moto_server or LocalStack, else Amazon Cognito
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER  that issuer's endpoint (JWKS at <endpoint>/<poolId>/.well-known/jwks.json)
  TOKEN_USE, ROUTE_RULES      passed to the authorizer as in Lambda; ROUTE_RULES (inline rules JSON,
                              default config/rules.json) also defines the local API's routes
  CORS_ALLOW_ORIGIN           Access-Control-Allow-Origin, as the template's CorsAllowOrigin (default *)
  POWERTOOLS_LOG_LEVEL        the authorizer's log level (WARN hides its per-request decision lines)
  LOCAL_ISSUER_DIR            where the embedded issuer keeps its key (default .local/issuer)
`;

class UsageError extends Error {}

function fail(message, code = 1) {
  process.stderr.write(`local-api: ${message}\n`);
  process.exit(code);
}

function readOptions(argv, env) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        request: { type: 'boolean' },
        token: { type: 'boolean' },
        'no-build': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`PORT must be a port number 0–65535 (got "${portText}")`);
  const ttlText = env.AUTHORIZER_TTL?.trim() || '300';
  const ttl = Number(ttlText);
  if (!/^\d+$/.test(ttlText) || ttl > 3600) {
    throw new UsageError(`AUTHORIZER_TTL must be whole seconds 0–3600, as in API Gateway (got "${ttlText}")`);
  }
  if (values.request && values.token) throw new UsageError('--request and --token exclude each other');
  let type = (env.AUTHORIZER_TYPE?.trim() || 'TOKEN').toUpperCase();
  if (values.request) type = 'REQUEST';
  if (values.token) type = 'TOKEN';
  if (type !== 'TOKEN' && type !== 'REQUEST') throw new UsageError(`AUTHORIZER_TYPE must be TOKEN or REQUEST (got "${type}")`);
  return { port, ttl, type, build: !values['no-build'] };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/ built from the current src/ and rules, building it when allowed. */
function ensureBuilt(allowBuild) {
  const outputs = ['dist/authorizer.js', 'dist/backend.js'].map((f) => path.join(root, f));
  const sources = Math.max(newestMtime(path.join(root, 'src')), statSync(path.join(root, 'config', 'rules.json')).mtimeMs);
  const stale = outputs.filter((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
  if (stale.length === 0) return;
  const what = stale.map((f) => path.relative(root, f)).join(' and ');
  if (!allowBuild) fail(`${what} missing or older than src/: run \`npm run build\` first (or drop --no-build)`);
  process.stderr.write(`local-api: ${what} missing or older than src/ — building (npm run build)…\n`);
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
  if (built.status !== 0) fail('the build failed (see above); fix it, then `npm run build` or `npm start` again');
}

/** Which issuer the authorizer trusts: the embedded one, or USER_POOL_IDS/CLIENT_IDS from the environment. */
function chooseIssuer(env) {
  const pools = env.USER_POOL_IDS?.trim();
  const clients = env.CLIENT_IDS?.trim();
  const endpoint = (env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER || env.AWS_ENDPOINT_URL || '').trim();
  if (!pools && !clients) return { kind: 'embedded', ignoredEndpoint: endpoint || undefined };
  if (!pools || !clients) {
    throw new UsageError(
      `${pools ? 'CLIENT_IDS' : 'USER_POOL_IDS'} is not set: set both USER_POOL_IDS and CLIENT_IDS to use your ` +
        'own issuer, or neither to use the embedded one',
    );
  }
  return { kind: 'environment', pools, clients, endpoint: endpoint || undefined };
}

function loadRules(env) {
  const inline = env.ROUTE_RULES?.trim();
  if (inline) {
    try {
      return { doc: JSON.parse(inline), source: 'ROUTE_RULES' };
    } catch (err) {
      throw new UsageError(`ROUTE_RULES is not valid JSON: ${err.message}`);
    }
  }
  return { doc: JSON.parse(readFileSync(path.join(root, 'config', 'rules.json'), 'utf8')), source: 'config/rules.json' };
}

function lambdaContext(functionName, awsRequestId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${gw.LOCAL_API.region}:${gw.LOCAL_API.account}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

class Timeout extends Error {}

/** Invokes a Lambda handler (async or callback style), giving up after `timeoutMs`. */
function invoke(fn, event, context, timeoutMs) {
  let timer;
  const run = new Promise((resolve, reject) => {
    const returned = fn(event, context, (err, value) => (err ? reject(err) : resolve(value)));
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') returned.then(resolve, reject);
  });
  const expire = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([run, expire]).finally(() => clearTimeout(timer));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { tooLarge: true }));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function main() {
  const env = process.env;
  let options;
  let issuer;
  let rules;
  let router;
  try {
    options = readOptions(process.argv.slice(2), env);
    issuer = chooseIssuer(env);
    rules = loadRules(env);
    router = gw.createRouter(rules.doc);
  } catch (err) {
    fail(`${err.message}${err instanceof UsageError ? ' (see npm start -- --help)' : ''}`, 2);
  }
  ensureBuilt(options.build);
  return serve(options, issuer, rules, router);
}

async function serve(options, issuer, rules, router) {
  const env = process.env;
  let local;
  let signingKey;
  if (issuer.kind === 'embedded') {
    local = await import('./lib/local-issuer.mjs');
    signingKey = local.loadOrCreateKey(env.LOCAL_ISSUER_DIR || undefined);
  }
  const jwksPath = local === undefined ? undefined : `/${local.LOCAL_POOL_ID}/.well-known/jwks.json`;
  const jwksBody = local === undefined ? undefined : JSON.stringify(local.jwks(signingKey));
  const cache = gw.createResultCache(options.ttl);
  const tokenValidation = new RegExp(gw.TOKEN_VALIDATION_EXPRESSION);
  // As template.yaml's CorsAllowOrigin (default *): on gateway responses, preflights and, through
  // the backend's own environment, its answers.
  const corsOrigin = env.CORS_ALLOW_ORIGIN?.trim() || '*';
  const corsHeaders = { 'Access-Control-Allow-Origin': corsOrigin, 'Access-Control-Allow-Headers': gw.CORS.allowHeaders };
  let authorizer;
  let backend;

  function send(res, statusCode, headers, body) {
    res.writeHead(statusCode, headers);
    res.end(body);
  }

  function gatewayResponse(res, requestId, response, extraHeaders = {}) {
    send(
      res,
      response.statusCode,
      {
        'content-type': 'application/json',
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': response.errorType,
        ...corsHeaders,
        ...extraHeaders,
      },
      JSON.stringify({ message: response.message }),
    );
    return response.statusCode;
  }

  /** Runs one request through API Gateway's steps; answers the decision for the access log. */
  async function handle(req, res, requestId) {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const rawPath = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (jwksPath !== undefined && method === 'GET' && rawPath === jwksPath) {
      send(res, 200, { 'content-type': 'application/json' }, jwksBody);
      return { status: 200, decision: 'jwks' };
    }
    if (method === 'OPTIONS' && router.preflight(rawPath)) {
      // SAM's CORS support: a mock OPTIONS method on every resource, outside the authorizer.
      const headers = {
        ...corsHeaders,
        'Access-Control-Allow-Methods': gw.CORS.allowMethods,
        'Access-Control-Max-Age': gw.CORS.maxAge,
        'x-amzn-RequestId': requestId,
      };
      send(res, 200, headers, '');
      return { status: 200, decision: 'cors preflight' };
    }
    const routed = router.resolve(method, rawPath);
    if (routed === undefined) {
      return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.missingAuthenticationToken), decision: 'no-route' };
    }
    const request = gw.describeRequest({
      method,
      path: rawPath,
      query: url.search,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? HOST,
      requestId,
    });
    const unauthorized = () => gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.unauthorized, { 'WWW-Authenticate': 'Bearer' });

    // The identity source: API Gateway answers 401 itself, without the authorizer, when it is
    // missing (TOKEN always; REQUEST when caching is on).
    const credential = gw.headerValue(request, 'authorization');
    const missing = credential === undefined || credential.trim() === '';
    if (missing && (options.type === 'TOKEN' || options.ttl > 0)) {
      return { status: unauthorized(), decision: 'unauthorized (no identity source)' };
    }
    if (options.type === 'TOKEN' && !tokenValidation.test(credential)) {
      return { status: unauthorized(), decision: 'unauthorized (identity validation expression)' };
    }
    const cacheKey = options.type === 'TOKEN' ? credential : (request.multiValueHeaders[
      Object.keys(request.multiValueHeaders).find((k) => k.toLowerCase() === 'authorization') ?? ''
    ] ?? []).join(',');
    let answer = cacheKey === undefined ? undefined : cache.get(cacheKey);
    const cached = answer !== undefined;
    let integrationLatency = 0;
    if (answer === undefined) {
      const event =
        options.type === 'TOKEN' ? gw.tokenAuthorizerEvent(credential, request) : gw.requestAuthorizerEvent(request, routed);
      const started = performance.now();
      try {
        answer = await invoke(authorizer, event, lambdaContext('AuthorizerFunction', randomUUID(), AUTHORIZER_TIMEOUT_MS), AUTHORIZER_TIMEOUT_MS);
      } catch (err) {
        if (err instanceof Error && err.message === 'Unauthorized') return { status: unauthorized(), decision: 'unauthorized' };
        process.stderr.write(`local-api: the authorizer failed (${err instanceof Error ? `${err.name}: ${err.message}` : 'non-Error'}) → 500\n`);
        return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.authorizerFailure), decision: 'authorizer error' };
      }
      integrationLatency = Math.round(performance.now() - started);
      const problem = gw.checkAuthorizerResult(answer);
      if (problem !== undefined) {
        process.stderr.write(`local-api: API Gateway would reject the authorizer's answer: ${problem} → 500\n`);
        return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.authorizerFailure), decision: 'authorizer error' };
      }
      if (cacheKey !== undefined) cache.set(cacheKey, answer);
    }
    const tag = cached ? ' (cached)' : '';
    const verdict = gw.evaluatePolicy(answer.policyDocument, gw.methodArn(method, rawPath));
    if (verdict === 'explicit-deny') {
      return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.explicitDeny), decision: `deny${tag}` };
    }
    if (verdict === 'implicit-deny') {
      const decision = cached ? 'deny (implicit, cached)' : 'deny (implicit)';
      return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.implicitDeny), decision };
    }

    const event = gw.proxyEvent(request, routed, { ...answer, integrationLatency });
    let result;
    try {
      result = gw.proxyResponse(
        await invoke(backend, event, lambdaContext('BackendFunction', randomUUID(), BACKEND_TIMEOUT_MS), BACKEND_TIMEOUT_MS),
      );
    } catch (err) {
      const timeout = err instanceof Timeout;
      process.stderr.write(`local-api: the backend failed (${err instanceof Error ? `${err.name}: ${err.message}` : 'non-Error'}) → ${timeout ? 504 : 502}\n`);
      const response = timeout ? gw.GATEWAY_RESPONSES.integrationTimeout : gw.GATEWAY_RESPONSES.integrationFailure;
      return { status: gatewayResponse(res, requestId, response), decision: `allow${tag}, backend error` };
    }
    send(res, result.statusCode, { ...result.headers, 'x-amzn-RequestId': requestId }, result.body);
    return { status: result.statusCode, decision: `allow${tag}` };
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    handle(req, res, requestId)
      .catch((err) => {
        if (err?.tooLarge) return { status: gatewayResponse(res, requestId, gw.GATEWAY_RESPONSES.requestTooLarge), decision: 'too large' };
        process.stderr.write(`local-api: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
        if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, '{"message":"Internal server error"}');
        return { status: 500, decision: 'local-api error' };
      })
      .then(({ status, decision }) => {
        // Never the query string or a header: they may carry credentials.
        const shown = (req.url ?? '/').split('?')[0].slice(0, MAX_LOGGED_PATH);
        const ms = (performance.now() - started).toFixed(1);
        process.stdout.write(`[local-api] ${req.method} ${shown} → ${status} ${decision} ${ms} ms\n`);
      });
  });

  await new Promise((resolve) => {
    server.once('error', (err) => {
      if (err.code === 'EADDRINUSE') {
        fail(`port ${options.port} on ${HOST} is already in use (another \`npm start\`?). Stop it, or pick another port: PORT=${options.port + 1} npm start`);
      }
      fail(`cannot listen on ${HOST}:${options.port}: ${err.message}`);
    });
    server.listen(options.port, HOST, resolve);
  });
  const port = server.address().port;
  const origin = `http://${HOST}:${port}`;

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`local-api: ${signal}, stopping\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  env.CORS_ALLOW_ORIGIN = corsOrigin;
  if (issuer.kind === 'embedded') {
    env.USER_POOL_IDS = local.LOCAL_POOL_ID;
    env.CLIENT_IDS = local.LOCAL_CLIENT_ID;
    env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = origin;
  }
  try {
    authorizer = require(path.join(root, 'dist', 'authorizer.js')).handler;
    backend = require(path.join(root, 'dist', 'backend.js')).handler;
  } catch (err) {
    server.close();
    fail(`could not load the built functions: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof authorizer !== 'function' || typeof backend !== 'function') {
    server.close();
    fail('dist/authorizer.js or dist/backend.js does not export a handler function; run `npm run build`');
  }

  const ttl = options.ttl === 0 ? 'result cache off' : `results cached ${options.ttl} s per ${options.type === 'TOKEN' ? 'token' : 'Authorization header'}`;
  const lines = [
    `local-api: listening on ${origin} — stage "${gw.LOCAL_API.stage}", ${options.type} authorizer, ${ttl}`,
    `  routes (${rules.source}): ${router.routes.join(', ')}`,
  ];
  if (issuer.kind === 'embedded') {
    lines.push(
      `  issuer: embedded — pool ${local.LOCAL_POOL_ID}, client ${local.LOCAL_CLIENT_ID}, JWKS ${origin}${jwksPath}`,
      ...(issuer.ignoredEndpoint ? ['  (an endpoint is set but USER_POOL_IDS/CLIENT_IDS are not: the embedded issuer is used)'] : []),
      '',
      '  Get a token (any terminal, same folder) and call the API:',
      '    TOKEN=$(npm run --silent token -- --groups admins)',
      `    curl -i -H "Authorization: Bearer $TOKEN" ${origin}/pets`,
      '  Other callers: --groups readers, --scopes pets/read,pets/write, no options (signed in, no groups);',
      '  try DELETE /pets/1, GET /me, POST /pets. All options: npm run --silent token -- --help',
    );
  } else {
    lines.push(
      `  issuer: from the environment — USER_POOL_IDS=${issuer.pools}, CLIENT_IDS=${issuer.clients}, ` +
        (issuer.endpoint ? `endpoint ${issuer.endpoint}` : 'Amazon Cognito (JWKS over https)'),
      '',
      '  Get a token from that issuer (`npm run token` signs for the embedded issuer only), e.g. AdminInitiateAuth, then:',
      `    curl -i -H "Authorization: Bearer $TOKEN" ${origin}/pets`,
    );
  }
  lines.push('  Ctrl-C stops it.', '');
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
