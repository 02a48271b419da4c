// `npm run events`: the events/ fixtures with fresh tokens in place of {{TOKEN}}, written to .events/ for `sam local invoke`.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_CLIENT_ID, LOCAL_POOL_ID, loadOrCreateKey, mintToken } from './lib/local-issuer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = path.join(root, 'events');
const PLACEHOLDER = '{{TOKEN}}';
// Same shape aws-jwt-verify and src/config.ts accept; the region is what precedes the underscore.
const POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[A-Za-z0-9]+$/;

const USAGE = `Usage: npm run events [-- options]

Fills {{TOKEN}} in every fixture listed in events/scenarios.json with a fresh token for that
scenario's caller, and writes the results to .events/ (git-ignored; tokens are never printed):

  sam local invoke AuthorizerFunction --env-vars .events/env.json -e .events/token-admin-get-pets.json

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
  A pool cannot issue an expired token on demand: those scenarios are skipped.

Other
  --out <dir>                where to write (default .events)
  -h, --help                 show this help
`;

class UsageError extends Error {}

/** A failure worth a one-line message and exit code 1 (no stack: it is not a bug here). */
class EventsError extends Error {}

function readOptions(argv, env) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
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
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) return { help: true };
  const pick = (name, variable) => (values[name] ?? env[variable] ?? '').trim();
  const out = path.resolve(root, values.out ?? '.events');
  const pool = pick('pool', 'COGNITO_USER_POOL_ID');
  if (values.pool === undefined && values.client === undefined && values.password === undefined) {
    // Local mode unless --pool (or --client/--password) asks for a deployed pool: env vars alone do not switch.
    const endpoint = pick('jwks-endpoint', 'JWKS_ENDPOINT') || 'http://127.0.0.1:3000';
    let url;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`--jwks-endpoint "${endpoint}" is not a URL`);
    }
    if (url.pathname !== '/' || url.search || url.hash) throw new UsageError('--jwks-endpoint is an origin like http://127.0.0.1:3000 (no path)');
    return { help: false, mode: 'local', out, endpoint: url.origin };
  }
  const options = {
    help: false,
    mode: 'pool',
    out,
    pool,
    client: pick('client', 'COGNITO_CLIENT_ID'),
    prefix: values['username-prefix'] ?? env.DEMO_USERNAME_PREFIX ?? 'demo-',
    password: values.password ?? env.DEMO_PASSWORD ?? '',
    machineClient: pick('machine-client', 'COGNITO_MACHINE_CLIENT_ID'),
    machineSecret: (values['machine-secret'] ?? env.COGNITO_MACHINE_CLIENT_SECRET ?? '').trim(),
    tokenEndpoint: pick('token-endpoint', 'COGNITO_TOKEN_ENDPOINT'),
  };
  if (!POOL_ID.test(options.pool)) throw new UsageError(`--pool needs a user pool id like us-east-1_AbC123 (got "${options.pool}")`);
  if (!/^[\w+]+$/.test(options.client)) throw new UsageError('--client needs the app client id for users (stack output UserClientId)');
  if (options.password === '') throw new UsageError('the demo users\' password is needed: set DEMO_PASSWORD (or --password)');
  const machine = [options.machineClient, options.machineSecret, options.tokenEndpoint];
  if (machine.some((v) => v !== '') && machine.some((v) => v === '')) {
    throw new UsageError('--machine-client, --machine-secret and --token-endpoint go together');
  }
  if (options.tokenEndpoint !== '' && !/^https:\/\/[^/]+\/oauth2\/token$/.test(options.tokenEndpoint)) {
    throw new UsageError(`--token-endpoint must be https://<domain>/oauth2/token (got "${options.tokenEndpoint}")`);
  }
  return options;
}

