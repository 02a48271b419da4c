// `check`: the rules' schema (JSON paths), coverage of an API both ways, rules no request reaches,
// callers whose policy would exceed the size budget, and whether the rules fit inline settings.
import { RulesError } from '../errors';
import { createPolicyBuilder } from '../policy';
import { estimatePolicyBytes, TYPICAL_PREFIX_LENGTH } from '../policy/render';
import type { CompiledRules, RoutingModel, RuleSet } from '../rules';
import { HTTP_METHODS } from '../rules/route';
import { parseRuleSet } from '../rules/schema';
import { safeJsonParse } from '../safe-json';
import { API_OPTION, COMMON_OPTIONS, RULES_OPTION, type Command, type ParsedArgs } from './args';
import type { ApiDefinition } from './api';
import { callerFor, distinguishedCallers, everyGrantCaller, type CallerInput } from './callers';
import { coverage, type Finding } from './coverage';
import { UsageError } from './errors';
import { loadRules, parseJsonText, readRulesSource, readTextFile, type LoadedRules, type RulesSource } from './input';
import { readOpenApi } from './openapi';
import { printJson, stylesFor, table, type Io } from './output';
import { governedMethods } from './samples';
import { parseTemplateText, parseYamlText, readTemplate } from './sam-template';

/** Lambda's limit on all of a function's environment variables together (keys and values). */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/**
 * What this check leaves for the authorizer's other variables: template.yaml sets seven others
 * (USER_POOL_IDS, CLIENT_IDS, TOKEN_USE, three POWERTOOLS_* and the endpoint override), about 250
 * bytes with one pool and two clients; 512 leaves room for a few more pools and clients.
 */
export const OTHER_VARIABLES_ALLOWANCE = 512;
/** The most a ROUTE_RULES value can take under that allowance, as Lambda measures it (see lambdaMeasure). */
export const ROUTE_RULES_LIMIT = LAMBDA_ENVIRONMENT_BYTES - OTHER_VARIABLES_ALLOWANCE - '"ROUTE_RULES":"",'.length;
/**
 * template.yaml's MaxLength for the RouteRules parameter: what fits beside the longest values of the
 * other parameters (tests/unit/template.test.ts holds the two together).
 */
export const PARAMETER_LIMIT = 1700;

