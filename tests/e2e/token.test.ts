// `npm run --silent token`: one Cognito-shaped JWT on stdout, options checked, usable before `npm start` ever ran.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScript } from '../helpers/local-api';
import { claimsOf } from '../helpers/processes';

const JWT_LINE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/;
let issuerDir: string;

beforeAll(() => {
  issuerDir = mkdtempSync(path.join(tmpdir(), 'local-issuer-'));
});
afterAll(() => {
  rmSync(issuerDir, { recursive: true, force: true });
});

const token = (args: string[]) => runScript('token.ts', args, { LOCAL_ISSUER_DIR: issuerDir });

describe('npm run token', () => {
  it('creates the issuer key on first use and prints exactly one JWT on stdout', async () => {
    // Prepare
    const fresh = path.join(issuerDir, 'never-started');

    // Act
    const run = await runScript('token.ts', [], { LOCAL_ISSUER_DIR: fresh });

    // Assess
    expect([run.code, JWT_LINE.test(run.stdout), existsSync(fresh)]).toEqual([0, true, true]);
  });

  it('mints, with no options, a signed-in user’s access token without groups or custom scopes', async () => {
    // Prepare
    const args: string[] = [];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims).toMatchObject({
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1',
      token_use: 'access',
      sub: expect.any(String),
      client_id: expect.any(String),
      username: expect.any(String),
      scope: expect.any(String),
      jti: expect.any(String),
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(claims).not.toHaveProperty('cognito:groups');
    expect(String(claims['scope']).split(' ').filter((s) => s.includes('/') && !s.startsWith('aws.cognito'))).toEqual([]);
  });

  it('puts the given groups, scopes, sub, username and lifetime in the claims', async () => {
    // Prepare
    const args = ['--groups', 'admins,readers', '--scopes', 'pets/read,pets/write', '--sub', 's-1', '--username', 'ann', '--ttl', '120'];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims).toMatchObject({ 'cognito:groups': ['admins', 'readers'], sub: 's-1', username: 'ann' });
    expect(String(claims['scope']).split(' ')).toEqual(expect.arrayContaining(['pets/read', 'pets/write']));
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(120);
  });

  it('mints an ID token with aud and cognito:username, and no scope, for --id', async () => {
    // Prepare
    const args = ['--id', '--username', 'ann'];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims).toMatchObject({ token_use: 'id', aud: expect.any(String), 'cognito:username': 'ann' });
    expect(claims).not.toHaveProperty('scope');
  });

  it('mints the same ID token for --token-use id', async () => {
    // Prepare
    const args = ['--token-use', 'id'];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims).toMatchObject({ token_use: 'id', aud: expect.any(String), 'cognito:username': expect.any(String) });
  });

  it('adds each --claim as a string claim, the name being what comes before the last =', async () => {
    // Prepare
    const args = ['--claim', 'custom:tenant_id=acme', '--claim', 'custom:plan=pro', '--claim', 'custom:n=7', '--claim', 'custom:expr=a=b'];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims).toMatchObject({ 'custom:tenant_id': 'acme', 'custom:plan': 'pro', 'custom:n': '7', 'custom:expr=a': 'b' });
  });

  it('mints a token that has already expired for --expired', async () => {
    // Prepare
    const args = ['--expired'];

    // Act
    const claims = claimsOf((await token(args)).stdout.trim());

    // Assess
    expect(claims['exp'] as number).toBeLessThan(Date.now() / 1000);
  });

  it('documents every option in --help', async () => {
    // Prepare
    const options = ['--groups', '--scopes', '--claim', '--sub', '--username', '--ttl', '--token-use', '--id', '--expired'];

    // Act
    const run = await token(['--help']);

    // Assess
    expect(run.code).toBe(0);
    for (const option of options) expect(run.stdout).toContain(option);
  });

  it('answers an unknown option with one line saying so, then the usage, and exit code 2', async () => {
    // Prepare
    const args = ['--group', 'admins'];

    // Act
    const run = await token(args);

    // Assess
    expect([run.code, run.stdout, run.stderr.split('\n').slice(0, 3)]).toEqual([2, '', ['token: unknown option --group', '', 'Usage: npm run --silent token -- [options]']]);
  });

  it.each([
    [['--ttl', '0'], '--ttl must be whole seconds'],
    [['--ttl'], 'token: --ttl needs a value'],
    [['--ttl', '--expired'], 'token: --ttl needs a value'],
    [['--expired=yes'], 'token: --expired takes no value'],
    [['--token-use', 'refresh'], '--token-use must be access or id'],
    [['--claim', 'custom:plan'], '--claim needs name=value'],
    [['--claim', 'sub=someone'], '--claim sub: the issuer sets that claim; use --sub'],
    [['--ttl', 'soon'], '--ttl must be whole seconds'],
    [['--id', '--scopes', 'pets/read'], '--scopes does not apply to ID tokens'],
    [['admins'], 'unexpected argument "admins"'],
    [['--sub', ''], '--sub needs a value'],
    [['--groups', ''], '--groups needs at least one name'],
    [['--pool-id', 'nope'], '"nope" is not a user pool id'],
  ])('refuses %j with exit code 2, a message on stderr and nothing on stdout', async (args, message) => {
    // Prepare
    const given = args;

    // Act
    const run = await token(given);

    // Assess
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', expect.stringContaining(message)]);
  });
});
