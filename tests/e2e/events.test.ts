// `npm run events`: every fixture filled with a fresh local-issuer token, no token printed, and the
// written events decided by the authorizer exactly as events/scenarios.json says.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { envFileName, loadScenarios, type Scenario } from '../../scripts/lib/scenarios';
import { createAuthorizer } from '../../src/authorizer';
import { capturingLogger } from '../helpers/authorizer';
import { jwksOf, loadOrCreateKey } from '../helpers/issuer';
import { runScript, type Run } from '../helpers/local-api';
import { decisionOf } from '../helpers/outcome';

const scenarios = loadScenarios(path.join(ROOT, 'events'));

let work: string;
let server: Server;
let endpoint: string;
let run: Run;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'events-'));
  const issuerDir = path.join(work, 'issuer');
  // The local issuer's public keys, served where the written env.json will point the authorizer.
  const jwks = JSON.stringify(jwksOf([loadOrCreateKey(issuerDir)]));
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  run = await runScript('events.ts', ['--out', path.join(work, 'out'), '--jwks-endpoint', endpoint], { LOCAL_ISSUER_DIR: issuerDir });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

const written = (file: string): string => readFileSync(path.join(work, 'out', file), 'utf8');

describe('npm run events', () => {
  it('writes every scenario of the manifest and an env-vars file for each set of settings, and exits 0', () => {
    // Prepare
    const expected = [...new Set([...scenarios.map((s) => s.file), 'env.json', ...scenarios.map(envFileName)])].sort();

    // Act
    const files = readdirSync(path.join(work, 'out')).sort();

    // Assess
    expect(run.code).toBe(0);
    expect(files).toEqual(expected);
  });

  it('leaves no placeholder behind and prints no token', () => {
    // Prepare
    const tokens = scenarios
      .map((s) => /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/.exec(written(s.file))?.[0])
      .filter((t): t is string => t !== undefined);

    // Act
    const leftovers = scenarios.filter((s) => written(s.file).includes('{{TOKEN}}'));

    // Assess
    expect(leftovers).toEqual([]);
    expect(tokens.length).toBeGreaterThanOrEqual(scenarios.filter((s) => s.caller !== null).length);
    expect(tokens.filter((t) => run.stdout.includes(t.split('.')[2] as string) || run.stderr.includes(t.split('.')[2] as string))).toEqual([]);
  });

  it('writes events the authorizer decides as the manifest says, each with the env-vars file written for it', async () => {
    // Prepare
    const envOf = (s: Scenario): Record<string, string> =>
      (JSON.parse(written(envFileName(s))) as { AuthorizerFunction: Record<string, string> }).AuthorizerFunction;
    const authorizerFor = (s: Scenario) => createAuthorizer({ env: envOf(s), logger: capturingLogger([], []) });

    // Act
    const outcomes = await Promise.all(scenarios.map(async (s) => [s.file, await decisionOf(authorizerFor(s).handler, JSON.parse(written(s.file)))]));

    // Assess
    expect(scenarios.map((s) => envOf(s)['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'])).toEqual(scenarios.map(() => endpoint));
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(scenarios.map((s) => [s.file, s.expect])));
  });
});