/** Lambda measures its environment as the JSON of the variables: each `"` and `\` of a value counts twice. */
function lambdaMeasure(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

const OPTIONS = {
  ...RULES_OPTION,
  template: { kind: 'value', value: 'FILE', help: 'a SAM/CloudFormation template: its Api and HttpApi events and inline definitions' },
  openapi: { kind: 'value', value: 'FILE', help: 'an API Gateway export (REST get-export oas30, HTTP export-api OAS30), JSON or YAML' },
  ...API_OPTION,
  ...COMMON_OPTIONS,
} as const;

const DESCRIPTION = `Checks the rules with the authorizer's own parser and routing:
  - schema problems, with the JSON path (duplicate keys included);
  - coverage both ways against the API (--template or --openapi): a protected API route without a
    rule, a rule without a protected API route (compared by method and shape; ANY handled);
    unprotected routes (CORS preflight, Authorizer NONE, other authorizers) are listed, not failed;
  - rules no request can reach under the routing model (REST or HTTP, from the API or --api;
    without either, both are checked);
  - callers whose policy would exceed the size budget (they get a policy for the asked
    route only), for every caller "matrix" shows and the caller holding every grant;
  - whether the rules fit inline: ROUTE_RULES (Lambda allows ${LAMBDA_ENVIRONMENT_BYTES} bytes for all variables,
    counting each quote twice; ${OTHER_VARIABLES_ALLOWANCE} are left for the others) and template.yaml's RouteRules
    parameter (${PARAMETER_LIMIT} characters).

Exit status: 0 no problems, 1 problems found, 2 usage error.`;

/** Everything `check` found, as `--json` prints it (the contract's fields first). */
export interface CheckReport {
  readonly ok: boolean;
  readonly problems: readonly Finding[];
  readonly notes: readonly Finding[];
  readonly unprotected: readonly Finding[];
  readonly rules: string;
  readonly models: readonly RoutingModel[];
  readonly apis: readonly { readonly name: string; readonly kind: RoutingModel; readonly kindEvidence: string; readonly source: string; readonly routes: number; readonly protected: number }[];
}

/** The route text of `routes[i]`, when it is a string. */
function routeTextAt(routes: readonly unknown[], i: number): string | undefined {
  const raw = routes[i];
  const text = typeof raw === 'object' && raw !== null ? (raw as { route?: unknown }).route : undefined;
  return typeof text === 'string' ? text : undefined;
}

/**
 * Every schema problem: the first the product's parser finds, then each route's own (each route
 * validated alone) and the top level's (with the routes set aside), so one run shows them all.
 */
function schemaProblems(loaded: Extract<LoadedRules, { ok: false }>): Finding[] {
  const found = new Map<string, Finding>();
  let routes: readonly unknown[] = [];
  const add = (setting: string, message: string): void => {
    const index = /^routes\[(\d+)\]/.exec(setting);
    const route = index === null ? undefined : routeTextAt(routes, Number(index[1]));
    const finding = { kind: 'schema', ...(route === undefined ? {} : { route }), message: `${setting}: ${message}` };
    if (!found.has(finding.message)) found.set(finding.message, finding);
  };
  const tryParse = (doc: unknown, remap: (setting: string) => string): void => {
    try {
      parseRuleSet(doc);
    } catch (err) {
      if (err instanceof RulesError) add(remap(err.setting), err.message.slice(err.setting.length + 2));
    }
  };
  let doc: unknown;
  try {
    doc = JSON.parse(loaded.source.text);
  } catch {
    doc = undefined;
  }
  const raw = typeof doc === 'object' && doc !== null ? (doc as { routes?: unknown }).routes : undefined;
  if (Array.isArray(raw)) routes = raw;
  add(loaded.problem.setting, loaded.problem.message);
  routes.forEach((route, i) => tryParse({ routes: [route] }, (setting) => setting.replace(/^routes\[0\]/, `routes[${i}]`)));
  if (routes.length > 0) tryParse({ ...(doc as object), routes: [{ route: 'GET /', allow: [] }] }, (setting) => setting);
  return [...found.values()];
}

/** Rules no request reaches under a routing model. */
function unreachableRules(rules: CompiledRules, model: RoutingModel, both: boolean): Finding[] {
  const suffix = both ? ` under ${model === 'rest' ? 'REST' : 'HTTP'} routing` : '';
  return rules.routes.flatMap((rule): Finding[] => {
    if (governedMethods(rules, model, rule).length > 0) return [];
    const why =
      rule.template.method === 'ANY' && HTTP_METHODS.length === rules.routes.filter((r) => r.template.shape === rule.template.shape && r.template.method !== 'ANY').length
        ? 'every method has its own rule on this path, so this ANY never governs a request'
        : model === 'rest'
          ? 'more specific resources of the rules take every request it matches, and lack its method (REST picks the resource first)'
          : 'more specific routes of the rules take every request it matches';
    return [{ kind: 'never-governs', route: rule.route, message: `routes[${rule.index}]: ${why}${suffix}` }];
  });
}

/** The callers the size check looks at: every one `matrix` shows, and the one holding every grant. */
function sizeCallers(rules: CompiledRules, ruleSet: RuleSet): { label: string; description: string; input: CallerInput }[] {
  return [
    ...distinguishedCallers(rules, ruleSet),
    { label: 'every-grant', description: 'holds every grant the rules name', input: everyGrantCaller(rules) },
  ];
}

/** Callers whose policy would be over the budget; and a note with the largest. */
function policySizes(rules: CompiledRules, ruleSet: RuleSet, model: RoutingModel, both: boolean): { problems: Finding[]; notes: Finding[] } {
  const policies = createPolicyBuilder(rules);
  const sized = sizeCallers(rules, ruleSet).map((c) => {
    const plan = policies.plan(model, rules.entitlements(rules.signature(callerFor(c.input))));
    return { ...c, bytes: estimatePolicyBytes(TYPICAL_PREFIX_LENGTH, plan.allow.length + plan.deny.length, plan.patternChars) };
  });
  const suffix = both ? ` (${model === 'rest' ? 'REST' : 'HTTP'} routing)` : '';
  const budget = policies.budgetBytes;
  const problems = sized
    .filter((c) => c.bytes > budget)
    .map((c) => ({
      kind: 'policy-size',
      message:
        `caller "${c.label}" (${c.description}): its policy would be about ${c.bytes} bytes, over the ${budget}-byte budget${suffix}, ` +
        'so the authorizer answers it for the asked request only and cached answers deny its other routes: key the authorizer cache per route ' +
        '(REST: a REQUEST authorizer with context.httpMethod and context.resourcePath as identity sources; HTTP: add $context.routeKey) or set the TTL to 0',
    }));
  const largest = sized.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const notes = [
    {
      kind: 'policy-size',
      message: `largest policy${suffix}: caller "${largest.label}", about ${largest.bytes} of ${budget} bytes (${sized.length} callers, ARN prefix of ${TYPICAL_PREFIX_LENGTH} characters)`,
    },
  ];
  return { problems, notes };
}

/** Whether the rules fit ROUTE_RULES and the RouteRules parameter: a problem when they are set inline and do not. */
function inlineSize(source: RulesSource, doc: unknown): { problems: Finding[]; notes: Finding[] } {
  const text = source.origin === 'env' ? source.text : JSON.stringify(doc);
  const bytes = lambdaMeasure(text);
  const how = source.origin === 'env' ? 'as set' : 'minified';
  const fitsLambda = bytes <= ROUTE_RULES_LIMIT;
  const fitsParameter = text.length <= PARAMETER_LIMIT;
  const limits =
    `ROUTE_RULES up to about ${ROUTE_RULES_LIMIT} bytes as Lambda counts them, quotes twice (${LAMBDA_ENVIRONMENT_BYTES} for all ` +
    `variables, ${OTHER_VARIABLES_ALLOWANCE} assumed for the others); template.yaml's RouteRules parameter up to ${PARAMETER_LIMIT} characters`;
  const size = `the rules take ${text.length} characters ${how}, ${bytes} bytes as Lambda counts them`;
  if (fitsLambda && fitsParameter) return { problems: [], notes: [{ kind: 'inline-size', message: `${size}: they fit inline (${limits})` }] };
  const message = `${size}: too large for ${fitsLambda ? 'the RouteRules parameter' : fitsParameter ? 'ROUTE_RULES' : 'ROUTE_RULES and the RouteRules parameter'} (${limits}); keep them in config/rules.json, which is bundled with the function`;
  return source.origin === 'env' ? { problems: [{ kind: 'inline-size', message }], notes: [] } : { problems: [], notes: [{ kind: 'inline-size', message }] };
}

/** Where the rules read claims that access tokens lack: custom attributes, in bindings and claim grants. */
function tokenUseNotes(rules: CompiledRules): Finding[] {
  const places = new Map<string, string[]>();
  const add = (claim: string, where: string): void => {
    if (claim.startsWith('custom:')) places.set(claim, [...(places.get(claim) ?? []), where]);
  };
  for (const rule of rules.routes) {
    for (const b of rule.bind) add(b.claim, `routes[${rule.index}].bind.${b.param}`);
    for (const g of [...rule.allow, ...rule.deny]) if (g.kind === 'claim') add(g.name, `routes[${rule.index}]`);
  }
  return [...places].map(([claim, where]) => ({
    kind: 'token-use',
    message:
      `${claim} (${[...new Set(where)].join(', ')}): Cognito puts custom attributes in ID tokens; with TOKEN_USE=access ` +
      '(the default) these grant nothing unless a pre token generation trigger (V2) adds the claim to access tokens',
  }));
}

/** Reads the API the options name, if any. */
function readApis(args: ParsedArgs, io: Io): { apis: ApiDefinition[]; source: string } | undefined {
  const template = args.value('template');
  const openapi = args.value('openapi');
  if (template !== undefined && openapi !== undefined) throw new UsageError('check: give --template or --openapi, not both');
  const forced = args.value('api') as RoutingModel | undefined;
  if (openapi !== undefined) {
    const text = readTextFile(openapi, io, 'OpenAPI export');
    const doc = text.trimStart().startsWith('{') ? safeParse(text, openapi) : parseYamlText(text, openapi);
    return { apis: [readOpenApi(doc, openapi, forced === undefined ? {} : { kind: forced })], source: openapi };
  }
  if (template !== undefined) {
    const apis = readTemplate(parseTemplateText(readTextFile(template, io, 'template'), template));
    if (apis.length === 0) throw new UsageError(`check: ${template} has no API routes (no Api or HttpApi events, no inline definitions)`);
    return { apis: forced === undefined ? apis : apis.map((a) => (a.kind === forced ? a : { ...a, kind: forced, kindEvidence: `--api ${forced} (the template declares ${a.kindEvidence})` })), source: template };
  }
  return undefined;
}

/** JSON with duplicate keys refused (an export with them would be ambiguous). */
function safeParse(text: string, label: string): unknown {
  parseJsonText(text, label);
  try {
    return safeJsonParse(text);
  } catch (err) {
    throw new UsageError(`${label}: ${(err as Error).message}`);
  }
}

/** Runs every check (no printing). */
export function runChecks(args: ParsedArgs, io: Io): CheckReport {
  const loaded = loadRules(readRulesSource(args.value('rules'), io));
  const api = readApis(args, io);
  const forced = args.value('api') as RoutingModel | undefined;
  const models: RoutingModel[] = api !== undefined ? [...new Set(api.apis.map((a) => a.kind))] : forced !== undefined ? [forced] : ['rest', 'http'];
  const apis = (api?.apis ?? []).map((a) => ({
    name: a.name,
    kind: a.kind,
    kindEvidence: a.kindEvidence,
    source: api?.source ?? '',
    routes: a.routes.length,
    protected: a.routes.filter((r) => r.protection.kind === 'lambda').length,
  }));
  const base = { rules: loaded.source.label, models, apis };
  if (!loaded.ok) {
    return { ok: false, problems: schemaProblems(loaded), notes: [{ kind: 'skipped', message: 'coverage, reachability and sizes need valid rules: fix the schema problems first' }], unprotected: [], ...base };
  }
  const problems: Finding[] = [];
  const notes: Finding[] = [];
  const unprotected: Finding[] = [];
  for (const a of api?.apis ?? []) {
    const report = coverage(loaded.rules, a);
    problems.push(...report.problems);
    notes.push(...report.notes);
    unprotected.push(...report.unprotected);
  }
  if (api === undefined) notes.push({ kind: 'coverage', message: 'no API given: coverage not checked (pass --template or --openapi)' });
  const both = models.length > 1;
  for (const model of models) {
    problems.push(...unreachableRules(loaded.rules, model, both));
    const sizes = policySizes(loaded.rules, loaded.ruleSet, model, both);
    problems.push(...sizes.problems);
    notes.push(...sizes.notes);
  }
  notes.push(...tokenUseNotes(loaded.rules));
  const inline = inlineSize(loaded.source, loaded.doc);
  problems.push(...inline.problems);
  notes.push(...inline.notes);
  return { ok: problems.length === 0, problems, notes, unprotected, ...base };
}

/** Prints a check report for a terminal. */
function printReport(r: CheckReport, io: Io): void {
  const s = stylesFor(io);
  io.out(`${s.bold('rules')}  ${r.rules}`);
  for (const a of r.apis) io.out(`${s.bold('API')}    ${a.source}: ${a.name}, ${a.kindEvidence}; ${a.protected} of ${a.routes} routes guarded by a Lambda authorizer`);
  io.out(`${s.bold('model')}  ${r.models.map((m) => (m === 'rest' ? 'REST' : 'HTTP')).join(' and ')} routing`);
  const rows = (list: readonly Finding[]): string[] =>
    table(list.map((f) => (list.some((g) => g.route !== undefined) ? [f.kind, f.route ?? '', f.message] : [f.kind, f.message])));
  if (r.problems.length > 0) {
    io.out('');
    io.out(s.red(s.bold(`Problems (${r.problems.length})`)));
    io.out(rows(r.problems).join('\n'));
  }
  if (r.unprotected.length > 0) {
    io.out('');
    io.out(s.bold(`Routes the authorizer does not guard (${r.unprotected.length}; listed, not failures)`));
    io.out(rows(r.unprotected).join('\n'));
  }
  if (r.notes.length > 0) {
    io.out('');
    io.out(s.bold('Notes'));
    io.out(rows(r.notes).join('\n'));
  }
  io.out('');
  io.out(r.ok ? s.green('OK: no problems found') : s.red(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found`));
}

/** The `check` command. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'schema, coverage of the API both ways, unreachable rules, policy and inline sizes',
  usage: 'cognito-route-authorizer check [--rules FILE] [--template template.yaml | --openapi EXPORT.json] [--api rest|http] [--json]',
  description: DESCRIPTION,
  options: OPTIONS,
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`check: unexpected argument "${args.positionals[0] as string}" (files go after --rules, --template or --openapi)`);
    const report = runChecks(args, io);
    if (args.flag('json')) printJson(io, report);
    else printReport(report, io);
    return report.ok ? 0 : 1;
  },
};
