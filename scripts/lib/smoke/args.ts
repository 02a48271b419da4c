// `npm run smoke` flags: read once and checked, every mistake a UsageError naming the flag (exit 2).
import { USER_POOL_ID, type TokenUse } from '../../../src/config';
import { readCommandLine, UsageError } from '../cli';

export const USAGE = `Usage: npm run smoke -- --stack NAME [--region REGION] [options]
       npm run smoke -- --api-url URL [--http-api-url URL] --user-pool-id ID --client-id ID [options]

Smoke-tests a deployed cognito-route-authorizer stack: creates four short-lived demo users in its
user pool, signs them in, calls the sample REST and HTTP APIs as each of them (and without a token),
checks every answer against the route rules, and deletes the users again, also when a check fails
or the run is interrupted (Ctrl-C, SIGTERM). One line per check; never a token or a password.

The stack:
  --stack NAME           a CloudFormation stack (name or id): its outputs ApiUrl, HttpApiUrl,
                         UserPoolId and UserClientId, and its parameters TokenUse, RouteRules,
                         CorsAllowOrigin and AuthorizerResultTtl
  --region REGION        the stack's region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile)
  --api-url URL          the sample REST API, stage included (output ApiUrl)
  --http-api-url URL     the sample HTTP API (output HttpApiUrl)
  --user-pool-id ID      the user pool the authorizer trusts (output UserPoolId)
  --client-id ID         an app client of that pool, without a secret, that allows USER_PASSWORD_AUTH
                         (output UserClientId)
  With --stack, these flags replace the stack's outputs (for a stack that uses your own pool, give
  --client-id). Without --stack, give one API URL or both, the pool and the client.

What to expect (the authorizer's configuration):
  --rules FILE           its rules (default: the stack's RouteRules when set, else config/rules.json)
  --token-use access|id  the token it accepts (default: the stack's TokenUse, else access)
  --cors-origin ORIGIN   the APIs' CORS origin, * or https://host (default: the stack's
                         CorsAllowOrigin, else *)

Local runs:
  --endpoint URL         Cognito's endpoint, e.g. moto_server's http://127.0.0.1:5000 (plain http only
                         to 127.0.0.1, localhost or [::1]); CloudFormation's comes from the AWS SDK's
                         AWS_ENDPOINT_URL_CLOUDFORMATION
  -h, --help             show this help

What it checks, on each API: no token, a malformed, a tampered and a wrong-use token → 401 (REST:
with WWW-Authenticate: Bearer and CORS headers); CORS preflights without a token; per user, every
sample route (GET /pets, GET /pets/1, POST /pets, DELETE /pets/{id}, GET /me, /admin/..., and the
owner and tenant routes where the rules have them) → the rules' answer, 200/400/404 from the backend
or 403 (REST: with CORS headers), the first request caching the authorizer's answer and the others
reusing it within the TTL; GET /me echoes the caller; an unknown route → 403 (REST) or 404 (HTTP).
Nothing is stored or deleted: POST /pets sends an empty pet (400), DELETE names a pet that is not there.

AWS permissions (the AWS SDK's default credentials: environment, profile, SSO, role):
  cloudformation:DescribeStacks        on the stack (with --stack only)
  cognito-idp:AdminCreateUser, cognito-idp:AdminSetUserPassword, cognito-idp:AdminAddUserToGroup,
  cognito-idp:AdminDeleteUser          on the user pool
  cognito-idp:DescribeUserPool         optional: whether the pool has custom:tenant_id (without it,
                                       the tenant route's checks are skipped)
  Signing in (InitiateAuth with USER_PASSWORD_AUTH on the public app client) needs no IAM permission.

Demo users: cra-smoke-<run>-admin (group admins), -reader (readers), -nogroups (no group) and
-suspended (admins and suspended), custom:tenant_id set where the pool has it, each with a random
password that is never printed or stored. They are deleted when the run ends; only a killed run
(SIGKILL) leaves them. To find leftovers:
  aws cognito-idp list-users --user-pool-id ID --filter 'username ^= "cra-smoke-"'

Exit status: 0 every check passed; 1 a check failed or a user could not be deleted; 2 the smoke could
not run as asked (flags, stack, rules, credentials, permissions); 130 or 143 interrupted.
`;

