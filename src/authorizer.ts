// The authorizer, wired: configuration, verifier, rules and policies built once; each request
// mapped to Allow/Deny (403) or 'Unauthorized' (401) or a fault (500) in one place.
import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { toCaller, type Caller } from './caller';
import { loadConfig, type Config } from './config';
import { buildContext } from './context';
import { extractToken } from './credentials';
import { createDecisionLog } from './decision-log';
import { CredentialError, ConfigurationError, EventError, JwksFault } from './errors';
import { parseMethodArn, type MethodArn } from './policy/arn';
import { createPolicyBuilder, type PolicyPlan } from './policy/build';
import { compileRules, type CompiledRules } from './rules';
import { createTracing, type Tracing } from './tracing';
import { createVerifier, type TokenVerifier, type VerifierOptions } from './verifier';

export const SERVICE_NAME = 'cognito-route-authorizer';
/** Caller signatures (groups + scopes) whose policy plans are kept; oldest dropped first. */
export const PLAN_CACHE_SIZE = 1000;
const MAX_LOGGED_PATH = 256;

export type AuthorizerHandler = (event: unknown, context?: Partial<Context>) => Promise<APIGatewayAuthorizerResult>;

export interface AuthorizerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  readonly verifier?: VerifierOptions;
}

/** Everything built at cold start, plus the handler. */
export interface Authorizer {
  readonly handler: AuthorizerHandler;
  readonly config: Config;
  readonly rules: CompiledRules;
  readonly verifier: TokenVerifier;
  /** Settles when the cold-start JWKS hydration has finished (successfully or not). */
  readonly ready: Promise<void>;
}

/** The asked request as logged: method and path, the path cut short (paths go to 1,600 characters). */
function loggedResource(arn: MethodArn): string {
  return `${arn.method} ${arn.path.slice(0, MAX_LOGGED_PATH)}`;
}

/** Milliseconds since `started`, to the microsecond. */
function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

interface Grant {
  readonly granted: readonly boolean[];
  readonly plan: PolicyPlan;
}

/**
 * Builds the authorizer from the environment. Throws ConfigurationError (naming the variable
 * or rules path) when the configuration is invalid, after logging it.
 */
