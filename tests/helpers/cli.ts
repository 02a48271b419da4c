// Runs the rules tool: in this process (runCli with captured output, fast) or as a child process
// from the built dist/cli.js (exit codes and the split between stdout and stderr as a shell sees it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import { ROOT } from './template';

/** What one run of the tool did. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for a run: ROUTE_RULES only when a test sets it, so the bundled rules are the default. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  if (extra['ROUTE_RULES'] === undefined) delete env['ROUTE_RULES'];
  return env;
}

/** Runs the tool in this process, from the repository root. */
export function runTool(argv: readonly string[], env: Record<string, string> = {}): ToolRun {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env: cleanEnv(env), cwd: ROOT, color: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Runs the built tool (dist/cli.js, built by the test setup) as a child process. */
export function runBuiltTool(argv: readonly string[], env: Record<string, string> = {}): ToolRun {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...argv], { cwd: ROOT, env: cleanEnv(env), encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON a `--json` run printed. */
export function jsonOf<T = Record<string, unknown>>(run: ToolRun): T {
  return JSON.parse(run.stdout) as T;
}

/** Writes a file in a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string | object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rules-tool-'));
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** A fixture under tests/fixtures/exports/. */
export function exportFixture(name: string): string {
  return path.join(ROOT, 'tests', 'fixtures', 'exports', name);
}
