// One smoke run: set up the demo users, run each API's check table in order, and delete the users whatever happens.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { planChecks, type CallerFacts, type Credential, type PlannedCheck } from './checks';
import { Interrupted, SetupFailed } from './errors';
import { requestOrigin, send } from './http';
import { judge, type Observation } from './judge';
import { API_LABEL, checkLine, type Report } from './report';
import type { ApiTarget, Target } from './target';
import { tamper } from './tokens';
import {
  DemoUsers,
  newRunId,
  poolHasTenantAttribute,
  ROLE_NAMES,
  ROLES,
  SetupError,
  tenantOf,
  usernameOf,
  type DemoUser,
  type Role,
} from './users';

export interface RunDeps {
  readonly cognito: CognitoIdentityProviderClient;
  readonly report: Report;
  /** Aborted on SIGINT/SIGTERM: the run stops between requests, then cleans up. */
  readonly signal: AbortSignal;
  readonly runId?: string;
}

/** How long deleting the users may take once the run is over (or interrupted). */
const CLEANUP_TIMEOUT_MS = 20_000;

function printHeader(report: Report, target: Target, runId: string): void {
  const ttl = target.ttlSeconds === undefined ? '' : `; authorizer cache TTL ${target.ttlSeconds} s`;
  report.line(`smoke: ${target.from}, run ${runId}`);
  for (const api of target.apis) report.line(`  ${API_LABEL[api.kind]} API   ${api.url}`);
  report.line(`  user pool  ${target.userPoolId}, app client ${target.clientId}, ${target.tokenUse} tokens${target.endpoint === undefined ? '' : `, endpoint ${target.endpoint}`}`);
  report.line(`  rules      ${target.rules.label} (${target.rules.doc.routes.length} routes); CORS origin ${target.corsOrigin}${ttl}`);
  report.line(`  users      ${usernameOf(runId, 'admin')}, -reader, -nogroups, -suspended (deleted at the end)`);
}

/** Whether to set custom:tenant_id, with a note when the pool does not (or may not) say. */
async function tenantsWanted(deps: RunDeps, target: Target): Promise<boolean> {
  const has = await poolHasTenantAttribute(deps.cognito, target.userPoolId, deps.signal);
  if (has === 'unknown') deps.report.mark('note', 'cognito-idp:DescribeUserPool is not allowed: custom:tenant_id is not set, the tenant route is not checked');
  else if (!has) deps.report.mark('note', 'the user pool has no custom:tenant_id attribute: the tenant route is not checked');
  return has === true;
}

function setupLine(user: DemoUser): string {
  const groups = user.groups.length === 0 ? 'no group' : user.groups.join(' + ');
  return `setup      ${user.username} (${groups}${user.tenant === undefined ? '' : `; tenant ${user.tenant}`}): created, signed in`;
}

/** Creates and signs in the four users (in parallel, every call settled before going on); a line each. */
async function setUpUsers(users: DemoUsers, target: Target, runId: string, deps: RunDeps): Promise<Map<Role, DemoUser>> {
  const withTenants = await tenantsWanted(deps, target);
  const settled = await Promise.allSettled(
    ROLE_NAMES.map((role) => users.setUp({ role, username: usernameOf(runId, role), ...(withTenants ? { tenant: tenantOf(runId, ROLES[role].tenant) } : {}) }, deps.signal)),
  );
  if (deps.signal.aborted) throw new Interrupted();
  const byRole = new Map<Role, DemoUser>();
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') {
      byRole.set(outcome.value.role, outcome.value);
      deps.report.mark('pass', setupLine(outcome.value));
    } else {
      reportSetupError(deps.report, outcome.reason);
    }
  }
  if (byRole.size < ROLE_NAMES.length) throw new SetupFailed();
  return byRole;
}

/** A setup failure's line: exit 2 when the runner's setup is at fault (permissions, credentials, no such pool or group). */
function reportSetupError(report: Report, err: unknown): void {
  if (err instanceof Interrupted) return;
  const failure = err instanceof SetupError ? err : new SetupError(String(err), err);
  if (failure.runnerProblem) report.cannotRunBecause(`setup      ${failure.message}`);
  else report.mark('fail', `setup      ${failure.message}`);
}

/** The Authorization header of `credential`, or undefined for none. */
function authorizationFor(credential: Credential, byRole: ReadonlyMap<Role, DemoUser>, target: Target, report: Report): string | undefined {
  if (credential.kind === 'none') return undefined;
  if (credential.kind === 'malformed') return 'Bearer not-a-jwt';
  const tokens = (byRole.get(credential.role) as DemoUser).tokens;
  const own = target.tokenUse === 'access' ? tokens.access : tokens.id;
  if (credential.kind === 'token') return `Bearer ${own}`;
  if (credential.kind === 'other-use') return `Bearer ${target.tokenUse === 'access' ? tokens.id : tokens.access}`;
  const forged = tamper(own);
  report.hide(forged);
  return `Bearer ${forged}`;
}

