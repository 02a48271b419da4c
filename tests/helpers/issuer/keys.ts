// Signing keys: RSA-2048 made at run time, each with its public JWK, and RS256 signing of any header and payload.
import { createHash, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** A public JWK as Cognito publishes it. */
export interface PublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

/** A private key, the kid every token header names, and the public JWK the JWKS serves. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: PublicJwk;
}

/** The signing key for `privateKey` (RSA); the kid defaults to the key's RFC 7638 thumbprint, stable across runs. */
export function signingKey(privateKey: KeyObject, kid?: string): SigningKey {
  if (privateKey.asymmetricKeyType !== 'rsa') throw new TypeError(`an RSA key is needed, not ${String(privateKey.asymmetricKeyType)}`);
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (n === undefined || e === undefined) throw new TypeError('the RSA key has no public modulus or exponent');
  const id = kid ?? createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
  return { kid: id, privateKey, jwk: { kty: 'RSA', n, e, kid: id, alg: 'RS256', use: 'sig' } };
}

/** A fresh RSA-2048 signing key (a random kid unless given: tests make keys that share one on purpose). */
export function makeKey(kid: string = randomUUID()): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKey(privateKey, kid);
}

/** A key as a JWKS serves it: its public JWK (tests serve odd ones, an `alg` left out say). */
export interface ServedKey {
  readonly jwk: object;
}

/** The JWKS document for `keys`, shaped like Cognito's `/.well-known/jwks.json`. */
export function jwksOf(keys: readonly ServedKey[]): { keys: object[] } {
  return { keys: keys.map((k) => ({ ...k.jwk })) };
}

export const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Signs any payload with RS256 under the key's kid; header fields may be added or overridden (tests make odd ones on purpose). */
export function signJwt(key: Pick<SigningKey, 'kid' | 'privateKey'>, payload: unknown, header: Record<string, unknown> = {}): string {
  const head = b64url(JSON.stringify({ kid: key.kid, alg: 'RS256', ...header }));
  const body = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}
