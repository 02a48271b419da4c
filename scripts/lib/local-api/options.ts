// `npm start` settings: the command line and the environment, checked once; every mistake a UsageError naming the setting.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCommandLine, UsageError } from '../cli';
import { ROOT } from '../paths';

export const HOST = '127.0.0.1';

export const USAGE = `Usage: npm start [-- options]

Serves the sample API on http://${HOST}:\${PORT:-3000} the way API Gateway serves template.yaml:
routes from the rules, the built Lambda authorizer (dist/authorizer.js) with API Gateway's result
cache, then the sample backend (dist/backend.js) through a Lambda proxy event; CORS preflights.
Builds dist/ first when it is missing or older than src/.

Options:
  --token          a REST API with a TOKEN authorizer (the default)
  --request        a REST API with a REQUEST authorizer (identity source: the Authorization header)
  --http           an HTTP API (stage $default) with a Lambda REQUEST authorizer, payload 2.0, its
                   cache keyed by the Authorization header (and the route with SIMPLE_RESPONSES=true)
  --payload 1.0    with --http: the authorizer's payload format 1.0 (IAM policy answers only)
  --no-build       fail instead of building when dist/ is missing or stale
  -h, --help       show this help

Environment:
  PORT                        port on ${HOST} (default 3000; 0 picks a free one)
  AUTHORIZER_TYPE             TOKEN (default) or REQUEST, for the REST API
  AUTHORIZER_TTL              seconds API Gateway caches an authorizer answer (default 300, 0 = off, max 3600)
  SIMPLE_RESPONSES            true: with --http, the authorizer answers {isAuthorized, context}
  USER_POOL_IDS, CLIENT_IDS   set both to trust that issuer instead of the embedded one: with the
                              endpoint below for moto_server or LocalStack, else Amazon Cognito
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER  that issuer's endpoint (JWKS at <endpoint>/<poolId>/.well-known/jwks.json)
  TOKEN_USE, ROUTE_RULES      passed to the authorizer as in Lambda; ROUTE_RULES (inline rules JSON,
                              default config/rules.json) also defines the local API's routes
  CORS_ALLOW_ORIGIN           Access-Control-Allow-Origin, as the template's CorsAllowOrigin (default *)
  POWERTOOLS_LOG_LEVEL        the authorizer's log level (WARN hides its per-request decision lines)
  LOCAL_ISSUER_DIR            where the embedded issuer keeps its key (default .local/issuer)
`;