export function createAuthorizer(options: AuthorizerOptions = {}): Authorizer {
  const env = options.env ?? process.env;
  const serviceName = env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME;
  const logger = options.logger ?? new Logger({ serviceName });
  let config: Config;
  let rules: CompiledRules;
  try {
    config = loadConfig(env);
    rules = compileRules(config.rules);
  } catch (err) {
    if (err instanceof ConfigurationError) {
      // Not `message`: Powertools reserves the key and would drop the value.
      logger.error('invalid configuration', { error: err.name, setting: err.setting, errorMessage: err.message });
    }
    throw err;
  }
  const decisionLog = createDecisionLog(logger, { ownLogger: options.logger === undefined, serviceName });
  const policies = createPolicyBuilder(rules);
  const verifier = createVerifier(config, options.verifier);
  const tracing: Tracing = createTracing(env, serviceName);
  logger.info('authorizer ready', {
    pools: config.userPoolIds,
    clients: config.clientIds.length,
    tokenUse: config.tokenUse,
    rules: config.rulesSource,
    routes: rules.routes.length,
    jwksEndpoint: config.jwksEndpoint?.origin,
    tracing: tracing.enabled,
  });
  if (policies.largestPatternChars + rules.routes.length * 80 > policies.budgetBytes) {
    logger.warn('rules may produce policies over the size budget', {
      budgetBytes: policies.budgetBytes,
      advice:
        'callers granted many routes get a policy for the asked route only; key the API Gateway ' +
        'authorizer cache per route (REQUEST authorizer with context.httpMethod and context.resourcePath ' +
        'as identity sources) or set the TTL to 0',
    });
  }

  const ready = verifier.hydrate().then(
    (failures) => {
      for (const f of failures) logger.warn('JWKS hydration failed; will retry on demand', { ...f });
    },
    () => undefined,
  );

  const grants = new Map<string, Grant>();
  function grantFor(caller: Caller): Grant {
    const key = JSON.stringify([caller.groups, caller.scopes]);
    let grant = grants.get(key);
    if (grant === undefined) {
      const granted = rules.grants(caller);
      grant = { granted, plan: policies.plan(granted) };
      if (grants.size >= PLAN_CACHE_SIZE) grants.delete(grants.keys().next().value as string);
      grants.set(key, grant);
    }
    return grant;
  }

  let coldStart = true;

  async function decide(
    event: unknown,
    arn: MethodArn,
    started: number,
    context: Partial<Context> | undefined,
  ): Promise<APIGatewayAuthorizerResult> {
    const token = extractToken(event);
    const claims = await tracing.span('verify', () => verifier.verify(token));
    const caller = toCaller(claims);
    return tracing.span('decide', () => {
      const rule = rules.route(arn.method, arn.path);
      const grant = grantFor(caller);
      const rulesAllow = rule !== undefined && grant.granted[rule.index] === true;
      const answer = policies.answer(grant.plan, arn, rulesAllow);
      const decision = answer.allowed ? 'allow' : 'deny';
      const reason =
        answer.unrepresentable ?? (rule === undefined ? 'no-route' : rulesAllow ? 'granted' : 'not-granted');
      tracing.annotate('decision', decision);
      tracing.annotate('route', rule?.route ?? 'none');
      decisionLog(
        {
          decision,
          reason,
          route: rule?.route ?? null,
          resource: loggedResource(arn),
          principalId: caller.sub,
          clientId: caller.clientId,
          policyMode: answer.mode,
          latencyMs: elapsedMs(started),
          coldStart,
        },
        context,
        coldStart,
      );
      return { principalId: caller.sub, policyDocument: answer.policyDocument, context: buildContext(caller) };
    });
  }

  const handler: AuthorizerHandler = async (event, context) => {
    const started = performance.now();
    const endTrace = tracing.begin();
    if (context !== undefined) logger.addContext(context as Context);
    // Not `await ready`: a request during hydration joins the same in-flight fetch inside the JWKS
    // cache, so a hanging JWKS costs one bounded fetch, not the hydration's and then its own.
    let arn: MethodArn | undefined;
    try {
      arn = parseMethodArn((event as { methodArn?: unknown } | null)?.methodArn);
      return await decide(event, arn, started, context);
    } catch (err) {
      const latencyMs = elapsedMs(started);
      const resource = arn === undefined ? null : loggedResource(arn);
      // As on an allow/deny line (no principal or client: nothing was verified); null fields are omitted.
      const route = arn === undefined ? null : (rules.route(arn.method, arn.path)?.route ?? null);
      const who = { route, resource };
      if (err instanceof CredentialError) {
        tracing.annotate('decision', 'unauthorized');
        logger.warn('decision', { decision: 'unauthorized', reason: err.problem, ...who, latencyMs, coldStart });
        // No `cause`: what API Gateway and the Lambda runtime see must carry nothing of the request.
        // eslint-disable-next-line preserve-caught-error
        throw new Error('Unauthorized');
      }
      const e = err instanceof Error ? err : new Error(String(err));
      tracing.annotate('decision', 'error');
      tracing.error(e);
      const kind = e instanceof JwksFault ? 'jwks' : e instanceof EventError ? 'event' : 'internal';
      logger.error('fault', {
        decision: 'error',
        reason: kind,
        error: e instanceof JwksFault ? e.causeName : e.name,
        // Not `message`: Powertools reserves it, drops the value and logs a warning instead.
        errorMessage: e.message,
        ...who,
        latencyMs,
        coldStart,
      });
      // eslint-disable-next-line preserve-caught-error -- as above: the cause is logged, not thrown
      throw new Error('Internal authorizer error');
    } finally {
      coldStart = false;
      endTrace();
    }
  };

  return { handler, config, rules, verifier, ready };
}
