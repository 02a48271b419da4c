// Configuration read once at cold start from the environment; invalid settings fail fast, by name.
import bundledRules from '../config/rules.json';
import { ConfigurationError } from './errors';
import { safeJsonParse } from './safe-json';

export type TokenUse = 'access' | 'id';

/** The authorizer's validated configuration. */
export interface Config {
  readonly userPoolIds: readonly string[];
  readonly clientIds: readonly string[];
  readonly tokenUse: TokenUse;
  /** The rules document (JSON-parsed, not yet validated: compileRules does that). */
  readonly rules: unknown;
  /** Where the rules came from, for the cold-start log: `ROUTE_RULES` or `config/rules.json`. */
  readonly rulesSource: 'ROUTE_RULES' | 'config/rules.json';
  /** JWKS endpoint override (moto_server, LocalStack): JWKS at `<endpoint>/<poolId>/.well-known/jwks.json`. */
  readonly jwksEndpoint: URL | undefined;
  /** HTTP APIs (payload 2.0): answer `{ isAuthorized, context }` instead of an IAM policy. */
  readonly simpleResponses: boolean;
}

/** Environment variables the authorizer reads. */
export const ENV = {
  userPoolIds: 'USER_POOL_IDS',
  clientIds: 'CLIENT_IDS',
  tokenUse: 'TOKEN_USE',
  routeRules: 'ROUTE_RULES',
  simpleResponses: 'SIMPLE_RESPONSES',
  endpointCognito: 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  endpoint: 'AWS_ENDPOINT_URL',
} as const;

/**
 * A Cognito user pool id, `<region>_<id>`; group 1 is the region. The same check as
 * aws-jwt-verify's, so a pool id that passes here is one it accepts. The one copy in TypeScript:
 * scripts and tests import it (template.yaml keeps its own, and a test holds the two together).
 */
export const USER_POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function list(env: NodeJS.ProcessEnv, name: string, pattern: RegExp, what: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') throw new ConfigurationError(name, `is required (comma-separated ${what}s)`);
  const items = raw.split(',').map((s) => s.trim());
  items.forEach((item, i) => {
    if (item === '') throw new ConfigurationError(name, `entry ${i + 1} is empty`);
    if (!pattern.test(item)) throw new ConfigurationError(name, `"${item}" is not a valid ${what}`);
  });
  return [...new Set(items)];
}

function readEndpoint(env: NodeJS.ProcessEnv): URL | undefined {
  const name = env[ENV.endpointCognito]?.trim() ? ENV.endpointCognito : ENV.endpoint;
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(name, `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(name, `must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    throw new ConfigurationError(name, `plain http is only allowed to a loopback host (got ${url.hostname})`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigurationError(name, 'must not carry credentials, a query or a fragment');
  }
  return url;
}

function readFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim() ?? '';
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigurationError(name, `must be "true" or "false" (got "${raw.slice(0, 32)}")`);
}

/** Reads and validates the configuration. Throws ConfigurationError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const userPoolIds = list(env, ENV.userPoolIds, USER_POOL_ID, 'user pool id (like us-east-1_AbC123)');
  const clientIds = list(env, ENV.clientIds, CLIENT_ID, 'app client id');
  const rawUse = env[ENV.tokenUse]?.trim() ?? '';
  if (rawUse !== '' && rawUse !== 'access' && rawUse !== 'id') {
    throw new ConfigurationError(ENV.tokenUse, `must be "access" or "id" (got "${rawUse}")`);
  }
  const tokenUse: TokenUse = rawUse === 'id' ? 'id' : 'access';
  const inline = env[ENV.routeRules];
  let rules: unknown = bundledRules;
  if (inline !== undefined && inline.trim() !== '') {
    try {
      rules = safeJsonParse(inline);
    } catch (err) {
      throw new ConfigurationError(ENV.routeRules, `is not valid JSON: ${(err as Error).message}`);
    }
  }
  return {
    userPoolIds,
    clientIds,
    tokenUse,
    rules,
    rulesSource: rules === bundledRules ? 'config/rules.json' : 'ROUTE_RULES',
    jwksEndpoint: readEndpoint(env),
    simpleResponses: readFlag(env, ENV.simpleResponses),
  };
}
