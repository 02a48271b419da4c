// The authorizer, wired: configuration, verifier, rules and policies built once; each request
// through front door → credentials → verifier → caller → decide → response, and the outcome
// (Allow/Deny, 401, 500) logged in one place.
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { toCaller } from './caller';
import { loadConfig, type Config } from './config';
import { credentialToken, parseCredential } from './credentials';
import { createDecider, type Decision } from './decide';
import { createDecisionLog, createInfoLog, type DecisionLog, type InfoLog } from './decision-log';
import { ConfigurationError, CredentialError, DeploymentError, EventError, JwksFault } from './errors';
import { openDoor, type AuthorizerRequest } from './front-doors';
import { createPolicyBuilder, TYPICAL_PREFIX_LENGTH, type PolicyBuilder } from './policy';
import { compileRules, type CompiledRules } from './rules';
import { governingRoute } from './rules/routing';
import { fault, respond, unauthorized, type AuthorizerResponse, type Rendered } from './response';
import { createTracing, type Tracing } from './tracing';
import { createVerifier, type Claims, type TokenVerifier, type VerifierOptions } from './verifier';

export const SERVICE_NAME = 'cognito-route-authorizer';
const MAX_LOGGED_PATH = 256;

export type AuthorizerHandler = (event: unknown, context?: Partial<Context>) => Promise<AuthorizerResponse>;

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
function loggedResource(request: AuthorizerRequest): string {
  return `${request.arn.method} ${request.arn.path.slice(0, MAX_LOGGED_PATH)}`;
}

/** Milliseconds since `started`, to the microsecond. */
function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** Config and rules, or a logged ConfigurationError naming the variable or rules path. */
function configure(env: NodeJS.ProcessEnv, logger: Logger): { config: Config; rules: CompiledRules } {
  try {
    const config = loadConfig(env);
    return { config, rules: compileRules(config.rules) };
  } catch (err) {
    if (err instanceof ConfigurationError) {
      // Not `message`: Powertools reserves the key and would drop the value.
      logger.error('invalid configuration', { error: err.name, setting: err.setting, errorMessage: err.message });
    }
    throw err;
  }
}

/** How a failure is logged: its reason class and what the error says (never the token). */
function describeFailure(err: unknown): { reason: string; error: string; errorMessage: string; advice?: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e instanceof JwksFault) return { reason: 'jwks', error: e.causeName, errorMessage: e.message };
  if (e instanceof DeploymentError) return { reason: 'deployment', error: e.name, errorMessage: e.message, advice: e.advice };
  if (e instanceof EventError) return { reason: 'event', error: e.name, errorMessage: e.message };
  return { reason: 'internal', error: e.name, errorMessage: e.message };
}

/** Everything the handler needs, built once at cold start. */
interface Parts {
  readonly logger: Logger;
  readonly decisionLog: DecisionLog;
  readonly tracing: Tracing;
  readonly rules: CompiledRules;
  /** The pipeline for one event: front door to response (no promise for a cached token with tracing off). */
  readonly run: (event: unknown, seen: { request?: AuthorizerRequest }) => Outcome | Promise<Outcome>;
  /** AWS_LAMBDA_INITIALIZATION_TYPE is on-demand (what Powertools' cold_start needs). */
  readonly onDemand: boolean;
}

/** A request that got an answer. */
interface Outcome {
  readonly request: AuthorizerRequest;
  readonly decision: Decision;
  readonly rendered: Rendered;
  readonly principalId: string;
  readonly clientId: string;
}

/** The cold-start lines: what was configured, and a warning when policies may outgrow the budget. */
function announce(info: InfoLog, logger: Logger, config: Config, rules: CompiledRules, policies: PolicyBuilder, tracing: Tracing): void {
  info('authorizer ready', {
    pools: config.userPoolIds,
    clients: config.clientIds.length,
    tokenUse: config.tokenUse,
    rules: config.rulesSource,
    routes: rules.routes.length,
    simpleResponses: config.simpleResponses,
    jwksEndpoint: config.jwksEndpoint?.origin,
    tracing: tracing.enabled,
  });
  if (policies.worstCaseBytes(TYPICAL_PREFIX_LENGTH) > policies.budgetBytes) {
    logger.warn('rules may produce policies over the size budget', {
      budgetBytes: policies.budgetBytes,
      advice:
        'callers granted many routes get a policy for the asked route only; key the authorizer cache per route ' +
        '(REST: a REQUEST authorizer with context.httpMethod and context.resourcePath as identity sources; HTTP: add ' +
        '$context.routeKey) or set the TTL to 0; `cognito-route-authorizer check` lists the callers concerned',
    });
  }
}

/** The governing route for a failure line, when the request got that far. */
function routeOf(rules: CompiledRules, request: AuthorizerRequest | undefined): string | null {
  if (request === undefined) return null;
  const governed = governingRoute(rules, request.api, request.arn.method, request.arn.path);
  return 'problem' in governed ? null : (governed.route?.route ?? null);
}

