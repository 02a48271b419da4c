// A test issuer: RSA keys made at run time, Cognito-shaped tokens, and a JWKS server on 127.0.0.1
// that can be switched into failure modes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export const REGION = 'us-east-1';
export const POOL_ID = 'us-east-1_TestPool1';
export const OTHER_POOL_ID = 'us-east-1_OtherPool2';
export const CLIENT_ID = 'testclient0000000000000001';
export const OTHER_CLIENT_ID = 'otherclient000000000000002';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

/** A fresh RSA-2048 signing key with its public JWK. */
export function makeKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

export const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Signs any header and payload with RS256 (headers and payloads may be deliberately odd). */
export function signJwt(key: SigningKey, payload: unknown, header: Record<string, unknown> = {}): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', kid: key.kid, ...header }));
  const body = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

export interface CallerSpec {
  groups?: readonly string[] | undefined;
  scopes?: readonly string[] | undefined;
  sub?: string;
  username?: string;
  tokenUse?: 'access' | 'id';
  poolId?: string;
  clientId?: string;
  /** Seconds from now until `exp`; negative makes an expired token. */
  ttl?: number;
  extra?: Record<string, unknown>;
}

/** Claims shaped like Cognito's access (or ID) tokens. */
export function cognitoClaims(spec: CallerSpec = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const ttl = spec.ttl ?? 3600;
  const poolId = spec.poolId ?? POOL_ID;
  const sub = spec.sub ?? randomUUID();
  const common: Record<string, unknown> = {
    sub,
    iss: `https://cognito-idp.${REGION}.amazonaws.com/${poolId}`,
    token_use: spec.tokenUse ?? 'access',
    auth_time: now - 60 + Math.min(ttl, 0),
    iat: now - 60 + Math.min(ttl, 0),
    exp: now + ttl,
    jti: randomUUID(),
    origin_jti: randomUUID(),
    event_id: randomUUID(),
  };
  if (spec.groups !== undefined) common['cognito:groups'] = [...spec.groups];
  if ((spec.tokenUse ?? 'access') === 'access') {
    return {
      ...common,
      client_id: spec.clientId ?? CLIENT_ID,
      scope: (spec.scopes ?? ['aws.cognito.signin.user.admin']).join(' '),
      username: spec.username ?? `user-${sub.slice(0, 8)}`,
      version: 2,
      ...spec.extra,
    };
  }
  return {
    ...common,
    aud: spec.clientId ?? CLIENT_ID,
    'cognito:username': spec.username ?? `user-${sub.slice(0, 8)}`,
    email: 'someone@example.com',
    email_verified: true,
    ...spec.extra,
  };
}

export type JwksMode = 'ok' | 'status-500' | 'invalid-json' | 'huge' | 'hang' | 'empty-keys';

/** A JWKS server on 127.0.0.1 serving `/<poolId>/.well-known/jwks.json`, switchable between modes. */
export class JwksServer {
  mode: JwksMode = 'ok';
  keys: SigningKey[];
  requests = 0;
  /** The request paths, in order (to show what a token could and could not make it fetch). */
  readonly paths: string[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  constructor(keys: SigningKey[]) {
    this.keys = keys;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('JWKS server is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Listens on 127.0.0.1, on `port` (to come back where it was after stop()) or any free port. */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    this.paths.push(req.url ?? '');
    if (!/^\/[^/]+\/\.well-known\/jwks\.json$/.test(req.url ?? '')) {
      res.writeHead(404).end();
      return;
    }
    switch (this.mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
        return;
      case 'empty-keys':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
        return;
      case 'status-500':
        res.writeHead(500).end('oops');
        return;
      case 'invalid-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [');
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"keys":[],"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
        return;
      case 'hang':
        this.hanging.add(res);
        return;
    }
  }
}
