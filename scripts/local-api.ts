// `npm start [-- --http]`: the sample API on 127.0.0.1 as API Gateway serves it — the built authorizer (with the
// authorizer cache), the built backend, and the embedded token issuer's JWKS.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEFAULT_ISSUER_DIR, jwksOf, LOCAL_CLIENT_ID, LOCAL_POOL_ID, loadOrCreateKey } from '../tests/helpers/issuer';
import { functions } from './build-options';
import type * as BuildModule from './lib/build';
import { exitWithUsage, UsageError } from './lib/cli';
import { createResultCache } from './lib/local-api/cache';
import { createHttpModel } from './lib/local-api/http';
import { invoke, lambdaContext, type LambdaHandler } from './lib/local-api/lambda';
import { loadCommonJs } from './lib/load-commonjs';
import type { ApiModel } from './lib/local-api/model';
import { HOST, readLocalApiOptions, USAGE, type LocalApiOptions } from './lib/local-api/options';
import { createRestModel } from './lib/local-api/rest';
import { stopWhenAsked } from './lib/local-api/lifecycle';
import { createLocalServer } from './lib/local-api/server';
import { ROOT } from './lib/paths';

/** How long the authorizer and the backend may take before API Gateway gives up (their template timeouts). */
const AUTHORIZER_TIMEOUT_MS = 10_000;
const BACKEND_TIMEOUT_MS = 29_000;

