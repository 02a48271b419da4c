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

const token = (args: string[]) => runScript('token.mjs', args, { LOCAL_ISSUER_DIR: issuerDir });

describe('npm run token', () => {
  it('creates the issuer key on first use and prints exactly one JWT on stdout', async () => {
    // Prepare
    const fresh = path.join(issuerDir, 'never-started');

    // Act
    const run = await runScript('token.mjs', [], { LOCAL_ISSUER_DIR: fresh });

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
    const options = ['--groups', '--scopes', '--sub', '--username', '--ttl', '--id', '--expired'];

    // Act
    const run = await token(['--help']);

    // Assess
    expect(run.code).toBe(0);
    for (const option of options) expect(run.stdout).toContain(option);
  });

  it.each([
    [['--group', 'admins'], "Unknown option '--group'"],
    [['--ttl', '0'], '--ttl must be whole seconds'],
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
