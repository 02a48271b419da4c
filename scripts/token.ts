// `npm run --silent token -- [options]`: prints one Cognito-shaped JWT signed by the local issuer (stdout holds nothing else).
import { DEFAULT_ISSUER_DIR, KeyFileError, LOCAL_CLIENT_ID, LOCAL_POOL_ID, loadOrCreateKey, mintToken, type CallerSpec } from '../tests/helpers/issuer';
import { exitWithUsage, readCommandLine, UsageError } from './lib/cli';

const USAGE = `Usage: npm run --silent token -- [options]

Prints one JWT on stdout, signed by the local issuer that \`npm start\` trusts (the key lives in
.local/issuer/, or LOCAL_ISSUER_DIR; it is created on first use). Claims are shaped like an
Amazon Cognito access token: iss, sub, client_id, token_use, scope, auth_time, iat, exp, jti,
username, and cognito:groups when groups are given. (--silent keeps npm's own lines out of $(…).)

With no options: a signed-in user with no groups and no custom scopes.

Options:
  --groups a,b            cognito:groups (comma-separated; repeatable); default: none, no claim
  --scopes s1,s2          the scope claim, e.g. pets/read,pets/write (comma-separated; repeatable);
                          default: openid only
  --claim name=value      another claim, its value a string, e.g. custom:tenant_id=acme
                          (repeatable; the value follows the last "=")
  --sub <id>              the subject (default: a fresh UUID)
  --username <name>       username (default: derived from sub)
  --ttl <seconds>         lifetime, 1–86400 (default 3600)
  --expired               a token that expired a minute ago (a 401)
  --token-use access|id   an access token (default) or an ID token (aud, cognito:username, no
                          scope), which the authorizer takes only with TOKEN_USE=id
  --id                    the same as --token-use id
  --client-id <id>        another app client (default ${LOCAL_CLIENT_ID}; others get a 401)
  --pool-id <id>          another user pool (default ${LOCAL_POOL_ID}; others get a 401)
  -h, --help              show this help

Examples:
  TOKEN=$(npm run --silent token -- --groups admins)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/pets
  npm run --silent token -- --scopes pets/read --ttl 300
  npm run --silent token -- --claim custom:tenant_id=acme
`;

const OPTIONS = {
  groups: { type: 'string', multiple: true },
  scopes: { type: 'string', multiple: true },
  claim: { type: 'string', multiple: true },
  sub: { type: 'string' },
  username: { type: 'string' },
  ttl: { type: 'string' },
  expired: { type: 'boolean' },
  'token-use': { type: 'string' },
  id: { type: 'boolean' },
  'client-id': { type: 'string' },
  'pool-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Claims the issuer writes itself, and the option that sets each where there is one. */
const OWN_CLAIMS: Readonly<Record<string, string>> = {
  sub: '--sub',
  username: '--username',
  'cognito:username': '--username',
  'cognito:groups': '--groups',
  scope: '--scopes',
  token_use: '--token-use',
  client_id: '--client-id',
  aud: '--client-id',
  iss: '--pool-id',
  exp: '--ttl or --expired',
  iat: '--ttl',
  auth_time: '--ttl',
};

/** `a,b` lists, from every use of a repeatable option. */
const list = (values: readonly string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

function claimsFrom(pairs: readonly string[]): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (name === '') throw new UsageError(`--claim needs name=value (got "${pair}")`);
    const option = OWN_CLAIMS[name];
    if (option !== undefined) throw new UsageError(`--claim ${name}: the issuer sets that claim; use ${option}`);
    if (name in claims) throw new UsageError(`--claim ${name} is given twice`);
    claims[name] = pair.slice(eq + 1);
  }
  return claims;
}

/** The command line as the issuer's CallerSpec; throws UsageError for anything unclear. */
function readTokenOptions(argv: readonly string[]): { readonly help: true } | { readonly help: false; readonly spec: CallerSpec } {
  const values = readCommandLine(argv, OPTIONS);
  if (values.help) return { help: true };
  for (const name of ['sub', 'username', 'client-id', 'pool-id', 'token-use'] as const) {
    if (values[name] !== undefined && values[name].trim() === '') throw new UsageError(`--${name} needs a value`);
  }
  const groups = values.groups === undefined ? undefined : list(values.groups);
  const scopes = values.scopes === undefined ? undefined : list(values.scopes);
  if (groups?.length === 0) throw new UsageError('--groups needs at least one name (leave it out for none)');
  if (scopes?.length === 0) throw new UsageError('--scopes needs at least one name (leave it out for none)');
  const tokenUse = values['token-use'] ?? (values.id ? 'id' : 'access');
  if (tokenUse !== 'access' && tokenUse !== 'id') throw new UsageError(`--token-use must be access or id (got "${tokenUse}")`);
  if (values.id && tokenUse !== 'id') throw new UsageError('--id and --token-use access contradict each other');
  if (tokenUse === 'id' && scopes !== undefined) throw new UsageError('--scopes does not apply to ID tokens: they carry no scope claim');
  let lifetime = 3600;
  if (values.ttl !== undefined) {
    if (!/^\d+$/.test(values.ttl) || Number(values.ttl) < 1 || Number(values.ttl) > 86400) {
      throw new UsageError(`--ttl must be whole seconds from 1 to 86400 (got "${values.ttl}")`);
    }
    lifetime = Number(values.ttl);
  }
  const extra = claimsFrom(values.claim ?? []);
  return {
    help: false,
    spec: {
      groups,
      scopes: tokenUse === 'id' ? undefined : (scopes ?? ['openid']),
      sub: values.sub,
      username: values.username,
      tokenUse,
      poolId: values['pool-id'] ?? LOCAL_POOL_ID,
      clientId: values['client-id'] ?? LOCAL_CLIENT_ID,
      ttl: values.expired ? -60 : lifetime,
      lifetime,
      extra,
    },
  };
}

function main(argv: readonly string[]): number {
  let command: ReturnType<typeof readTokenOptions>;
  try {
    command = readTokenOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) exitWithUsage('token', err, USAGE);
    throw err;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const key = loadOrCreateKey(process.env['LOCAL_ISSUER_DIR'] || DEFAULT_ISSUER_DIR);
    process.stdout.write(`${mintToken(key, command.spec)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof KeyFileError) {
      process.stderr.write(`token: ${err.message}\n`);
      return 1;
    }
    // The issuer refuses what it cannot sign (a malformed --pool-id, say): still a usage error.
    if (err instanceof TypeError) exitWithUsage('token', new UsageError(err.message), USAGE);
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