const OPTIONS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  'api-url': { type: 'string' },
  'http-api-url': { type: 'string' },
  'user-pool-id': { type: 'string' },
  'client-id': { type: 'string' },
  endpoint: { type: 'string' },
  rules: { type: 'string' },
  'token-use': { type: 'string' },
  'cors-origin': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the command line asks for; anything not given comes from the stack or a default. */
export interface SmokeOptions {
  readonly stack?: string;
  readonly region?: string;
  readonly apiUrl?: string;
  readonly httpApiUrl?: string;
  readonly userPoolId?: string;
  readonly clientId?: string;
  readonly endpoint?: string;
  readonly rulesFile?: string;
  readonly tokenUse?: TokenUse;
  readonly corsOrigin?: string;
}

/** A stack name (CloudFormation: a letter, then letters, digits and hyphens, 128 at most) or a stack id (ARN). */
const STACK = /^(?:[A-Za-z][A-Za-z0-9-]{0,127}|arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]{0,127}\/[A-Za-z0-9-]+)$/;
const REGION = /^(?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d$/;
/** Cognito's app client id pattern. */
const CLIENT_ID = /^[\w+]{1,128}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether `url` may carry a token or a password: https anywhere, plain http to this machine only. */
export function isSafeTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/** An API base URL or an endpoint, without a trailing slash; throws UsageError naming the flag. */
export function readBaseUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} must be a URL like https://abc123defg.execute-api.us-east-1.amazonaws.com/prod (got "${text}")`);
  }
  if (!isSafeTransport(url)) {
    throw new UsageError(`${flag} must be https (plain http only to 127.0.0.1, localhost or [::1]: tokens and passwords cross it); got "${text}"`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`${flag} must be a base URL without a query, a fragment or credentials (got "${text}")`);
  }
  return url.href.replace(/\/+$/, '');
}

function checked(flag: string, value: string | undefined, pattern: RegExp, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new UsageError(`${flag} must be ${what} (got "${value}")`);
  return value;
}

function readTokenUse(value: string | undefined): TokenUse | undefined {
  if (value === undefined || value === 'access' || value === 'id') return value;
  throw new UsageError(`--token-use must be access or id (got "${value}")`);
}

function readCorsOrigin(value: string | undefined): string | undefined {
  if (value === undefined || value === '*') return value;
  return checked('--cors-origin', value, /^https?:\/\/[A-Za-z0-9.:-]+$/, '* or one origin like https://app.example.com');
}

/** Without --stack the flags must name everything a run needs. */
function requireFlagsWithoutStack(options: SmokeOptions): void {
  if (options.stack !== undefined) return;
  if (options.region !== undefined) throw new UsageError("--region goes with --stack (Cognito's region is the user pool id's)");
  const missing = [
    ...(options.apiUrl === undefined && options.httpApiUrl === undefined ? ['--api-url or --http-api-url'] : []),
    ...(options.userPoolId === undefined ? ['--user-pool-id'] : []),
    ...(options.clientId === undefined ? ['--client-id'] : []),
  ];
  if (missing.length > 0) throw new UsageError(`give --stack NAME, or ${missing.join(', ')} (missing)`);
}

/** The smoke's options, or 'help'. Throws UsageError. */
export function readSmokeOptions(argv: readonly string[]): SmokeOptions | 'help' {
  const values = readCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const url = (flag: string, text: string | undefined): string | undefined => (text === undefined ? undefined : readBaseUrl(flag, text));
  const options: SmokeOptions = {
    stack: checked('--stack', values.stack, STACK, 'a stack name (a letter, then letters, digits, hyphens) or a stack id'),
    region: checked('--region', values.region, REGION, 'a region like us-east-1'),
    apiUrl: url('--api-url', values['api-url']),
    httpApiUrl: url('--http-api-url', values['http-api-url']),
    userPoolId: checked('--user-pool-id', values['user-pool-id'], USER_POOL_ID, 'a user pool id like us-east-1_AbC123'),
    clientId: checked('--client-id', values['client-id'], CLIENT_ID, 'an app client id (letters, digits, _ and +)'),
    endpoint: url('--endpoint', values.endpoint),
    rulesFile: values.rules,
    tokenUse: readTokenUse(values['token-use']),
    corsOrigin: readCorsOrigin(values['cors-origin']),
  };
  requireFlagsWithoutStack(options);
  return options;
}
