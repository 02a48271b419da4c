// Builds authorizers against a test issuer's JWKS server, with logs captured instead of printed.
import { Logger } from '@aws-lambda-powertools/logger';
import { createAuthorizer, type Authorizer } from '../../src/authorizer';
import type { VerifierOptions } from '../../src/verifier';
import { CLIENT_ID, JwksServer, makeKey, POOL_ID, type SigningKey } from './issuer';

/** Log lines a test authorizer wrote, parsed. */
export type LogLine = Record<string, unknown>;

export interface TestSetup {
  readonly key: SigningKey;
  readonly jwks: JwksServer;
  readonly logs: LogLine[];
  /** Raw log output, for leak checks. */
  readonly raw: string[];
  make(env?: Record<string, string | undefined>, verifier?: VerifierOptions): Authorizer;
  stop(): Promise<void>;
}

/** A logger whose JSON lines land in arrays. */
export function capturingLogger(logs: LogLine[], raw: string[], logLevel: 'DEBUG' | 'INFO' = 'INFO'): Logger {
  const logger = new Logger({ serviceName: 'test', logLevel });
  const sink = (line: unknown): void => {
    const text = String(line);
    raw.push(text);
    logs.push(JSON.parse(text) as LogLine);
  };
  // Powertools writes through a Console instance; point every level at the sink.
  const consoleLike = logger as unknown as { console: Record<string, (line: unknown) => void> };
  consoleLike.console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
  return logger;
}

/** Starts a JWKS server with a fresh key and returns a factory for authorizers that trust it. */
export async function setup(): Promise<TestSetup> {
  const key = makeKey();
  const jwks = await new JwksServer([key]).start();
  const logs: LogLine[] = [];
  const raw: string[] = [];
  return {
    key,
    jwks,
    logs,
    raw,
    make(env = {}, verifier = {}) {
      return createAuthorizer({
        env: {
          USER_POOL_IDS: POOL_ID,
          CLIENT_IDS: CLIENT_ID,
          // Read only when needed: a stopped server has no endpoint (tests pass the one they kept).
          ...('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER' in env ? {} : { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: jwks.endpoint }),
          ...env,
        },
        logger: capturingLogger(logs, raw),
        verifier,
      });
    },
    stop: () => jwks.stop(),
  };
}
