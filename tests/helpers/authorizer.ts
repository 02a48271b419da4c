// Builds authorizers against a test issuer's JWKS server, with logs captured instead of printed.
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAuthorizer, type Authorizer } from '../../src/authorizer';
import type { VerifierOptions } from '../../src/verifier';
import { CLIENT_ID, JwksServer, makeKey, POOL_ID, type SigningKey } from './issuer';
import { captureService } from './log-capture';

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

/**
 * A Powertools Logger whose JSON lines land in `logs` (parsed) and `raw` (as written) instead of the
 * terminal: it writes to stdout and stderr as any Logger does, under a service name of its own that
 * log-capture routes here. Nothing of the Logger's own is touched.
 */
export function capturingLogger(logs: LogLine[], raw: string[], logLevel: 'DEBUG' | 'INFO' = 'INFO'): Logger {
  const serviceName = `test-${randomUUID()}`;
  captureService(serviceName, { logs, raw });
  return new Logger({ serviceName, logLevel });
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
