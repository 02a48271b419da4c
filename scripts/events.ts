// `npm run events`: the events/ fixtures with fresh tokens in place of {{TOKEN}}, written to .events/ for `sam local invoke`.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { USER_POOL_ID } from '../src/config';
import { DEFAULT_ISSUER_DIR, LOCAL_CLIENT_ID, LOCAL_POOL_ID, loadOrCreateKey, mintToken } from '../tests/helpers/issuer';
import { exitWithUsage, readCommandLine, UsageError } from './lib/cli';
import { ROOT } from './lib/paths';
import { envFileName, loadScenarios, type Caller, type Scenario } from './lib/scenarios';

const EVENTS = path.join(ROOT, 'events');
const PLACEHOLDER = '{{TOKEN}}';

const USAGE = `Usage: npm run events [-- options]

Fills {{TOKEN}} in every fixture listed in events/scenarios.json with a fresh token for that
scenario's caller, and writes the results to .events/ (git-ignored; tokens are never printed):

  sam local invoke AuthorizerFunction --env-vars .events/env.json -e .events/token-admin-get-pets.json

Scenarios with settings of their own (SIMPLE_RESPONSES=true for the http-simple-* events) get an
env file of their own, named for them: .events/env.simple_responses-true.json.

Tokens come from the local issuer unless --pool is given.

Local issuer (default)
  Signs with the key in .local/issuer/ (or LOCAL_ISSUER_DIR), the key \`npm start\` and
  \`npm run token\` use, and writes .events/env.json with USER_POOL_IDS=${LOCAL_POOL_ID},
  CLIENT_IDS=${LOCAL_CLIENT_ID} and the JWKS endpoint override set to where \`npm start\`
  serves the issuer's JWKS.
  --jwks-endpoint <url>      default http://127.0.0.1:3000 (JWKS_ENDPOINT)

Deployed user pool (--pool)
  Signs demo users in with Cognito InitiateAuth (USER_PASSWORD_AUTH) and picks the user for each
  scenario by its groups: <prefix>admin (admins), <prefix>reader (readers), <prefix>nogroups
  (no groups), <prefix>suspended (admins + suspended). All share one password.
  --pool <id>                user pool id                              (COGNITO_USER_POOL_ID)
  --client <id>              app client for users, without a secret   (COGNITO_CLIENT_ID)
  --username-prefix <p>      default "demo-"                           (DEMO_USERNAME_PREFIX)
  --password <pw>            the demo users' password; prefer the env var, other users
                             of this machine can read command lines   (DEMO_PASSWORD)
  Callers with scopes and no groups are machines (client_credentials); give all three or they
  are skipped:
  --machine-client <id>      (COGNITO_MACHINE_CLIENT_ID)
  --machine-secret <secret>  (COGNITO_MACHINE_CLIENT_SECRET)
  --token-endpoint <url>     https://<domain>.auth.<region>.amazoncognito.com/oauth2/token
                                                                       (COGNITO_TOKEN_ENDPOINT)
  A pool cannot issue an expired token on demand, nor one with a chosen sub or custom claims:
  those scenarios are skipped.

Other
  --out <dir>                where to write (default .events)
  -h, --help                 show this help
`;

