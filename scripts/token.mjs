// `npm run --silent token -- [options]`: prints one Cognito-shaped JWT signed by the local issuer (stdout holds nothing else).
import { parseArgs } from 'node:util';
import { LOCAL_CLIENT_ID, LOCAL_POOL_ID, loadOrCreateKey, mintToken } from './lib/local-issuer.mjs';

const USAGE = `Usage: npm run --silent token -- [options]

Prints one JWT on stdout, signed by the local issuer that \`npm start\` trusts (the key lives in
.local/issuer/, or LOCAL_ISSUER_DIR; it is created on first use). Claims are shaped like an
Amazon Cognito access token: iss, sub, client_id, token_use, scope, auth_time, iat, exp, jti,
username, and cognito:groups when groups are given.

With no options: a signed-in user with no groups and no custom scopes.

Options:
  --groups a,b            cognito:groups (comma-separated; repeatable); default: none, no claim
  --scopes s1,s2          the scope claim, e.g. pets/read,pets/write (comma-separated; repeatable);
                          default: openid only
  --sub <id>              the subject (default: a fresh UUID)
  --username <name>       username (default: derived from sub)
  --ttl <seconds>         lifetime, 1–86400 (default 3600)
  --expired               a token that expired a minute ago (a 401)
  --id                    an ID token (aud, cognito:username, no scope) instead of an access
                          token; the authorizer takes those only with TOKEN_USE=id
  --client-id <id>        another app client (default ${LOCAL_CLIENT_ID}; others get a 401)
  --pool-id <id>          another user pool (default ${LOCAL_POOL_ID}; others get a 401)
  -h, --help              show this help

Examples:
  TOKEN=$(npm run --silent token -- --groups admins)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/pets
  npm run --silent token -- --scopes pets/read --ttl 300
`;

class UsageError extends Error {}

const list = (values) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Parses the command line into mintToken options; throws UsageError for anything unclear. */
function readOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        groups: { type: 'string', multiple: true },
        scopes: { type: 'string', multiple: true },
        sub: { type: 'string' },
        username: { type: 'string' },
        ttl: { type: 'string' },
        expired: { type: 'boolean' },
        id: { type: 'boolean' },
        'client-id': { type: 'string' },
        'pool-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  for (const name of ['sub', 'username', 'client-id', 'pool-id']) {
    if (values[name] !== undefined && values[name].trim() === '') throw new UsageError(`--${name} needs a value`);
  }
  const options = {};
  for (const name of ['groups', 'scopes']) {
    if (values[name] === undefined) continue;
    options[name] = list(values[name]);
    if (options[name].length === 0) throw new UsageError(`--${name} needs at least one name (leave it out for none)`);
  }
  if (values.id && options.scopes !== undefined) {
    throw new UsageError('--scopes does not apply to ID tokens (--id): they carry no scope claim');
  }
  if (values.ttl !== undefined) {
    if (!/^\d+$/.test(values.ttl) || Number(values.ttl) < 1 || Number(values.ttl) > 86400) {
      throw new UsageError(`--ttl must be whole seconds from 1 to 86400 (got "${values.ttl}")`);
    }
    options.ttlSeconds = Number(values.ttl);
  }
  if (values.sub !== undefined) options.sub = values.sub;
  if (values.username !== undefined) options.username = values.username;
  if (values.expired) options.expired = true;
  options.tokenUse = values.id ? 'id' : 'access';
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['pool-id'] !== undefined) options.poolId = values['pool-id'];
  return { help: false, options };
}

let command;
try {
  command = readOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`token: ${err.message}\nSee: npm run --silent token -- --help\n`);
  process.exit(2);
}
if (command.help) {
  process.stdout.write(USAGE);
} else {
  let key;
  try {
    key = loadOrCreateKey(process.env.LOCAL_ISSUER_DIR || undefined);
  } catch (err) {
    process.stderr.write(`token: ${err.message}\n`);
    process.exit(1);
  }
  let jwt;
  try {
    jwt = mintToken(key, command.options);
  } catch (err) {
    // The issuer refuses options it cannot sign (a malformed --pool-id, say): still a usage error.
    if (!(err instanceof TypeError)) throw err;
    process.stderr.write(`token: ${err.message.replace(/^local issuer: /, '')}\nSee: npm run --silent token -- --help\n`);
    process.exit(2);
  }
  process.stdout.write(`${jwt}\n`);
}
