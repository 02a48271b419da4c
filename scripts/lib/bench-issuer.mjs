// Benchmark issuer: an RSA key made at run time, Cognito-shaped access tokens, a counting JWKS server on 127.0.0.1.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

export const REGION = 'us-east-1';
export const POOL_ID = 'us-east-1_BenchPool1';
export const CLIENT_ID = 'benchclient00000000000001';

/** A fresh RSA-2048 signing key: `{ kid, privateKey, publicKey, jwk }`. */
export function makeKey(kid = randomUUID()) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const b64url = (text) => Buffer.from(text).toString('base64url');

/** Claims shaped like a Cognito access token for the bench pool and client; distinct every call. */
export function accessClaims({ groups, scopes = ['aws.cognito.signin.user.admin'], ttl = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const sub = randomUUID();
  return {
    sub,
    ...(groups === undefined ? {} : { 'cognito:groups': groups }),
    iss: `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`,
    client_id: CLIENT_ID,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now - 60,
    exp: now + ttl,
    iat: now - 60,
    jti: randomUUID(),
    username: `user-${sub.slice(0, 8)}`,
    version: 2,
  };
}

/** Signs claims with RS256 under the key's kid. */
export function signJwt(key, claims) {
  const head = b64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${signature.toString('base64url')}`;
}

/**
 * Serves `{ keys }` at `/<poolId>/.well-known/jwks.json` on 127.0.0.1 and counts every request.
 * Resolves with `{ endpoint, requests(), close() }`.
 */
export async function startJwksServer(keys) {
  let requests = 0;
  const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  const server = createServer((req, res) => {
    requests++;
    if (req.url === `/${POOL_ID}/.well-known/jwks.json`) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The environment the built authorizer needs to trust this issuer (plus `extra`). */
export function authorizerEnv(endpoint, extra = {}) {
  return {
    USER_POOL_IDS: POOL_ID,
    CLIENT_IDS: CLIENT_ID,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...extra,
  };
}
