// The local token issuer: one RSA key kept in .local/issuer/, its JWKS, and Cognito-shaped RS256 tokens.
//
// Used by `npm run events`, `npm run token` and `npm start`, so a token minted by one is accepted
// by the others. Only node:crypto, node:fs, node:path and node:url: it runs before `npm ci` would.
//
// API (everything else in this file is private):
//   LOCAL_REGION, LOCAL_POOL_ID, LOCAL_CLIENT_ID, DEFAULT_ISSUER_DIR
//   loadOrCreateKey(dir?)  → SigningKey { kid, privateKey, publicJwk, file }
//   jwks(key)              → { keys: [publicJwk] }  (what <endpoint>/<poolId>/.well-known/jwks.json serves)
//   issuerUrl(poolId?)     → https://cognito-idp.<region>.amazonaws.com/<poolId>
//   mintToken(key, opts?)  → a signed JWT string (see MintOptions below)
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Region of the local pool (its id says so too: Cognito pool ids start with their region). */
export const LOCAL_REGION = 'us-east-1';
/** The user pool id the local issuer signs for; give it to the authorizer as USER_POOL_IDS. */
export const LOCAL_POOL_ID = `${LOCAL_REGION}_LocalPool1`;
/** The app client id in the local issuer's tokens; give it to the authorizer as CLIENT_IDS. */
export const LOCAL_CLIENT_ID = 'localclient000000000000001';
/** Where the key lives unless a directory is given: `<repo>/.local/issuer` (git-ignored). */
export const DEFAULT_ISSUER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.local', 'issuer');

const KEY_FILE = 'private-key.pem';
// Same shape aws-jwt-verify and src/config.ts accept; the region is what precedes the underscore.
const POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[A-Za-z0-9]+$/;

/**
 * @typedef {object} SigningKey
 * @property {string} kid        the key id in every token header and in the JWKS (the key's RFC 7638 thumbprint)
 * @property {import('node:crypto').KeyObject} privateKey
 * @property {Record<string, string>} publicJwk  kty, n, e, kid, alg RS256, use sig
 * @property {string} file       the PEM file the key was read from
 */

/**
 * The signing key in `dir` (default DEFAULT_ISSUER_DIR), created on first use: RSA-2048, PKCS#8
 * PEM in `private-key.pem` (mode 0600, directory 0700). Safe when several processes start at
 * once: exactly one key wins and all of them use it. The kid is derived from the key, so it is
 * stable across runs and needs no file of its own.
 * @param {string} [dir]
 * @returns {SigningKey}
 */
export function loadOrCreateKey(dir = DEFAULT_ISSUER_DIR) {
  const file = path.join(dir, KEY_FILE);
  let pem = readIfExists(file);
  if (pem === undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const temp = path.join(dir, `.${KEY_FILE}.${process.pid}.${randomUUID()}.tmp`);
    writeFileSync(temp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    try {
      // link() fails when the file exists: a process that started at the same time won; use its key.
      linkSync(temp, file);
      chmodSync(file, 0o600);
    } catch (err) {
      if (err?.code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(temp);
    }
    pem = readFileSync(file, 'utf8');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`local issuer: ${file} is not a readable private key (${err.message}); delete it to make a new one`, {
      cause: err,
    });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`local issuer: ${file} holds a ${privateKey.asymmetricKeyType} key, not RSA; delete it to make a new one`);
  }
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
  return { kid, privateKey, publicJwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' }, file };
}

/**
 * The public JWKS for `key`, shaped like Cognito's `/.well-known/jwks.json`.
 * @param {SigningKey} key
 * @returns {{ keys: Record<string, string>[] }}
 */
export function jwks(key) {
  return { keys: [{ ...key.publicJwk }] };
}

/**
 * The issuer (`iss`) Cognito uses for a pool: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
 * @param {string} [poolId]
 */
export function issuerUrl(poolId = LOCAL_POOL_ID) {
  const match = POOL_ID.exec(poolId);
  if (match === null) throw new TypeError(`local issuer: "${poolId}" is not a user pool id (like ${LOCAL_POOL_ID})`);
  return `https://cognito-idp.${match[1]}.amazonaws.com/${poolId}`;
}

/**
 * @typedef {object} MintOptions
 * @property {string[]} [groups]     `cognito:groups`; the claim is left out when there are none, as Cognito does
 * @property {string[]} [scopes]     access tokens only: the `scope` claim (space-joined); default ['openid']
 * @property {string} [sub]          default: a fresh UUID
 * @property {string} [username]     `username` (access) or `cognito:username` (id); default `user-<first 8 of sub>`
 * @property {number} [ttlSeconds]   lifetime in whole seconds, default 3600
 * @property {'access'|'id'} [tokenUse]  default 'access'
 * @property {boolean} [expired]     exp a minute in the past (iat ttlSeconds before it)
 * @property {string} [poolId]       default LOCAL_POOL_ID (the issuer follows it)
 * @property {string} [clientId]     default LOCAL_CLIENT_ID (`client_id` or `aud`)
 */

/**
 * An RS256 JWT signed with `key` whose header and claims have the shapes of an Amazon Cognito
 * user-pool access token (or ID token with `tokenUse: 'id'`). Throws TypeError on bad options.
 * @param {SigningKey} key
 * @param {MintOptions} [options]
 * @returns {string}
 */
export function mintToken(key, options = {}) {
  const tokenUse = options.tokenUse ?? 'access';
  if (tokenUse !== 'access' && tokenUse !== 'id') throw new TypeError(`local issuer: tokenUse must be "access" or "id" (got "${tokenUse}")`);
  const ttl = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1) throw new TypeError(`local issuer: ttlSeconds must be a positive whole number (got ${ttl})`);
  const groups = stringList(options.groups, 'groups') ?? [];
  const scopes = stringList(options.scopes, 'scopes');
  if (tokenUse === 'id' && scopes !== undefined) throw new TypeError('local issuer: ID tokens carry no scope claim; drop scopes or use tokenUse "access"');
  const sub = nonEmpty(options.sub, 'sub') ?? randomUUID();
  const username = nonEmpty(options.username, 'username') ?? `user-${sub.slice(0, 8)}`;
  const clientId = nonEmpty(options.clientId, 'clientId') ?? LOCAL_CLIENT_ID;
  const iss = issuerUrl(options.poolId ?? LOCAL_POOL_ID);

  const now = Math.floor(Date.now() / 1000);
  const exp = options.expired === true ? now - 60 : now + ttl;
  const iat = exp - ttl;
  const claims = { sub };
  if (groups.length > 0) claims['cognito:groups'] = groups;
  if (tokenUse === 'access') {
    Object.assign(claims, {
      iss,
      version: 2,
      client_id: clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: (scopes ?? ['openid']).join(' '),
      auth_time: iat,
      exp,
      iat,
      jti: randomUUID(),
      username,
    });
  } else {
    Object.assign(claims, {
      email_verified: true,
      iss,
      'cognito:username': username,
      origin_jti: randomUUID(),
      aud: clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: iat,
      exp,
      iat,
      jti: randomUUID(),
      email: `${username}@example.com`,
    });
  }
  const head = base64url({ kid: key.kid, alg: 'RS256' });
  const body = base64url(claims);
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function readIfExists(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err?.code === 'ENOENT') return undefined;
    throw err;
  }
}

function stringList(value, name) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new TypeError(`local issuer: ${name} must be a list of non-empty strings`);
  }
  return [...value];
}

function nonEmpty(value, name) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new TypeError(`local issuer: ${name} must be a non-empty string`);
  return value;
}
