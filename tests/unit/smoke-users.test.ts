// The smoke's demo users (scripts/lib/smoke/users.ts) against a stand-in Cognito client: the calls made, and every user that may exist deleted.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Interrupted } from '../../scripts/lib/smoke/errors';
import { tamper } from '../../scripts/lib/smoke/tokens';
import { DemoUsers, poolHasTenantAttribute, randomPassword, type SetupError } from '../../scripts/lib/smoke/users';

/** A token whose payload holds `sub`. */
const token = (sub: string): string => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.c2lnbmF0dXJl`;

interface Call {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/**
 * A stand-in client: records each command and answers from `answers` by command name (an Error is
 * thrown), with Cognito's shapes for the ones the smoke reads.
 */
function fakeCognito(answers: Record<string, (input: Record<string, unknown>) => unknown> = {}): { client: CognitoIdentityProviderClient; calls: Call[] } {
  const calls: Call[] = [];
  const defaults: Record<string, (input: Record<string, unknown>) => unknown> = {
    AdminCreateUserCommand: (input) => ({ User: { Username: input['Username'], Attributes: [{ Name: 'sub', Value: `sub-of-${String(input['Username'])}` }] } }),
    InitiateAuthCommand: () => ({ AuthenticationResult: { AccessToken: token('s'), IdToken: token('s'), RefreshToken: 'refresh-token-value' } }),
  };
  const client = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const answer = (answers[name] ?? defaults[name] ?? (() => ({})))(command.input);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as CognitoIdentityProviderClient;
  return { client, calls };
}

const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });

describe('smoke demo users', () => {
  it('creates a user without a message, sets a permanent password, adds its groups and signs it in on the public client', async () => {
    // Prepare
    const { client, calls } = fakeCognito();
    const secrets: string[] = [];
    const users = new DemoUsers(client, 'us-east-1_Pool1', 'client-1', (s) => secrets.push(s));

    // Act
    const user = await users.setUp({ role: 'suspended', username: 'cra-smoke-abc123-suspended', tenant: 't-a' }, new AbortController().signal);

    // Assess
    const password = calls.find((c) => c.command === 'AdminSetUserPasswordCommand')?.input['Password'];
    expect(calls.map((c) => c.command)).toEqual(['AdminCreateUserCommand', 'AdminSetUserPasswordCommand', 'AdminAddUserToGroupCommand', 'AdminAddUserToGroupCommand', 'InitiateAuthCommand']);
    expect(calls[0]?.input).toEqual({ UserPoolId: 'us-east-1_Pool1', Username: 'cra-smoke-abc123-suspended', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tenant_id', Value: 't-a' }] });
    expect(calls[1]?.input).toMatchObject({ Permanent: true });
    expect(calls[4]?.input).toEqual({ ClientId: 'client-1', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cra-smoke-abc123-suspended', PASSWORD: password } });
    expect({ sub: user.sub, groups: user.groups, hidden: [password, token('s'), 'refresh-token-value'].every((s) => secrets.includes(s as string)) }).toEqual({
      sub: 'sub-of-cra-smoke-abc123-suspended',
      groups: ['admins', 'suspended'],
      hidden: true,
    });
  });

  it('deletes a user whose setup failed half-way, since it was registered before it was created', async () => {
    // Prepare
    const { client, calls } = fakeCognito({ AdminSetUserPasswordCommand: () => named('InvalidPasswordException', 'Password does not conform to policy') });
    const users = new DemoUsers(client, 'us-east-1_Pool1', 'client-1', () => undefined);

    // Act
    const failure = await users.setUp({ role: 'reader', username: 'cra-smoke-abc123-reader' }, new AbortController().signal).catch((err: unknown) => err);
    const deleted = await users.deleteAll(AbortSignal.timeout(1000));

    // Assess
    expect({ failure: (failure as SetupError).message, runnerProblem: (failure as SetupError).runnerProblem }).toEqual({
      failure: "set cra-smoke-abc123-reader's password: InvalidPasswordException: Password does not conform to policy",
      runnerProblem: false,
    });
    expect(deleted).toEqual({ deleted: ['cra-smoke-abc123-reader'], failed: [] });
    expect(calls.at(-1)).toEqual({ command: 'AdminDeleteUserCommand', input: { UserPoolId: 'us-east-1_Pool1', Username: 'cra-smoke-abc123-reader' } });
  });

  it('stops between calls when interrupted, never during one, and still deletes the user', async () => {
    // Prepare: the interruption arrives while AdminCreateUser is under way
    const controller = new AbortController();
    const { client, calls } = fakeCognito({
      AdminCreateUserCommand: () => {
        controller.abort();
        return { User: { Attributes: [] } };
      },
    });
    const users = new DemoUsers(client, 'us-east-1_Pool1', 'client-1', () => undefined);

    // Act
    const failure = await users.setUp({ role: 'admin', username: 'cra-smoke-abc123-admin' }, controller.signal).catch((err: unknown) => err);
    const deleted = await users.deleteAll(AbortSignal.timeout(1000));

    // Assess
    expect({ interrupted: failure instanceof Interrupted, calls: calls.map((c) => c.command), deleted: deleted.deleted }).toEqual({
      interrupted: true,
      calls: ['AdminCreateUserCommand', 'AdminDeleteUserCommand'],
      deleted: ['cra-smoke-abc123-admin'],
    });
  });

  it('counts a user that is already gone as deleted, and reports one it could not delete', async () => {
    // Prepare
    const { client } = fakeCognito({
      AdminDeleteUserCommand: (input) => (input['Username'] === 'cra-smoke-abc123-admin' ? named('UserNotFoundException') : named('AccessDeniedException', 'no cognito-idp:AdminDeleteUser')),
    });
    const users = new DemoUsers(client, 'us-east-1_Pool1', 'client-1', () => undefined);
    const signal = new AbortController().signal;
    await users.setUp({ role: 'admin', username: 'cra-smoke-abc123-admin' }, signal);
    await users.setUp({ role: 'nogroups', username: 'cra-smoke-abc123-nogroups' }, signal);

    // Act
    const deleted = await users.deleteAll(AbortSignal.timeout(1000));

    // Assess
    expect({ deleted, left: users.names }).toEqual({
      deleted: { deleted: ['cra-smoke-abc123-admin'], failed: [{ username: 'cra-smoke-abc123-nogroups', problem: 'AccessDeniedException: no cognito-idp:AdminDeleteUser' }] },
      left: ['cra-smoke-abc123-nogroups'],
    });
  });

  it('calls a missing permission a problem of the runner’s setup (exit 2), not of the deployment', async () => {
    // Prepare
    const { client } = fakeCognito({ AdminCreateUserCommand: () => named('AccessDeniedException', 'not authorized to perform: cognito-idp:AdminCreateUser') });
    const users = new DemoUsers(client, 'us-east-1_Pool1', 'client-1', () => undefined);

    // Act
    const failure = await users.setUp({ role: 'admin', username: 'cra-smoke-abc123-admin' }, new AbortController().signal).catch((err: unknown) => err);

    // Assess
    expect((failure as SetupError).runnerProblem).toBe(true);
  });

  it('says a pool it may not describe is unknown, rather than failing', async () => {
    // Prepare
    const denied = fakeCognito({ DescribeUserPoolCommand: () => named('AccessDeniedException') }).client;
    const withTenant = fakeCognito({ DescribeUserPoolCommand: () => ({ UserPool: { SchemaAttributes: [{ Name: 'sub' }, { Name: 'custom:tenant_id' }] } }) }).client;

    // Act
    const answers = [await poolHasTenantAttribute(denied, 'p', new AbortController().signal), await poolHasTenantAttribute(withTenant, 'p', new AbortController().signal)];

    // Assess
    expect(answers).toEqual(['unknown', true]);
  });

  it('makes passwords any Cognito policy accepts, each different', () => {
    // Act
    const passwords = Array.from({ length: 50 }, () => randomPassword());

    // Assess
    expect(passwords.filter((p) => !(p.length >= 12 && /[A-Z]/.test(p) && /[a-z]/.test(p) && /\d/.test(p) && /[^A-Za-z0-9]/.test(p)))).toEqual([]);
    expect(new Set(passwords).size).toBe(50);
  });

  it('forges a token that claims admins and keeps the original header and signature', () => {
    // Prepare
    const original = token('s-1');

    // Act
    const forged = tamper(original);

    // Assess
    const [head, payload, signature] = forged.split('.');
    expect({ head, signature, claims: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as unknown }).toEqual({
      head: original.split('.')[0],
      signature: original.split('.')[2],
      claims: { sub: 's-1', 'cognito:groups': ['admins'] },
    });
  });
});
