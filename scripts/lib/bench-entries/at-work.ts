// Bench entries' shared part: the libraries doing the authorizer's cold-start job without its code — a logger and its
// first line, a Cognito verifier, the JWKS fetch started (over http to the bench's endpoint). What the authorizer adds
// beyond this is its own code.
import { request } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as errors from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { keep } from './keep';

/** Starts the libraries as the authorizer's cold start does, with the environment the bench gives the authorizer. */
export function librariesAtWork(extra: unknown = undefined): void {
  const env = process.env;
  const pool = env['USER_POOL_IDS'] ?? '';
  const logger = new Logger({ serviceName: 'bench' });
  const fetcher = {
    fetch: (): Promise<ArrayBuffer> =>
      new Promise((resolve, reject) => {
        const req = request(`${env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ?? ''}/${pool}/.well-known/jwks.json`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const b = Buffer.concat(chunks);
            resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          });
        });
        req.on('error', reject);
        req.end();
      }),
  };
  const jwksCache = new SimpleJwksCache({ fetcher });
  const verifier = CognitoJwtVerifier.create([{ userPoolId: pool, clientId: (env['CLIENT_IDS'] ?? '').split(','), tokenUse: 'access' }], {
    jwksCache,
  });
  logger.info('ready', { pools: [pool] });
  jwksCache.getJwks(CognitoJwtVerifier.parseUserPoolId(pool).jwksUri).catch(() => undefined);
  keep([verifier, errors, extra]);
}
