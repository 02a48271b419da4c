// Bench children's frame: arguments as JSON in argv[2], the report sent over IPC, a failure printed as its stack alone.
import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';

/** The built authorizer's handler. */
export type Handler = (event: unknown) => Promise<unknown>;

/**
 * Runs `body` in this (forked) process with the arguments the parent gave and sends its report
 * back. An uncaught error prints its stack only (not the minified bundle's source line), exit 1.
 */
export function benchChild<A>(name: string, body: (args: A, loadHandler: (bundle: string) => Handler) => Promise<unknown>): void {
  const fail = (err: unknown): void => {
    process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail).on('unhandledRejection', fail);
  // The built bundle, required at run time as Lambda loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loadHandler = (bundle: string): Handler => (require(bundle) as { handler: Handler }).handler;
  body(JSON.parse(process.argv[2] ?? '{}') as A, loadHandler).then((report) => {
    process.send?.(report);
    process.disconnect?.();
  }, fail);
}

/**
 * Forks `script` (a file beside this one) with `args`, stdout on /dev/null (log lines are written,
 * then dropped), and resolves with its report. Runs it as package.json runs scripts (tsx's CJS hook).
 */
export function runBenchChild<R>(script: string, args: unknown, execArgv: readonly string[] = []): Promise<R> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const proc = fork(path.join(__dirname, script), [JSON.stringify(args)], {
      stdio: ['ignore', devNull, 'inherit', 'ipc'],
      execArgv: ['--require', require.resolve('tsx/cjs'), ...execArgv],
      env: { PATH: process.env['PATH'], NODE_ENV: 'production' },
    });
    let report: R | undefined;
    proc.on('message', (m) => (report = m as R));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 && report !== undefined ? resolve(report) : reject(new Error(`${script} exited ${String(code)}`))));
  });
}