function fail(message: string, code = 1): never {
  process.stderr.write(`local-api: ${message}\n`);
  process.exit(code);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/ built from the current src/ and rules, building it (in this process) when allowed. */
async function ensureBuilt(allowBuild: boolean): Promise<void> {
  const outputs = Object.values(functions).map((fn) => path.join(ROOT, fn.outfile));
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'config', 'rules.json')).mtimeMs);
  const stale = outputs.filter((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
  if (stale.length === 0) return;
  const what = stale.map((f) => path.relative(ROOT, f)).join(' and ');
  if (!allowBuild) fail(`${what} missing or older than src/: run \`npm run build\` first (or drop --no-build)`);
  process.stderr.write(`local-api: ${what} missing or older than src/ — building (npm run build)…\n`);
  // Loaded only now: esbuild costs a start that finds dist/ fresh 10–20 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFunctions } = require('./lib/build') as typeof BuildModule;
  await buildFunctions().catch((err: unknown) => fail(`the build failed (${(err as Error).message.split('\n')[0] ?? ''}); fix it, then \`npm run build\` or \`npm start\` again`));
}

function createModel(options: LocalApiOptions): ApiModel {
  const { routes, corsOrigin, api } = options;
  return api.kind === 'rest'
    ? createRestModel({ routes, type: api.type, ttlSeconds: options.ttlSeconds, corsOrigin })
    : createHttpModel({ routes, payload: api.payload, simple: api.simple, corsOrigin });
}

function loadHandler(file: string): LambdaHandler {
  let handler: unknown;
  try {
    handler = (loadCommonJs(path.join(ROOT, file)) as { handler?: unknown } | null)?.handler;
  } catch (err) {
    fail(`could not load ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof handler !== 'function') fail(`${file} does not export a handler function; run \`npm run build\``);
  return handler as LambdaHandler;
}

function banner(options: LocalApiOptions, model: ApiModel, origin: string, jwksUrl: string | undefined): string {
  const cache = options.ttlSeconds === 0 ? 'result cache off' : `results cached ${options.ttlSeconds} s per ${model.cacheKeyLabel}`;
  const what = model.kind === 'http' ? `HTTP API, stage "${model.api.stage}"` : `stage "${model.api.stage}"`;
  const lines = [`local-api: listening on ${origin} — ${what}, ${model.authorizerLabel}, ${cache}`, `  routes (${options.rulesSource}): ${options.routes.join(', ')}`];
  const issuer = options.issuer;
  if (issuer.kind === 'embedded') {
    lines.push(
      `  issuer: embedded — pool ${LOCAL_POOL_ID}, client ${LOCAL_CLIENT_ID}, JWKS ${jwksUrl ?? ''}`,
      ...(issuer.ignoredEndpoint === undefined ? [] : ['  (an endpoint is set but USER_POOL_IDS/CLIENT_IDS are not: the embedded issuer is used)']),
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
        (issuer.endpoint === undefined ? 'Amazon Cognito (JWKS over https)' : `endpoint ${issuer.endpoint}`),
      '',
      '  Get a token from that issuer (`npm run token` signs for the embedded issuer only), e.g. AdminInitiateAuth, then:',
      `    curl -i -H "Authorization: Bearer $TOKEN" ${origin}/pets`,
    );
  }
  lines.push('  Ctrl-C stops it.', '');
  return lines.join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<void> {
  const env = process.env;
  let options: LocalApiOptions | 'help';
  let model: ApiModel;
  try {
    options = readLocalApiOptions(argv, env);
    if (options === 'help') {
      process.stdout.write(USAGE);
      return;
    }
    model = createModel(options);
  } catch (err) {
    if (err instanceof UsageError) exitWithUsage('local-api', err, USAGE);
    fail(`${(err as Error).message} (in the rules' routes)`, 2);
  }
  await ensureBuilt(options.build);

  const key = options.issuer.kind === 'embedded' ? loadOrCreateKey(env['LOCAL_ISSUER_DIR'] || DEFAULT_ISSUER_DIR) : undefined;
  const jwks = key === undefined ? undefined : { path: `/${LOCAL_POOL_ID}/.well-known/jwks.json`, body: JSON.stringify(jwksOf([key])) };
  const handlers: { authorizer?: LambdaHandler; backend?: LambdaHandler } = {};
  const call = (name: 'authorizer' | 'backend', functionName: string, timeoutMs: number) => (event: unknown) =>
    invoke(handlers[name] as LambdaHandler, event, lambdaContext(functionName, randomUUID(), timeoutMs, model.api), timeoutMs);
  const server = createLocalServer({
    model,
    deps: {
      cache: createResultCache(options.ttlSeconds),
      invokeAuthorizer: call('authorizer', 'AuthorizerFunction', AUTHORIZER_TIMEOUT_MS),
      invokeBackend: call('backend', 'BackendFunction', BACKEND_TIMEOUT_MS),
    },
    ...(jwks === undefined ? {} : { jwks }),
    log: (line) => void process.stdout.write(`${line}\n`),
    warn: (line) => void process.stderr.write(`${line}\n`),
  });
  const port = options.port;
  await new Promise<void>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        fail(`port ${port} on ${HOST} is already in use (another \`npm start\`?). Stop it, or pick another port: PORT=${port + 1} npm start`);
      }
      fail(`cannot listen on ${HOST}:${port}: ${err.message}`);
    });
    server.listen(port, HOST, resolve);
  });
  const origin = `http://${HOST}:${(server.address() as AddressInfo).port}`;

  // As Lambda sets them for both functions: the sample's CORS origin and an on-demand initialization (Powertools' cold_start).
  env['CORS_ALLOW_ORIGIN'] = options.corsOrigin;
  env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
  if (options.issuer.kind === 'embedded') {
    env['USER_POOL_IDS'] = LOCAL_POOL_ID;
    env['CLIENT_IDS'] = LOCAL_CLIENT_ID;
    env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] = origin;
  }
  handlers.authorizer = loadHandler(functions.authorizer.outfile);
  handlers.backend = loadHandler(functions.backend.outfile);

  stopWhenAsked((reason) => {
    process.stdout.write(`local-api: ${reason}, stopping\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
  process.stdout.write(banner(options, model, origin, jwks === undefined ? undefined : origin + jwks.path));
}

main(process.argv.slice(2)).catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
