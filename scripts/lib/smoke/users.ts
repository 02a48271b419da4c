// Demo users: created with a random password (told to the report only so it can hide it), signed in, and deleted, every one that may exist.
import { randomBytes, randomInt } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsFailure, Interrupted, oneLine } from './errors';
import { subOf } from './tokens';

/** Every demo user's name starts with this, so leftovers are easy to find. */
export const USER_PREFIX = 'cra-smoke-';

/** The custom attribute the tenant-bound route reads (template.yaml's demo pool). */
export const TENANT_ATTRIBUTE = 'custom:tenant_id';

/** The four demo callers: their groups (the demo pool's), and which of the run's two tenants each is in. */
export const ROLES = {
  admin: { groups: ['admins'], tenant: 'a' },
  reader: { groups: ['readers'], tenant: 'a' },
  nogroups: { groups: [], tenant: 'b' },
  suspended: { groups: ['admins', 'suspended'], tenant: 'a' },
} as const satisfies Record<string, { groups: readonly string[]; tenant: 'a' | 'b' }>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export interface Tokens {
  readonly access: string;
  readonly id: string;
}

/** A signed-in demo user. */
export interface DemoUser {
  readonly role: Role;
  readonly username: string;
  readonly sub: string;
  readonly groups: readonly string[];
  /** custom:tenant_id, when the pool has the attribute. */
  readonly tenant?: string;
  readonly tokens: Tokens;
}

/** A user the smoke could not set up: the step, and whether the cause is the runner's setup (permissions, credentials: exit 2). */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  readonly runnerProblem: boolean;
  constructor(message: string, cause: unknown) {
    super(message);
    const kind = awsFailure(cause);
    this.runnerProblem = kind === 'credentials' || kind === 'permission' || kind === 'region' || kind === 'not-found';
  }
}

/** A short random id that names one run's users and tenants. */
export const newRunId = (): string => randomBytes(3).toString('hex');

export const usernameOf = (runId: string, role: Role): string => `${USER_PREFIX}${runId}-${role}`;

export const tenantOf = (runId: string, which: 'a' | 'b'): string => `${USER_PREFIX}${runId}-tenant-${which}`;

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)] as string;

/** 36 random characters that any Cognito password policy accepts: upper and lower case, digits, symbols. */
export function randomPassword(): string {
  const required = [pick('ABCDEFGHJKLMNPQRSTUVWXYZ'), pick('abcdefghijkmnopqrstuvwxyz'), pick('23456789'), pick('!#%+=-_')];
  return randomBytes(24).toString('base64url') + required.join('');
}

/** A Cognito client for the pool's region (or the local endpoint), bounded in time. */
export function cognitoClient(region: string, endpoint: string | undefined): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  });
}

/** Whether the pool has custom:tenant_id; 'unknown' when the runner may not DescribeUserPool. */
export async function poolHasTenantAttribute(client: CognitoIdentityProviderClient, poolId: string, signal: AbortSignal): Promise<boolean | 'unknown'> {
  try {
    const pool = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }), { abortSignal: signal });
    return (pool.UserPool?.SchemaAttributes ?? []).some((a) => a.Name === TENANT_ATTRIBUTE);
  } catch (err) {
    if (awsFailure(err) === 'permission') return 'unknown';
    throw new SetupError(`cannot read user pool ${poolId}: ${oneLine(err)}`, err);
  }
}

/** What a user is to be. */
export interface UserSpec {
  readonly role: Role;
  readonly username: string;
  readonly tenant?: string;
}

/** Which users were deleted, and which could not be (with why). */
export interface DeleteReport {
  readonly deleted: readonly string[];
  readonly failed: readonly { readonly username: string; readonly problem: string }[];
}

/**
 * The run's demo users in one pool. A name is registered before AdminCreateUser is sent, so
 * deleteAll() also removes a user whose creation was interrupted half-way.
 */
