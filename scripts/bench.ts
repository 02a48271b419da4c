// `npm run bench [-- --quick] [-- --strict] [-- --cache-effect]`: builds the authorizer as template.yaml deploys it,
// measures it against the non-functional targets (docs/performance.md, "Against the targets"), prints one table (each target with its
// value and PASS / AT LEAST / FAIL) and the cache effect, and writes both to .bench/results.json. A report: exits 0
// whatever the figures (1 on a FAIL with --strict), non-zero when the bench itself fails.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { authorizerEnv } from '../tests/helpers/issuer';
import { loadTemplate } from '../tests/helpers/template';
import { buildBenchBundles, type BenchBundles } from './lib/bench-build';
import { cacheEffectRows, DEFAULT_MIX, headline, perThousand, type CacheEffect } from './lib/bench-cache-effect';
import { runBenchChild } from './lib/bench-child';
import { coldStarts, requireAndExit, type ColdFigures, type ColdVariant } from './lib/bench-cold';
import { deploymentOf, type Deployment } from './lib/bench-deployed';
import { decisionOnly, thousandRouteFigures } from './lib/bench-rules';
import { exitCode, median, ratioOfRounds, spread, TARGETS, verdict, type Target, type Verdict } from './lib/bench-targets';
import { DOORS, type WarmArgs, type WarmReport } from './lib/bench-warm-report';
import { ROOT } from './lib/paths';

interface MemoryReport {
  tokens: number;
  beforeMB: number;
  settled: { tokens: number; heapMB: number };
  afterMB: number;
  rssMB: number;
}

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly result: Verdict | '';
}

const SIZES = {
  full: { rounds: 5, perRound: 1000, batchSize: 25, tracedRounds: 3, tracedPerRound: 500, coldRuns: 30, memoryTokens: 50000 },
  quick: { rounds: 2, perRound: 300, batchSize: 25, tracedRounds: 1, tracedPerRound: 200, coldRuns: 8, memoryTokens: 5000 },
} as const;
type Sizes = (typeof SIZES)[keyof typeof SIZES];