const OPTIONS = {
  pool: { type: 'string' },
  client: { type: 'string' },
  'username-prefix': { type: 'string' },
  password: { type: 'string' },
  'machine-client': { type: 'string' },
  'machine-secret': { type: 'string' },
  'token-endpoint': { type: 'string' },
  'jwks-endpoint': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A failure worth a one-line message and exit code 1 (no stack: it is not a bug here). */
class EventsError extends Error {
  override readonly name = 'EventsError';
}

interface LocalOptions {
  readonly mode: 'local';
  readonly out: string;
  readonly endpoint: string;
}
interface PoolOptions {
  readonly mode: 'pool';
  readonly out: string;
  readonly pool: string;
  readonly client: string;
  readonly prefix: string;
  readonly password: string;
  readonly machineClient: string;
  readonly machineSecret: string;
  readonly tokenEndpoint: string;
}
type Options = LocalOptions | PoolOptions;

function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options | 'help' {
  const values = readCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const pick = (name: keyof typeof OPTIONS, variable: string): string => String(values[name] ?? env[variable] ?? '').trim();
  const out = path.resolve(ROOT, values.out ?? '.events');
  if (values.pool === undefined && values.client === undefined && values.password === undefined) {
    // Local mode unless --pool (or --client/--password) asks for a deployed pool: env vars alone do not switch.
    const endpoint = pick('jwks-endpoint', 'JWKS_ENDPOINT') || 'http://127.0.0.1:3000';
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`--jwks-endpoint "${endpoint}" is not a URL`);
    }
    if (url.pathname !== '/' || url.search || url.hash) throw new UsageError('--jwks-endpoint is an origin like http://127.0.0.1:3000 (no path)');
    return { mode: 'local', out, endpoint: url.origin };
  }
  const options: PoolOptions = {
    mode: 'pool',
    out,
    pool: pick('pool', 'COGNITO_USER_POOL_ID'),
    client: pick('client', 'COGNITO_CLIENT_ID'),
    prefix: values['username-prefix'] ?? env['DEMO_USERNAME_PREFIX'] ?? 'demo-',
    password: values.password ?? env['DEMO_PASSWORD'] ?? '',
    machineClient: pick('machine-client', 'COGNITO_MACHINE_CLIENT_ID'),
    machineSecret: pick('machine-secret', 'COGNITO_MACHINE_CLIENT_SECRET'),
    tokenEndpoint: pick('token-endpoint', 'COGNITO_TOKEN_ENDPOINT'),
  };
  if (!USER_POOL_ID.test(options.pool)) throw new UsageError(`--pool needs a user pool id like us-east-1_AbC123 (got "${options.pool}")`);
  if (!/^[\w+]+$/.test(options.client)) throw new UsageError('--client needs the app client id for users (stack output UserClientId)');
  if (options.password === '') throw new UsageError("the demo users' password is needed: set DEMO_PASSWORD (or --password)");
  const machine = [options.machineClient, options.machineSecret, options.tokenEndpoint];
  if (machine.some((v) => v !== '') && machine.some((v) => v === '')) {
    throw new UsageError('--machine-client, --machine-secret and --token-endpoint go together');
  }
  if (options.tokenEndpoint !== '' && !/^https:\/\/[^/]+\/oauth2\/token$/.test(options.tokenEndpoint)) {
    throw new UsageError(`--token-endpoint must be https://<domain>/oauth2/token (got "${options.tokenEndpoint}")`);
  }
  return options;
}

/** A token for a scenario's caller, or why there is none. */
type Minted = { readonly token: string; readonly label: string } | { readonly skip: string };

interface Issuer {
  readonly source: string;
  token(caller: Caller): Promise<Minted>;
}

/** How a caller reads in progress lines: "admins, access token", "no groups, expired access token". */
function describe(caller: Caller): string {
  const groups = caller.groups?.length
    ? caller.groups.join('+')
    : caller.scopes?.some((s) => s.includes('/'))
      ? `machine ${caller.scopes.join(' ')}`
      : 'no groups';
  const claims = Object.keys(caller.claims ?? {}).length > 0 ? `, ${Object.keys(caller.claims ?? {}).join(', ')}` : '';
  return `${groups}${claims}, ${caller.expired ? 'expired ' : ''}${caller.tokenUse === 'id' ? 'ID' : 'access'} token`;
}

/** Tokens from the local issuer: any caller, expired or not. */
function localIssuer(): Issuer {
  const key = loadOrCreateKey(process.env['LOCAL_ISSUER_DIR'] || DEFAULT_ISSUER_DIR);
  return {
    source: `local issuer (${LOCAL_POOL_ID})`,
    token: (caller) =>
      Promise.resolve({
        token: mintToken(key, {
          // Left out when there are none, as Cognito does.
          groups: caller.groups?.length ? caller.groups : undefined,
          scopes: caller.tokenUse === 'id' ? undefined : caller.scopes,
          sub: caller.sub,
          tokenUse: caller.tokenUse ?? 'access',
          ttl: caller.expired === true ? -60 : 3600,
          poolId: LOCAL_POOL_ID,
          clientId: LOCAL_CLIENT_ID,
          extra: caller.claims,
        }),
        label: describe(caller),
      }),
  };
}