export class DemoUsers {
  private readonly registered = new Set<string>();

  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly poolId: string,
    private readonly clientId: string,
    /** Told every token as it is issued, so the report can hide it should it ever appear. */
    private readonly onSecret: (secret: string) => void,
  ) {}

  /** Every name that may exist in the pool now. */
  get names(): readonly string[] {
    return [...this.registered];
  }

  /** Creates, groups and signs in one user. Throws SetupError naming the step. */
  async setUp(spec: UserSpec, signal: AbortSignal): Promise<DemoUser> {
    const password = randomPassword();
    this.onSecret(password);
    const sub = await this.create(spec, password, signal);
    const groups = ROLES[spec.role].groups;
    for (const GroupName of groups) {
      await this.step(`add ${spec.username} to group ${GroupName}`, signal, (c) => c.send(new AdminAddUserToGroupCommand({ UserPoolId: this.poolId, Username: spec.username, GroupName })));
    }
    const tokens = await this.signIn(spec.username, password, signal);
    return { role: spec.role, username: spec.username, sub: sub ?? subOf(tokens.access), groups, ...(spec.tenant === undefined ? {} : { tenant: spec.tenant }), tokens };
  }

  /** AdminCreateUser (no message sent) then a permanent password; the user's sub when Cognito returns it. */
  private async create(spec: UserSpec, password: string, signal: AbortSignal): Promise<string | undefined> {
    this.registered.add(spec.username);
    const attributes = spec.tenant === undefined ? [] : [{ Name: TENANT_ATTRIBUTE, Value: spec.tenant }];
    const created = await this.step(
      `create ${spec.username}`,
      signal,
      (c) => c.send(new AdminCreateUserCommand({ UserPoolId: this.poolId, Username: spec.username, MessageAction: 'SUPPRESS', UserAttributes: attributes })),
    );
    await this.step(`set ${spec.username}'s password`, signal, (c) =>
      c.send(new AdminSetUserPasswordCommand({ UserPoolId: this.poolId, Username: spec.username, Password: password, Permanent: true })),
    );
    return created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  }

  /** InitiateAuth USER_PASSWORD_AUTH on the public app client (no IAM permission involved). */
  private async signIn(username: string, password: string, signal: AbortSignal): Promise<Tokens> {
    const auth = await this.step(
      `sign in ${username} (InitiateAuth USER_PASSWORD_AUTH, client ${this.clientId})`,
      signal,
      (c) => c.send(new InitiateAuthCommand({ ClientId: this.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } })),
    );
    const result = auth.AuthenticationResult;
    if (result?.AccessToken === undefined || result.IdToken === undefined) {
      throw new SetupError(`sign in ${username}: Cognito answered ${auth.ChallengeName ?? 'no tokens'} instead of tokens`, undefined);
    }
    this.onSecret(result.AccessToken);
    this.onSecret(result.IdToken);
    if (result.RefreshToken !== undefined) this.onSecret(result.RefreshToken);
    return { access: result.AccessToken, id: result.IdToken };
  }

  /**
   * One SDK call; its failure becomes a SetupError saying which step failed. An interruption is
   * honoured between calls, never during one: a creation that reached Cognito has finished before
   * deleteAll() runs, so no user is created behind the clean-up's back.
   */
  private async step<T>(what: string, signal: AbortSignal, call: (client: CognitoIdentityProviderClient) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new Interrupted();
    try {
      return await call(this.client);
    } catch (err) {
      throw new SetupError(`${what}: ${oneLine(err)}`, err);
    }
  }

  /** Deletes every registered user (a missing one counts as deleted); bounded by `signal`. */
  async deleteAll(signal: AbortSignal): Promise<DeleteReport> {
    const results = await Promise.all(this.names.map(async (username) => ({ username, problem: await this.deleteOne(username, signal) })));
    for (const r of results) if (r.problem === undefined) this.registered.delete(r.username);
    return {
      deleted: results.filter((r) => r.problem === undefined).map((r) => r.username),
      failed: results.flatMap((r) => (r.problem === undefined ? [] : [{ username: r.username, problem: r.problem }])),
    };
  }

  private async deleteOne(username: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.poolId, Username: username }), { abortSignal: signal });
      return undefined;
    } catch (err) {
      return err instanceof Error && err.name === 'UserNotFoundException' ? undefined : oneLine(err);
    }
  }
}