/** Logs a failure and returns the error API Gateway maps: Unauthorized (401) or a fault (500). */
function fail(parts: Parts, err: unknown, request: AuthorizerRequest | undefined, latencyMs: number, coldStart: boolean): Error {
  const who = { route: routeOf(parts.rules, request), resource: request === undefined ? null : loggedResource(request) };
  if (err instanceof CredentialError) {
    parts.tracing.annotate('decision', 'unauthorized');
    parts.logger.warn('decision', { decision: 'unauthorized', reason: err.problem, ...who, latencyMs, coldStart });
    return unauthorized();
  }
  parts.tracing.annotate('decision', 'error');
  parts.tracing.error(err instanceof Error ? err : new Error(String(err)));
  // Not `message`: Powertools reserves it, drops the value and logs a warning instead.
  parts.logger.error('fault', { decision: 'error', ...describeFailure(err), ...who, latencyMs, coldStart });
  return fault();
}

/** The Lambda handler: runs the pipeline, logs one line per outcome, maps failures to 401 and 500. */
function createHandler(parts: Parts): AuthorizerHandler {
  const { logger, decisionLog, tracing, run, onDemand } = parts;
  let first = true;
  return async (event, context) => {
    const started = performance.now();
    const endTrace = tracing.begin();
    if (context !== undefined) logger.addContext(context as Context);
    // As Powertools' cold_start: the first invocation, and (in Lambda) an on-demand one.
    const coldStart = first && (context === undefined || onDemand);
    const seen: { request?: AuthorizerRequest } = {};
    try {
      const { request, decision, rendered, principalId, clientId } = await run(event, seen);
      const outcome = rendered.allowed ? 'allow' : 'deny';
      tracing.annotate('decision', outcome);
      tracing.annotate('route', decision.route?.route ?? 'none');
      const fields = {
        decision: outcome,
        reason: rendered.unrepresentable ?? decision.reason,
        route: decision.route?.route ?? null,
        resource: loggedResource(request),
        door: request.door,
        principalId,
        clientId,
        policyMode: rendered.mode,
        latencyMs: elapsedMs(started),
        coldStart,
      };
      decisionLog(fields, context, first);
      return rendered.body;
    } catch (err) {
      // No `cause`: what API Gateway and the Lambda runtime see must carry nothing of the request.
      throw fail(parts, err, seen.request, elapsedMs(started), coldStart);
    } finally {
      first = false;
      endTrace();
    }
  };
}

/**
 * Builds the authorizer from the environment. Throws ConfigurationError (naming the variable
 * or rules path) when the configuration is invalid, after logging it.
 */
export function createAuthorizer(options: AuthorizerOptions = {}): Authorizer {
  const env = options.env ?? process.env;
  const serviceName = env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME;
  const logger = options.logger ?? new Logger({ serviceName });
  const { config, rules } = configure(env, logger);
  const policies = createPolicyBuilder(rules);
  const decide = createDecider(rules, policies);
  const verifier = createVerifier(config, options.verifier);
  const tracing = createTracing(env, serviceName);
  const doors = { simpleResponses: config.simpleResponses };
  const lines = { ownLogger: options.logger === undefined, serviceName };
  announce(createInfoLog(logger, lines), logger, config, rules, policies, tracing);
  // Not awaited by requests: one arriving during hydration joins the same in-flight fetch inside
  // the JWKS cache, so a hanging JWKS costs one bounded fetch, not the hydration's and then its own.
  const ready = verifier.hydrate().then(
    (failures) => {
      for (const f of failures) logger.warn('JWKS hydration failed; will retry on demand', { ...f });
    },
    () => undefined,
  );

  // A token verified before is answered from the verified-claims cache (the same string passed
  // parseCredential then); a new one is verified without a promise while its key is at hand. Only
  // a key set to fetch makes a promise (with tracing on, spans make their own).
  const claimsOf = (request: AuthorizerRequest): Claims | Promise<Claims> =>
    tracing.span('verify', () => {
      const token = credentialToken(request.credential);
      const hit = token === undefined ? undefined : verifier.cached(token);
      if (hit !== undefined) return hit;
      const parsed = parseCredential(request.credential);
      return verifier.verifyNow(parsed) ?? verifier.verify(parsed);
    });
  const decideFor = (request: AuthorizerRequest, claims: Claims): Outcome | Promise<Outcome> => {
    const caller = toCaller(claims);
    return tracing.span('decide', () => {
      const { method, path } = request.arn;
      const decision = decide(caller, { model: request.api, method, path, matchedRoute: request.matchedRoute });
      const rendered = respond(request, caller, decision, policies);
      return { request, decision, rendered, principalId: caller.sub, clientId: caller.clientId };
    });
  };
  const run: Parts['run'] = (event, seen) => {
    const request = openDoor(event, doors);
    seen.request = request;
    const claims = claimsOf(request);
    return claims instanceof Promise ? claims.then((c) => decideFor(request, c)) : decideFor(request, claims);
  };

  const handler = createHandler({
    logger,
    decisionLog: createDecisionLog(logger, lines),
    tracing,
    rules,
    run,
    onDemand: env['AWS_LAMBDA_INITIALIZATION_TYPE']?.trim() === 'on-demand',
  });
  return { handler, config, rules, verifier, ready };
}
