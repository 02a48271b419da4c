// `npm start -- --http` end to end: the sample API as an HTTP API serves it ($default stage, payload 2.0 and 1.0
// authorizer events, IAM policy or simple responses, the authorizer cache by identity source, CorsConfiguration).
// Needs the authorizer's HTTP API front door and the backend's payload 2.0 events (see jest.config.cjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintToken, startLocalApi, type LocalApi } from '../helpers/local-api';
import { http, waitForOutput } from '../helpers/processes';

const issuerDir = mkdtempSync(path.join(tmpdir(), 'local-issuer-'));
const tokens = { admin: '', reader: '', carol: '' };

beforeAll(async () => {
  [tokens.admin, tokens.reader, tokens.carol] = await Promise.all([
    mintToken(issuerDir, ['--groups', 'admins']),
    mintToken(issuerDir, ['--groups', 'readers']),
    mintToken(issuerDir, ['--username', 'carol', '--sub', 'carol-sub-1']),
  ]);
}, 30_000);
afterAll(() => rmSync(issuerDir, { recursive: true, force: true }));

describe('npm start -- --http (IAM policy answers, payload 2.0)', () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir }, ['--http']);
  }, 60_000);
  afterAll(() => api?.stop());

  it('says in its banner that it serves an HTTP API on the $default stage', () => {
    // Act
    const line = api.child.stdout().split('\n').find((l) => l.includes('listening on'));

    // Assess
    expect(line).toMatch(/HTTP API, stage "\$default", Lambda authorizer \(payload 2\.0, IAM policy\)/);
  });

  it('answers an admin listing pets with the backend’s 200', async () => {
    // Act
    const res = await http(`${api.url}/pets`, { token: tokens.admin });

    // Assess
    expect(res.status).toBe(200);
  });

  it('answers a reader deleting a pet with 403 Forbidden, and no token with 401 Unauthorized', async () => {
    // Act
    const answers = [await http(`${api.url}/pets/1`, { method: 'DELETE', token: tokens.reader }), await http(`${api.url}/pets`)];

    // Assess
    expect(answers.map((a) => [a.status, a.json])).toEqual([
      [403, { message: 'Forbidden' }],
      [401, { message: 'Unauthorized' }],
    ]);
  });

  it('hands the backend the authorizer’s context under requestContext.authorizer.lambda', async () => {
    // Act
    const res = await http(`${api.url}/me`, { token: tokens.carol });

    // Assess
    expect([res.status, res.json]).toEqual([200, expect.objectContaining({ sub: 'carol-sub-1', username: 'carol' })]);
  });

  it('answers what no route matches with 404 Not Found, and a preflight itself with 204', async () => {
    // Act
    const answers = [
      await http(`${api.url}/unicorns`, { token: tokens.admin }),
      await http(`${api.url}/pets/1`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'DELETE' } }),
    ];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([404, 204]);
  });

  it('reuses the cached policy on other routes of the same token, judged against each routeArn', async () => {
    // Prepare
    const token = await mintToken(issuerDir, ['--groups', 'readers', '--sub', 'http-cache-reader']);

    // Act
    const statuses = [];
    for (const [method, p] of [['GET', '/pets'], ['GET', '/pets/2'], ['DELETE', '/pets/2']] as const) statuses.push((await http(`${api.url}${p}`, { method, token })).status);
    await waitForOutput(api.child, /\[local-api\] DELETE \/pets\/2 → 403 deny \((implicit, )?cached\)/, 5_000);

    // Assess
    expect(statuses).toEqual([200, 200, 403]);
  });
});

describe('npm start -- --http with SIMPLE_RESPONSES=true', () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir, SIMPLE_RESPONSES: 'true' }, ['--http']);
  }, 60_000);
  afterAll(() => api?.stop());

  it('asks the authorizer once per route and token (the route key is an identity source), allowing and denying by isAuthorized', async () => {
    // Act
    const statuses = [];
    for (const [method, p] of [['GET', '/pets/1'], ['GET', '/pets/2'], ['DELETE', '/pets/2']] as const) {
      statuses.push((await http(`${api.url}${p}`, { method, token: tokens.reader })).status);
    }
    await waitForOutput(api.child, /\[local-api\] DELETE \/pets\/2 → 403 deny \(implicit\) /, 5_000);

    // Assess
    expect(statuses).toEqual([200, 200, 403]);
    expect(api.child.stdout()).toMatch(/\[local-api\] GET \/pets\/2 → 200 allow \(cached\)/);
  });
});

describe('npm start -- --http --payload 1.0', () => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi({ LOCAL_ISSUER_DIR: issuerDir }, ['--http', '--payload', '1.0']);
  }, 60_000);
  afterAll(() => api?.stop());

  it('decides a payload 1.0 event as the 2.0 one: admins list, readers do not delete', async () => {
    // Act
    const statuses = [(await http(`${api.url}/pets`, { token: tokens.admin })).status, (await http(`${api.url}/pets/1`, { method: 'DELETE', token: tokens.reader })).status];

    // Assess
    expect(statuses).toEqual([200, 403]);
  });
});
