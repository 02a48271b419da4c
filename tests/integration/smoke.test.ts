// `npm run smoke` end to end: moto_server as Cognito (and CloudFormation), `npm start` as the sample REST API, the smoke as a child process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalApi, type LocalApi } from '../helpers/local-api';
import { createDemoPool, startMoto, usernames, type DemoPool, type Moto } from '../helpers/moto';
import { freePort, waitForOutput } from '../helpers/processes';
import { createFakeStack, leakedSecrets, runSmoke, secretsMotoSaw, SMOKE_PREFIX, smokeFlags, startBlackHole, startSmoke } from '../helpers/smoke';
import { ROOT } from '../../scripts/lib/paths';

let moto: Moto;
let pool: DemoPool;
let rest: LocalApi;
let scratch: string;

beforeAll(async () => {
  moto = await startMoto();
  pool = await createDemoPool(moto.client);
  rest = await startLocalApi({
    USER_POOL_IDS: pool.poolId,
    CLIENT_IDS: pool.clientId,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  scratch = mkdtempSync(path.join(tmpdir(), 'smoke-test-'));
}, 60_000);

afterAll(async () => {
  await rest?.stop();
  await moto?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** The demo users left in the pool. */
const leftovers = (): Promise<string[]> => usernames(moto.client, pool.poolId, SMOKE_PREFIX);

/** The lines of a run that failed a check. */
const failures = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('✗'));

describe('npm run smoke against the local REST API and moto’s pool', () => {
  it('passes, checks every caller on every sample route, and deletes its users', async () => {
    // Prepare
    const args = smokeFlags(moto, pool, { rest: rest.url });

    // Act
    const run = await runSmoke(moto, args);

    // Assess
    expect({ code: run.code, failures: failures(run.stdout), leftovers: await leftovers() }).toEqual({ code: 0, failures: [], leftovers: [] });
    expect(run.stdout).toMatch(/✓ REST reader +GET \/pets\/1 → 200 from the backend, first: answer cached/);
    expect(run.stdout).toMatch(/✓ REST reader +DELETE \/pets\/cra-smoke-none → 403 \(denied\), within the TTL/);
    expect(run.stdout).toMatch(/^PASSED: \d+ passed, 0 failed/m);
  });

  it('prints no password and no token it used (moto’s own records of them)', async () => {
    // Prepare
    const run = await runSmoke(moto, smokeFlags(moto, pool, { rest: rest.url }));

    // Act
    const secrets = await secretsMotoSaw(moto, pool.poolId);

    // Assess: the search finds a fragment of a password or of a signature (so it can fail), and finds nothing in the output
    const fragments = `x ${(secrets.passwords[0] ?? '').slice(3, 27)} y ${(secrets.tokens[0]?.split('.')[2] ?? '').slice(10, 34)} z`;
    expect({ passwords: secrets.passwords.length >= 4, tokens: secrets.tokens.length >= 8, found: leakedSecrets(fragments, secrets).length }).toEqual({ passwords: true, tokens: true, found: 2 });
    expect(leakedSecrets(run.stdout + run.stderr, secrets)).toEqual([]);
  });

  it('fails with exit 1, naming the check, when the API answers otherwise than the rules it expects', async () => {
    // Prepare: rules in which readers may delete, where the API runs the bundled ones
    const rules = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as { routes: { route: string; allow: string[] }[] };
    for (const r of rules.routes) if (r.route === 'DELETE /pets/{petId}') r.allow.push('group:readers');
    const file = path.join(scratch, 'readers-delete.json');
    writeFileSync(file, JSON.stringify(rules));

    // Act
    const run = await runSmoke(moto, [...smokeFlags(moto, pool, { rest: rest.url }), '--rules', file]);

    // Assess
    expect({ code: run.code, failures: failures(run.stdout).map((l) => l.replace(/ \{"message".*$/, '')), leftovers: await leftovers() }).toEqual({
      code: 1,
      failures: ['✗ REST reader     DELETE /pets/cra-smoke-none: expected 404 from the backend, got 403'],
      leftovers: [],
    });
  });

  it('fails with exit 1 and a clear line, not a crash, when the API does not answer', async () => {
    // Prepare: a port nothing listens on
    const stopped = `http://127.0.0.1:${await freePort()}`;

    // Act
    const run = await runSmoke(moto, smokeFlags(moto, pool, { rest: stopped }));

    // Assess
    expect({ code: run.code, failures: failures(run.stdout), leftovers: await leftovers(), crashed: /unexpected failure|\n\s+at /.test(run.stderr) }).toEqual({
      code: 1,
      failures: [`✗ REST no token   GET /pets: no answer from ${stopped} (ECONNREFUSED)`],
      leftovers: [],
      crashed: false,
    });
    expect(run.stdout).toMatch(/– REST the other \d+ checks: the API did not answer/);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('deletes its users when a %s interrupts it mid-run, and exits %i', async (signal, status) => {
    // Prepare: the HTTP API never answers, so the run is surely under way when the signal comes
    const hang = await startBlackHole();
    const child = startSmoke(moto, smokeFlags(moto, pool, { rest: rest.url, http: hang.url }));
    try {
      await waitForOutput(child, new RegExp(`HTTP API ${hang.url}`), 20_000);

      // Act
      const started = Date.now();
      const code = await child.stop(signal, 15_000);

      // Assess
      expect({ code, quick: Date.now() - started < 10_000, leftovers: await leftovers() }).toEqual({ code: status, quick: true, leftovers: [] });
      expect(child.stdout()).toMatch(/✓ cleanup +deleted 4 demo users/);
      expect(child.stdout()).toMatch(/^INTERRUPTED: /m);
      expect(leakedSecrets(child.output(), await secretsMotoSaw(moto, pool.poolId))).toEqual([]);
    } finally {
      await child.stop('SIGKILL');
      await hang.close();
    }
  });
});

describe('npm run smoke --stack (moto’s CloudFormation)', () => {
  it('reads the API, the pool and the client from the stack’s outputs, and passes', async () => {
    // Prepare
    await createFakeStack(
      moto,
      'pets-smoke-ok',
      { ApiUrl: rest.url, UserPoolId: pool.poolId, UserClientId: pool.clientId },
      { DeployMode: 'rest', TokenUse: 'access', RouteRules: '', CorsAllowOrigin: '*', AuthorizerResultTtl: '300' },
    );

    // Act
    const run = await runSmoke(moto, ['--stack', 'pets-smoke-ok', '--region', 'us-east-1', '--endpoint', moto.endpoint]);

    // Assess
    expect({ code: run.code, failures: failures(run.stdout), leftovers: await leftovers() }).toEqual({ code: 0, failures: [], leftovers: [] });
    expect(run.stdout).toMatch(/^smoke: stack pets-smoke-ok \(us-east-1\), run [0-9a-f]{6}$/m);
    expect(run.stdout).toMatch(/rules +config\/rules\.json \(6 routes\); CORS origin \*; authorizer cache TTL 300 s/);
  });

  it('explains that an authorizer-only stack has no sample API to smoke, and exits 2 without creating users', async () => {
    // Prepare
    await createFakeStack(
      moto,
      'pets-smoke-authorizer-only',
      { UserPoolId: pool.poolId, UserClientId: pool.clientId, AuthorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:x' },
      { DeployMode: 'authorizer-only' },
    );

    // Act
    const run = await runSmoke(moto, ['--stack', 'pets-smoke-authorizer-only', '--region', 'us-east-1', '--endpoint', moto.endpoint]);

    // Assess
    expect({ code: run.code, stdout: run.stdout, leftovers: await leftovers() }).toEqual({ code: 2, stdout: '', leftovers: [] });
    expect(run.stderr).toMatch(/smoke: stack pets-smoke-authorizer-only was deployed with DeployMode=authorizer-only: the authorizer alone, no sample API to smoke/);
  });

  it('names a stack that does not exist, and exits 2', async () => {
    // Act
    const run = await runSmoke(moto, ['--stack', 'no-such-stack', '--region', 'us-east-1', '--endpoint', moto.endpoint]);

    // Assess
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((l) => l.startsWith('smoke:')) }).toEqual({
      code: 2,
      stderr: ['smoke: cannot read stack no-such-stack in us-east-1: ValidationError: Stack with id no-such-stack does not exist'],
    });
  });
});