/** events/scenarios.json, checked: each entry names an existing fixture and a caller we can make. */
function loadScenarios() {
  const file = path.join(EVENTS, 'scenarios.json');
  let scenarios;
  try {
    scenarios = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new EventsError(`cannot read events/scenarios.json: ${err.message}`);
  }
  if (!Array.isArray(scenarios)) throw new EventsError('events/scenarios.json must be a JSON array');
  return scenarios.map((s, i) => {
    const where = `events/scenarios.json entry ${i + 1}`;
    if (typeof s?.file !== 'string' || !/^[\w.-]+\.json$/.test(s.file)) throw new EventsError(`${where}: "file" must be a file name in events/`);
    if (!existsSync(path.join(EVENTS, s.file))) throw new EventsError(`${where}: events/${s.file} does not exist`);
    if (s.caller !== null && (typeof s.caller !== 'object' || Array.isArray(s.caller))) throw new EventsError(`${where}: "caller" must be an object or null`);
    return s;
  });
}

/** How a caller reads in progress lines: "admins, access token", "no groups, expired access token". */
function describe(caller) {
  const groups = caller.groups?.length ? caller.groups.join('+') : caller.scopes?.some((s) => s.includes('/')) ? `machine ${caller.scopes.join(' ')}` : 'no groups';
  return `${groups}, ${caller.expired ? 'expired ' : ''}${caller.tokenUse === 'id' ? 'ID' : 'access'} token`;
}

/** Tokens from the local issuer: any caller, expired or not. */
function localIssuer() {
  const key = loadOrCreateKey(process.env.LOCAL_ISSUER_DIR || undefined);
  return {
    source: `local issuer (${LOCAL_POOL_ID})`,
    token: async (caller) => ({
      token: mintToken(key, {
        groups: caller.groups,
        scopes: caller.tokenUse === 'id' ? undefined : caller.scopes,
        tokenUse: caller.tokenUse ?? 'access',
        expired: caller.expired === true,
      }),
      label: describe(caller),
    }),
  };
}

/** Tokens from a deployed pool: demo users by group, machines by client credentials. */
async function deployedPool(options) {
  const { CognitoIdentityProviderClient, InitiateAuthCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const region = POOL_ID.exec(options.pool)[1];
  const cognito = new CognitoIdentityProviderClient({ region });
  const signedIn = new Map();
  const machineTokens = new Map();

  async function signIn(username) {
    if (!signedIn.has(username)) {
      signedIn.set(
        username,
        cognito
          .send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: options.client, AuthParameters: { USERNAME: username, PASSWORD: options.password } }))
          .then(
            (answer) => {
              if (answer.ChallengeName) {
                throw new EventsError(
                  `${username}: Cognito asks for ${answer.ChallengeName} first; set a permanent password with ` +
                    `aws cognito-idp admin-set-user-password --user-pool-id ${options.pool} --username ${username} --password … --permanent`,
                );
              }
              return answer.AuthenticationResult;
            },
            (err) => {
              const hint =
                err.name === 'NotAuthorizedException' && /secret hash/i.test(err.message)
                  ? ' (this app client has a secret; use the user client, stack output UserClientId)'
                  : err.name === 'NotAuthorizedException'
                    ? ' (wrong username or password, or USER_PASSWORD_AUTH is not enabled on the client)'
                    : err.name === 'ResourceNotFoundException'
                      ? ` (no such app client in ${options.pool})`
                      : '';
              throw new EventsError(`${username}: sign-in failed: ${err.name}: ${err.message}${hint}`);
            },
          ),
      );
    }
    return signedIn.get(username);
  }

  async function clientCredentials(scopes) {
    const scope = scopes.join(' ');
    if (!machineTokens.has(scope)) {
      const basic = Buffer.from(`${options.machineClient}:${options.machineSecret}`).toString('base64');
      machineTokens.set(
        scope,
        fetch(options.tokenEndpoint, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
          signal: AbortSignal.timeout(10_000),
        }).then(async (res) => {
          const body = await res.json().catch(() => ({}));
          if (!res.ok || typeof body.access_token !== 'string') {
            throw new EventsError(`client credentials for "${scope}" failed: HTTP ${res.status} ${body.error ?? ''}`.trim());
          }
          return body.access_token;
        }),
      );
    }
    return machineTokens.get(scope);
  }

  return {
    source: `user pool ${options.pool}`,
    token: async (caller) => {
      if (caller.expired) return { skip: 'a user pool cannot issue an expired token on demand (the local issuer can)' };
      const groups = caller.groups ?? [];
      const scopes = caller.scopes ?? [];
      if (groups.length === 0 && scopes.some((s) => s.includes('/'))) {
        if (!options.machineClient) return { skip: 'a machine caller: give --machine-client, --machine-secret and --token-endpoint' };
        return { token: await clientCredentials(scopes), label: `machine client, access token for ${scopes.join(' ')}` };
      }
      const who = groups.includes('suspended')
        ? 'suspended'
        : groups.includes('admins')
          ? 'admin'
          : groups.includes('readers')
            ? 'reader'
            : groups.length === 0
              ? 'nogroups'
              : undefined;
      if (who === undefined) return { skip: `no demo user stands for groups ${groups.join(', ')}` };
      const username = `${options.prefix}${who}`;
      const result = await signIn(username);
      const token = caller.tokenUse === 'id' ? result?.IdToken : result?.AccessToken;
      if (typeof token !== 'string') throw new EventsError(`${username}: Cognito answered without ${caller.tokenUse === 'id' ? 'an ID' : 'an access'} token`);
      return { token, label: `${username}, ${caller.tokenUse === 'id' ? 'ID' : 'access'} token` };
    },
  };
}

