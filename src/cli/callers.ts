// Callers as the tool imagines them: Cognito-shaped claims for a token use, read by the product's
// own toCaller, and the callers a rule set tells apart (one per grant, the most-granting, its denials).
import { toCaller, type Caller } from '../caller';
import type { CompiledRules, Grant, RuleSet } from '../rules';

/** Which Cognito token the authorizer accepts (TOKEN_USE). */
export type TokenUse = 'access' | 'id';

/** What a caller is said to have, before it becomes a token's claims. */
export interface CallerInput {
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  /** Extra claims (`--claim name=value`); they win over the defaults, `sub` included. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly tokenUse: TokenUse;
}

/** The `sub` of an imagined caller unless `--claim sub=…` says otherwise (Cognito subs are UUIDs). */
export const SAMPLE_SUB = '7d9f3a2e-5b1c-4e8a-9f60-2c4b8d1e3a57';
/** An imagined app client id (26 characters, like Cognito's). */
export const SAMPLE_CLIENT_ID = '1example23456789client0abc';
const SAMPLE_POOL = 'us-east-1_Example01';

/**
 * Claims shaped like a verified Cognito token of that use. Access tokens carry `scope`,
 * `client_id` and `username`; ID tokens carry `aud`, `cognito:username` and the user's attributes
 * (`custom:*`) but no `scope`. Groups are `cognito:groups` in both.
 */
export function tokenClaims(input: CallerInput, now: number = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: SAMPLE_SUB,
    iss: `https://cognito-idp.us-east-1.amazonaws.com/${SAMPLE_POOL}`,
    token_use: input.tokenUse,
    auth_time: now,
    iat: now,
    exp: now + 3600,
  };
  if (input.groups.length > 0) claims['cognito:groups'] = [...input.groups];
  if (input.tokenUse === 'access') {
    claims['client_id'] = SAMPLE_CLIENT_ID;
    claims['username'] = 'example-user';
    if (input.scopes.length > 0) claims['scope'] = input.scopes.join(' ');
  } else {
    claims['aud'] = SAMPLE_CLIENT_ID;
    claims['cognito:username'] = 'example-user';
  }
  return { ...claims, ...input.claims };
}

/** The caller the authorizer would see for such a token: the product's toCaller on tokenClaims. */
export function callerFor(input: CallerInput): Caller {
  return toCaller(tokenClaims(input));
}

/** A grant as written in rules: `group:admins`, `scope:pets/read`, `claim:custom:plan=pro`, `authenticated`. */
export function grantText(grant: Grant): string {
  switch (grant.kind) {
    case 'authenticated':
      return 'authenticated';
    case 'claim':
      return `claim:${grant.name}=${grant.value}`;
    default:
      return `${grant.kind}:${grant.name}`;
  }
}

/** One caller a matrix column stands for. */
export interface DistinguishedCaller {
  /** Short column label: `g:readers`, `s:pets/read`, `c:custom:plan=pro`, `auth`, `most`, `most+g:suspended`. */
  readonly label: string;
  /** What the caller holds, in words. */
  readonly description: string;
  readonly input: CallerInput;
}

/** A short label for a grant: `g:`, `s:` or `c:` and its name. */
function grantLabel(grant: Grant): string {
  return grantText(grant).replace(/^group:/, 'g:').replace(/^scope:/, 's:').replace(/^claim:/, 'c:');
}

/** A sample value for a bound claim that a policy can name (`sub` gets the sample UUID). */
export function sampleBoundValue(claim: string): string {
  return claim === 'sub' ? SAMPLE_SUB : `own-${claim.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

/** Every grant that appears in a deny list, top-level or per route, once each. */
export function denyGrants(ruleSet: RuleSet): Grant[] {
  const byText = new Map<string, Grant>();
  for (const g of [...ruleSet.deny, ...ruleSet.routes.flatMap((r) => r.deny)]) {
    if (g.kind !== 'authenticated' && !byText.has(grantText(g))) byText.set(grantText(g), g);
  }
  return [...byText.values()];
}

/**
 * A caller input holding exactly these grants, with every bound claim at a sample value. Several
 * values of one claim become an array of strings (claim grants accept those).
 */
function holding(grants: readonly Grant[], rules: CompiledRules, tokenUse: TokenUse): CallerInput {
  const claims: Record<string, unknown> = {};
  for (const claim of rules.boundClaims) claims[claim] = sampleBoundValue(claim);
  const values = new Map<string, string[]>();
  for (const g of grants) if (g.kind === 'claim') values.set(g.name, [...(values.get(g.name) ?? []), g.value]);
  for (const [name, list] of values) claims[name] = list.length === 1 ? list[0] : list;
  const names = (kind: 'group' | 'scope'): string[] =>
    grants.flatMap((g) => (g.kind === kind ? [g.name] : []));
  return { groups: names('group'), scopes: names('scope'), claims, tokenUse };
}

/**
 * The callers a rule set tells apart: `auth` (a verified caller with none of the grants), one per
 * group, scope and claim grant, `most` (every grant that no deny list names), and `most` plus each
 * grant a deny list names. Every one has every bound claim at its own sample value. ID tokens
 * carry no scopes, so with `tokenUse: 'id'` scope callers are left out.
 */
export function distinguishedCallers(rules: CompiledRules, ruleSet: RuleSet, tokenUse: TokenUse = 'access'): DistinguishedCaller[] {
  const denied = denyGrants(ruleSet);
  const deniedText = new Set(denied.map(grantText));
  const usable = (g: Grant): boolean => tokenUse === 'access' || g.kind !== 'scope';
  const atoms = rules.atoms.filter(usable);
  const most = atoms.filter((g) => !deniedText.has(grantText(g)));
  const callers: DistinguishedCaller[] = [
    { label: 'auth', description: 'a verified caller with none of the grants below (authenticated only)', input: holding([], rules, tokenUse) },
    ...atoms.map((g) => ({ label: grantLabel(g), description: `holds only ${grantText(g)}`, input: holding([g], rules, tokenUse) })),
  ];
  if (most.length > 1 || denied.length > 0) {
    callers.push({
      label: 'most',
      description: `holds every grant no deny list names: ${most.map(grantText).join(', ') || '(none)'}`,
      input: holding(most, rules, tokenUse),
    });
  }
  for (const d of denied.filter(usable)) {
    callers.push({
      label: `most+${grantLabel(d)}`,
      description: `"most" and also ${grantText(d)} (named in a deny list)`,
      input: holding([...most, d], rules, tokenUse),
    });
  }
  return callers;
}

/** The caller holding every grant the rules name (deny-list grants included), for size checks. */
export function everyGrantCaller(rules: CompiledRules, tokenUse: TokenUse = 'access'): CallerInput {
  return holding(rules.atoms, rules, tokenUse);
}