interface AuthenticationResult {
  readonly AccessToken?: string;
  readonly IdToken?: string;
}

/** Tokens from a deployed pool: demo users by group, machines by client credentials. */
async function deployedPool(options: PoolOptions): Promise<Issuer> {
  const { CognitoIdentityProviderClient, InitiateAuthCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const region = USER_POOL_ID.exec(options.pool)?.[1];
  const cognito = new CognitoIdentityProviderClient({ region });
  const signedIn = new Map<string, Promise<AuthenticationResult | undefined>>();
  const machineTokens = new Map<string, Promise<string>>();

  const signInHint = (err: Error): string =>
    err.name === 'NotAuthorizedException' && /secret hash/i.test(err.message)
      ? ' (this app client has a secret; use the user client, stack output UserClientId)'
      : err.name === 'NotAuthorizedException'
        ? ' (wrong username or password, or USER_PASSWORD_AUTH is not enabled on the client)'
        : err.name === 'ResourceNotFoundException'
          ? ` (no such app client in ${options.pool})`
          : '';

  function signIn(username: string): Promise<AuthenticationResult | undefined> {
    let pending = signedIn.get(username);
    if (pending === undefined) {
      const command = new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: options.client,
        AuthParameters: { USERNAME: username, PASSWORD: options.password },
      });
      pending = cognito.send(command).then(
        (answer) => {
          if (answer.ChallengeName) {
            throw new EventsError(
              `${username}: Cognito asks for ${answer.ChallengeName} first; set a permanent password with ` +
                `aws cognito-idp admin-set-user-password --user-pool-id ${options.pool} --username ${username} --password … --permanent`,
            );
          }
          return answer.AuthenticationResult;
        },
        (err: Error) => {
          throw new EventsError(`${username}: sign-in failed: ${err.name}: ${err.message}${signInHint(err)}`);
        },
      );
      signedIn.set(username, pending);
    }
    return pending;
  }

  function clientCredentials(scopes: readonly string[]): Promise<string> {
    const scope = scopes.join(' ');
    let pending = machineTokens.get(scope);
    if (pending === undefined) {
      const basic = Buffer.from(`${options.machineClient}:${options.machineSecret}`).toString('base64');
      pending = fetch(options.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
        signal: AbortSignal.timeout(10_000),
      }).then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
        if (!res.ok || typeof body.access_token !== 'string') {
          throw new EventsError(`client credentials for "${scope}" failed: HTTP ${res.status} ${typeof body.error === 'string' ? body.error : ''}`.trim());
        }
        return body.access_token;
      });
      machineTokens.set(scope, pending);
    }
    return pending;
  }

  const demoUser = (groups: readonly string[]): string | undefined =>
    groups.includes('suspended')
      ? 'suspended'
      : groups.includes('admins')
        ? 'admin'
        : groups.includes('readers')
          ? 'reader'
          : groups.length === 0
            ? 'nogroups'
            : undefined;

  return {
    source: `user pool ${options.pool}`,
    async token(caller) {
      if (caller.expired) return { skip: 'a user pool cannot issue an expired token on demand (the local issuer can)' };
      if (caller.sub !== undefined || Object.keys(caller.claims ?? {}).length > 0) {
        return { skip: 'a user pool cannot issue a token with a chosen sub or custom claims on demand (the local issuer can)' };
      }
      const groups = caller.groups ?? [];
      const scopes = caller.scopes ?? [];
      if (groups.length === 0 && scopes.some((s) => s.includes('/'))) {
        if (!options.machineClient) return { skip: 'a machine caller: give --machine-client, --machine-secret and --token-endpoint' };
        return { token: await clientCredentials(scopes), label: `machine client, access token for ${scopes.join(' ')}` };
      }
      const who = demoUser(groups);
      if (who === undefined) return { skip: `no demo user stands for groups ${groups.join(', ')}` };
      const username = `${options.prefix}${who}`;
      const result = await signIn(username);
      const kind = caller.tokenUse === 'id' ? 'ID' : 'access';
      const token = caller.tokenUse === 'id' ? result?.IdToken : result?.AccessToken;
      if (typeof token !== 'string') throw new EventsError(`${username}: Cognito answered without an ${kind} token`);
      return { token, label: `${username}, ${kind} token` };
    },
  };
}