/** The env-vars file for `sam local invoke`: events/env.json's variables with this run's issuer. */
function envFile(options) {
  const committed = JSON.parse(readFileSync(path.join(EVENTS, 'env.json'), 'utf8'));
  const vars = { ...committed.AuthorizerFunction };
  if (options.mode === 'local') {
    Object.assign(vars, { USER_POOL_IDS: LOCAL_POOL_ID, CLIENT_IDS: LOCAL_CLIENT_ID, TOKEN_USE: 'access', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: options.endpoint });
  } else {
    const clients = [options.client, options.machineClient].filter((c) => c !== '').join(',');
    Object.assign(vars, { USER_POOL_IDS: options.pool, CLIENT_IDS: clients, TOKEN_USE: 'access', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' });
  }
  return { AuthorizerFunction: vars };
}

function writePrivate(file, text) {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function main() {
  let options;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`events: ${err.message}\nSee: npm run events -- --help\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scenarios = loadScenarios();
  const issuer = options.mode === 'local' ? localIssuer() : await deployedPool(options);
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const shown = path.relative(process.cwd(), options.out) || '.';
  console.log(`events: ${scenarios.length} fixtures, tokens from the ${issuer.source}`);

  let written = 0;
  const skipped = [];
  for (const scenario of scenarios) {
    const text = readFileSync(path.join(EVENTS, scenario.file), 'utf8');
    let filled = text;
    let label = 'no token: the credential is committed as-is';
    if (scenario.caller !== null) {
      if (!text.includes(PLACEHOLDER)) throw new EventsError(`events/${scenario.file} has a caller but no ${PLACEHOLDER} placeholder`);
      const answer = await issuer.token(scenario.caller);
      if (answer.skip) {
        skipped.push(scenario.file);
        console.log(`skipped ${scenario.file}: ${answer.skip}`);
        continue;
      }
      filled = text.split(PLACEHOLDER).join(answer.token);
      label = answer.label;
    }
    writePrivate(path.join(options.out, scenario.file), filled);
    written++;
    console.log(`wrote ${path.join(shown, scenario.file)} (${label})`);
  }
  writePrivate(path.join(options.out, 'env.json'), `${JSON.stringify(envFile(options), null, 2)}\n`);
  console.log(`wrote ${path.join(shown, 'env.json')} (${options.mode === 'local' ? `JWKS from ${options.endpoint}: run \`npm start\` there` : `user pool ${options.pool}`})`);
  console.log(`events: ${written} written${skipped.length ? `, ${skipped.length} skipped` : ''}. Try:`);
  const example = scenarios.find((s) => !skipped.includes(s.file))?.file ?? 'token-admin-get-pets.json';
  console.log(`  sam local invoke AuthorizerFunction --env-vars ${path.join(shown, 'env.json')} -e ${path.join(shown, example)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // EventsError: a message for the user. Anything else: name and message only (no stack with values in it).
    process.stderr.write(`events: ${err instanceof EventsError ? err.message : `${err.name}: ${err.message}`}\n`);
    process.exit(1);
  },
);