/** What one API's checks share: the target, the run's dependencies, the signed-in users, the notes gathered. */
interface ApiRun {
  readonly api: ApiTarget;
  readonly target: Target;
  readonly deps: RunDeps;
  readonly byRole: ReadonlyMap<Role, DemoUser>;
  readonly notes: Map<string, Observation>;
}

const callerFacts = (user: DemoUser): CallerFacts => ({
  role: user.role,
  sub: user.sub,
  username: user.username,
  groups: user.groups,
  ...(user.tenant === undefined ? {} : { tenant: user.tenant }),
});

/** Runs one check; false when the API gave no answer at all. */
async function runCheck(check: PlannedCheck, run: ApiRun): Promise<boolean> {
  const { api, target, deps } = run;
  if (deps.signal.aborted) throw new Interrupted();
  const authorization = authorizationFor(check.credential, run.byRole, target, deps.report);
  const answer = await send(api.url, check.probe, authorization, requestOrigin(target.corsOrigin), deps.signal);
  if (deps.signal.aborted) throw new Interrupted();
  if ('problem' in answer) {
    deps.report.mark('fail', checkLine(check, [answer.problem]));
    return false;
  }
  const verdict = judge(check.expect, answer, { api: api.kind, corsOrigin: target.corsOrigin });
  deps.report.mark(verdict.problems.length === 0 ? 'pass' : 'fail', checkLine(check, verdict.problems));
  for (const o of verdict.observations) if (!run.notes.has(o.key)) run.notes.set(o.key, o);
  return true;
}

/** One API's checks, in the table's order; when its first check gets no answer, the others are skipped. */
async function runApi(api: ApiTarget, byRole: ReadonlyMap<Role, DemoUser>, target: Target, deps: RunDeps): Promise<void> {
  const { report } = deps;
  const label = API_LABEL[api.kind];
  const callers = ROLE_NAMES.map((role) => callerFacts(byRole.get(role) as DemoUser));
  const table = planChecks({ api: api.kind, rules: target.rules.doc, rulesLabel: target.rules.label, tokenUse: target.tokenUse, clientId: target.clientId, callers });
  report.line('');
  report.line(`${label} API ${api.url}`);
  if (api.kind === 'http') report.mark('note', 'HTTP API: 401 for a token the authorizer refuses (it throws Unauthorized) is documented for REST only; the 401 checks below settle it here');
  for (const s of table.skipped) report.mark('skip', `${label} ${s.what}: ${s.why}`);
  const run: ApiRun = { api, target, deps, byRole, notes: new Map() };
  for (const [i, check] of table.checks.entries()) {
    const answered = await runCheck(check, run);
    if (!answered && check.reachability === true) {
      const rest = table.checks.length - i - 1;
      report.mark('skip', `${label} the other ${rest} checks: the API did not answer`, rest);
      return;
    }
  }
  for (const note of run.notes.values()) report.mark('note', note.text);
}

/** Deletes every user that may exist; a line saying so, or how to delete what is left by hand. */
async function cleanUp(users: DemoUsers, target: Target, report: Report): Promise<void> {
  if (users.names.length === 0) return;
  const done = await users.deleteAll(AbortSignal.timeout(CLEANUP_TIMEOUT_MS));
  report.line('');
  if (done.deleted.length > 0) report.mark('pass', `cleanup    deleted ${done.deleted.length} demo user${done.deleted.length === 1 ? '' : 's'} (${done.deleted.join(', ')})`);
  for (const f of done.failed) {
    report.mark('fail', `cleanup    could not delete ${f.username}: ${f.problem}; delete it with: aws cognito-idp admin-delete-user --region ${target.region} --user-pool-id ${target.userPoolId} --username ${f.username}`);
  }
}

/**
 * The run: the header, the users, each API's checks, and the clean-up in a finally (after a failed
 * step and after an interruption too). Throws Interrupted when the run was interrupted.
 */
export async function runSmoke(target: Target, deps: RunDeps): Promise<void> {
  const runId = deps.runId ?? newRunId();
  const { report } = deps;
  printHeader(report, target, runId);
  if (target.ttlSeconds === 0) report.mark('note', "the authorizer cache's TTL is 0: the 'within the TTL' checks test fresh answers, not cached ones");
  const users = new DemoUsers(deps.cognito, target.userPoolId, target.clientId, (secret) => report.hide(secret));
  try {
    report.line('');
    const byRole = await setUpUsers(users, target, runId, deps);
    for (const api of target.apis) await runApi(api, byRole, target, deps);
  } catch (err) {
    if (err instanceof SetupError) reportSetupError(report, err);
    else if (!(err instanceof SetupFailed)) throw err;
  } finally {
    await cleanUp(users, target, report);
  }
}