const OPTIONS = {
  token: { type: 'boolean' },
  request: { type: 'boolean' },
  http: { type: 'boolean' },
  payload: { type: 'string' },
  'no-build': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The API flavour `npm start` serves. */
export type ApiChoice =
  | { readonly kind: 'rest'; readonly type: 'TOKEN' | 'REQUEST' }
  | { readonly kind: 'http'; readonly payload: '2.0' | '1.0'; readonly simple: boolean };

/** Which issuer the authorizer trusts: the embedded one, or USER_POOL_IDS/CLIENT_IDS from the environment. */
export type IssuerChoice =
  | { readonly kind: 'embedded'; readonly ignoredEndpoint: string | undefined }
  | { readonly kind: 'environment'; readonly pools: string; readonly clients: string; readonly endpoint: string | undefined };

export interface LocalApiOptions {
  readonly port: number;
  readonly ttlSeconds: number;
  readonly api: ApiChoice;
  readonly build: boolean;
  readonly corsOrigin: string;
  readonly issuer: IssuerChoice;
  /** The rules' routes, and where they came from. */
  readonly routes: readonly string[];
  readonly rulesSource: 'ROUTE_RULES' | 'config/rules.json';
}

const setting = (env: NodeJS.ProcessEnv, name: string): string => env[name]?.trim() ?? '';

function chooseApi(values: ReturnType<typeof readCommandLine<typeof OPTIONS>>, env: NodeJS.ProcessEnv): ApiChoice {
  if (values.request && values.token) throw new UsageError('--request and --token exclude each other');
  const simpleText = setting(env, 'SIMPLE_RESPONSES').toLowerCase();
  if (simpleText !== '' && simpleText !== 'true' && simpleText !== 'false') throw new UsageError(`SIMPLE_RESPONSES must be true or false (got "${simpleText}")`);
  if (values.http) {
    if (values.request || values.token) throw new UsageError('--request and --token are REST API authorizer types; --http has its own (a Lambda REQUEST authorizer)');
    const payload = values.payload ?? '2.0';
    if (payload !== '2.0' && payload !== '1.0') throw new UsageError(`--payload must be 2.0 or 1.0 (got "${payload}")`);
    const simple = simpleText === 'true';
    if (simple && payload === '1.0') throw new UsageError('SIMPLE_RESPONSES=true needs the authorizer payload 2.0, not --payload 1.0');
    return { kind: 'http', payload, simple };
  }
  if (values.payload !== undefined) throw new UsageError('--payload goes with --http');
  let type = (setting(env, 'AUTHORIZER_TYPE') || 'TOKEN').toUpperCase();
  if (values.request) type = 'REQUEST';
  if (values.token) type = 'TOKEN';
  if (type !== 'TOKEN' && type !== 'REQUEST') throw new UsageError(`AUTHORIZER_TYPE must be TOKEN or REQUEST (got "${type}")`);
  return { kind: 'rest', type };
}

function chooseIssuer(env: NodeJS.ProcessEnv): IssuerChoice {
  const pools = setting(env, 'USER_POOL_IDS');
  const clients = setting(env, 'CLIENT_IDS');
  const endpoint = setting(env, 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER') || setting(env, 'AWS_ENDPOINT_URL') || undefined;
  if (pools === '' && clients === '') return { kind: 'embedded', ignoredEndpoint: endpoint };
  if (pools === '' || clients === '') {
    throw new UsageError(
      `${pools === '' ? 'USER_POOL_IDS' : 'CLIENT_IDS'} is not set: set both USER_POOL_IDS and CLIENT_IDS to use your ` +
        'own issuer, or neither to use the embedded one',
    );
  }
  return { kind: 'environment', pools, clients, endpoint };
}

/** The routes of the rules (ROUTE_RULES, else config/rules.json); the authorizer checks the rest at its cold start. */
function readRoutes(env: NodeJS.ProcessEnv): Pick<LocalApiOptions, 'routes' | 'rulesSource'> {
  const inline = setting(env, 'ROUTE_RULES');
  let doc: unknown;
  if (inline !== '') {
    try {
      doc = JSON.parse(inline);
    } catch (err) {
      throw new UsageError(`ROUTE_RULES is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    doc = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8'));
  }
  const routes = (doc as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(routes)) throw new UsageError('the rules have no "routes" list');
  return {
    routes: routes.map((r: unknown, i) => {
      const route = (r as { route?: unknown } | null)?.route;
      if (typeof route !== 'string') throw new UsageError(`the rules' routes[${i}] has no "route"`);
      return route;
    }),
    rulesSource: inline !== '' ? 'ROUTE_RULES' : 'config/rules.json',
  };
}

/** `npm start`'s settings, or 'help'. Throws UsageError. */
export function readLocalApiOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LocalApiOptions | 'help' {
  const values = readCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const portText = setting(env, 'PORT') || '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`PORT must be a port number 0–65535 (got "${portText}")`);
  const ttlText = setting(env, 'AUTHORIZER_TTL') || '300';
  const ttlSeconds = Number(ttlText);
  if (!/^\d+$/.test(ttlText) || ttlSeconds > 3600) {
    throw new UsageError(`AUTHORIZER_TTL must be whole seconds 0–3600, as in API Gateway (got "${ttlText}")`);
  }
  return {
    port,
    ttlSeconds,
    api: chooseApi(values, env),
    build: values['no-build'] !== true,
    corsOrigin: setting(env, 'CORS_ALLOW_ORIGIN') || '*',
    issuer: chooseIssuer(env),
    ...readRoutes(env),
  };
}