/** The env-vars file for `sam local invoke`: events/env.json's variables with this run's issuer (and a scenario's own settings). */
function envFile(options: Options, extra: Readonly<Record<string, string>> = {}): { AuthorizerFunction: Record<string, string> } {
  const committed = JSON.parse(readFileSync(path.join(EVENTS, 'env.json'), 'utf8')) as { AuthorizerFunction: Record<string, string> };
  const vars = { ...committed.AuthorizerFunction };
  if (options.mode === 'local') {
    Object.assign(vars, {
      USER_POOL_IDS: LOCAL_POOL_ID,
      CLIENT_IDS: LOCAL_CLIENT_ID,
      TOKEN_USE: 'access',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: options.endpoint,
    });
  } else {
    const clients = [options.client, options.machineClient].filter((c) => c !== '').join(',');
    Object.assign(vars, { USER_POOL_IDS: options.pool, CLIENT_IDS: clients, TOKEN_USE: 'access', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' });
  }
  return { AuthorizerFunction: { ...vars, ...extra } };
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function fill(scenario: Scenario, issuer: Issuer): Promise<{ text: string; label: string } | { skip: string }> {
  const text = readFileSync(path.join(EVENTS, scenario.file), 'utf8');
  if (scenario.caller === null) return { text, label: 'no token: the credential is committed as-is' };
  if (!text.includes(PLACEHOLDER)) throw new EventsError(`events/${scenario.file} has a caller but no ${PLACEHOLDER} placeholder`);
  const minted = await issuer.token(scenario.caller);
  if ('skip' in minted) return minted;
  return { text: text.split(PLACEHOLDER).join(minted.token), label: minted.label };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = readOptions(argv, process.env);
  } catch (err) {
    if (err instanceof UsageError) exitWithUsage('events', err, USAGE);
    throw err;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let scenarios: Scenario[];
  try {
    scenarios = loadScenarios(EVENTS);
  } catch (err) {
    throw new EventsError((err as Error).message, { cause: err });
  }
  const issuer = options.mode === 'local' ? localIssuer() : await deployedPool(options);
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const shown = path.relative(process.cwd(), options.out) || '.';
  console.log(`events: ${scenarios.length} fixtures, tokens from the ${issuer.source}`);

  const skipped: string[] = [];
  for (const scenario of scenarios) {
    const filled = await fill(scenario, issuer);
    if ('skip' in filled) {
      skipped.push(scenario.file);
      console.log(`skipped ${scenario.file}: ${filled.skip}`);
      continue;
    }
    writePrivate(path.join(options.out, scenario.file), filled.text);
    console.log(`wrote ${path.join(shown, scenario.file)} (${filled.label})`);
  }
  const envFiles = new Map([['env.json', {}], ...scenarios.map((s) => [envFileName(s), s.env ?? {}] as const)]);
  for (const [name, extra] of envFiles) {
    writePrivate(path.join(options.out, name), `${JSON.stringify(envFile(options, extra), null, 2)}\n`);
    const settings = Object.entries(extra).map(([k, v]) => `${k}=${v}, `).join('');
    console.log(`wrote ${path.join(shown, name)} (${settings}${options.mode === 'local' ? `JWKS from ${options.endpoint}: run \`npm start\` there` : `user pool ${options.pool}`})`);
  }
  console.log(`events: ${scenarios.length - skipped.length} written${skipped.length ? `, ${skipped.length} skipped` : ''}. Try:`);
  const example: Scenario = scenarios.find((s) => !skipped.includes(s.file)) ?? { file: 'token-admin-get-pets.json', caller: null, expect: 'allow' };
  console.log(`  sam local invoke AuthorizerFunction --env-vars ${path.join(shown, envFileName(example))} -e ${path.join(shown, example.file)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    // EventsError: a message for the user. Anything else: name and message only (no stack with values in it).
    process.stderr.write(`events: ${err instanceof EventsError ? err.message : `${err.name}: ${err.message}`}\n`);
    process.exit(1);
  },
);
