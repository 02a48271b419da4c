// The run's target: the APIs, the user pool, the app client and the authorizer's configuration, from the flags and the stack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenUse } from '../../../src/config';
import { loadRules } from '../../../src/cli/input';
import type { RulesDoc } from '../../../tests/helpers/oracle';
import { ROOT } from '../paths';
import type { SmokeOptions } from './args';
import { readBaseUrl } from './args';
import { SmokeConfigError } from './errors';
import { explainMissing, readStack, type FromStack, type Missing, type StackFacts } from './stack';

/** The two kinds of sample API. */
export type ApiKind = 'rest' | 'http';

export interface ApiTarget {
  readonly kind: ApiKind;
  /** The base URL, no trailing slash (REST: the stage included). */
  readonly url: string;
}

/** The rules the answers are checked against, and where they came from. */
export interface ExpectedRules {
  readonly doc: RulesDoc;
  /** For the report: the file, `the stack's RouteRules` or `config/rules.json`. */
  readonly label: string;
}

/** Everything a run needs. */
export interface Target {
  /** For the report: `stack NAME (REGION)` or `APIs and pool from the flags`. */
  readonly from: string;
  readonly apis: readonly ApiTarget[];
  readonly userPoolId: string;
  /** Cognito's region: the user pool id's. */
  readonly region: string;
  readonly clientId: string;
  readonly endpoint?: string;
  readonly tokenUse: TokenUse;
  readonly rules: ExpectedRules;
  /** The APIs' CORS origin: `*` or one origin. */
  readonly corsOrigin: string;
  /** The authorizer cache's TTL when the stack says it. */
  readonly ttlSeconds?: number;
}

/** How the target reads files (the tests give their own). */
export interface TargetIo {
  readonly readText: (file: string) => string;
  /** Where a relative --rules path starts: npm's INIT_CWD (where `npm run` was typed), else the working directory. */
  readonly cwd: string;
}

export const defaultTargetIo = (): TargetIo => ({
  readText: (file) => readFileSync(file, 'utf8'),
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
});

function readRulesText(options: SmokeOptions, fromStack: FromStack, io: TargetIo): { text: string; label: string } {
  if (options.rulesFile !== undefined) {
    const file = path.resolve(io.cwd, options.rulesFile);
    try {
      return { text: io.readText(file), label: options.rulesFile };
    } catch (err) {
      throw new SmokeConfigError(`cannot read --rules ${options.rulesFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (fromStack.rulesText !== undefined) return { text: fromStack.rulesText, label: "the stack's RouteRules" };
  return { text: io.readText(path.join(ROOT, 'config', 'rules.json')), label: 'config/rules.json' };
}

/** The rules, validated by the product's own parser (what the authorizer would refuse, the smoke refuses too). */
export function expectedRules(options: SmokeOptions, fromStack: FromStack, io: TargetIo): ExpectedRules {
  const { text, label } = readRulesText(options, fromStack, io);
  let loaded: ReturnType<typeof loadRules>;
  try {
    loaded = loadRules({ origin: 'file', label, text });
  } catch (err) {
    throw new SmokeConfigError(`the rules (${label}) are not valid JSON: ${(err as Error).message}`);
  }
  if (!loaded.ok) throw new SmokeConfigError(`the rules (${label}) are invalid: ${loaded.problem.setting}: ${loaded.problem.message}`);
  return { doc: loaded.doc as RulesDoc, label };
}

function requireValue(value: string | undefined, missing: Missing, stack: StackFacts | undefined, flag: string): string {
  if (value !== undefined) return value;
  throw new SmokeConfigError(stack === undefined ? `${flag} is missing` : explainMissing(stack, missing));
}

/** A stack output's URL, held to the flags' rules (https, or http to this machine). */
function outputUrl(output: string, value: string | undefined, stack: StackFacts | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return readBaseUrl(`output ${output} of ${stack?.name ?? 'the stack'}`, value);
  } catch (err) {
    throw new SmokeConfigError((err as Error).message);
  }
}

function apisOf(options: SmokeOptions, fromStack: FromStack, stack: StackFacts | undefined): ApiTarget[] {
  const rest = options.apiUrl ?? outputUrl('ApiUrl', fromStack.restUrl, stack);
  const http = options.httpApiUrl ?? outputUrl('HttpApiUrl', fromStack.httpUrl, stack);
  const apis: ApiTarget[] = [];
  if (rest !== undefined) apis.push({ kind: 'rest', url: rest });
  if (http !== undefined) apis.push({ kind: 'http', url: http });
  if (apis.length === 0) requireValue(undefined, 'api', stack, '--api-url or --http-api-url');
  return apis;
}

function poolOf(options: SmokeOptions, fromStack: FromStack, stack: StackFacts | undefined): string {
  const pool = requireValue(options.userPoolId ?? fromStack.userPoolId, 'userPoolId', stack, '--user-pool-id');
  if (pool.includes(',')) {
    throw new SmokeConfigError(`the stack trusts several user pools (${pool}): give --user-pool-id with the one to create the demo users in, and --client-id`);
  }
  return pool;
}

function tokenUseOf(options: SmokeOptions, fromStack: FromStack): TokenUse {
  const use = options.tokenUse ?? fromStack.tokenUse ?? 'access';
  if (use !== 'access' && use !== 'id') throw new SmokeConfigError(`the stack's TokenUse is "${use}", not access or id`);
  return use;
}

/** The target of a run: the flags first, then the stack's outputs and parameters, then the defaults. Throws SmokeConfigError. */
export function resolveTarget(options: SmokeOptions, stack: StackFacts | undefined, io: TargetIo = defaultTargetIo()): Target {
  const fromStack = stack === undefined ? {} : readStack(stack);
  const apis = apisOf(options, fromStack, stack);
  const userPoolId = poolOf(options, fromStack, stack);
  const clientId = requireValue(options.clientId ?? fromStack.clientId, 'clientId', stack, '--client-id');
  const ttlSeconds = fromStack.ttlSeconds;
  return {
    from: stack === undefined ? 'APIs and pool from the flags' : `stack ${stack.name} (${stack.region})`,
    apis,
    userPoolId,
    region: userPoolId.slice(0, userPoolId.indexOf('_')),
    clientId,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    tokenUse: tokenUseOf(options, fromStack),
    rules: expectedRules(options, fromStack, io),
    corsOrigin: options.corsOrigin ?? fromStack.corsOrigin ?? '*',
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  };
}
