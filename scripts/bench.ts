// `npm run bench [-- --quick]`: builds, measures the authorizer against the targets in ARCHITECTURE.md, prints one table
// and writes it to .bench/results.json. A report: exits 0 whatever the figures, non-zero only when the bench itself fails.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { authorizerEnv, JwksServer } from '../tests/helpers/issuer';
import { functions, sharedOptions } from './build-options';
import { buildBenchBundles } from './lib/bench-build';
import { runBenchChild } from './lib/bench-child';
import { coldStarts, requireAndExit, type ColdVariant } from './lib/bench-cold';
import { decisionOnly, thousandRouteFigures } from './lib/bench-rules';
import { buildFunctions } from './lib/build';
import { ROOT } from './lib/paths';

interface Stats {
  mean: number;
  p50: number;
  p99: number;
  samples: number;
}
interface WarmReport {
  rounds: number;
  floor: Stats;
  library: Stats & { ratio: number };
  warmNew: Stats & { ratio: number };
  warmRepeated: Stats & { ratio: number };
  jwks: { atStart: number; warmPath: number };
  logs: { linesPerDecision: number };
}
interface MemoryReport {
  tokens: number;
  beforeMB: number;
  settled: { tokens: number; heapMB: number };
  afterMB: number;
  rssMB: number;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const SIZES = quick
    ? { newTokens: 1000, rounds: 2, tracedTokens: 500, coldRuns: 8, memoryTokens: 5000 }
    : { newTokens: 5000, rounds: 5, tracedTokens: 2000, coldRuns: 30, memoryTokens: 50000 };
  const started = performance.now();
  const step = (what: string): void => void process.stderr.write(`bench: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const bundle = path.join(ROOT, functions.authorizer.outfile);
  mkdirSync(path.join(ROOT, '.bench'), { recursive: true });

  // --- build --------------------------------------------------------------------------------------
  step('building');
  try {
    await buildFunctions();
  } catch (err) {
    // Another function's entry may be mid-way (its own engineer's work): the authorizer alone is what is measured.
    process.stderr.write(`bench: npm run build failed (${(err as Error).message.split('\n')[0] ?? ''}); building the authorizer alone, same options\n`);
    await build({ ...sharedOptions, entryPoints: [path.join(ROOT, functions.authorizer.entry)], outfile: bundle });
  }
  const extra = await buildBenchBundles(ROOT);

  // --- warm path ----------------------------------------------------------------------------------
  step(`warm path: floor and ${SIZES.newTokens} fresh tokens in ${SIZES.rounds} rounds`);
  const warm = await runBenchChild<WarmReport>('bench-warm.ts', { bundle, newTokens: SIZES.newTokens, repeatTokens: 500, rounds: SIZES.rounds });
  step(`warm path with tracing on: ${SIZES.tracedTokens} fresh tokens`);
  const traced = await runBenchChild<WarmReport>('bench-warm.ts', { bundle, newTokens: SIZES.tracedTokens, repeatTokens: 500, rounds: 2, tracing: true });

  step('decision only, 1,000-route rules');
  const sampleRules = JSON.parse(readFileSync(path.join(ROOT, 'config/rules.json'), 'utf8')) as unknown;
  const decision = await decisionOnly(sampleRules, quick);
  const thousand = thousandRouteFigures();

  // --- cold start ---------------------------------------------------------------------------------
  step(`cold starts: ${SIZES.coldRuns} runs of each variant, interleaved`);
  const jwks = await new JwksServer([]).start();
  const base = { PATH: process.env['PATH'], NODE_ENV: 'production' };
  const offEnv = { ...base, ...authorizerEnv(jwks.endpoint), POWERTOOLS_LOG_LEVEL: 'INFO' };
  // What Lambda sets and Tracer looks for; POWERTOOLS_TRACE_ENABLED makes it explicit.
  const onEnv = { ...offEnv, AWS_LAMBDA_FUNCTION_NAME: 'bench-authorizer', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', LAMBDA_TASK_ROOT: ROOT, POWERTOOLS_TRACE_ENABLED: 'true' };
  const variants: ColdVariant[] = [
    { name: 'bare node', code: '0', env: base },
    { name: 'authorizer, tracing off', code: requireAndExit(bundle), env: offEnv },
    { name: 'authorizer, tracing on', code: requireAndExit(bundle), env: onEnv },
    { name: 'authorizer without Tracer, tracing off', code: requireAndExit(extra.noTracerFile), env: offEnv },
    ...Object.entries(extra.libFiles).map(([name, file]) => ({
      name,
      code: requireAndExit(file),
      env: name.endsWith('tracing on') || name === 'tracer' ? onEnv : offEnv,
    })),
  ];
  const cold = await coldStarts(variants, { runs: SIZES.coldRuns, cwd: ROOT });
  await jwks.stop();
  const medianOf = (name: string): number => cold[name]?.median ?? NaN;
  const added = (name: string): number => medianOf(name) - medianOf('bare node');

  // --- memory -------------------------------------------------------------------------------------
  step(`memory: ${SIZES.memoryTokens} distinct tokens`);
  const memory = await runBenchChild<MemoryReport>('bench-memory.ts', { bundle, tokens: SIZES.memoryTokens, settle: 2000 }, ['--expose-gc']);

  // --- table --------------------------------------------------------------------------------------
  const bundleBytes = statSync(bundle).size;
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  const us = (v: number): string => `${v.toFixed(1)} µs`;
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
  const rows: { figure: string; value: string; target: string; vsFloor: string; result: string }[] = [];
  const row = (figure: string, value: string, target = '', vsFloor = '', result = ''): void => void rows.push({ figure, value, target, vsFloor, result });

  row('floor: RS256 verify + decode (node:crypto)', us(warm.floor.mean), '', x(1));
  row('aws-jwt-verify alone (verifySync, key cached)', us(warm.library.mean), '', x(warm.library.ratio));
  row('warm decision, new token', us(warm.warmNew.mean), '≤ 1.3× floor', x(warm.warmNew.ratio), verdict(warm.warmNew.ratio <= 1.3));
  row('  of which the authorizer beyond the library', us(warm.warmNew.mean - warm.library.mean), '', x((warm.warmNew.mean - warm.library.mean) / warm.floor.mean));
  row('warm decision, repeated token', us(warm.warmRepeated.mean), '≤ 0.5× floor', x(warm.warmRepeated.ratio), verdict(warm.warmRepeated.ratio <= 0.5));
  row('warm decision, new token, tracing on (X-Ray)', us(traced.warmNew.mean), '', x(traced.warmNew.ratio));
  row('warm decision, repeated token, tracing on', us(traced.warmRepeated.mean), '', x(traced.warmRepeated.ratio));
  row('decision only (rules + policy, plan cached)', us(decision.mean), '', x(decision.mean / warm.floor.mean));
  row('decision log lines per request', warm.logs.linesPerDecision.toFixed(2), '1', '', verdict(warm.logs.linesPerDecision === 1));
  row('JWKS fetches on the warm path', String(warm.jwks.warmPath), '0', '', verdict(warm.jwks.warmPath === 0));
  row('cold start: bare node', ms(medianOf('bare node')));
  // Over bare node: the libraries doing the authorizer's cold-start job without it, then the authorizer.
  const libsOff = added('libraries at work, tracing off');
  const ownOff = added('authorizer without Tracer, tracing off');
  const authOff = added('authorizer, tracing off');
  row('cold start over bare: libraries at work, tracing off', ms(libsOff));
  row('cold start over bare: authorizer without Tracer, tracing off', `${ms(ownOff)} (own code ${ms(ownOff - libsOff)})`);
  row('cold start over bare: authorizer, tracing off', `${ms(authOff)} (Tracer carried ${ms(authOff - ownOff)})`, 'libraries at work + ≤ 1 ms', '', verdict(authOff <= libsOff + 1));
  const libsOn = added('libraries at work, tracing on');
  const authOn = added('authorizer, tracing on');
  row('cold start over bare: libraries at work, tracing on', ms(libsOn));
  row('cold start over bare: authorizer, tracing on', `${ms(authOn)} (own code ${ms(authOn - libsOn)})`, 'libraries at work + ≤ 1 ms', '', verdict(authOn <= libsOn + 1));
  for (const lib of ['aws-jwt-verify', 'logger', 'tracer']) row(`import alone over bare: ${lib}`, ms(added(lib)));
  row('bundle size: dist/authorizer.js', kb(bundleBytes), '≤ 200 KB', '', verdict(bundleBytes <= 200 * 1024));
  row('bundle size without Tracer', kb(extra.noTracerBytes));
  row(`1,000 routes: compile (first / median)`, `${ms(thousand.compileFirstMs)} / ${ms(thousand.compileMedianMs)}`, '< 50 ms', '', verdict(thousand.compileFirstMs < 50));
  for (const c of thousand.callers) {
    row(`1,000 routes, granted ${c.name}: response`, `${c.bytes} B, ${c.statements} stmt / ${c.resources} res, ${c.mode}`, '≤ 8 KB', '', verdict(c.bytes <= 8192));
    row(`1,000 routes, granted ${c.name}: first decision`, ms(c.firstDecisionMs));
  }
  const growth = memory.afterMB - memory.settled.heapMB;
  row(
    `memory: heap after ${memory.tokens} distinct tokens`,
    `${memory.beforeMB.toFixed(1)} → ${memory.settled.heapMB.toFixed(1)} (${memory.settled.tokens}) → ${memory.afterMB.toFixed(1)} MB`,
    'flat after cache fills (< 2 MB)',
    '',
    verdict(growth < 2),
  );

  const cpu = cpus()[0]?.model ?? 'unknown';
  const meta = { date: new Date().toISOString(), node: process.version, cpu, cores: cpus().length, quick, seconds: (performance.now() - started) / 1000 };
  const keys = ['figure', 'value', 'target', 'vsFloor', 'result'] as const;
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' │ ');
  console.log(`\ncognito-route-authorizer bench — node ${meta.node}, ${cpu} × ${meta.cores}${quick ? ', --quick' : ''}\n`);
  console.log(line(['figure', 'value', 'target', 'vs floor', 'result']));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows) console.log(line(keys.map((k) => r[k])));
  console.log(
    `\nLogs at INFO (the decision line in Powertools' format), written to /dev/null. Tracing on: X-Ray in Lambda mode,\n` +
      `a trace header per request, segments sent over UDP to 127.0.0.1. Cold start: median of ${SIZES.coldRuns} spawns each, require then exit.`,
  );
  writeFileSync(
    path.join(ROOT, '.bench/results.json'),
    JSON.stringify({ meta, rows, raw: { warm, traced, decision, thousand, cold, memory, bundleBytes, noTracerBytes: extra.noTracerBytes } }, null, 2),
  );
  step('done, wrote .bench/results.json');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
