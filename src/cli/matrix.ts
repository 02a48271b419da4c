// `matrix`: the callers a rule set tells apart × its routes, allow or deny per cell, read from the
// product's own signature and entitlements; columns abbreviated, with a legend, to fit a terminal.
import type { CompiledRules, RoutingModel, RuleSet } from '../rules';
import { API_OPTION, COMMON_OPTIONS, RULES_OPTION, type Command } from './args';
import { UsageError } from './errors';
import { callerFor, distinguishedCallers, type CallerInput, type DistinguishedCaller, type TokenUse } from './callers';
import { loadRules, readRulesSource, requireRules } from './input';
import { printJson, stylesFor, table, truncate, visibleWidth, wrap, type Io } from './output';
import { governedRequest } from './samples';

/** One cell: allowed, denied, allowed for the caller's own bound value only, or a route no request reaches. */
export type Cell = 'allow' | 'deny' | 'own' | 'never';

/** One row: a route and its cell per caller label. */
export interface MatrixRow {
  readonly route: string;
  readonly index: number;
  readonly cells: Readonly<Record<string, Cell>>;
}

/** The whole matrix, as `--json` prints it. */
export interface Matrix {
  readonly api: RoutingModel;
  readonly rules: string;
  readonly tokenUse: TokenUse;
  readonly callers: readonly { readonly label: string; readonly description: string; readonly caller: CallerInput }[];
  readonly routes: readonly MatrixRow[];
}

const OPTIONS = {
  ...RULES_OPTION,
  ...API_OPTION,
  'token-use': { kind: 'value', value: 'access|id', choices: ['access', 'id'], help: 'which Cognito token the authorizer accepts (id: no scope callers)' },
  width: { kind: 'value', value: 'COLUMNS', help: 'the table width (default: the terminal, between 80 and 120; else 100)' },
  ...COMMON_OPTIONS,
} as const;

const DESCRIPTION = `Tabulates who may use which route: one column per caller the rules tell apart (auth: a
verified caller with no grant; each group, scope and claim grant alone; most: every grant that no
deny list names; most plus each grant a deny list names), one row per route.

Cells: yes = allowed; - = denied; own = allowed only where the path names the caller's own value
of the bound claim (every column's caller has every bound claim); n/a = no request reaches the
route under this routing model (see check). --api rest (default) or http picks the routing model.

Exit status: 0 printed, 1 invalid rules, 2 usage error.`;

const SYMBOL: Readonly<Record<Cell, string>> = { allow: 'yes', deny: '-', own: 'own', never: 'n/a' };
const MAX_LABEL = 18;
const MAX_ROUTE = 44;

/** The cell of each route for one caller, from the product's signature and entitlements. */
function cellsFor(rules: CompiledRules, caller: DistinguishedCaller, reachable: readonly boolean[]): Cell[] {
  const entitlements = rules.entitlements(rules.signature(callerFor(caller.input)));
  return rules.routes.map((route, i) => {
    if (reachable[i] !== true) return 'never';
    if (!(entitlements[i]?.granted ?? false)) return 'deny';
    return route.bind.length > 0 ? 'own' : 'allow';
  });
}

/** Computes the matrix (no printing). */
export function computeMatrix(rules: CompiledRules, ruleSet: RuleSet, model: RoutingModel, tokenUse: TokenUse, label: string): Matrix {
  const callers = distinguishedCallers(rules, ruleSet, tokenUse);
  const reachable = rules.routes.map((route) => governedRequest(rules, model, route) !== undefined);
  const columns = callers.map((c) => cellsFor(rules, c, reachable));
  return {
    api: model,
    rules: label,
    tokenUse,
    callers: callers.map((c) => ({ label: c.label, description: c.description, caller: c.input })),
    routes: rules.routes.map((route, i) => ({
      route: route.route,
      index: route.index,
      cells: Object.fromEntries(callers.map((c, j) => [c.label, (columns[j] as Cell[])[i] as Cell])),
    })),
  };
}

/** The width to fit: --width, else the terminal's (80–120), else 100. */
function widthOf(given: string | undefined): number {
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 40) throw new UsageError(`matrix: --width must be a whole number of columns, at least 40 (got "${given}")`);
    return n;
  }
  const columns = process.stdout.isTTY === true ? process.stdout.columns : undefined;
  return columns === undefined ? 100 : Math.min(120, Math.max(80, columns));
}

/** Caller columns split into groups that fit the width beside the route column. */
function columnGroups(labels: readonly string[], routeWidth: number, width: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let used = 2 + routeWidth;
  for (const label of labels) {
    const w = 2 + Math.max(3, visibleWidth(truncate(label, MAX_LABEL)));
    if (current.length > 0 && used + w > width) {
      groups.push(current);
      current = [];
      used = 2 + routeWidth;
    }
    current.push(label);
    used += w;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Prints the matrix for a terminal: tables that fit the width, then the legend. */
function printMatrix(m: Matrix, io: Io, width: number): void {
  const s = stylesFor(io);
  const paint = (cell: Cell): string => {
    const text = SYMBOL[cell];
    return cell === 'allow' || cell === 'own' ? s.green(text) : s.dim(text);
  };
  const routeWidth = Math.min(MAX_ROUTE, Math.max(...m.routes.map((r) => r.route.length)));
  const say = (text: string, hang = ''): void => io.out(wrap(text, width, hang).join('\n'));
  say(`Who may use which route (${m.api === 'rest' ? 'REST' : 'HTTP'} routing, ${m.tokenUse} tokens, rules: ${m.rules})`);
  for (const group of columnGroups(m.callers.map((c) => c.label), routeWidth, width)) {
    io.out('');
    const header = ['ROUTE', ...group.map((label) => truncate(label, MAX_LABEL))];
    const rows = m.routes.map((r) => [truncate(r.route, routeWidth), ...group.map((label) => paint(r.cells[label] as Cell))]);
    io.out(table([header.map((h) => s.bold(h)), ...rows]).join('\n'));
  }
  io.out('');
  io.out('Callers:');
  const labelWidth = Math.max(...m.callers.map((c) => c.label.length));
  for (const c of m.callers) say(`  ${c.label.padEnd(labelWidth)}  ${c.description}`, ' '.repeat(labelWidth + 4));
  io.out('');
  say("yes allowed; - denied; own allowed for the caller's own bound value only; n/a no request reaches the route.");
  if (m.routes.some((r) => Object.values(r.cells).includes('own'))) {
    say('Bound routes assume the caller has the bound claim; custom:* claims are in ID tokens (in access tokens only when a pre token generation trigger adds them).');
  }
}

/** The `matrix` command. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'callers the rules tell apart × routes, allow or deny per cell',
  usage: 'cognito-route-authorizer matrix [--rules FILE] [--api rest|http] [--token-use access|id] [--width COLUMNS] [--json]',
  description: DESCRIPTION,
  options: OPTIONS,
  run(args, io) {
    const { rules, ruleSet, source } = requireRules(loadRules(readRulesSource(args.value('rules'), io)));
    const model = (args.value('api') ?? 'rest') as RoutingModel;
    const m = computeMatrix(rules, ruleSet, model, (args.value('token-use') ?? 'access') as TokenUse, source.label);
    if (args.flag('json')) printJson(io, m);
    else printMatrix(m, io, widthOf(args.value('width')));
    return 0;
  },
};
