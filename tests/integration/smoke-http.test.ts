// `npm run smoke` on both sample APIs (`npm start` and `npm start -- --http`), with the owner and tenant routes and ID tokens: moto_server's pool, the smoke as a child process.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalApi, type LocalApi } from '../helpers/local-api';
import { createDemoPool, startMoto, usernames, type DemoPool, type Moto } from '../helpers/moto';
import { leakedSecrets, runSmoke, secretsMotoSaw, SMOKE_PREFIX, smokeFlags } from '../helpers/smoke';
import { ROOT } from '../../scripts/lib/paths';

/** The bundled rules plus the owner route (bound to sub) and the tenant route (bound to custom:tenant_id). */
function boundRules(): string {
  const rules = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as { routes: { route: string }[] };
  const have = new Set(rules.routes.map((r) => r.route));
  const bound = [
    { route: 'GET /users/{userId}/pets', allow: ['authenticated'], bind: { userId: 'sub' } },
    { route: 'GET /tenants/{tenantId}/pets', allow: ['authenticated'], bind: { tenantId: 'custom:tenant_id' } },
  ];
  return JSON.stringify({ ...rules, routes: [...rules.routes, ...bound.filter((r) => !have.has(r.route))] });
}

let moto: Moto;
let pool: DemoPool;
let scratch: string;
const servers: LocalApi[] = [];

/** The REST and the HTTP sample API, trusting moto's pool, with `env` added. */
async function startBoth(env: Record<string, string> = {}): Promise<{ rest: string; http: string }> {
  const base = { USER_POOL_IDS: pool.poolId, CLIENT_IDS: pool.clientId, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint, POWERTOOLS_LOG_LEVEL: 'WARN', ...env };
  const [rest, http] = await Promise.all([startLocalApi(base), startLocalApi(base, ['--http'])]);
  servers.push(rest, http);
  return { rest: rest.url, http: http.url };
}

beforeAll(async () => {
  moto = await startMoto();
  pool = await createDemoPool(moto.client);
  scratch = mkdtempSync(path.join(tmpdir(), 'smoke-http-test-'));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await moto?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const failures = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('✗'));

describe('npm run smoke on the REST and the HTTP sample API', () => {
  it('passes on both with the bundled rules and access tokens, and deletes its users', async () => {
    // Prepare
    const apis = await startBoth();

    // Act
    const run = await runSmoke(moto, smokeFlags(moto, pool, apis));

    // Assess
    expect({ code: run.code, failures: failures(run.stdout), leftovers: await usernames(moto.client, pool.poolId, SMOKE_PREFIX) }).toEqual({ code: 0, failures: [], leftovers: [] });
    expect(run.stdout).toMatch(/✓ HTTP reader +DELETE \/pets\/cra-smoke-none → 403 \(denied\), within the TTL/);
    expect(run.stdout).toMatch(/✓ HTTP admin +GET \/cra-smoke-no-such-route → 404 \(no route\)/);
    expect(leakedSecrets(run.stdout + run.stderr, await secretsMotoSaw(moto, pool.poolId))).toEqual([]);
  }, 30_000);

  it('passes with the owner and tenant routes and ID tokens: own sub and tenant allowed, another’s denied', async () => {
    // Prepare
    const rules = boundRules();
    const file = path.join(scratch, 'bound.json');
    writeFileSync(file, rules);
    const apis = await startBoth({ ROUTE_RULES: rules, TOKEN_USE: 'id' });

    // Act
    const run = await runSmoke(moto, [...smokeFlags(moto, pool, apis), '--rules', file, '--token-use', 'id']);

    // Assess
    expect({ code: run.code, failures: failures(run.stdout), leftovers: await usernames(moto.client, pool.poolId, SMOKE_PREFIX) }).toEqual({ code: 0, failures: [], leftovers: [] });
    for (const api of ['REST', 'HTTP']) {
      expect(run.stdout).toMatch(new RegExp(`✓ ${api} nogroups +GET /users/\\{own sub\\}/pets → 200 from the backend`));
      expect(run.stdout).toMatch(new RegExp(`✓ ${api} admin +GET /users/\\{reader's sub\\}/pets → 403 \\(denied\\)`));
      expect(run.stdout).toMatch(new RegExp(`✓ ${api} reader +GET /tenants/\\{own tenant\\}/pets → 200 from the backend`));
      expect(run.stdout).toMatch(new RegExp(`✓ ${api} reader +GET /tenants/\\{other tenant\\}/pets → 403 \\(denied\\)`));
    }
  }, 30_000);
});
