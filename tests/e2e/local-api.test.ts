// `npm start` end to end: the local API (built authorizer, API Gateway's cache, backend) answered over real HTTP on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { cleanEnv, mintToken, runScript, startLocalApi, type LocalApi } from '../helpers/local-api';
import { descendants, exitsWithin, http, rawHttp, startChild, waitForOutput } from '../helpers/processes';

const issuerDir = mkdtempSync(path.join(tmpdir(), 'local-issuer-'));
/** Who calls, as `npm run token` arguments. */
const CALLERS = {
  admin: ['--groups', 'admins'],
  reader: ['--groups', 'readers'],
  carol: ['--username', 'carol', '--sub', 'carol-sub-1'],
  writer: ['--scopes', 'pets/read,pets/write'],
  expired: ['--groups', 'admins', '--expired'],
  idToken: ['--groups', 'admins', '--id'],
  otherClient: ['--groups', 'admins', '--client-id', 'someotherclient0000000001'],
} as const;
const tokens = {} as Record<keyof typeof CALLERS, string>;
let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir });
  const names = Object.keys(CALLERS) as (keyof typeof CALLERS)[];
  const minted = await Promise.all(names.map((name) => mintToken(issuerDir, CALLERS[name])));
  names.forEach((name, i) => (tokens[name] = minted[i] as string));
}, 60_000);

afterAll(async () => {
  await api?.stop();
  rmSync(issuerDir, { recursive: true, force: true });
});

/** The access-log lines the local API wrote for `method path`, in order. */
const accessLog = (method: string, p: string): string[] =>
  api.child.stdout().split('\n').filter((l) => l.startsWith(`[local-api] ${method} ${p} → `));

