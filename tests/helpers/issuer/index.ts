// The one token issuer of this repository, for the tests, `npm run token`, `npm run events`, `npm start` and the bench:
// keys made at run time (or kept in .local/issuer/ for the local tools), Cognito-shaped claims, RS256 tokens, a JWKS server.
import { CLIENT_ID, cognitoClaims, POOL_ID, type CallerSpec } from './claims';
import { signJwt, type SigningKey } from './keys';

export * from './claims';
export * from './jwks-server';
export * from './key-file';
export * from './keys';

/** A signed Cognito-shaped token for `spec` (see CallerSpec). */
export function mintToken(key: SigningKey, spec: CallerSpec = {}): string {
  return signJwt(key, cognitoClaims(spec));
}

/** The environment an authorizer needs to trust a pool whose JWKS is served at `endpoint` (default: the tests' pool and client). */
export function authorizerEnv(endpoint: string, poolId: string = POOL_ID, clientId: string = CLIENT_ID): Record<string, string> {
  return { USER_POOL_IDS: poolId, CLIENT_IDS: clientId, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint };
}