const started = performance.now();
const step = (what: string): void => void process.stderr.write(`bench: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const us = (v: number): string => `${v.toFixed(1)} µs`;
const ms = (v: number): string => `${v.toFixed(1)} ms`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
const signed = (v: number, unit: (n: number) => string): string => `${v < 0 ? '−' : '+'}${unit(Math.abs(v))}`;

/** Node's execArgv for children, from the deployment's NODE_OPTIONS (source maps change error paths, so they are kept). */
const nodeArgs = (d: Deployment): string[] => (d.nodeOptions ?? '').split(' ').filter((o) => o !== '');

/** The environment Lambda gives the function at init, with the X-Ray SDK on or off. */
function lambdaEnv(jwksEndpoint: string, tracer: boolean, nodeOptions: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    ...authorizerEnv(jwksEndpoint),
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: ROOT,
    POWERTOOLS_TRACE_ENABLED: tracer ? 'true' : 'false',
  };
  if (nodeOptions !== undefined) env['NODE_OPTIONS'] = nodeOptions;
  return env;
}

/** The name of a cold-start variant of the authorizer: source maps and the X-Ray SDK on or off. */
const variantName = (maps: boolean, xray: boolean): string => `authorizer, source maps ${maps ? 'on' : 'off'}, X-Ray SDK ${xray ? 'on' : 'off'}`;

/**
 * Cold starts: bare node; the authorizer with source maps on and off (each with the NODE_OPTIONS sam build sets for it)
 * and the X-Ray SDK on and off, the template's choice among them; the libraries alone. The JWKS endpoint is https on a
 * closed loopback port: the hydration a cold start begins (TLS included) is paid as in Lambda, and nothing leaves the machine.
 */
async function measureCold(bundles: BenchBundles, d: Deployment, runs: number): Promise<Record<string, ColdFigures>> {
  const endpoint = 'https://127.0.0.1:9';
  const base = { PATH: process.env['PATH'], NODE_ENV: 'production' };
  const withMaps = [d.nodeOptions?.replace('--enable-source-maps', '').trim(), '--enable-source-maps'].filter((o) => o !== undefined && o !== '').join(' ');
  const withoutMaps = d.nodeOptions?.replace('--enable-source-maps', '').trim() || undefined;
  const variants: ColdVariant[] = [{ name: 'bare node', code: '0', env: base }];
  for (const maps of [true, false]) {
    const bundle = maps === d.sourcemap ? bundles.deployed : bundles.otherSourcemap;
    for (const xray of [true, false]) {
      variants.push({ name: variantName(maps, xray), code: requireAndExit(bundle), env: lambdaEnv(endpoint, xray, maps ? withMaps : withoutMaps) });
    }
  }
  // The template's combination with the JWKS endpoint over plain http: what the hydration's TLS start costs.
  const template = variants.find((v) => v.name === variantName(d.sourcemap, d.tracerLoads)) as ColdVariant;
  variants.push({ ...template, name: 'template’s, JWKS over http', env: { ...template.env, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9' } });
  variants.push({ name: 'libraries', code: requireAndExit(bundles.libraries), env: base });
  variants.push({ name: 'libraries without Tracer', code: requireAndExit(bundles.librariesNoTracer), env: base });
  return coldStarts(variants, { runs, cwd: ROOT });
}

/** Medians over rounds of each task's mean µs per call. */
function medians(report: WarmReport): Record<string, number> {
  const names = Object.keys(report.rounds[0] ?? {});
  return Object.fromEntries(names.map((n) => [n, median(report.rounds.map((r) => r[n] as number))]));
}

/** Ratio of two tasks, taken within each round. */
const within = (report: WarmReport, task: string, yardstick: string): number =>
  ratioOfRounds(
    report.rounds.map((r) => r[task] as number),
    report.rounds.map((r) => r[yardstick] as number),
  );

/** How far apart the front doors are, per round, as the median over rounds. */
const doorSpread = (report: WarmReport): number => median(report.rounds.map((r) => spread(DOORS.map((door) => r[`repeated ${door}`] as number))));

interface Measured {
  readonly d: Deployment;
  readonly bundles: BenchBundles;
  readonly warm: WarmReport;
  readonly traced: WarmReport;
  readonly cold: Record<string, ColdFigures>;
  readonly decision: Awaited<ReturnType<typeof decisionOnly>>;
  readonly thousand: ReturnType<typeof thousandRouteFigures>;
  readonly memory: MemoryReport;
  readonly effects: CacheEffect[];
}

/** The target rows: what each target asks, with its verdict. */
function targetRows(m: Measured): Row[] {
  const t = (target: Target, value: string, measured: number): Row => ({ figure: target.name, value, target: target.label, result: verdict(measured, target) });
  const w = medians(m.warm);
  const tr = medians(m.traced);
  const newRatio = within(m.warm, 'new', 'library+line');
  const repeatedRatio = within(m.warm, 'repeated rest-token', 'floor');
  const added = (name: string): number => (m.cold[name]?.median ?? NaN) - (m.cold['bare node']?.median ?? NaN);
  const libs = m.d.tracerLoads ? 'libraries' : 'libraries without Tracer';
  const deployed = variantName(m.d.sourcemap, m.d.tracerLoads);
  const coldOver = added(deployed) - added(libs);
  const spreadNow = doorSpread(m.warm);
  const ours = m.effects.map((e) => perThousand(e.ours));
  return [
    t(TARGETS.newToken, `${x(newRatio)} (${us(w['new'] ?? NaN)} vs ${us(w['library+line'] ?? NaN)})`, newRatio),
    t(TARGETS.repeatedToken, `${x(repeatedRatio)} (${us(w['repeated rest-token'] ?? NaN)} vs floor ${us(w['floor'] ?? NaN)})`, repeatedRatio),
    t(TARGETS.coldStart, `${signed(coldOver, ms)} (${ms(added(deployed))} vs ${ms(added(libs))} over bare node)`, coldOver),
    {
      figure: 'traced request (X-Ray SDK on), extra over untraced',
      value: `new ${signed((tr['new'] ?? NaN) - (w['new'] ?? NaN), us)}, repeated ${signed((tr['repeated rest-token'] ?? NaN) - (w['repeated rest-token'] ?? NaN), us)}`,
      target: 'measured and reported',
      result: '',
    },
    t(TARGETS.bundle, kb(m.bundles.deployedBytes), m.bundles.deployedBytes),
    t(TARGETS.doors, `${(100 * spreadNow).toFixed(1)}% apart (${DOORS.map((door) => `${door} ${us(w[`repeated ${door}`] ?? NaN)}`).join(', ')})`, spreadNow),
    {
      figure: 'cache effect: this authorizer',
      value: `${Math.max(...ours.map((o) => o.invocations)).toFixed(1)} invocations / 1,000 requests, ${Math.max(...ours.map((o) => o.wrong))} wrong`,
      target: '0 wrong answers',
      result: ours.every((o) => o.wrong === 0) ? 'PASS' : 'FAIL',
    },
  ];
}

/** Everything else the bench measures: the yardsticks, the cold-start alternatives, rules, policies, memory. */
function detailRows(m: Measured): Row[] {
  const rows: Row[] = [];
  const row = (figure: string, value: string, target = '', result: Verdict | '' = ''): void => void rows.push({ figure, value, target, result });
  const check = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');
  const w = medians(m.warm);
  const tr = medians(m.traced);
  const added = (name: string): number => (m.cold[name]?.median ?? NaN) - (m.cold['bare node']?.median ?? NaN);
  row('floor: RS256 verify + decode (node:crypto)', us(w['floor'] ?? NaN));
  row('aws-jwt-verify verifySync (key cached)', `${us(w['library'] ?? NaN)} (${x(within(m.warm, 'library', 'floor'))} floor)`);
  row('verifySync + one line write, as a handler', `${us(w['library+line'] ?? NaN)} (line of ${m.warm.lineBytes} B)`);
  row('new token, X-Ray SDK on', `${us(tr['new'] ?? NaN)} (${x(within(m.traced, 'new', 'library+line'))} library + line)`);
  row('repeated token, X-Ray SDK on', `${us(tr['repeated rest-token'] ?? NaN)} (${x(within(m.traced, 'repeated rest-token', 'floor'))} floor)`);
  row('decision only (rules + policy, plan cached)', us(m.decision.mean));
  row('decision lines per request', m.warm.linesPerDecision.toFixed(2), '1', check(m.warm.linesPerDecision === 1));
  row('JWKS fetches on the warm path', String(m.warm.jwks.warmPath), '0', check(m.warm.jwks.warmPath === 0));
  row('cold start: bare node', ms(m.cold['bare node']?.median ?? NaN));
  for (const maps of [true, false]) {
    for (const xray of [true, false]) {
      const name = variantName(maps, xray);
      const libs = added(xray ? 'libraries' : 'libraries without Tracer');
      const mine = maps === m.d.sourcemap && xray === m.d.tracerLoads ? ' (the template’s)' : '';
      row(`cold start over bare: ${name}${mine}`, `${ms(added(name))} (${signed(added(name) - libs, ms)} over its libraries)`);
    }
  }
  const tls = added(variantName(m.d.sourcemap, m.d.tracerLoads)) - added('template’s, JWKS over http');
  row('  of which the JWKS hydration’s TLS start (https vs http endpoint)', ms(tls));
  row('cold start over bare: aws-jwt-verify + Logger + Tracer imported', ms(added('libraries')));
  row('cold start over bare: aws-jwt-verify + Logger imported', ms(added('libraries without Tracer')));
  row('1,000 routes: compile (first / median)', `${ms(m.thousand.compileFirstMs)} / ${ms(m.thousand.compileMedianMs)}`, '< 50 ms', check(m.thousand.compileFirstMs < 50));
  for (const c of m.thousand.callers) {
    row(`1,000 routes, granted ${c.name}: response`, `${c.bytes} B, ${c.statements} stmt / ${c.resources} res, ${c.mode}`, '≤ 8 KB', check(c.bytes <= 8192));
    row(`1,000 routes, granted ${c.name}: first decision`, ms(c.firstDecisionMs));
  }
  const growth = m.memory.afterMB - m.memory.settled.heapMB;
  row(
    `memory: heap after ${m.memory.tokens} distinct tokens`,
    `${m.memory.beforeMB.toFixed(1)} → ${m.memory.settled.heapMB.toFixed(1)} (${m.memory.settled.tokens}) → ${m.memory.afterMB.toFixed(1)} MB`,
    'flat after cache fills (< 2 MB)',
    check(growth < 2),
  );
  return rows;
}

/** Prints rows as a table with a header and a rule. */
function printTable(columns: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' │ ').trimEnd();
  console.log(line(columns));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows) console.log(line(r));
}

function printCacheEffect(effects: readonly CacheEffect[]): void {
  console.log(`\nCache effect (npm run bench -- --cache-effect): ${headline(effects)}\n`);
  printTable(
    ['API', 'authorizer', 'invocations', 'wrong answers'],
    cacheEffectRows(effects).map((r) => [r.api, r.authorizer, r.invocations, r.wrong]),
  );
}

/** The deployment, the bundles built for it, and `dist/` as `npm run build` writes it. */
async function prepare(): Promise<{ d: Deployment; bundles: BenchBundles }> {
  step('reading template.yaml and building');
  const d = deploymentOf(loadTemplate());
  const bundles = await buildBenchBundles(ROOT, d);
  return { d, bundles };
}

async function runCacheEffect(bundle: string): Promise<CacheEffect[]> {
  step(`cache effect: ${DEFAULT_MIX.users} users × ${DEFAULT_MIX.requestsPerUser} requests, REST and HTTP, three authorizers`);
  return runBenchChild<CacheEffect[]>('bench-cache-child.ts', { bundle, mix: DEFAULT_MIX });
}

async function measure(sizes: Sizes, quick: boolean): Promise<Measured> {
  const { d, bundles } = await prepare();
  const execArgv = nodeArgs(d);
  step(`warm path: ${sizes.rounds} rounds of ${sizes.perRound} calls per task, interleaved`);
  const warmArgs: WarmArgs = { bundle: bundles.deployed, rounds: sizes.rounds, perRound: sizes.perRound, batchSize: sizes.batchSize, doors: true };
  const warm = await runBenchChild<WarmReport>('bench-warm.ts', warmArgs, execArgv);
  step(`warm path with the X-Ray SDK on: ${sizes.tracedRounds} rounds of ${sizes.tracedPerRound}`);
  const traced = await runBenchChild<WarmReport>('bench-warm.ts', { ...warmArgs, rounds: sizes.tracedRounds, perRound: sizes.tracedPerRound, tracing: true, doors: false }, execArgv);
  step('decision only, 1,000-route rules');
  const decision = await decisionOnly(JSON.parse(readFileSync(path.join(ROOT, 'config/rules.json'), 'utf8')) as unknown, quick);
  const thousand = thousandRouteFigures();
  step(`cold starts: ${sizes.coldRuns} runs of each variant, interleaved`);
  const cold = await measureCold(bundles, d, sizes.coldRuns);
  step(`memory: ${sizes.memoryTokens} distinct tokens`);
  const memory = await runBenchChild<MemoryReport>('bench-memory.ts', { bundle: bundles.deployed, tokens: sizes.memoryTokens, settle: 2000 }, ['--expose-gc', ...execArgv]);
  const effects = await runCacheEffect(bundles.deployed);
  return { d, bundles, warm, traced, cold, decision, thousand, memory, effects };
}

function meta(quick: boolean): Record<string, unknown> {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return { date: new Date().toISOString(), node: process.version, cpu, cores: cpus().length, quick, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const strict = argv.includes('--strict');
  mkdirSync(path.join(ROOT, '.bench'), { recursive: true });

  if (argv.includes('--cache-effect')) {
    const { bundles } = await prepare();
    const effects = await runCacheEffect(bundles.deployed);
    printCacheEffect(effects);
    writeFileSync(path.join(ROOT, '.bench/cache-effect.json'), JSON.stringify({ meta: meta(quick), mix: DEFAULT_MIX, effects }, null, 2));
    return;
  }

  const m = await measure(quick ? SIZES.quick : SIZES.full, quick);
  const targets = targetRows(m);
  const details = detailRows(m);
  const info = meta(quick);
  console.log(`\ncognito-route-authorizer bench — node ${process.version}, ${String(info['cpu'])} × ${String(info['cores'])}${quick ? ', --quick (a smoke run: too few calls for settled figures)' : ''}`);
  console.log(
    `Deployed as template.yaml says: source maps ${m.d.sourcemap ? 'on' : 'off'}${m.d.nodeOptions === undefined ? '' : ` (NODE_OPTIONS=${m.d.nodeOptions})`}, ` +
      `Lambda tracing ${m.d.activeTracing ? 'Active' : 'off'}, X-Ray SDK ${m.d.tracerLoads ? 'on' : 'off'} (POWERTOOLS_TRACE_ENABLED=${m.d.traceEnabled ?? 'unset'}).\n`,
  );
  printTable(['target', 'value', 'target', 'result'], targets.map((r) => [r.figure, r.value, r.target, r.result]));
  console.log('');
  printTable(['figure', 'value', 'check', 'result'], details.map((r) => [r.figure, r.value, r.target, r.result]));
  printCacheEffect(m.effects);
  console.log(
    `\nPASS: the target is met. AT LEAST: only its "at least" bound is. FAIL: neither (--strict then exits 1).\n` +
      `Warm path: the built handler with a Lambda context, a new trace header and its decision line (INFO, to /dev/null) per call;\n` +
      `wall time per batch of 25 calls, tasks interleaved in shuffled batches, each task's batches summed up without the\n` +
      `fastest and slowest tenth; medians of ${m.warm.rounds.length} rounds, ratios taken within each round.\n` +
      `Cold start: median of ${quick ? SIZES.quick.coldRuns : SIZES.full.coldRuns} spawns of \`node -e "require(bundle); process.exit(0)"\` each, variants interleaved.`,
  );
  const rows = [...targets, ...details];
  writeFileSync(path.join(ROOT, '.bench/results.json'), JSON.stringify({ meta: info, deployment: { ...m.d, buildOptions: undefined }, rows, raw: m }, null, 2));
  step('done, wrote .bench/results.json');
  process.exitCode = exitCode(rows.map((r) => r.result), strict);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