describe('npm start with the embedded issuer (TOKEN authorizer, cache on)', () => {
  it('answers an admin listing pets with the backend’s 200', async () => {
    // Prepare
    const token = tokens.admin;

    // Act
    const res = await http(`${api.url}/pets`, { token });

    // Assess
    expect(res.status).toBe(200);
  });

  it('logs cold_start true on the authorizer’s first decision only, agreeing with its coldStart, as Lambda on demand', async () => {
    // Prepare: two callers the cache has not seen, so the authorizer is invoked at least twice since it started.
    await http(`${api.url}/me`, { token: tokens.carol });
    await http(`${api.url}/pets`, { token: tokens.writer });
    await waitForOutput(api.child, /"message":"decision"[^\n]*\n[^]*"message":"decision"/, 5_000);

    // Act
    const decisions = api.child
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['message'] === 'decision')
      .slice(0, 2);

    // Assess
    expect(decisions.map((d) => [d['cold_start'], d['coldStart']])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('sends the headers the README shows: the backend’s CORS header on a 200, the gateway responses’ on a 403 and a 401', async () => {
    // Prepare
    const asks = [
      http(`${api.url}/pets`, { token: tokens.admin }),
      http(`${api.url}/pets/1`, { method: 'DELETE', token: tokens.reader }),
      http(`${api.url}/pets`),
    ];

    // Act
    const answers = await Promise.all(asks);
    const names = answers.map((a) => [a.status, [...a.headers.keys()].filter((k) => !['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)).sort()]);

    // Assess
    expect(names).toEqual([
      [200, ['access-control-allow-origin', 'cache-control', 'content-type', 'x-amzn-requestid']],
      [403, ['access-control-allow-headers', 'access-control-allow-origin', 'content-type', 'x-amzn-errortype', 'x-amzn-requestid']],
      [401, ['access-control-allow-headers', 'access-control-allow-origin', 'content-type', 'www-authenticate', 'x-amzn-errortype', 'x-amzn-requestid']],
    ]);
  });

  it('answers a reader deleting a pet with 403 and API Gateway’s deny message', async () => {
    // Prepare
    const token = tokens.reader;

    // Act
    const res = await http(`${api.url}/pets/1`, { method: 'DELETE', token });

    // Assess
    expect([res.status, res.json]).toEqual([403, { message: expect.stringMatching(/^User is not authorized to access this resource/) }]);
  });

  it('echoes the authorizer context to a signed-in user without groups on GET /me', async () => {
    // Prepare
    const token = tokens.carol;

    // Act
    const res = await http(`${api.url}/me`, { token });

    // Assess
    expect([res.status, res.json]).toEqual([
      200,
      expect.objectContaining({
        sub: 'carol-sub-1',
        username: 'carol',
        tokenUse: 'access',
        groups: [],
        authorizerContext: expect.objectContaining({ principalId: 'carol-sub-1', groups: '[]', username: 'carol' }),
      }),
    ]);
  });

  it('lets a client with the pets/write scope create a pet with 201 and delete it with 204', async () => {
    // Prepare
    const token = tokens.writer;

    // Act
    const created = await http(`${api.url}/pets`, { method: 'POST', token, body: { name: 'Rex', type: 'dog' } });
    const id = (created.json as { id: string }).id;
    const deleted = await http(`${api.url}/pets/${id}`, { method: 'DELETE', token });

    // Assess
    expect([created.status, deleted.status]).toEqual([201, 204]);
  });

  it('answers 401 with WWW-Authenticate: Bearer when there is no token', async () => {
    // Prepare
    const url = `${api.url}/pets`;

    // Act
    const res = await http(url);

    // Assess
    expect([res.status, res.json, res.headers.get('www-authenticate')]).toEqual([401, { message: 'Unauthorized' }, 'Bearer']);
  });

  it('answers 401 to a token whose signature does not verify', async () => {
    // Prepare
    const [head, payload] = tokens.admin.split('.') as [string, string, string];
    const forged = `${head}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;

    // Act
    const res = await http(`${api.url}/pets`, { token: forged });

    // Assess
    expect([res.status, res.json]).toEqual([401, { message: 'Unauthorized' }]);
  });

  it('answers 401 to an expired token', async () => {
    // Prepare
    const token = tokens.expired;

    // Act
    const res = await http(`${api.url}/pets`, { token });

    // Assess
    expect(res.status).toBe(401);
  });

  it('answers 401 to an ID token and to another app client’s token', async () => {
    // Prepare
    const wrong = [tokens.idToken, tokens.otherClient];

    // Act
    const statuses = await Promise.all(wrong.map(async (token) => (await http(`${api.url}/pets`, { token })).status));

    // Assess
    expect(statuses).toEqual([401, 401]);
  });

  it('answers an unknown route with 403 Missing Authentication Token, before any authorizer', async () => {
    // Prepare
    const url = `${api.url}/unicorns`;

    // Act
    const res = await http(url);

    // Assess
    expect([res.status, res.json]).toEqual([403, { message: 'Missing Authentication Token' }]);
  });

  it('decides right for other routes when it reuses the cached answer for a token', async () => {
    // Prepare: a fresh reader token, so its first request is the one that fills the cache.
    const token = await mintToken(issuerDir, ['--groups', 'readers', '--sub', 'cache-check-reader']);

    // Act
    const statuses: number[] = [];
    for (const [method, p] of [['GET', '/pets'], ['GET', '/pets/2'], ['DELETE', '/pets/2'], ['POST', '/pets'], ['GET', '/admin/users']]) {
      statuses.push((await http(`${api.url}${p}`, { method, token, ...(method === 'POST' ? { body: { name: 'x' } } : {}) })).status);
    }

    // Assess
    expect(statuses).toEqual([200, 200, 403, 403, 403]);
    await waitForOutput(api.child, /\[local-api\] GET \/admin\/users → /, 5_000);
    expect(accessLog('DELETE', '/pets/2')).toEqual([expect.stringMatching(/→ 403 deny \((implicit, )?cached\) /)]);
  });

  it('answers 401 itself to a credential the TOKEN validation expression refuses', async () => {
    // Prepare
    const headers = { Authorization: 'Basic YWRtaW46YWRtaW4=' };

    // Act
    const res = await http(`${api.url}/pets`, { headers });
    await waitForOutput(api.child, /GET \/pets → 401 unauthorized \(identity validation expression\)/, 5_000);

    // Assess
    expect(res.status).toBe(401);
  });

  it('answers an Authorization header holding npm’s banner (newlines and all) with the validation expression’s 401, and logs it', async () => {
    // Prepare: what curl sends for TOKEN=$(npm run token) without --silent; node's HTTP parser refuses it.
    const header = `Bearer \n> cognito-route-authorizer@0.1.0 token\n> node --require tsx/cjs scripts/token.ts\n\n${tokens.admin}`;
    const raw = `GET /pets HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nAuthorization: ${header}\r\n\r\n`;

    // Act
    const answer = await rawHttp(api.port, raw);
    await waitForOutput(api.child, /\[local-api\] GET \/pets → 401 unauthorized \(identity validation expression\)/, 5_000);

    // Assess
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(answer.endsWith('\r\n\r\n{"message":"Unauthorized"}')).toBe(true);
    expect(answer.toLowerCase()).toContain('\r\nwww-authenticate: bearer\r\n');
  });

  it('answers a CORS preflight without a token, as the template’s OPTIONS methods do', async () => {
    // Prepare
    const headers = { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'DELETE' };

    // Act
    const res = await http(`${api.url}/pets/1`, { method: 'OPTIONS', headers });

    // Assess
    expect([res.status, res.headers.get('access-control-allow-origin'), res.headers.get('access-control-allow-methods')]).toEqual([
      200,
      '*',
      'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
    ]);
  });

  it('serves the embedded issuer’s JWKS beside the API', async () => {
    // Prepare
    const url = `${api.url}/us-east-1_LocalPool1/.well-known/jwks.json`;

    // Act
    const res = await http(url);

    // Assess
    expect([res.status, (res.json as { keys: { kty: string }[] }).keys[0]?.kty]).toEqual([200, 'RSA']);
  });

  it('writes one access-log line per request, without the query string', async () => {
    // Prepare
    const url = `${api.url}/pets/3?access_token=${tokens.admin}`;

    // Act
    await http(url, { token: tokens.admin });
    await waitForOutput(api.child, /\[local-api\] GET \/pets\/3 → /, 5_000);

    // Assess
    expect(accessLog('GET', '/pets/3')).toEqual([expect.stringMatching(/^\[local-api\] GET \/pets\/3 → 200 allow( \(cached\))? \d+\.\d ms$/)]);
  });

  it('never writes a token to its output', () => {
    // Prepare: every request above carried one of these.
    const signatures = Object.values(tokens).map((t) => t.split('.')[2] as string);

    // Act
    const output = api.child.output();

    // Assess
    expect(signatures.filter((s) => output.includes(s))).toEqual([]);
  });
});

describe('npm start with a REQUEST authorizer and the cache off', () => {
  let requestApi: LocalApi;
  beforeAll(async () => {
    requestApi = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir, AUTHORIZER_TTL: '0' }, ['--request']);
  }, 60_000);
  afterAll(async () => {
    await requestApi?.stop();
  });

  it('says so in its banner', () => {
    // Prepare
    const banner = requestApi.child.stdout();

    // Act
    const line = banner.split('\n').find((l) => l.includes('listening on'));

    // Assess
    expect(line).toMatch(/REQUEST authorizer, result cache off/);
  });

  it('asks the authorizer every time, so the same token gets 200 then 403', async () => {
    // Prepare
    const token = tokens.reader;

    // Act
    const statuses = [
      (await http(`${requestApi.url}/pets/3`, { token })).status,
      (await http(`${requestApi.url}/pets/3`, { method: 'DELETE', token })).status,
    ];

    // Assess
    expect(statuses).toEqual([200, 403]);
    expect(requestApi.child.stdout()).not.toContain('(cached)');
  });

  it('lets the authorizer itself answer 401 when the Authorization header is missing', async () => {
    // Prepare
    const url = `${requestApi.url}/me`;

    // Act
    const res = await http(url);

    // Assess
    expect(res.status).toBe(401);
    await waitForOutput(requestApi.child, /\[local-api\] GET \/me → 401 unauthorized \d/, 5_000);
  });
});

describe('npm start, starting and stopping', () => {
  it('exits 1 with a clear message when the port is taken', async () => {
    // Prepare
    const taken = String(api.port);

    // Act
    const run = await runScript('local-api.ts', [], { PORT: taken, LOCAL_ISSUER_DIR: issuerDir });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${taken} on 127.0.0.1 is already in use`);
  });

  it('exits 2 and says why when AUTHORIZER_TTL is not a number of seconds', async () => {
    // Prepare
    const ttl = 'five minutes';

    // Act
    const run = await runScript('local-api.ts', [], { AUTHORIZER_TTL: ttl, LOCAL_ISSUER_DIR: issuerDir });

    // Assess
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('AUTHORIZER_TTL must be whole seconds')]);
  });

  it.each(['SIGHUP', 'SIGINT'] as const)('stops cleanly with exit code 0 on %s', async (signal) => {
    // Prepare
    const instance = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir });

    // Act
    const code = await instance.child.stop(signal);

    // Assess
    expect(code).toBe(0);
  });

  it('stops when the npm that started it is stopped by its PID (npm’s shell dies, the server is re-parented)', async () => {
    // Prepare: `npm start &`, then `kill <npm pid>`.
    const npm = startChild('npm', ['start', '--silent'], { cwd: ROOT, env: cleanEnv({ PORT: '0', LOCAL_ISSUER_DIR: issuerDir }) });
    await waitForOutput(npm, /listening on http:\/\/127\.0\.0\.1:\d+/, 30_000);
    // The node process itself, below npm's shell (whose command line names the script too).
    const server = descendants(npm.process.pid as number).find((p) => /^\S*node --require/.test(p.args) && p.args.includes('scripts/local-api.ts'));

    // Act
    npm.process.kill('SIGTERM');
    // Not `npm.exited` (output closed): a server left running would hold npm's output open.
    await new Promise((resolve) => (npm.process.exitCode !== null ? resolve(null) : npm.process.once('exit', resolve)));
    const stopped = server === undefined ? false : await exitsWithin(server.pid, 5_000);

    // Assess
    expect([server !== undefined, stopped]).toEqual([true, true]);
  });

  it('stops cleanly with exit code 0 on SIGTERM', async () => {
    // Prepare
    const instance = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir });

    // Act
    const code = await instance.child.stop('SIGTERM');

    // Assess
    expect(code).toBe(0);
  });
});
