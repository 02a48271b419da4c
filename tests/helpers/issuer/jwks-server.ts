// A JWKS server on 127.0.0.1 serving the keys at `/<poolId>/.well-known/jwks.json`, counting requests and switchable into failure modes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwksOf, type ServedKey } from './keys';

export type JwksMode = 'ok' | 'status-500' | 'invalid-json' | 'huge' | 'hang' | 'empty-keys';

/** A JWKS server on 127.0.0.1 serving `/<poolId>/.well-known/jwks.json`, switchable between modes. */
export class JwksServer {
  mode: JwksMode = 'ok';
  keys: ServedKey[];
  requests = 0;
  /** The request paths, in order (to show what a token could and could not make it fetch). */
  readonly paths: string[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  constructor(keys: ServedKey[]) {
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
        res.end(JSON.stringify(jwksOf(this.keys)));
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
