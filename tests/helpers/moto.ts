// moto_server as a Cognito emulator for the integration tests: started on a free loopback port, seeded through the AWS SDK, stopped after.
import { spawnSync } from 'node:child_process';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { freePort, startChild, type Child } from './processes';

export const REGION = 'us-east-1';

export interface Moto {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly child: Child;
  readonly client: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/** Throws a plain message when moto_server cannot be run here. */
export function requireMotoServer(): void {
  const probe = spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 30_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'moto_server is not installed (or does not run): the integration tests need it. ' +
        'Install it with `pip install "moto[server]"` and run `npm run test:integration` again.',
    );
  }
}

/** Starts moto_server on a free 127.0.0.1 port and waits (bounded) until it answers. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  requireMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = startChild('moto_server', ['-p', String(port), '-H', '127.0.0.1']);
  let exited = false;
  void child.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`moto_server exited before answering:\n${child.output()}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await child.stop('SIGKILL');
        throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${child.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  return {
    endpoint,
    child,
    client,
    async stop() {
      client.destroy();
      await child.stop('SIGTERM');
    },
  };
}

/** A user pool shaped like template.yaml's demo pool, and its app client for people. */
export interface DemoPool {
  readonly poolId: string;
  /** No secret; allows USER_PASSWORD_AUTH, SRP and refresh tokens, as DemoUserClient does. */
  readonly clientId: string;
}

/**
 * template.yaml's demo pool without users: groups admins, readers and suspended (with the template's
 * precedences), a `tenant_id` custom attribute, resource server `pets` (read, write), and a public
 * app client for people (USER_PASSWORD_AUTH, SRP, refresh tokens).
 */
export async function createDemoPool(client: CognitoIdentityProviderClient, name = 'pets-demo'): Promise<DemoPool> {
  const poolId = await createPetsPool(client, name);
  const created = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: `${name}-users`,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId, clientId: created.UserPoolClient?.ClientId as string };
}

/** The usernames in `poolId` that start with `prefix`. */
export async function usernames(client: CognitoIdentityProviderClient, poolId: string, prefix: string): Promise<string[]> {
  const listed = await client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `username ^= "${prefix}"` }));
  return (listed.Users ?? []).map((u) => u.Username ?? '');
}

export interface Tokens {
  readonly access: string;
  readonly id: string;
}

export interface SeededPool {
  readonly poolId: string;
  readonly clientId: string;
  /** A second app client of the same pool, not listed in CLIENT_IDS. */
  readonly otherClientId: string;
  readonly tokens: { readonly admin: Tokens; readonly reader: Tokens; readonly carol: Tokens; readonly suspended: Tokens; readonly otherClient: Tokens };
}

const PASSWORD = 'Local-Passw0rd!';

/**
 * A pool as template.yaml's demo pool is: the `tenant_id` custom attribute (1 to 128 characters),
 * groups admins, readers and suspended with the template's precedences, and the resource server
 * `pets` with the scopes read and write. Returns its id.
 */
async function createPetsPool(client: CognitoIdentityProviderClient, name: string): Promise<string> {
  const Schema = [{ Name: 'tenant_id', AttributeDataType: 'String' as const, Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '128' } }];
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: name, Schema }));
  const poolId = pool.UserPool?.Id as string;
  for (const [GroupName, Precedence] of [['admins', 1], ['readers', 10], ['suspended', 0]] as const) {
    await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName, Precedence }));
  }
  await client.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'pets',
      Name: 'Pets API',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'List and read pets' },
        { ScopeName: 'write', ScopeDescription: 'Create and delete pets' },
      ],
    }),
  );
  return poolId;
}

/**
 * Creates the sample API's pool: groups admins/readers/suspended, a `tenant_id` custom attribute,
 * resource server `pets` (read, write), an app client without a secret that allows
 * ADMIN_USER_PASSWORD_AUTH, users admin (admins, tenant acme), reader (readers, tenant acme),
 * carol (no group, tenant globex), suspended (admins + suspended), and signs them all in with
 * AdminInitiateAuth. Custom attributes reach ID tokens only, as in Cognito.
 */
export async function seedPool(client: CognitoIdentityProviderClient): Promise<SeededPool> {
  const poolId = await createPetsPool(client, 'pets-local');
  const makeClient = async (ClientName: string): Promise<string> => {
    const created = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName,
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthScopes: ['pets/read', 'pets/write'],
      }),
    );
    return created.UserPoolClient?.ClientId as string;
  };
  const clientId = await makeClient('pets-web');
  const otherClientId = await makeClient('someone-else');
  const users: Record<string, string[]> = { admin: ['admins'], reader: ['readers'], carol: [], suspended: ['admins', 'suspended'] };
  const tenants: Record<string, string> = { admin: 'acme', reader: 'acme', carol: 'globex' };
  for (const [Username, groups] of Object.entries(users)) {
    const tenant = tenants[Username];
    const UserAttributes = tenant === undefined ? [] : [{ Name: 'custom:tenant_id', Value: tenant }];
    await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS', UserAttributes }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }));
    for (const GroupName of groups) await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName }));
  }
  const signIn = async (username: string, appClient = clientId): Promise<Tokens> => {
    const auth = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: appClient,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const result = auth.AuthenticationResult;
    if (result?.AccessToken === undefined || result.IdToken === undefined) throw new Error(`no tokens for ${username}`);
    return { access: result.AccessToken, id: result.IdToken };
  };
  return {
    poolId,
    clientId,
    otherClientId,
    tokens: {
      admin: await signIn('admin'),
      reader: await signIn('reader'),
      carol: await signIn('carol'),
      suspended: await signIn('suspended'),
      otherClient: await signIn('carol', otherClientId),
    },
  };
}
